import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hearings.models import Actor
from tracker.accounts.roles import ensure_role_groups
from tracker.models import Profile

DEMO_ACCOUNTS = [
    # username, role, actor keys, superuser
    ("admin", None, [], True),
    ("coordinator", Profile.Role.COORDINATOR, [], False),
    ("focal-civil-society", Profile.Role.FOCAL_POINT, ["civil-society"], False),
    ("viewer", Profile.Role.VIEWER, [], False),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo account per role and print their passwords. "
        "Local use only: refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts are for a laptop only and DEBUG is off: refused. "
                "Create real accounts with `manage.py createsuperuser` and the app's pages."
            )
        actors = {a.key: a for a in Actor.objects.filter(key__in=["civil-society"])}
        if "civil-society" not in actors:
            raise CommandError(
                "Load the report first (`manage.py load_report`): no civil society actor."
            )
        User = get_user_model()
        rows = []
        with transaction.atomic():
            groups = ensure_role_groups()
            for username, role, actor_keys, superuser in DEMO_ACCOUNTS:
                password = secrets.token_urlsafe(9)
                user, _created = User.objects.get_or_create(username=username)
                user.is_staff = True
                user.is_superuser = superuser
                user.is_active = True
                user.email = f"{username}@example.org"
                user.set_password(password)
                user.save()
                profile, _created = Profile.objects.get_or_create(user=user)
                profile.role = role or Profile.Role.COORDINATOR
                profile.save()
                profile.actors.set([actors[key] for key in actor_keys])
                user.groups.set([groups[profile.role]] if not superuser else [])
                label = "administrator" if superuser else profile.get_role_display().lower()
                if actor_keys:
                    label += " for " + ", ".join(actors[k].name for k in actor_keys)
                rows.append((username, password, label))

        self.stdout.write("Demo accounts (passwords are new at every run):")
        for username, password, label in rows:
            self.stdout.write(f"  {username:<20} {password:<14} {label}")
