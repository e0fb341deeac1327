from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "ukmlearn.users"
    label = "users"
    verbose_name = "Users"
