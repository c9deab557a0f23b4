from django.urls import path

from roleplay.creation import apis
from video_pipeline.sse import RoleplayEventsApi

# `<str:...>`: a non-numeric id still reaches the view and answers a JSON 404.
urlpatterns = [
    path("roleplays", apis.RoleplayCreateApi.as_view(), name="roleplay-create"),
    path(
        "roleplays/<str:roleplay_id>/derive",
        apis.RoleplayDeriveApi.as_view(),
        name="roleplay-derive",
    ),
    path(
        "roleplays/<str:roleplay_id>/retry", apis.RoleplayRetryApi.as_view(), name="roleplay-retry"
    ),
    path("roleplays/<str:roleplay_id>/events", RoleplayEventsApi.as_view(), name="roleplay-events"),
]
