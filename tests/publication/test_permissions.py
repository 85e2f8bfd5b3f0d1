"""Who may use the publication pages: every view and method, for anonymous visitors, viewers,
focal points, coordinators and administrators. Only coordinators (and administrators) are let
in, and a refused request changes nothing; the services refuse on their own too."""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tracker.publication import services
from tracker.publication.models import NotePublication, PublicSite, Withholding

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal-point", "coordinator", "superuser"]
REASON = "The Government's response is pending."


def state():
    """Everything a publication request could change."""
    site = PublicSite.objects.filter(pk=PublicSite.ONLY).first()
    return (
        (site.is_on, site.target_dates_public) if site else None,
        sorted(NotePublication.objects.values_list("update_id", flat=True)),
        sorted(Withholding.objects.values_list("recommendation_id", "line_id")),
    )


@pytest.fixture
def world(users, line, record):
    """A private and a published update on the line, and a kept-out twin of each target."""
    coordinator = users["coordinator"]
    private = record(users["focal-point"])
    published = record(users["focal-point"], publish=True)
    return {"line": line, "rec": line.recommendation, "private": private, "published": published,
            "coordinator": coordinator}  # fmt: skip


def kept_out(**target):
    return Withholding.objects.filter(**target).exists()


# name: (url name, args, POST data or None for a GET page, set-up, done once allowed)
ACTIONS = {
    "site-page": ("public-site", lambda w: [], None, None, None),
    "switch-on": (
        "public-site-switch", lambda w: [], {"state": "on"}, None,
        lambda w: PublicSite.load().is_on,
    ),
    "target-dates-public": (
        "public-site-target-dates", lambda w: [], {"state": "on"}, None,
        lambda w: PublicSite.load().target_dates_public,
    ),
    "publish": (
        "update-publish", lambda w: [w["private"].pk], {}, None,
        lambda w: NotePublication.objects.filter(update=w["private"]).exists(),
    ),
    "withdraw": (
        "update-withdraw", lambda w: [w["published"].pk], {}, None,
        lambda w: not NotePublication.objects.filter(update=w["published"]).exists(),
    ),
    "withhold-page-recommendation": (
        "recommendation-withhold", lambda w: [w["rec"].code], None, None, None,
    ),
    "withhold-recommendation": (
        "recommendation-withhold", lambda w: [w["rec"].code], {"reason": REASON}, None,
        lambda w: kept_out(recommendation=w["rec"]),
    ),
    "release-recommendation": (
        "recommendation-release", lambda w: [w["rec"].code], {},
        lambda w: services.withhold(user=w["coordinator"], recommendation=w["rec"], reason=REASON),
        lambda w: not kept_out(recommendation=w["rec"]),
    ),
    "withhold-page-line": ("line-withhold", lambda w: [w["line"].pk], None, None, None),
    "withhold-line": (
        "line-withhold", lambda w: [w["line"].pk], {"reason": REASON}, None,
        lambda w: kept_out(line=w["line"]),
    ),
    "release-line": (
        "line-release", lambda w: [w["line"].pk], {},
        lambda w: services.withhold(user=w["coordinator"], line=w["line"], reason=REASON),
        lambda w: not kept_out(line=w["line"]),
    ),
}  # fmt: skip
# POST-only views answer 405 to a GET, and the pages to a POST that is not theirs.
WRONG_METHOD = [
    ("public-site", "post"),
    ("public-site-switch", "get"),
    ("public-site-target-dates", "get"),
    ("update-publish", "get"),
    ("update-withdraw", "get"),
    ("recommendation-release", "get"),
    ("line-release", "get"),
]


def log_in(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_coordinators_may_and_a_refusal_changes_nothing(client, users, world, action, role):
    name, args, data, setup, done = ACTIONS[action]
    if setup:
        setup(world)
    url = reverse(name, args=args(world))
    log_in(client, users, role)
    before = state()
    response = client.get(url) if data is None else client.post(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == "/auth/login/"
    elif role in ("viewer", "focal-point"):
        assert response.status_code == 403
        assert "You are not allowed to do this" in response.content.decode()
    elif data is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert done(world), f"{action} by {role} did not take effect"
        return
    assert state() == before, f"a refused {action} changed something"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), WRONG_METHOD)
def test_the_wrong_method_is_refused_for_everyone(client, users, world, name, method, role):
    args = {
        "update-publish": [world["private"].pk],
        "update-withdraw": [world["published"].pk],
        "recommendation-release": [world["rec"].code],
        "line-release": [world["line"].pk],
    }.get(name, [])
    log_in(client, users, role)
    before = state()
    url = reverse(name, args=args)
    response = client.get(url) if method == "get" else client.post(url, {"state": "on"})
    assert response.status_code == 405
    assert state() == before


def test_unknown_targets_are_404_for_coordinators_and_403_for_others(client, users):
    client.force_login(users["viewer"])
    assert client.post(reverse("update-publish", args=[999999])).status_code == 403
    assert client.get(reverse("recommendation-withhold", args=["R999"])).status_code == 403
    client.force_login(users["coordinator"])
    assert client.post(reverse("update-publish", args=[999999])).status_code == 404
    assert client.post(reverse("update-withdraw", args=[999999])).status_code == 404
    assert client.get(reverse("recommendation-withhold", args=["R999"])).status_code == 404
    assert client.post(reverse("line-release", args=[999999])).status_code == 404


def test_the_services_refuse_on_their_own(users, world):
    """Whatever a page does, a viewer or a focal point cannot publish, withdraw, withhold,
    release or switch: the services check it again."""
    for role in ("viewer", "focal-point"):
        user = users[role]
        calls = [
            lambda u=user: services.site_set(user=u, is_on=True),
            lambda u=user: services.note_publish(update=world["private"], user=u),
            lambda u=user: services.note_withdraw(update=world["published"], user=u),
            lambda u=user: services.withhold(user=u, line=world["line"], reason=REASON),
            lambda u=user: services.release(user=u, line=world["line"]),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
