"""`manage.py api_token USER --name NAME`: make a personal API token for a script and
print it (once: only its SHA-256 is kept). Audited, as on the preferences page."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.api import services
from tracker.api.models import Scope


class Command(BaseCommand):
    help = "Make a personal API token for USER and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("user", help="The user name the token acts as.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--scope", choices=Scope.values, default=Scope.READ, help="read (default) or read-write"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=services.DEFAULT_EXPIRY_DAYS,
            help=f"Days until it expires, 1 to {services.MAX_EXPIRY_DAYS} "
            f"(default {services.DEFAULT_EXPIRY_DAYS}).",
        )

    def handle(self, *args, user, name, scope, days, **options):
        account = get_user_model().objects.filter(username__iexact=user).first()
        if account is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            token, plain = services.token_create(user=account, name=name, scope=scope, days=days)
        except PermissionDenied as exc:
            raise CommandError(f"{account.username}'s account is deactivated.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(plain)
        self.stderr.write(
            f"Token {token.prefix}… “{token.name}” for {account.username}, {token.scope}, "
            f"expires {token.expires_at:%Y-%m-%d}. It is not shown again."
        )
