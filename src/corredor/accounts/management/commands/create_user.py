import datetime as dt
import getpass
import os

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from corredor.accounts import services
from corredor.accounts.models import Organisation
from corredor.platform.authz import Role
from corredor.platform.commands import acting_user
from corredor.platform.errors import CorredorError
from corredor.reference.models import Place


class Command(BaseCommand):
    help = "Create a user with one role assignment. The password comes from CORREDOR_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="organisation code, e.g. UNHCR")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--site", help="place code limiting the role to one site, e.g. poe-san-ysidro")
        parser.add_argument("--expires", help="expiry date of the role, YYYY-MM-DD")
        parser.add_argument("--staff", action="store_true", help="may open the admin (administrators)")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the system)")

    def handle(self, *args: object, **options: str) -> None:
        org = Organisation.objects.filter(code=options["organisation"]).first()
        if org is None:
            raise CommandError(f"No organisation {options['organisation']!r}; run load_reference first.")
        site = None
        if options.get("site"):
            site = Place.objects.filter(code=options["site"]).first()
            if site is None:
                raise CommandError(f"No place {options['site']!r}.")
        expires = None
        if options.get("expires"):
            try:
                expires = dt.datetime.combine(dt.date.fromisoformat(options["expires"]), dt.time(),
                                              tzinfo=dt.UTC)
            except ValueError as exc:
                raise CommandError("--expires must be YYYY-MM-DD") from exc
        password = os.environ.get("CORREDOR_PASSWORD") or getpass.getpass("Password: ")
        actor = acting_user(options.get("as_user"))
        try:
            with transaction.atomic():
                user = services.user_create(actor=actor, username=options["username"], password=password,
                                            organisation=org)
                if options.get("staff"):
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                services.role_assign(actor=actor, user=user, role=Role(options["role"]), organisation=org,
                                     site_id=site.pk if site else None, expires_at=expires)
        except CorredorError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {user.username} ({options['role']} at {org.code}).")
