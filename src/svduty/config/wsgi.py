import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.settings")
application = get_wsgi_application()


def _warm() -> None:
    # The first SNA report of a worker would otherwise start the chart renderer and
    # load Typst's fonts while its user waits (issue 15 point 3).
    try:
        from svduty.analysis.report import warm_renderers

        warm_renderers()
    except Exception:  # a warm-up never stops a worker from serving
        logging.getLogger(__name__).exception("Warming the report renderers failed")
    # And its first dashboard views would each open the snapshot's database and
    # work out its months, areas and Gi* weights (issue 15 point 2).
    from django.db import connection

    try:
        from svduty.analysis.dashboard import warm_process

        warm_process()
    except Exception:
        logging.getLogger(__name__).exception("Warming the dashboard failed")
    finally:
        connection.close()  # this thread's own connection


if os.environ.get("SVDUTY_WARM_RENDERERS", "true").lower() not in ("0", "false", "no"):
    threading.Thread(target=_warm, name="warm-renderers", daemon=True).start()
