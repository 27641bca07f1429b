import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.accounts.models import Organisation
from corredor.appointments.imports import legacy_list_import
from corredor.platform.commands import acting_user
from corredor.platform.errors import CorredorError
from corredor.registry.imports import ImportMode


class Command(BaseCommand):
    help = "Import a legacy waiting list (an MPP case list or a metering waitlist); each family keeps its place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=["mpp", "metering"], required=True)
        parser.add_argument("--organisation", required=True, help="organisation code, e.g. UNHCR")
        parser.add_argument("--mode", choices=[m.value for m in ImportMode], default=ImportMode.ALL_OR_NOTHING.value)
        parser.add_argument("--source", default="")
        parser.add_argument("--as", dest="as_user")

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        if not isinstance(path, Path) or not path.is_file():
            raise CommandError(f"No file at {path}.")
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        try:
            result = legacy_list_import(actor=acting_user(options.get("as_user")), content=path.read_bytes(),  # type: ignore[arg-type]
                                        list_kind=str(options["kind"]), mode=str(options["mode"]),
                                        source=str(options["source"]), organisation=organisation)
        except CorredorError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        if not result.committed:
            raise CommandError("Nothing was imported; see the errors above.")
