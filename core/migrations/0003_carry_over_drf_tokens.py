"""Tokens issued before, by DRF's `rest_framework.authtoken` (its table kept each key in plain
text), carried over: each key's digest becomes an AccessToken, so scripts keep working, and the
plain keys are deleted. They expire TOKEN_TTL after this migration runs, as a token issued now
would. A database that never had DRF's table (a new one) has nothing to carry over."""

import hashlib

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

PREFIX_LENGTH = 8  # core/tokens.py's, as of this migration


def carry_over(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('authtoken_token') IS NOT NULL")
        (present,) = cursor.fetchone()
        if not present:
            return
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
        access_token = apps.get_model("core", "AccessToken")
        now = timezone.now()
        expires_at = None if settings.TOKEN_TTL is None else now + settings.TOKEN_TTL
        access_token.objects.bulk_create(
            access_token(
                prefix=key[:PREFIX_LENGTH],
                digest=hashlib.sha256(key.encode()).hexdigest(),
                user_id=user_id,
                name="carried over from DRF's tokens",
                created_at=min(created, now),
                expires_at=expires_at,
            )
            for key, user_id, created in rows
        )
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_token")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop, elidable=True)]
