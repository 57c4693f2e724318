import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from api_project.environment import env_str
from api_project.roles import editors_group_ensure
from core import tokens

USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Create a local editor login and API token for development, or report the existing "
        "ones. The password comes from EDITOR_PASSWORD, else is generated and kept in var/; "
        "the token is kept in var/ and issued again once it is expired or revoked."
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
        self.stdout.write(f"Editor API token: Authorization: Token {self._token(user)}")

    @staticmethod
    def _token(user: Any) -> str:
        """The token kept in var/ while it still works for this user, else a new one."""
        path = settings.VAR_DIR / "editor_token"
        if path.exists():
            secret = path.read_text().strip()
            try:
                if tokens.authenticate(secret).user_id == user.pk:
                    return secret
            except tokens.TokenRefused:
                pass
        secret = tokens.issue(user, name="make run: local editor").secret
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)  # before the secret is in it
        path.write_text(secret)
        return secret
