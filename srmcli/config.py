"""Settings from the TOML config file (`SRM_CONFIG`, else the platform config dir).

Every scoring weight and threshold of SPEC §5 has its default here and can be
overridden in the file, for example::

    author = "dana"
    busy_timeout_s = 30

    [depth.weights]
    recency = 0.30

    [channel_weights]
    web = 0.2
"""

from __future__ import annotations

import copy
import getpass
import os
import tomllib
from pathlib import Path
from typing import Any

from srmcli.errors import InvalidValueError

DEFAULTS: dict[str, Any] = {
    "author": "",
    # how long a writer waits for another srm writer to finish before it gives up
    "busy_timeout_s": 30,
    "window_days": 90,
    "year_days": 365,
    "depth": {
        "weights": {
            "recency": 0.25,
            "frequency": 0.20,
            "breadth": 0.20,
            "richness": 0.15,
            "reciprocity": 0.10,
            "tone": 0.10,
        },
        "recency_days": 180,
        "frequency_target": 12,
        "key_roles": ["sales", "customer-service", "operations", "engineering", "executive"],
        "tiers": {"transactional": 20, "acquainted": 40, "working": 60, "trusted": 80},
    },
    "channel_weights": {
        "visit": 1.0,
        "meeting": 1.0,
        "video": 0.8,
        "call": 0.6,
        "email": 0.3,
        "chat": 0.3,
        "other": 0.3,
        "web": 0.1,
    },
    "service": {
        "severity_weights": {"1": 20, "2": 10, "3": 5, "4": 2},
        "escalated_factor": 1.5,
        "resolved_factor": 0.5,
        "overdue_promise_penalty": 5,
    },
}


def config_path() -> Path:
    explicit = os.environ.get("SRM_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("srm", appauthor=False)) / "config.toml"


def _merge(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    for key, value in override.items():
        if key not in base:
            known = ", ".join(sorted(base))
            raise InvalidValueError(
                f"config {config_path()}: unknown setting {where}{key!r}; known here: {known}"
            )
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise InvalidValueError(f"config: {where}{key} must be a table")
            _merge(base[key], value, f"{where}{key}.")
        else:
            if isinstance(base[key], int | float) and not isinstance(value, int | float):
                raise InvalidValueError(f"config: {where}{key} must be a number, got {value!r}")
            if isinstance(base[key], list) and not isinstance(value, list):
                raise InvalidValueError(f"config: {where}{key} must be a list")
            base[key] = value
    return base


_cache: dict[str, Any] | None = None


def load() -> dict[str, Any]:
    """The settings in force: defaults overlaid with the config file, if there is one."""
    global _cache
    if _cache is not None:
        return _cache
    settings = copy.deepcopy(DEFAULTS)
    path = config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidValueError(f"config {path} cannot be read: {exc}") from None
        _merge(settings, data, "")
        _check(settings, path)
    _cache = settings
    return settings


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(settings: dict[str, Any], path: Path) -> None:
    """Refuse settings no score can be computed with, naming what is accepted."""

    def refuse(what: str, accepted: str, value: Any) -> None:
        raise InvalidValueError(f"config {path}: {what} must be {accepted}, got {value!r}")

    for key in ("window_days", "year_days"):
        value = settings[key]
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
            refuse(key, "a whole number of days, 1 or more", value)
    depth = settings["depth"]
    for key in ("recency_days", "frequency_target"):
        if not (_number(depth[key]) and depth[key] > 0):
            refuse(f"depth.{key}", "a number above 0", depth[key])
    numbers = [
        *((f"depth.weights.{k}", v) for k, v in depth["weights"].items()),
        *((f"depth.tiers.{k}", v) for k, v in depth["tiers"].items()),
        *((f"channel_weights.{k}", v) for k, v in settings["channel_weights"].items()),
        *((f"service.{k}", v) for k, v in settings["service"].items() if k != "severity_weights"),
        *(
            (f"service.severity_weights.{k}", v)
            for k, v in settings["service"]["severity_weights"].items()
        ),
    ]
    for what, value in numbers:
        if not (_number(value) and value >= 0):
            refuse(what, "a number, 0 or more", value)
    from srmcli.vocab import Role

    roles = [r.value for r in Role]
    key_roles = depth["key_roles"]
    if not all(isinstance(r, str) and r in roles for r in key_roles) or not key_roles:
        refuse("depth.key_roles", f"a list of roles from {', '.join(roles)}", key_roles)
    busy = settings["busy_timeout_s"]
    if not (_number(busy) and 0 <= busy <= 24 * 3600):
        refuse("busy_timeout_s", "a number of seconds, 0 to 86400", busy)
    if not isinstance(settings["author"], str):
        refuse("author", 'a name in quotes (author = "dana")', settings["author"])


def reset_cache() -> None:
    global _cache
    _cache = None


def author() -> str:
    """Who is writing: config `author`, else the login name."""
    configured = str(load().get("author") or "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except Exception:  # no login name on some containers
        return os.environ.get("USER", "") or "unknown"
