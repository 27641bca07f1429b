from django.core.management.base import BaseCommand

from corredor.reference.services import reference_load


class Command(BaseCommand):
    help = "Load or refresh countries, subdivisions, ports, waiting cities and organisations (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        report = reference_load(actor=None)
        self.stdout.write(f"Reference data: {report}.")
