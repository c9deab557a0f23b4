from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lipread import views

api_patterns = [
    path("", include("accounts.api_urls")),
    path("", include("video_pipeline.api_urls")),
    path("", include("roleplay.creation.api_urls")),
    path("", include("roleplay.api_urls")),
    path("", include("learning.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("accounts/", include("accounts.urls")),
    path("", include("roleplay.creation.urls")),
    path("", include("learning.urls")),
    path("", include("roleplay.urls")),
]
