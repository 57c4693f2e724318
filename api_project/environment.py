"""Typed readers for settings that come from the environment."""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; a value that is neither true nor false is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}


def env_duration(name: str, default: str) -> timedelta | None:
    """A duration: seconds (`3600`) or a number with a unit (`90d`, `12h`, `30m`, `45s`).
    Zero or `none` means no limit (None), which only a value written out can ask for."""
    raw = os.environ.get(name)
    value = (default if raw is None or not raw.strip() else raw).strip().lower()
    if value in {"0", "none"}:
        return None
    number, unit = (value[:-1], value[-1]) if value[-1:] in _UNITS else (value, "s")
    if not number.isdigit() or not number.isascii():
        raise ImproperlyConfigured(
            f"{name} must be seconds or a number with s, m, h or d (90d), or 0/none, not {raw!r}."
        )
    try:
        duration = timedelta(seconds=int(number) * _UNITS[unit])
    except OverflowError:
        raise ImproperlyConfigured(f"{name} is too long: {raw!r}.") from None
    return duration or None
