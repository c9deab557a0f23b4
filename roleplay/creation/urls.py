from django.urls import path

from roleplay.creation import views
from video_pipeline.views import service_worker

urlpatterns = [
    path("roleplays/new/", views.roleplay_new, name="roleplay-new"),
    path("roleplays/<int:roleplay_id>/derive/", views.roleplay_derive, name="roleplay-derive-page"),
    path("roleplays/<int:roleplay_id>/retry/", views.roleplay_retry, name="roleplay-retry-page"),
    # At the site root so the worker's scope covers every page (Service-Worker-Allowed: /).
    path("sw.js", service_worker, name="service-worker"),
]
