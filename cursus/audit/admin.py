"""The back office shows pursuits, institution audit runs and their snapshots, read only.

Pursuits change through the learner's and staff's pages (which log them), runs and
snapshots only through the whole-institution audit task.
"""

from django.contrib import admin

from cursus.audit.models import AuditRun, AuditSnapshot, Pursuit
from cursus.core.admin import ReadOnlyAdmin


@admin.register(Pursuit)
class PursuitAdmin(ReadOnlyAdmin):
    list_display = ("learner", "diploma_code", "started_on", "created_at")
    search_fields = ("learner__number", "learner__last_name", "diploma_code")
    list_select_related = ("learner",)


@admin.register(AuditRun)
class AuditRunAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "status",
        "requested_by",
        "requested_at",
        "finished_at",
        "learners_done",
        "learners_total",
        "audits",
    )
    list_filter = ("status",)
    list_select_related = ("requested_by",)


@admin.register(AuditSnapshot)
class AuditSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("run", "learner", "diploma", "pursued", "satisfied", "remaining_ects")
    list_filter = ("satisfied", "pursued")
    search_fields = ("learner__number", "diploma__code")
    list_select_related = ("run", "learner", "diploma")
    raw_id_fields = ("run", "learner", "diploma")
