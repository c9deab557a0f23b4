from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
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
    # Swagger UI sets inline styles; only this page may, everything else keeps style-src 'self'.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
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
