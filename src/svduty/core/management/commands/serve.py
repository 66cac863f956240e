"""`svduty serve`: run the platform with gunicorn (static files via whitenoise)."""

import os
import shutil
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve svduty over HTTP with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default=os.environ.get("SVDUTY_HOST", "127.0.0.1")
        )
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("SVDUTY_PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("SVDUTY_WORKERS", "2"))
        )

    def handle(self, *args, host, port, workers, **options):
        gunicorn = shutil.which(
            "gunicorn", path=os.path.dirname(sys.executable)
        ) or shutil.which("gunicorn")
        if gunicorn is None:
            self.stderr.write("gunicorn is not installed in this environment.")
            sys.exit(1)
        self.stdout.write(
            f"svduty is running at http://{host}:{port}/ (press Ctrl+C to stop)"
        )
        # Replace this process with gunicorn (fixed arguments, no shell involved).
        os.execv(  # noqa: S606
            gunicorn,
            [
                gunicorn,
                "svduty.config.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
        )
