from django.urls import path

from roleplay import views

urlpatterns = [
    path("", views.home, name="home"),
]
