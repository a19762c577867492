from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "aqparat.images"
    label = "images"
