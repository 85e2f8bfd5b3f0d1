"""Who may download and who may withdraw an evidence file: the one place each rule lives.

Downloading: anyone logged in who may see the file's status update; today every staff
role sees every line. Visitors of the public site download through a route of its own
(tracker.public.views.evidence_download), for files of published notes on public lines
only, by tracker.publication.visibility's rule: this package sits beside publication and
imports neither it nor the public site.
"""

from tracker.permissions import is_coordinator, role_of


def can_download(user, evidence_file) -> bool:
    """A logged-in, active staff user; never an anonymous visitor."""
    return role_of(user) is not None


def can_withdraw(user, evidence_file=None) -> bool:
    """Coordinators (and administrators) withdraw files."""
    return is_coordinator(user)
