from django.core.management.base import BaseCommand

from storefront.demo.seed import seed_demo
from storefront.demo.supply import seed_supply_demo


class Command(BaseCommand):
    help = "Load the demo catalog, shipping zones, menus, the program's sample sheets and one demo account per role (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Skip the generated product pictures.")

    def handle(self, *args, no_images=False, verbosity=1, **options):
        # -v0: nothing at all on the terminal (no summary, no progress bar).
        seed_demo(with_images=not no_images, stdout=self.stdout if verbosity else None, verbosity=verbosity)
        counts = seed_supply_demo()
        if verbosity:
            self.stdout.write("Supply-and-demand samples: "
                              + ", ".join(f"{n} {what}" for what, n in counts.items()) + "\n")
