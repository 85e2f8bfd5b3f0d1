import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from .test_log_pages import change_target_dates
from .conftest import set_focal_actors
pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("name", ["audit", "audit-csv"])
def test_show(coordinator_client, coordinator, focal, name):
    set_focal_actors(coordinator, focal, ["ilo"])
    change_target_dates(coordinator, 10)
    coordinator_client.get(reverse(name))
    with CaptureQueriesContext(connection) as q:
        r = coordinator_client.get(reverse(name), {"who": coordinator.pk})
        if r.streaming: b"".join(r.streaming_content)
    for x in q.captured_queries: print(x["sql"][:150])
    with CaptureQueriesContext(connection) as q:
        r = coordinator_client.get(reverse(name))
        if r.streaming: b"".join(r.streaming_content)
    print(name, "unfiltered", len(q))
    for x in q.captured_queries: print(x["sql"][:150])
