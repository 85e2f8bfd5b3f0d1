"""The API fuzzed against its own OpenAPI document (schemathesis): a bounded number of
generated requests per operation, as a coordinator with a read-write token and the public
site on; no answer is a 500, and every answer (status, headers, content type, body)
matches what the document declares. Not checked: that every schema-valid request is
accepted (`positive_data_acceptance`): a key, code or cursor the schema can only call a
string must also exist, and a date be in the follow-up's range, which the API refuses as
the problems it declares."""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tracker.api import services as tokens
from tracker.publication import services as publication

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the result does not depend on the database; CI runs it on PostgreSQL",
    ),
]
EXAMPLES = 25


def test_every_operation_answers_as_its_schema_says(staff, own_line, record):
    """Each operation in turn (schemathesis's pytest plugin does not run on this pytest:
    the operations are walked here, each with Hypothesis's own runner)."""
    publication.site_set(user=staff["coordinator"], is_on=True)
    record(own_line, publish=True)
    _token, plain = tokens.token_create(
        user=staff["coordinator"], name="fuzz", scope="read-write", days=365
    )
    headers = {"Authorization": f"Bearer {plain}"}
    # The app called in this thread, in the test's transaction: as Django's test client
    # does, the connection is not closed at the end of each request.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        failures, operations = _fuzz(headers)
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)
    assert operations >= 25
    assert not failures, "\n\n".join(f"{label}: {exc}" for label, exc in failures.items())


def _fuzz(headers):
    api = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    failures, operations = {}, 0

    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:
            failures[operation.label] = exc
    return failures, operations
