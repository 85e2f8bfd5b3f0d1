"""The words of the e-mails: a digest and an update request, each as plain text and HTML,
in the recipient's language and time zone, every link on PUBLIC_BASE_URL."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker import links

from . import sending, tokens
from .models import Frequency
from .selectors import DUE, DUE_WITHIN_DAYS, OVERDUE, STALE

DATE_FORMAT = "DATE_FORMAT"
TEMPLATES = "tracker/notifications/email/"


def _date(day) -> str:
    return formats.date_format(day, DATE_FORMAT)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _section_title(section) -> str:
    return {
        OVERDUE: _("Overdue"),
        DUE: _("Due within %(days)d days") % {"days": DUE_WITHIN_DAYS},
        STALE: _("Nothing recorded for %(days)d days") % {"days": settings.STALE_AFTER_DAYS},
    }[section]


def _section_count(section, n) -> str:
    """ "2 overdue", for the subject."""
    if section == OVERDUE:
        return ngettext("%(n)d overdue", "%(n)d overdue", n) % {"n": n}
    if section == DUE:
        return ngettext("%(n)d due soon", "%(n)d due soon", n) % {"n": n}
    return ngettext("%(n)d without news", "%(n)d without news", n) % {"n": n}


def _line_detail(section, line, today) -> str:
    if section in (OVERDUE, DUE):
        days = (line.target_date - today).days
        values = {"date": _date(line.target_date), "n": abs(days)}
        if days < 0:
            return (
                ngettext(
                    "target date %(date)s, %(n)d day ago",
                    "target date %(date)s, %(n)d days ago",
                    -days,
                )
                % values
            )
        if days == 0:
            return _("target date today, %(date)s") % values
        return (
            ngettext(
                "target date %(date)s, in %(n)d day", "target date %(date)s, in %(n)d days", days
            )
            % values
        )
    if line.last_recorded_at is None:
        return _("nothing recorded yet")
    recorded = timezone.localdate(line.last_recorded_at)
    return _("last update recorded on %(date)s") % {"date": _date(recorded)}


def _line_links(line) -> dict:
    return {
        "update_url": links.absolute_url(reverse("line-update", args=[line.pk])),
        "page_url": links.absolute_url(
            reverse("recommendation", args=[line.code]) + f"#line-{line.pk}"
        ),
    }


def _render(name, context):
    text = render_to_string(f"{TEMPLATES}{name}.txt", context)
    html = render_to_string(f"{TEMPLATES}{name}.html", context)
    return text, html


def digest_subject(digest) -> str:
    """ "Your follow-up lines as of 1 March 2027: 2 overdue, 1 due soon"."""
    with sending.recipients_locale(digest.recipient):
        summary = ", ".join(_section_count(k, s.total) for k, s in digest.sections.items())
        return sending.one_line(
            _("Your follow-up lines as of %(date)s: %(summary)s")
            % {"date": _date(digest.today), "summary": summary}
        )


def update_request_subject(line, recipient) -> str:
    with sending.recipients_locale(recipient):
        return sending.one_line(
            _("Update requested: %(code)s, %(actor)s")
            % {"code": line.recommendation.code, "actor": line.actor.local_name}
        )


def digest_message(digest):
    """The digest e-mail, with the RFC 8058 one-click unsubscribe headers."""
    user = digest.recipient
    with sending.recipients_locale(user):
        mine = reverse("recommendations") + "?mine=on"
        sections = [
            {
                "title": _section_title(key),
                "total": listed.total,
                "more": listed.more,
                "more_url": links.absolute_url(mine + ("&overdue=on" if key == OVERDUE else "")),
                "lines": [
                    {
                        "line": line,
                        "detail": _line_detail(key, line, digest.today),
                        **_line_links(line),
                    }
                    for line in listed.shown
                ],
            }
            for key, listed in digest.sections.items()
        ]
        unsubscribe_url = tokens.unsubscribe_url(user)
        context = {
            "name": _name(user),
            "today": _date(digest.today),
            "sections": sections,
            "actors": [actor.local_name for actor in user.profile.actors.all()],
            "weekly": digest.frequency == Frequency.WEEKLY,
            "preferences_url": links.absolute_url(reverse("preferences")),
            "unsubscribe_url": unsubscribe_url,
        }
        text, html = _render("digest", context)
    return sending.email_message(
        recipient=user,
        subject=digest_subject(digest),
        text=text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def update_request_message(request, recipient):
    """The e-mail asking one focal point for an update on a line."""
    line = request.line
    rec = line.recommendation
    with sending.recipients_locale(recipient):
        context = {
            "name": _name(recipient),
            "coordinator": _name(request.requested_by),
            "when": formats.date_format(
                timezone.localtime(request.requested_at), "DATETIME_FORMAT"
            ),
            "code": rec.code,
            "title": rec.local_title,
            "actor": line.actor.local_name,
            "status": line.get_status_display(),
            "status_since": _date(line.status_since) if line.status_since else "",
            "target_date": _date(line.target_date) if line.target_date else "",
            "update_url": links.absolute_url(reverse("line-update", args=[line.pk])),
            "page_url": links.absolute_url(
                reverse("recommendation", args=[rec.code]) + f"#line-{line.pk}"
            ),
        }
        text, html = _render("update_request", context)
    subject = update_request_subject(line, recipient)
    return sending.email_message(recipient=recipient, subject=subject, text=text, html=html)
