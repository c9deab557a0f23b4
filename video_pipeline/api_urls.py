from django.urls import path

from video_pipeline import apis

urlpatterns = [
    path("realtime/ticket", apis.RealtimeTicketApi.as_view(), name="realtime-ticket"),
    path("devices", apis.PushDeviceApi.as_view(), name="push-devices"),
    path("devices/vapid-public-key", apis.VapidPublicKeyApi.as_view(), name="vapid-public-key"),
]
