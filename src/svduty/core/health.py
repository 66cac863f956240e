"""`/healthz` for monitoring: the process is up, the database answers, and no
background task has waited too long to start."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .background import stuck_task_count


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure makes the service unhealthy
        database = "unavailable"
    status = 200 if database == "ok" else 503
    body: dict[str, object] = {
        "status": "ok" if status == 200 else "error",
        "database": database,
    }
    if database == "ok":
        # Waiting tasks mean no worker is running: the service answers but its
        # background work (imports, reminders) is not being done.
        stuck = stuck_task_count()
        body["tasks_stuck"] = stuck
        if stuck:
            body["status"] = "degraded"
    return JsonResponse(body, status=status)
