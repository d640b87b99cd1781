"""Admin for the background task queue: Admin PMD sees queued, running and failed tasks, and runs a
failed one again.

django-tasks-db's own admin shows the rows read-only and to every staff member with the view
permission; this one replaces it to add the action "Jalankan lagi", allowed only to holders of the
change permission (Admin PMD, superusers: catalogue migration 0011). Nothing is ever edited by hand.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


def run_again(queryset: QuerySet[DBTaskResult]) -> int:
    """Put failed tasks back in the queue, to run as soon as a worker is free; return how many.

    Conditional on the status, so a double click (or two officers) queues each task once."""
    return queryset.filter(status="FAILED").update(
        status="READY",
        run_after=get_date_max(),
        enqueued_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "status", "enqueued_at", "started_at", "finished_at", "attempts", "id")
    list_filter = ("status", "queue_name")
    search_fields = ("task_path",)
    actions = ["run_again"]

    @admin.display(description=_("percobaan"))
    def attempts(self, obj: DBTaskResult) -> int:
        return len(obj.worker_ids)

    def has_view_permission(self, request: HttpRequest, obj: DBTaskResult | None = None) -> bool:
        return request.user.has_perm("django_tasks_database.view_dbtaskresult")

    def has_run_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description=_("Jalankan lagi tugas yang gagal"), permissions=["run_again"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        queued = run_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d tugas gagal masuk antrean lagi.",
                "%(count)d tugas gagal masuk antrean lagi.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS if queued else messages.WARNING,
        )
