"""API tokens for tests: the one place a test gets an editor's or a reader's secret."""

from django.contrib.auth.models import User

from core import tokens


def token_for(user: User) -> str:
    """A new token for `user`, as the client sends it after `Authorization: Token `."""
    return tokens.issue(user, name="test").secret
