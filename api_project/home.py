"""`/`: what Chronicle is and where its interfaces are, as a page that needs no JavaScript."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "chronicle/home.html")
