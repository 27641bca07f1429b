import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.platform.commands import acting_user
from corredor.registry.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise people whose every case closed beyond the retention period; the audit trail stays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="evaluate as of this date (YYYY-MM-DD)")
        parser.add_argument("--days", type=int, help="retention period in days (default: setting)")
        parser.add_argument("--enqueue", action="store_true", help="run as a background task instead")
        parser.add_argument("--as", dest="as_user")

    def handle(self, *args: object, **options: object) -> None:
        if options.get("enqueue"):
            from corredor.registry.tasks import retention_run

            result = retention_run.enqueue()
            self.stdout.write(f"Enqueued retention task {result.id}.")
            return
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(str(options["today"]))
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        report = retention_apply(actor=acting_user(options.get("as_user")), today=today,  # type: ignore[arg-type]
                                 retention_days=options.get("days"))  # type: ignore[arg-type]
        self.stdout.write(f"Anonymised {report.anonymised} people (cases closed on or before {report.cutoff}).")
