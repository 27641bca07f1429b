import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.accounts.models import Organisation
from corredor.platform.commands import acting_user
from corredor.platform.errors import CorredorError
from corredor.registry.imports import ImportMode, people_import_csv


class Command(BaseCommand):
    help = "Import people and families from a CSV list (row errors reported; same list twice: no duplicates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mode", choices=[m.value for m in ImportMode], default=ImportMode.ALL_OR_NOTHING.value)
        parser.add_argument("--source", default="", help="name of the list (default: the organisation code)")
        parser.add_argument("--organisation", help="organisation code the people are registered for")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the system)")

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        actor = acting_user(options.get("as_user"))  # type: ignore[arg-type]
        org = None
        if options.get("organisation"):
            org = Organisation.objects.filter(code=options["organisation"]).first()
            if org is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        elif actor is None:
            raise CommandError("Give --organisation (or --as a user whose organisation is used).")
        try:
            result = people_import_csv(actor=actor, content=path.read_bytes(), mode=str(options["mode"]),
                                       source=str(options["source"]), organisation=org)
        except CorredorError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        if not result.committed:
            raise CommandError("Nothing was imported; see the errors above.")
