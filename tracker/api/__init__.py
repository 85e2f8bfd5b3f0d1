"""The API (/api/v1/): the follow-up for other systems, in JSON, described by OpenAPI 3.

An app of its own (label `api`) for the personal tokens it owns. Django REST framework
with drf-spectacular; the same rules as the pages: anonymous callers read what
tracker.publication.visibility makes public, and only while the public site is on;
authenticated callers read what their role reads (tracker.permissions) and record status
updates through tracker.services, as the update form does.
"""
