from django.urls import path

from learning import views

urlpatterns = [
    path("practice/<int:roleplay_id>/", views.practice, name="practice"),
    path("records/", views.record_calendar, name="records"),
    path("records/<int:session_id>/", views.record_detail, name="record"),
    path("review/", views.review_page, name="review"),
]
