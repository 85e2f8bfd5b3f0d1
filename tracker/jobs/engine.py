"""The Tasks API the jobs run on: the django-tasks backport on Django 5.2. From Django 6
on the same names come from django.tasks: this import is the one line to change (and the
"django_tasks" entry of INSTALLED_APPS to drop)."""

from django_tasks import task, task_backends

__all__ = ["task", "task_backends"]
