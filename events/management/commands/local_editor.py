import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from api_project.environment import env_str
from api_project.roles import editors_group_ensure

USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Create a local editor login for development, or report the existing one. "
        "The password comes from EDITOR_PASSWORD, else is generated and kept in var/."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        group = editors_group_ensure()
        password_file = settings.VAR_DIR / "editor_password"
        user_model = get_user_model()
        user = user_model.objects.filter(username=USERNAME).first()
        if user is None:
            password = env_str("EDITOR_PASSWORD") or secrets.token_urlsafe(12)
            user = user_model.objects.create_user(USERNAME, password=password, is_staff=True)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
        user.groups.add(group)
        known = password_file.read_text().strip() if password_file.exists() else "(set elsewhere)"
        self.stdout.write(f"Editor login: {USERNAME} / {known}")
