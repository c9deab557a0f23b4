from django.apps import AppConfig


class VideoPipelineConfig(AppConfig):
    name = "video_pipeline"
    verbose_name = "Video pipeline"

    def ready(self) -> None:
        from video_pipeline import signals  # noqa: F401  (connects the start-up receiver)
