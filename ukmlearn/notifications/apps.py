from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ukmlearn.notifications"
    label = "notifications"
    verbose_name = "Notifications"
