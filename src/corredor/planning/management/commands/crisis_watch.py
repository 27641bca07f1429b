import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.planning.services import crisis_watch


class Command(BaseCommand):
    help = ("Evaluate the crisis thresholds on the live platform's daily figures (arrivals against port capacity, "
            "custody past the limit, bed occupancy) and raise an alert for coordinators at each new crossing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="seconds between checks (0: check once)")

    def handle(self, *args: object, **options: int) -> None:
        if options["every"] < 0:
            raise CommandError("--every must be 0 (once) or a number of seconds.")
        while True:
            raised = crisis_watch()
            self.stdout.write(f"Crisis watch: {len(raised)} new alert(s).")
            if not options["every"]:
                return
            time.sleep(options["every"])
