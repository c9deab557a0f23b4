"""Render the official library's videos: queue them for the workers, or --sync here."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from roleplay.models import Roleplay
from video_pipeline import services


class Command(BaseCommand):
    help = "Render every official roleplay line that lacks current video assets."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Render in this process instead of queueing for workers.",
        )
        parser.add_argument("--limit", type=int, default=None, help="At most this many roleplays.")

    def handle(self, *args, sync: bool = False, limit: int | None = None, **options) -> None:
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if not sync:
            ids = services.official_render_pending(limit=limit)
            self.stdout.write(f"Queued {len(ids)} official roleplay(s) for rendering.")
            return
        ids = services.official_pending_ids(limit=limit)
        failed = 0
        for roleplay in Roleplay.objects.filter(pk__in=ids).order_by("id"):
            job = services.job_run_inline(roleplay=roleplay)
            state = job.status if job else "skipped"
            failed += state == "failed"
            self.stdout.write(f"{roleplay.pk} {roleplay.title}: {state}")
        self.stdout.write(f"Rendered {len(ids) - failed} of {len(ids)} roleplay(s).")
        if failed:
            raise CommandError(f"{failed} roleplay(s) failed; see the job errors in the admin.")
