from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """Name nested `SomeApi.InputSerializer` components `SomeApiInput`.

    Every API keeps its serializers nested (one place to read an endpoint), so the
    plain class names repeat; the qualified name is unique.
    """

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        cls = serializer if isinstance(serializer, type) else serializer.__class__
        qualname = cls.__qualname__
        if "." in qualname and "<locals>" not in qualname:
            base = qualname.replace(".", "").removesuffix("Serializer")
            if direction == "request" and self._get_component_split_request_suffix():
                return base + "Request" if name.endswith("Request") else base
            return base
        return name

    def _get_component_split_request_suffix(self) -> bool:
        from drf_spectacular.settings import spectacular_settings

        return bool(spectacular_settings.COMPONENT_SPLIT_REQUEST)
