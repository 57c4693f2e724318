"""Error pages by door: problem+json under /api/, pages inside the admin's frame under /admin/
(an editor who follows a stale link or a link beyond her rights keeps her menu and a way
back), and Django's plain pages elsewhere."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.defaults import page_not_found, permission_denied

from .rest.errors import not_found as api_not_found


def _in_admin(request: HttpRequest) -> bool:
    return request.path.startswith("/admin/") and request.user.is_authenticated


def _admin_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": title,
        "message": message,
        "status": status,
    }
    return render(request, "chronicle/admin_error.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    if _in_admin(request):
        return _admin_page(
            request,
            404,
            "Page not found",
            "There is nothing at this address. The record may have been deleted, or the link"
            " may be mistyped.",
        )
    return page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _in_admin(request):
        user = request.user
        groups = ", ".join(user.groups.values_list("name", flat=True)) or "no group"
        return _admin_page(
            request,
            403,
            "Not allowed",
            f"Your account ({user.get_username()}, in {groups}) may not open this page."
            " An administrator can give your group the permission if you need it.",
        )
    if not isinstance(exception, PermissionDenied):
        exception = PermissionDenied()
    return permission_denied(request, exception)
