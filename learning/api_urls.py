from django.urls import path

from learning import apis

urlpatterns = [
    path("check", apis.CheckApi.as_view(), name="api-check"),
    path("check/speech", apis.SpeechCheckApi.as_view(), name="api-check-speech"),
    path("sessions", apis.SessionStartApi.as_view(), name="api-session-start"),
    path(
        "sessions/<int:session_id>/attempts",
        apis.AttemptCreateApi.as_view(),
        name="api-attempt-create",
    ),
    path(
        "sessions/<int:session_id>/finish",
        apis.SessionFinishApi.as_view(),
        name="api-session-finish",
    ),
    path("me/stats", apis.MeStatsApi.as_view(), name="api-me-stats"),
    path("me/recent-roleplays", apis.RecentRoleplaysApi.as_view(), name="api-me-recent-roleplays"),
    path("records", apis.RecordMonthApi.as_view(), name="api-record-month"),
    path("records/<int:session_id>", apis.RecordDetailApi.as_view(), name="api-record-detail"),
    path("review/due", apis.ReviewDueApi.as_view(), name="api-review-due"),
    path("review/<int:card_id>/answer", apis.ReviewAnswerApi.as_view(), name="api-review-answer"),
]
