"""The names of other packages' models the audit log shows (its "Kind of object" filter,
each change's kind), for our catalogue to carry in the six languages: django-axes
translates them into Arabic, French and Russian only. Marked here, never called:
makemessages extracts them, and the models' own gettext_lazy finds them in locale/."""

from django.utils.translation import gettext_noop

THIRD_PARTY_MODEL_NAMES = [
    gettext_noop("access attempt"),  # axes.AccessAttempt: logins of names with no account
    gettext_noop("access attempts"),
]
