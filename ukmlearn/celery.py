"""The Celery application: reminders and certificates run here (see README)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ukmlearn.settings")

app = Celery("ukmlearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
