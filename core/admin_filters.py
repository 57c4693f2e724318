"""List filters named for what they filter: Django titles a filter on `actor__kind` by the
last field's name, so a stance list offers "By kind" twice (the stance's and its actor's)."""

from typing import Any

from django.contrib import admin


def kind_of(path: str, title: str) -> tuple[str, type[admin.ChoicesFieldListFilter]]:
    """A filter on a related record's choice field (`actor__kind`), titled `title`."""

    class Titled(admin.ChoicesFieldListFilter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return path, Titled
