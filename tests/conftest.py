from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from rest_framework.test import APIClient

from api_project.roles import editors_group_ensure

from .tokens import token_for


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The seed live blog, loaded once: the oracle most tests read."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture(autouse=True, scope="session")
def _development_transport() -> None:
    """The test client and live server speak plain HTTP and serve uncollected static files,
    unlike production. Session-wide, so the live server's middleware sees it too."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    storages._storages = {}  # type: ignore[attr-defined]  # forget the production storage
    storages.__dict__.pop("backends", None)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Fixtures create users with passwords; PBKDF2's million rounds cost half a second a
    user on a shared CI core. Tests check who may do what, not the hash's strength."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(autouse=True, scope="session")
def _close_pools(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Live-server threads leave pooled connections open; close them before the test
    database is dropped."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            with connection.cursor() as cursor:  # servers started by tests may hold a session
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close_pool()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Throttle counters live in the cache; each test starts with none spent."""
    cache.clear()


def _token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def editor(db: None) -> User:
    user = User.objects.create_user("curator", password="unused-password-1", is_staff=True)
    user.groups.add(editors_group_ensure())
    return user


@pytest.fixture
def desk(editor: User) -> Client:
    """The editor logged in to the admin."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def editor_api(editor: User) -> APIClient:
    """An editor's script: token authentication, the editors group's permissions."""
    return _token_client(editor)


@pytest.fixture
def reader_api(db: None) -> APIClient:
    """Authenticated, but without any model permission."""
    return _token_client(User.objects.create_user("reader", password="unused-password-1"))


@pytest.fixture
def api() -> APIClient:
    """An anonymous client."""
    return APIClient()
