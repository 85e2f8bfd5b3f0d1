"""Atom feeds of published status updates: the latest LATEST, newest publication first.

An entry is a published update on a public line (tracker.publication.visibility): its
title the recommendation's code, the actor and the status; its content the published
note, as plain text; its id a tag URI made of PUBLIC_BASE_URL's host and the update's
number, so it is the same at every fetch. A withdrawn publication, a withheld line or
recommendation takes the entry out. Who recorded an update is never read: entries are
built from a fixed list of columns that does not name them.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from hearings.models import Actor, GcmObjective, GcmTag, Theme
from tracker.links import absolute_url
from tracker.publication import visibility
from tracker.vocabulary import Status

LATEST = 50
# The tag URIs' date (RFC 4151): the day the names began to mean these things, the
# hearings. It never changes, so ids stay stable.
TAG_DATE = "2013-07-15"
COLUMNS = (
    "id", "status", "note", "line__recommendation__code", "line__actor__name",
    "publication__published_at",
)  # fmt: skip


def tag_uri(specific: str) -> str:
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname
    return f"tag:{host},{TAG_DATE}:{specific}"


def recommendation_link(code: str) -> str:
    """The recommendation's public page, on PUBLIC_BASE_URL; the open data's page while
    the public pages are not installed."""
    try:
        path = reverse("public:recommendation", kwargs={"code": code})
    except NoReverseMatch:
        path = reverse("opendata:index")
    return absolute_url(path)


class TextContentAtomFeed(Atom1Feed):
    """Atom with each entry's note as `<content type="text">`: plain text, which no feed
    reader runs as HTML (Django's summary is type="html")."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "text"})


class UpdatesFeed(Feed):
    feed_type = TextContentAtomFeed
    kind = "updates"

    def title(self, obj):
        return _("Published follow-up of the 2013 hearings on migration and development")

    def subtitle(self, obj):
        return _("Status updates whose note has been published, newest first.")

    def author_name(self, obj):
        return _("Follow-up tracker of the 2013 hearings")

    def link(self, obj):
        return absolute_url(reverse("opendata:index"))

    def feed_url(self, obj):
        return absolute_url(reverse(f"feeds:{self.kind}", kwargs=self.url_kwargs(obj)))

    def feed_guid(self, obj):
        keys = "".join(f"/{value}" for value in self.url_kwargs(obj).values())
        return tag_uri(f"feeds/{self.kind}{keys}")

    def url_kwargs(self, obj) -> dict:
        return {}

    def selected(self, updates, obj):
        return updates

    def items(self, obj):
        updates = self.selected(visibility.published_updates(), obj)
        return updates.order_by("-publication__published_at", "-id").values(*COLUMNS)[:LATEST]

    def item_title(self, item):
        return " · ".join(
            [item["line__recommendation__code"], item["line__actor__name"],
             str(Status(item["status"]).label)]
        )  # fmt: skip

    def item_description(self, item):
        return None  # the note is the entry's content (TextContentAtomFeed)

    def item_extra_kwargs(self, item):
        return {"content": item["note"]}

    def item_link(self, item):
        return recommendation_link(item["line__recommendation__code"])

    def item_guid(self, item):
        return tag_uri(f"update/{item['id']}")

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item["publication__published_at"]

    def item_updateddate(self, item):
        return item["publication__published_at"]


class ActorFeed(UpdatesFeed):
    kind = "actor"

    def get_object(self, request, key):
        return Actor.objects.get(key=key)

    def title(self, obj):
        return _("Published follow-up by %(actor)s") % {"actor": obj.local_name}

    def url_kwargs(self, obj):
        return {"key": obj.key}

    def selected(self, updates, obj):
        return updates.filter(line__actor=obj)


class ThemeFeed(UpdatesFeed):
    kind = "theme"

    def get_object(self, request, key):
        return Theme.objects.get(key=key)

    def title(self, obj):
        return _("Published follow-up: %(theme)s") % {"theme": obj.local_title}

    def url_kwargs(self, obj):
        return {"key": obj.key}

    def selected(self, updates, obj):
        return updates.filter(line__recommendation__theme=obj)


class GcmObjectiveFeed(UpdatesFeed):
    kind = "gcm-objective"

    def get_object(self, request, key):
        return GcmObjective.objects.get(key=key)

    def title(self, obj):
        return _("Published follow-up of Global Compact objective %(number)s: %(title)s") % {
            "number": obj.number,
            "title": obj.local_short_title,
        }

    def url_kwargs(self, obj):
        return {"key": obj.key}

    def selected(self, updates, obj):
        tagged = GcmTag.objects.filter(
            objective=obj, recommendation_id=OuterRef("line__recommendation_id")
        )
        return updates.filter(Exists(tagged))
