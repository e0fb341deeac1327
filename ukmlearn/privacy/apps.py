from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ukmlearn.privacy"
    label = "privacy"
    verbose_name = "Privacy (UU PDP)"
