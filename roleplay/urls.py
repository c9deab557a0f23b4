from django.urls import path

from roleplay import media, views

urlpatterns = [
    path("", views.home, name="home"),
    path("roleplays/mine/", views.roleplay_mine, name="my-roleplays"),
    path("roleplays/<int:roleplay_id>/", views.roleplay_detail, name="roleplay-page"),
    path("roleplays/<int:roleplay_id>/delete/", views.roleplay_delete, name="roleplay-delete-page"),
    path("media/<path:path>", media.serve_line_media, name="media"),
]
