from django.apps import AppConfig


class VideoPipelineConfig(AppConfig):
    name = "video_pipeline"
    verbose_name = "Video pipeline"
