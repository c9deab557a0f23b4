from django.apps import AppConfig


class LipreadConfig(AppConfig):
    name = "lipread"
