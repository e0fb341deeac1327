from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "ukmlearn.users"
    label = "users"
    verbose_name = "Users"

    def ready(self):
        from ukmlearn import security  # noqa: F401  (connects the sign-in log receivers)

        from .services import connect_profile_signals

        connect_profile_signals()
