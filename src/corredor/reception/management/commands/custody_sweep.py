import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.reception.services import alerts_sweep


class Command(BaseCommand):
    help = ("Raise the custody-clock alerts now due (warning, escalation, breach; once each) and deliver the "
            "outbox. With --every, keep doing it (the demo runs it beside the web server; in production run it "
            "from a timer every minute, or use --enqueue to hand it to the task worker).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="seconds between sweeps (0: sweep once)")
        parser.add_argument("--enqueue", action="store_true", help="enqueue one sweep for the task worker")

    def handle(self, *args: object, **options: int) -> None:
        if options["enqueue"]:
            from corredor.reception.tasks import custody_sweep

            result = custody_sweep.enqueue()
            self.stdout.write(f"Enqueued sweep {result.id}.")
            return
        if options["every"] < 0:
            raise CommandError("--every must be 0 (once) or a number of seconds.")
        while True:
            figures = alerts_sweep()
            self.stdout.write(f"Sweep: {figures['raised']} alert(s) raised, {figures['messages']} message(s) "
                              f"queued, {figures['delivered']} delivered.")
            if not options["every"]:
                return
            time.sleep(options["every"])
