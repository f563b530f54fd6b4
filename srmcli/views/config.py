"""`srm config show`: the settings in force, one per line (JSON: the settings object)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from srmcli import wording
from srmcli.views import Column, Grid, View


def flatten(settings: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(`depth.weights.recency`, 0.25) for every leaf of the nested settings."""
    pairs: list[tuple[str, Any]] = []
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            pairs += flatten(value, name + ".")
        else:
            pairs.append((name, value))
    return pairs


def _value(value: Any) -> str:
    if value == "":
        return '""'  # an empty setting, not a missing one
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return wording.cell(value)


def config_view(settings: Mapping[str, Any]) -> View:
    rows = [[name, _value(value)] for name, value in flatten(settings)]
    grid = Grid(
        columns=[Column("setting"), Column("value", kind="text")],
        rows=rows,
        empty="No settings.",
    )
    return View(title="Settings in force", sections=[grid], data=settings, name="config")
