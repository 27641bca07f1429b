import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.accounts import services
from corredor.accounts.models import User
from corredor.platform.authz import Permission
from corredor.platform.commands import acting_user
from corredor.platform.errors import CorredorError


class Command(BaseCommand):
    help = "Issue an API token for an integration. The token is printed once; only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the user the integration acts as")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'shelter-sync'")
        parser.add_argument("--scope", action="append", required=True, choices=[p.value for p in Permission],
                            help="a permission the token may use (repeat); never more than the user holds")
        parser.add_argument("--expires", help="YYYY-MM-DD")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the system)")

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        expires = None
        if options.get("expires"):
            try:
                expires = dt.datetime.combine(dt.date.fromisoformat(str(options["expires"])), dt.time(), tzinfo=dt.UTC)
            except ValueError as exc:
                raise CommandError("--expires must be YYYY-MM-DD") from exc
        try:
            token, raw = services.api_token_issue(actor=acting_user(options.get("as_user")), user=user,  # type: ignore[arg-type]
                                                  name=str(options["name"]), scopes=list(options["scope"]),  # type: ignore[call-overload]
                                                  expires_at=expires)
        except CorredorError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Token {token.name} ({token.prefix}…) for {user.username}: {raw}")
        self.stdout.write("Send it as 'Authorization: Bearer <token>'. It is not shown again.")
