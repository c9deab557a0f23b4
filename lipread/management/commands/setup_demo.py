"""First-start setup for `make run`: the library and a demo learner to log in with."""

from __future__ import annotations

from django.conf import settings
from django.core.management import BaseCommand, call_command, get_commands

from accounts.models import User

DEMO_PASSWORD = "lipread-demo-2024"


class Command(BaseCommand):
    help = "Load the official library (when available) and create the demo learner."

    def handle(self, *args, **options) -> None:
        for command in ("load_library",):
            if command in get_commands():
                call_command(command, verbosity=options["verbosity"])
        user, created = User.objects.get_or_create(
            email=settings.LIPREAD_DEMO_EMAIL,
            defaults={"name": "Demo", "language": "ko", "timezone": "Asia/Seoul"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo learner: {settings.LIPREAD_DEMO_EMAIL} / {DEMO_PASSWORD}"
                + ("" if created else " (already existed)")
            )
        )
