from django.urls import URLPattern, URLResolver, path

from aqparat.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search_page, name="search"),
]
