import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.platform.commands import acting_user
from corredor.registry.exports import person_export
from corredor.registry.models import Person


class Command(BaseCommand):
    help = "Export one person's complete record as JSON (subject access request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="person number, e.g. P-000123")
        parser.add_argument("--as", dest="as_user", help="act as this user (default: the system)")

    def handle(self, *args: object, **options: str) -> None:
        number = options["person"].upper().removeprefix("P-")
        if not number.isdigit():
            raise CommandError("Give a person number like P-000123.")
        person = Person.objects.filter(pk=int(number)).first()
        if person is None:
            raise CommandError(f"No person {options['person']}.")
        actor = acting_user(options.get("as_user"))
        if actor is not None:
            from corredor.registry.selectors import person_get_visible_to

            person = person_get_visible_to(user=actor, person_id=person.pk)
        self.stdout.write(json.dumps(person_export(actor=actor, person=person), indent=2, ensure_ascii=False))
