"""Write official roleplays as a library bundle (the admin export's format) to stdout/file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from roleplay import library_io
from roleplay.models import Roleplay


class Command(BaseCommand):
    help = "Export the official library as one JSON bundle (importable in the admin)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="File to write; stdout when omitted.")

    def handle(self, *args, output: str | None = None, **options) -> None:
        roleplays = (
            Roleplay.objects.official()
            .select_related("category")
            .prefetch_related("roles", "lines__role")
            .order_by("category__order", "key")
        )
        text = json.dumps(library_io.export_bundle(roleplays), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
