from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "aqparat.users"
    label = "users"
