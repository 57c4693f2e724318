"""manage.py token issue|revoke|list: API tokens from the command line (the admin has the same
under "API tokens"). The secret is printed once, by `issue`, and kept nowhere."""

from datetime import timedelta
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api_project.environment import duration
from core import tokens
from core.models import AccessToken


class Command(BaseCommand):
    help = "Issue, revoke or list API tokens (Authorization: Token …)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="Issue a token and print its secret, once.")
        issue.add_argument("username")
        issue.add_argument("--name", default="", help="What the token is for.")
        issue.add_argument(
            "--ttl",
            help="Lifetime: seconds, or 90d, 12h, 30m; none for never (default: TOKEN_TTL).",
        )
        revoke = actions.add_parser("revoke", help="Revoke tokens by prefix, or a user's all.")
        revoke.add_argument("prefixes", nargs="*", metavar="PREFIX")
        revoke.add_argument("--user", help="Revoke every token of this user.")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "issue":
            self._issue(options["username"], options["name"], options["ttl"])
        elif action == "revoke":
            self._revoke(options["prefixes"], options["user"])
        else:
            self._list(options["user"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _issue(self, username: str, name: str, ttl: str | None) -> None:
        lifetime: timedelta | Literal["TOKEN_TTL"] | None = "TOKEN_TTL"
        if ttl is not None:
            try:
                lifetime = duration(ttl)
            except ValueError as error:
                raise CommandError(f"--ttl: {error}.") from None
        issued = tokens.issue(self._user(username), name=name, ttl=lifetime)
        expires = issued.token.expires_at
        self.stderr.write(
            f"Token {issued.token.prefix}… for {username}, "
            f"{'never expires' if expires is None else f'expires {expires:%Y-%m-%d %H:%M} UTC'}. "
            "The secret is shown this once:"
        )
        self.stdout.write(issued.secret)

    def _revoke(self, prefixes: list[str], username: str | None) -> None:
        if bool(prefixes) == (username is not None):
            raise CommandError("Name the tokens to revoke: prefixes or --user, one of the two.")
        if username is not None:
            found = AccessToken.objects.filter(user=self._user(username))
        else:
            found = AccessToken.objects.filter(prefix__in=prefixes)
            unknown = set(prefixes) - set(found.values_list("prefix", flat=True))
            if unknown:
                raise CommandError(f"No token with prefix {', '.join(sorted(unknown))}.")
        self.stdout.write(f"{tokens.revoke(found)} token(s) revoked.")

    def _list(self, username: str | None) -> None:
        found = AccessToken.objects.select_related("user")
        if username is not None:
            found = found.filter(user=self._user(username))
        now = timezone.now()
        for token in found:
            expires = "never" if token.expires_at is None else f"{token.expires_at:%Y-%m-%d}"
            self.stdout.write(
                f"{token.prefix}  {token.user.get_username():<20} {token.state(now):<8} "
                f"expires {expires:<10}  {token.name}"
            )
