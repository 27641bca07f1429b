from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from corredor.registry.demo import DEMO_PASSWORD, DEMO_USERS, demo_population_create, demo_users_create
from corredor.registry.models import Person


class Command(BaseCommand):
    help = "Create one demo user per role and a synthetic population (refuses to run unless DEBUG is on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: object, **options: int) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo uses a published password; it runs only with DEBUG on.")
        users = demo_users_create()
        if Person.objects.exists():
            self.stdout.write("People already registered; demo population left as it is.")
        else:
            n = demo_population_create(households=options["households"], seed=options["seed"], users=users)
            self.stdout.write(f"Registered {n} synthetic people in {options['households']} households.")
            from corredor.appointments.demo import demo_waiting_list_create

            figures = demo_waiting_list_create(users=users, seed=options["seed"])
            self.stdout.write(f"Waiting list: {figures.get('published', 0)} appointments published.")
            from corredor.reception.demo import demo_reception_create

            figures = demo_reception_create(users=users, seed=options["seed"])
            self.stdout.write(f"Reception: {figures.get('past_releases', 0)} past releases, "
                              f"{figures.get('placed', 0)} child placed with ORR, people in custody on the board.")
            from corredor.pathways.demo import demo_pathways_create

            demo_pathways_create(users=users)
            self.stdout.write("Pathways: a family in San Pedro Sula to screen, with a CAM application under way.")
            from corredor.planning.demo import demo_planning_create

            figures = demo_planning_create(users=users)
            self.stdout.write(f"Planning: the baseline, a 50% surge and the surge processed at the ports simulated; "
                              f"{figures.get('alerts', 0)} "
                              "crisis alert(s) on the live figures.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<12} {spec.role.value:<16} {spec.organisation}"
                              + (f" (site {spec.site})" if spec.site else ""))
