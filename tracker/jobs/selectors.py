"""Reads of background jobs. A job is its requester's alone: anyone else, coordinators
included, gets a 404, as if it did not exist (README, "Background jobs")."""

from django.shortcuts import get_object_or_404

from .models import Job


def job_for_user(user, job_id: int) -> Job:
    """The job, if `user` requested it; Http404 otherwise (one query)."""
    return get_object_or_404(Job, pk=job_id, requester_id=user.pk)
