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


def duration(value: str) -> timedelta | None:
    """Seconds (`3600`) or a number with a unit (`90d`, `12h`, `30m`, `45s`); zero or `none`
    is no limit (None). ValueError for anything else."""
    text = value.strip().lower()
    if text == "none":
        return None
    number, unit = (text[:-1], text[-1]) if text[-1:] in _UNITS else (text, "s")
    if not number.isascii() or not number.isdigit():
        raise ValueError(
            f"a duration is seconds or a number with s, m, h or d (90d), or 0/none, not {value!r}"
        )
    try:
        return timedelta(seconds=int(number) * _UNITS[unit]) or None
    except OverflowError:
        raise ValueError(f"{value!r} is too long a duration") from None


def env_duration(name: str, default: str) -> timedelta | None:
    """A duration (see `duration`); no limit only when the value says so, never by default."""
    raw = os.environ.get(name)
    try:
        return duration(default if raw is None or not raw.strip() else raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}.") from None
