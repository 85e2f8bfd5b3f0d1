"""Who may download and who may withdraw an evidence file: the one place each rule lives.

Downloading: anyone logged in who may see the file's status update; today every staff
role sees every line. The public site (to come) extends `can_download` here, for files of
published updates; nothing else decides it.
"""

from tracker.permissions import is_coordinator, role_of


def can_download(user, evidence_file) -> bool:
    """A logged-in, active staff user; never an anonymous visitor."""
    return role_of(user) is not None


def can_withdraw(user, evidence_file=None) -> bool:
    """Coordinators (and administrators) withdraw files."""
    return is_coordinator(user)
