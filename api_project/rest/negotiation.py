"""Content negotiation where `?format=` always wins over `Accept`.

A spreadsheet or a `curl` with a default `Accept: application/json` asking `?format=csv` means
CSV: DRF's default intersects the two and answers 406. Here the parameter decides alone; a
format or media type the view does not have is a 406 problem+json naming those it has.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


def _offered(renderers: Sequence[BaseRenderer]) -> str:
    return ", ".join(
        f"{renderer.format} ({renderer.media_type})" for renderer in renderers if renderer.format
    )


class FormatFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        param = self.settings.URL_FORMAT_OVERRIDE
        wanted = format_suffix or (request.query_params.get(param) if param else None)
        if wanted:
            for renderer in renderers:
                if renderer.format == wanted:
                    return renderer, renderer.media_type
            raise NotAcceptable(
                {param or "format": [f"Unknown format {wanted!r}. Use: {_offered(renderers)}."]}
            )
        try:
            chosen: tuple[BaseRenderer, str] = super().select_renderer(
                request, renderers, format_suffix
            )
        except NotAcceptable:
            raise NotAcceptable(
                {"Accept": [f"No acceptable media type here. Use: {_offered(renderers)}."]}
            ) from None
        return chosen
