from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The seed live blog, loaded once: the oracle most tests read."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture(autouse=True)
def _development_transport(settings: Settings) -> None:
    """The test client speaks plain HTTP to uncollected static files, unlike production."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
