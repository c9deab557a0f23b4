"""Load (or refresh) the official library from roleplay/library/ — safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lipread.api.exceptions import ApplicationError
from roleplay import library_io, services


class Command(BaseCommand):
    help = (
        "Create or update official categories and roleplays from the library JSON files. "
        "Idempotent: unchanged roleplays keep their rendered videos; official roleplays "
        "missing from the files are kept and listed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            default=str(library_io.DEFAULT_DIRECTORY),
            help="Library directory holding categories.json and roleplays/<slug>.json.",
        )

    def handle(self, *args, directory: str, **options) -> None:
        try:
            report = services.library_load(directory=directory)
        except ApplicationError as error:
            raise CommandError(f"{error.message} {error.extra.get('fields', {})}") from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
