import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Set up the embedded database with reference and demo data, print the logins, and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--households", type=int, default=300)

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", verbosity=0)
        call_command("load_reference")
        call_command("seed_demo", households=options["households"])
        if options["no_serve"]:
            return
        self.stdout.write(f"\nCorredor is at http://127.0.0.1:{options['port']}/  (API docs: /api/docs)\n")
        # Background jobs (allocation previews, retention) run in a worker beside the web server.
        worker = subprocess.Popen([sys.executable, "-m", "corredor.platform.cli", "db_worker", "--no-reload"])
        # The custody clocks raise their alerts (warning, escalation, breach) once a minute.
        sweeper = subprocess.Popen([sys.executable, "-m", "corredor.platform.cli", "custody_sweep", "--every", "60"],
                                   stdout=subprocess.DEVNULL)
        # Crisis thresholds are checked on the live figures every ten minutes.
        watcher = subprocess.Popen([sys.executable, "-m", "corredor.platform.cli", "crisis_watch", "--every", "600"],
                                   stdout=subprocess.DEVNULL)
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            worker.terminate()
            sweeper.terminate()
            watcher.terminate()
