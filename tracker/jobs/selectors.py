"""Reads of background jobs. A job is its requester's alone: anyone else, coordinators
included, gets a 404, as if it did not exist (README, "Background jobs")."""

from django.shortcuts import get_object_or_404

from .models import Job


def job_for_user(user, job_id: int) -> Job:
    """The job, if `user` requested it; Http404 otherwise (one query)."""
    return get_object_or_404(Job, pk=job_id, requester_id=user.pk)


def recent_jobs(user, kind: str, limit: int = 5) -> list[Job]:
    """The user's latest jobs of one kind whose result is still kept (one query)."""
    jobs = Job.objects.filter(requester_id=user.pk, kind=kind, result_removed_at__isnull=True)
    return list(jobs.only("pk", "title", "state", "created_at").order_by("-created_at")[:limit])
