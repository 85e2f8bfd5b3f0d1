"""The Frictionless Data Package that describes the open data (/data/datapackage.json):
profile tabular-data-package, one CSV resource with its table schema per resource of
resources.py (field types, required fields, status vocabularies, primary and foreign
keys), the licence, and absolute paths on PUBLIC_BASE_URL (tracker.links)."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from hearings.settings_values import OPEN_DATA_LICENCES
from tracker.links import absolute_url

from .resources import RESOURCES, Field, Resource

PACKAGE_NAME = "hearings-2013-follow-up"


def licence() -> dict:
    """The open data's licence: its SPDX identifier, title and address."""
    identifier = settings.OPEN_DATA_LICENCE
    title, url = OPEN_DATA_LICENCES[identifier]
    return {"name": identifier, "title": title, "path": url}


def download_url(name: str, fmt: str, as_of: datetime.date | None = None) -> str:
    """The absolute address of a resource's download, for the date if one is given."""
    path = reverse(f"opendata:{fmt}", kwargs={"name": name})
    if as_of is not None:
        path += "?" + urlencode({"as_of": as_of.isoformat()})
    return absolute_url(path)


def _field(item: Field) -> dict:
    described = {"name": item.name, "type": item.type, "description": str(item.description)}
    if item.is_list:
        described["description"] += " " + _("Several values are separated by single spaces.")
    constraints = {}
    if item.required:
        constraints["required"] = True
    if item.enum:
        constraints["enum"] = list(item.enum)
    if constraints:
        described["constraints"] = constraints
    return described


def table_schema(resource: Resource, *, target_dates: bool) -> dict:
    schema = {
        "fields": [_field(item) for item in resource.fields_for(target_dates=target_dates)],
        "primaryKey": list(resource.primary_key),
        "missingValues": [""],
    }
    if resource.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(key.fields),
                "reference": {"resource": key.resource, "fields": list(key.reference)},
            }
            for key in resource.foreign_keys
        ]
    return schema


def descriptor(*, as_of: datetime.date | None, target_dates: bool, report=None) -> dict:
    """The data package, its resources' paths for the date if one is given."""
    described = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": _("Follow-up of the 2013 hearings on international migration and development"),
        "description": _(
            "The recommendations of the General Assembly's informal interactive hearings of "
            "15 July 2013 with their follow-up by each actor: statuses, published status "
            "updates, and the catalogue they rest on."
        ),
        "homepage": absolute_url(reverse("opendata:index")),
        "licenses": [licence()],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": resource.name,
                "title": str(resource.title),
                "description": str(resource.description),
                "path": download_url(resource.name, "csv", as_of if resource.dated else None),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(resource, target_dates=target_dates),
            }
            for resource in RESOURCES.values()
        ],
    }
    if as_of is not None:
        described["description"] += " " + _(
            "Follow-up as it stood on %(date)s; the catalogue as it is now."
        ) % {"date": as_of.isoformat()}
    if report is not None:
        title = f"{report.title} ({report.symbol})" if report.symbol else report.title
        described["sources"] = [{"title": title}]
    return described
