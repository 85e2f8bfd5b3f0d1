"""The data package (/data/datapackage.json) validated by the frictionless library, an
implementation of the standard independent of the project, against the files the app
serves, written to a temporary folder (no network)."""

import json

import pytest
from frictionless import Package

from tracker.public.opendata.resources import RESOURCES
from tracker.publication import services as publication

from .opendata_support import body

pytest_plugins = ["tests.public.opendata_fixtures"]


def _local_package(client, folder, query="") -> tuple[dict, Package]:
    """The served package with each resource's path pointing at its served CSV, saved."""
    descriptor = client.get(f"/data/datapackage.json{query}").json()
    for resource in descriptor["resources"]:
        assert resource["path"].startswith("http://127.0.0.1:8000/data/"), resource["path"]
        response = client.get(resource["path"].removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200
        (folder / f"{resource['name']}.csv").write_bytes(body(response))
        resource["path"] = f"{resource['name']}.csv"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return descriptor, Package(str(folder / "datapackage.json"))


def _problems(report) -> list:
    return report.flatten(["type", "note"]) if not report.valid else []


@pytest.mark.parametrize("query", ["", "?as_of=2014-01-15"])
@pytest.mark.parametrize("target_dates", [False, True])
def test_the_package_and_its_files_are_valid(client, opendata_world, tmp_path, query, target_dates):
    publication.site_set(user=None, target_dates_public=target_dates)
    descriptor, package = _local_package(client, tmp_path, query)
    assert descriptor["profile"] == "tabular-data-package"
    assert [r["name"] for r in descriptor["resources"]] == list(RESOURCES)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    report = package.validate()
    assert report.valid, _problems(report)
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows["recommendations"] > 100
    assert rows["actors"] == 227
    assert rows["gcm-objectives"] == 23
    assert rows["updates"] == 2  # R30a's published update and R39.2's public one
    lines = next(r for r in descriptor["resources"] if r["name"] == "lines")
    names = [f["name"] for f in lines["schema"]["fields"]]
    assert ("target_date" in names) == target_dates


def test_a_broken_key_is_found(client, opendata_world, tmp_path):
    """The validation is real: a line naming an actor the actors file lacks is refused."""
    _descriptor, _package = _local_package(client, tmp_path)
    lines = tmp_path / "lines.csv"
    lines.write_text(lines.read_text().replace(",governments,", ",nobody-at-all,", 1))
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert ["foreign-key"] in report.flatten(["type"])
