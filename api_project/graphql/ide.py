"""GraphiQL at /graphql/, served from Chronicle's own static files.

Strawberry's page loads React, GraphiQL and the explorer plugin from a CDN and starts them with
an inline script: offline, or under a Content-Security-Policy without remote hosts and inline
scripts, it never leaves "Loading…". This page loads the same packages, at the same versions
(pinned by api_project/graphiql/package-lock.json, copied by `make graphiql-assets`), from
`static/graphiql/`, and starts them from a static script, so the page passes the site's policy.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

TEMPLATE = "chronicle/graphiql.html"


def render_graphiql(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATE)
