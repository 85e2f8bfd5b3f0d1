"""Open data at /data/: what is in it and what never is, the public roll-up, as of a date,
the switch, conditional GET and the index page."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from hearings.models import Addressee, GcmTag, Recommendation, SdgTag
from hearings.settings_values import open_data_licence
from tracker.models import RecommendationProgress, Status
from tracker.public.opendata.resources import RESOURCES
from tracker.publication import services as publication

from .opendata_support import (
    INTERNAL_NOTE,
    PUBLISHED_NOTE,
    RECORDER_EMAIL,
    RECORDER_NAME,
    ROLLED_UP,
    TARGET_DATE,
    WITHHELD_NOTE,
    WITHHELD_REC_NOTE,
    body,
    csv_rows,
    json_rows,
    line,
    record,
)

pytest_plugins = ["tests.public.opendata_fixtures"]

MARKERS = [INTERNAL_NOTE, WITHHELD_NOTE, WITHHELD_REC_NOTE, RECORDER_NAME, RECORDER_EMAIL,
           "recorder-marker", TARGET_DATE.isoformat(), "Sensitive talks", "Pending"]  # fmt: skip
DOWNLOADS = [f"/data/{name}.{fmt}" for name in RESOURCES for fmt in ("csv", "json")]


def test_everything_is_404_while_the_site_is_off(client, loaded_report):
    for url in ["/data/", "/data/datapackage.json", *DOWNLOADS]:
        assert client.get(url).status_code == 404, url


def test_an_unknown_resource_is_404(client, opendata_site):
    assert client.get("/data/accounts.csv").status_code == 404
    assert client.get("/data/recommendations.xml").status_code == 404


@pytest.mark.parametrize("target_dates", [False, True])
def test_no_private_fact_is_in_any_file_or_page(client, opendata_world, target_dates):
    publication.site_set(user=None, target_dates_public=target_dates)
    for url in ["/data/", "/data/datapackage.json", *DOWNLOADS, "/data/lines.csv?as_of=2014-02-01"]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response).decode("utf-8")
        for marker in MARKERS:
            if target_dates and marker == TARGET_DATE.isoformat() and url.startswith("/data/lines"):
                continue
            assert marker not in text, (url, marker)
    assert PUBLISHED_NOTE in body(client.get("/data/updates.csv")).decode()


def test_withheld_recommendations_lines_and_unpublished_notes_are_left_out(client, opendata_world):
    recommendations = {
        row["code"]: row for row in csv_rows(client.get("/data/recommendations.csv"))
    }
    withheld = Recommendation.objects.get(code="R24.1")
    assert "R24.1" not in recommendations
    assert not {r.code for r in withheld.restatements.all()} & set(recommendations)
    public = Recommendation.objects.current().exclude(pk=withheld.pk).exclude(restates=withheld)
    assert set(recommendations) == {r.code for r in public}

    lines = {
        (row["recommendation"], row["actor"]) for row in csv_rows(client.get("/data/lines.csv"))
    }
    assert (ROLLED_UP, "governments") in lines
    assert (ROLLED_UP, "private-sector") not in lines
    assert not any(code == "R24.1" for code, _actor in lines)

    updates = json_rows(client.get("/data/updates.json"))
    assert {u["id"] for u in updates} == {opendata_world["public"].pk, *_published_on(ROLLED_UP)}
    assert opendata_world["internal"].pk not in {u["id"] for u in updates}
    first = next(u for u in updates if u["id"] == opendata_world["public"].pk)
    assert first == {
        "id": opendata_world["public"].pk, "recommendation": "R30a", "actor": "governments",
        "status": "in-progress", "effective_date": "2014-01-10", "note": PUBLISHED_NOTE,
        "evidence_links": ["https://example.org/evidence/hotline"],
        "published_at": first["published_at"],
    }  # fmt: skip
    assert first["published_at"].endswith("Z")


def _published_on(code):
    from tracker.publication.visibility import published_updates

    return set(
        published_updates().filter(line__recommendation__code=code).values_list("id", flat=True)
    )


def test_the_public_roll_up_leaves_a_withheld_lines_status_out(client, opendata_world):
    # Stored: governments and the international community implemented, the private
    # sector (withheld) in progress: partially implemented, which would tell that some
    # line is not done. Public: the two public lines, implemented.
    stored = RecommendationProgress.objects.get(recommendation__code=ROLLED_UP).status
    assert stored == Status.PARTIALLY_IMPLEMENTED
    rows = {row["code"]: row for row in csv_rows(client.get("/data/recommendations.csv"))}
    assert rows[ROLLED_UP]["overall_status"] == "implemented"
    assert rows["R30a"]["overall_status"] == "planned"  # its latest update
    assert rows["R8.1"]["overall_status"] == "no-information"


def test_restatements_carry_their_main_recommendations_public_status(
    client, opendata_world, opendata_recorder
):
    main = Recommendation.objects.get(code="R38.1")
    for actor in ("governments", "international-community"):
        record(opendata_recorder, line("R38.1", actor), "implemented", "Done.")
    rows = {row["code"]: row for row in csv_rows(client.get("/data/recommendations.csv"))}
    restatement = main.restatements.get()
    assert rows[restatement.code]["restates"] == "R38.1"
    assert rows[restatement.code]["overall_status"] == "implemented"
    assert rows["R38.1"]["overall_status"] == "implemented"


def test_the_catalogues_keys_are_in_each_row(client, opendata_site):
    rows = {row["code"]: row for row in json_rows(client.get("/data/recommendations.json"))}
    for rec in Recommendation.objects.current().prefetch_related("agenda_points"):
        row = rows[rec.code]
        assert row["theme"] == rec.theme.key
        assert row["paragraph"] == rec.paragraph.number
        assert row["agenda_points"] == [p.key for p in rec.agenda_points.order_by("number")]
        addressed = Addressee.objects.filter(recommendation=rec).order_by("actor__key")
        assert row["addressees"] == [a.actor.key for a in addressed]
        assert row["restates"] == (rec.restates.code if rec.restates_id else None)
        gcm = GcmTag.objects.filter(recommendation=rec).order_by("objective__number")
        assert row["gcm_objectives"] == [t.objective.key for t in gcm]
        sdg = SdgTag.objects.filter(recommendation=rec).order_by("target__position")
        assert row["sdg_targets"] == [t.target.key for t in sdg]
    assert sum(1 for row in rows.values() if row["gcm_objectives"]) > 50  # the loaded tags
    csv_row = next(
        r for r in csv_rows(client.get("/data/recommendations.csv")) if r["code"] == "R30a"
    )
    assert csv_row["addressees"] == " ".join(rows["R30a"]["addressees"])
    actors = {row["key"]: row for row in json_rows(client.get("/data/actors.json"))}
    assert "governments" in actors["phl"]["groups"]
    assert len(actors) == 227
    assert next(t["key"] for t in json_rows(client.get("/data/themes.json"))) == "labour"
    objectives = json_rows(client.get("/data/gcm-objectives.json"))
    assert [o["number"] for o in objectives] == list(range(1, 24))
    assert objectives[5]["key"] == "gcm-6"
    assert len(json_rows(client.get("/data/sdg-targets.json"))) == 15


def test_target_dates_are_a_column_only_while_published(client, opendata_world):
    assert "target_date" not in csv_rows(client.get("/data/lines.csv"))[0]
    publication.site_set(user=None, target_dates_public=True)
    rows = {(r["recommendation"], r["actor"]): r for r in csv_rows(client.get("/data/lines.csv"))}
    assert rows[("R30a", "governments")]["target_date"] == TARGET_DATE.isoformat()
    assert rows[(ROLLED_UP, "governments")]["target_date"] == ""


def test_as_of_a_date_follows_the_reports_rule(client, opendata_world):
    def lines_on(date):
        rows = csv_rows(client.get(f"/data/lines.csv?as_of={date}"))
        return {(r["recommendation"], r["actor"]): (r["status"], r["status_since"]) for r in rows}

    assert lines_on("2014-01-15")[("R30a", "governments")] == ("in-progress", "2014-01-10")
    assert lines_on("2014-01-20")[("R30a", "governments")] == ("planned", "2014-01-20")
    assert lines_on("2013-12-31")[("R30a", "governments")] == ("no-information", "")
    assert csv_rows(client.get("/data/updates.csv?as_of=2013-12-31")) == []
    assert len(csv_rows(client.get("/data/updates.csv?as_of=2014-01-10"))) == 2
    early = {
        r["code"]: r for r in csv_rows(client.get("/data/recommendations.csv?as_of=2013-12-31"))
    }
    assert early[ROLLED_UP]["overall_status"] == "no-information"
    response = client.get("/data/lines.csv?as_of=2014-01-15")
    assert response["Content-Disposition"] == 'attachment; filename="lines-as-of-2014-01-15.csv"'


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2014-13-01", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("20140101", "YYYY-MM-DD"),
        ("2013-07-14", "before the hearings"),
        ((datetime.date.today() + datetime.timedelta(days=3)).isoformat(), "future"),
    ],
)
def test_a_bad_date_is_a_clear_400(client, opendata_site, value, words):
    for url in ["/data/lines.csv", "/data/themes.json", "/data/datapackage.json", "/data/"]:
        response = client.get(url, {"as_of": value})
        assert response.status_code == 400, url
        assert words in body(response).decode(), url
    assert client.get("/data/lines.csv?as_of=2014-01-01&as_of=2015-01-01").status_code == 400


def test_an_empty_date_is_now(client, opendata_world):
    assert client.get("/data/lines.csv?as_of=").status_code == 200


def test_a_second_download_is_answered_304_until_something_public_changes(
    client, opendata_world, opendata_recorder
):
    first = client.get("/data/updates.csv")
    etag = first["ETag"]
    assert first.streaming  # streamed, so revalidated rather than cached
    assert client.get("/data/updates.csv", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/data/datapackage.json", headers={"if-none-match": etag}).status_code == 304
    record(opendata_recorder, line("R30b", "governments"), "planned", "A plan.", publish=True)
    again = client.get("/data/updates.csv", headers={"if-none-match": etag})
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert "A plan." in body(again).decode()


def test_files_are_open_to_scripts_on_other_sites(client, opendata_site):
    for url in ["/data/datapackage.json", "/data/themes.csv"]:
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*"
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        assert again["Access-Control-Allow-Origin"] == "*"


def test_the_index_page_links_every_file_and_says_the_licence_and_how_to_cite(
    client, opendata_site
):
    response = client.get("/data/?as_of=2014-10-03")
    html = response.content.decode()
    for name in RESOURCES:
        assert f"/data/{name}.csv" in html
        assert f"/data/{name}.json" in html
    assert "http://127.0.0.1:8000/data/lines.csv?as_of=2014-10-03" in html
    assert 'http://127.0.0.1:8000/data/themes.csv"' in html  # the catalogue: no date
    assert "Creative Commons Attribution 4.0 International" in html
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    assert "Cite them as" in html
    assert "/data/datapackage.json?as_of=2014-10-03" in html
    assert "/feeds/updates/" in html
    assert not response.cookies


def test_the_index_page_says_what_is_wrong_with_a_date(client, opendata_site):
    response = client.get("/data/?as_of=3 October 2014")
    assert response.status_code == 400
    assert "as_of must be a date written YYYY-MM-DD" in response.content.decode()


def test_the_licence_is_one_the_app_knows(settings, client, opendata_site):
    assert open_data_licence("cc0-1.0") == "CC0-1.0"
    with pytest.raises(ImproperlyConfigured, match="OPEN_DATA_LICENCE must be one of"):
        open_data_licence("my-own-terms")
    settings.OPEN_DATA_LICENCE = "CC0-1.0"
    licences = client.get("/data/datapackage.json").json()["licenses"]
    assert licences == [{"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 Universal",
                         "path": "https://creativecommons.org/publicdomain/zero/1.0/"}]  # fmt: skip
