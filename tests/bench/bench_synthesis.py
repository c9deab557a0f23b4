"""Plain benchmark (not collected by pytest): ``python tests/bench/bench_synthesis.py [N] [SIZE]``.

Runs the same code as ``manage.py bench_synthesis`` and prints its table.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lipread.settings")

if __name__ == "__main__":
    import django
    from django.core.management import call_command

    django.setup()
    lines = sys.argv[1] if len(sys.argv) > 1 else "12"
    size = sys.argv[2] if len(sys.argv) > 2 else "512"
    call_command("bench_synthesis", "--lines", lines, "--size", size)
