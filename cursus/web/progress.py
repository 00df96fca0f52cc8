"""The JSON a long task's page polls: the same fields for every kind of task."""

from typing import Any

from django.http import JsonResponse


def progress_answer(
    *,
    status: str,
    status_text: object,
    done: int,
    total: int,
    percent: int,
    finished: bool,
    url: str,
    **extra: Any,
) -> JsonResponse:
    """Answer a task's progress as ``progress.js`` reads it, with what else the page shows."""
    return JsonResponse(
        {
            "status": status,
            "status_text": str(status_text),
            "done": done,
            "total": total,
            "percent": percent,
            "finished": finished,
            "url": url,
            **extra,
        }
    )
