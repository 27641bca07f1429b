"""The `corredor` command: Django's management commands under the project's own name.

    corredor demo            migrate, load reference and demo data, print logins, serve
    corredor seed_demo       load the synthetic demo population
    corredor import_people   import a shelter's CSV list
    corredor export_person   export one person's complete record (subject access)
    corredor create_user     create a user with a role assignment
    corredor retention       anonymise people whose cases closed beyond the retention period
    corredor custody_sweep   raise the custody-clock alerts now due and deliver the outbox (--every 60 to repeat)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corredor.platform.settings.dev")
    from django.core.management import execute_from_command_line

    from corredor.audit import context

    args = list(sys.argv if argv is None else ["corredor", *argv])
    with context.bind(channel=context.Channel.CLI):
        execute_from_command_line(args)


if __name__ == "__main__":
    main()
