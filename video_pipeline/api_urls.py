from django.urls import path

from video_pipeline import apis

urlpatterns = [
    path("realtime/ticket", apis.RealtimeTicketApi.as_view(), name="realtime-ticket"),
]
