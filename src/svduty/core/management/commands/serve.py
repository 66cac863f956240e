"""`svduty serve`: run the platform with gunicorn (static files via whitenoise) and,
unless ``SVDUTY_TASK_WORKER`` says otherwise, the background task worker beside it
(svduty.core.supervisor)."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from svduty.core.supervisor import Program, Supervisor, TaskWorkerMode


def web_argv(gunicorn: str, host: str, port: int, workers: int) -> list[str]:
    return [
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
    ]


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "svduty.manage", "task_worker", "--no-reload"]


class Command(BaseCommand):
    help = "Serve svduty over HTTP with gunicorn, and run its background tasks."

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
        mode = TaskWorkerMode(settings.TASK_WORKER)
        programs = [
            Program(
                "web server", web_argv(gunicorn, host, port, workers), essential=True
            )
        ]
        if mode == TaskWorkerMode.SERVE:
            programs.append(Program("background task worker", worker_argv()))
            where = "background tasks run in a worker started here"
        elif mode == TaskWorkerMode.SEPARATE:
            where = "background tasks wait for `svduty task_worker`, run separately"
        else:
            where = "background tasks run in the web server as they are started"
        self.stdout.write(
            f"svduty is running at http://{host}:{port}/ ({where}; "
            "press Ctrl+C to stop)"
        )
        sys.exit(Supervisor(programs, say=self.stdout.write).run())
