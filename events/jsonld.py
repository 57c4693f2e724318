"""An event as schema.org JSON-LD: a LiveBlogPosting whose updates are its entries."""

from typing import Any

from django.urls import reverse
from rest_framework.request import Request

from api_project.rest.renderers import ORJSONRenderer

from .models import Entry, Event


def _text(description: str = "") -> dict[str, Any]:
    return {"type": "string", **({"description": description} if description else {})}


def _typed(name: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"@type": _text(f"Always `{name}`."), **properties},
        "required": ["@type", *required],
    }


_INSTANT = {"type": "string", "format": "date-time"}

# The document `event_jsonld` writes, for the OpenAPI description of `application/ld+json`.
LIVE_BLOG_POSTING: dict[str, Any] = _typed(
    "LiveBlogPosting",
    {
        "@context": _text("Always `https://schema.org`."),
        "@id": _text("The event's URL in this API."),
        "url": _text("The live blog's canonical URL."),
        "headline": _text(),
        "description": _text("The standfirst."),
        "articleBody": _text("The summary."),
        "inLanguage": _text(),
        "coverageStartTime": _INSTANT,
        "coverageEndTime": _INSTANT,
        "about": _typed(
            "Event",
            {
                "name": _text(),
                "startDate": _INSTANT,
                "location": _typed("Place", {"name": _text()}, ["name"]),
            },
            ["name", "startDate", "location"],
        ),
        "publisher": _typed("Organization", {"name": _text(), "url": _text()}, ["name"]),
        "liveBlogUpdate": {
            "type": "array",
            "description": "The entries, newest first.",
            "items": _typed(
                "BlogPosting",
                {
                    "@id": _text(),
                    "headline": _text(),
                    "datePublished": _INSTANT,
                    "dateModified": _INSTANT,
                    "articleBody": _text(),
                },
                ["@id", "headline", "datePublished", "dateModified", "articleBody"],
            ),
        },
    },
    [
        "@context",
        "@id",
        "url",
        "headline",
        "description",
        "articleBody",
        "inLanguage",
        "coverageStartTime",
        "about",
        "liveBlogUpdate",
    ],
)


class JSONLDRenderer(ORJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
    openapi_component = ("LiveBlogPosting", LIVE_BLOG_POSTING)


def _headline(entry: Entry) -> str:
    if entry.headline:
        return entry.headline
    first = entry.body.split("\n\n", 1)[0].removeprefix("## ")
    return first if len(first) <= 110 else first[:109].rstrip() + "…"


def event_jsonld(event: Event, request: Request) -> dict[str, Any]:
    api_url = request.build_absolute_uri(reverse("event-detail", args=[event.slug]))
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": api_url,
        "url": event.url or api_url,
        "headline": event.title,
        "description": event.standfirst,
        "articleBody": event.summary,
        "inLanguage": event.language,
        "coverageStartTime": event.starts_at.isoformat(),
        "about": {
            "@type": "Event",
            "name": event.title,
            "startDate": event.starts_at.isoformat(),
            "location": {"@type": "Place", "name": event.location},
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{api_url}#entry-{entry.pk}",
                "headline": _headline(entry),
                "datePublished": entry.published_at.isoformat(),
                "dateModified": entry.updated_at.isoformat(),
                "articleBody": entry.body,
            }
            for entry in event.entries.order_by("-published_at", "-id")
        ],
    }
    if event.ends_at:
        document["coverageEndTime"] = event.ends_at.isoformat()
    if event.publisher:
        document["publisher"] = {"@type": "Organization", "name": event.publisher.name}
        if event.publisher.url:
            document["publisher"]["url"] = event.publisher.url
    return document
