"""`srm config show` and overriding the scores' settings in a TOML file (SRM_CONFIG)."""

from __future__ import annotations

from pathlib import Path

import pytest


def write_config(text: str) -> Path:
    import os

    path = Path(os.environ["SRM_CONFIG"])
    path.write_text(text, encoding="utf-8")
    return path


def test_config_show_defaults_and_path_on_stderr(srm) -> None:
    r = srm("config", "show", "-f", "json", ok=True)
    settings = r.json()
    assert settings["window_days"] == 90 and settings["year_days"] == 365
    assert settings["depth"]["weights"]["recency"] == 0.25
    assert settings["service"]["severity_weights"] == {"1": 20, "2": 10, "3": 5, "4": 2}
    assert "Config file:" in r.stderr and "not found, defaults in force" in r.stderr
    assert settings["author"] == "kim"  # no author configured: the login name (conftest)
    table = srm("config", "show", ok=True).stdout
    assert "depth.weights.recency" in table and "channel_weights.web" in table


def test_config_file_overrides_a_weight_and_changes_a_score(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "one call", "--date", "2026-11-25 09:00", ok=True)
    # defaults: recency 1 → 25; frequency 1/12 → 1.667; breadth 0; richness 0.6 → 9;
    # reciprocity 0; tone 0.5 → 5: total 40.667 → 41
    assert srm("report", "-f", "json", ok=True).json()[0]["depth_score"] == 41
    path = write_config("[depth.weights]\nrecency = 0.5\n\n[channel_weights]\ncall = 1.0\n")
    # recency 0.5 × 1 → 50; frequency 1.667; richness 0.15 × 1.0 → 15; tone 5: 71.667 → 72
    assert srm("report", "-f", "json", ok=True).json()[0]["depth_score"] == 72
    r = srm("config", "show", "-f", "json", ok=True)
    assert r.json()["depth"]["weights"]["recency"] == 0.5
    assert r.json()["channel_weights"]["call"] == 1.0
    assert f"Config file: {path} (in use)" in r.stderr


def test_config_window_days_is_the_default_window(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "a", "--date", "2026-11-01", ok=True)  # 24 days back
    srm("log", "Acme", "b", "--date", "2026-11-20", ok=True)  # 5 days back
    assert srm("report", "-f", "json", ok=True).json()[0]["interactions_window"] == 2
    write_config("window_days = 10\n")
    assert srm("report", "-f", "json", ok=True).json()[0]["interactions_window"] == 1
    assert srm("report", "Acme", "-f", "json", ok=True).json()["window_days"] == 10
    # the option still wins over the file
    assert srm("report", "--window", "30", "-f", "json").json()[0]["interactions_window"] == 2


def test_service_penalty_override(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("issue", "open", "Acme", "quality", "burrs", "--severity", "3", ok=True)
    assert srm("report", "-f", "json", ok=True).json()[0]["service_score"] == 95
    write_config('[service.severity_weights]\n"3" = 30\n')
    assert srm("report", "-f", "json", ok=True).json()[0]["service_score"] == 70


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[depth.weights]\nrecencyy = 0.5\n", "unknown setting"),
        ("window_days = 'ninety'\n", "must be a number"),
        ("[depth\n", "cannot be read"),
    ],
)
def test_bad_config_file_is_a_clear_error(srm, text, fragment) -> None:
    write_config(text)
    r = srm("config", "show")
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and fragment in r.stderr
    assert srm("report").exit_code == 1


def test_config_show_rejects_other_formats(srm) -> None:
    r = srm("config", "show", "-f", "csv")
    assert r.exit_code == 1 and "table, json" in r.stderr


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("window_days = 0\n", "window_days must be a whole number of days, 1 or more, got 0"),
        ("window_days = -3\n", "window_days must be a whole number of days"),
        ("window_days = 2.5\n", "window_days must be a whole number of days"),
        ("year_days = 0\n", "year_days must be a whole number of days"),
        ("window_days = true\n", "window_days must be a whole number of days"),
        ("[depth.weights]\nrecency = -1\n", "depth.weights.recency must be a number, 0 or more"),
        ("[depth]\nkey_roles = ['sales', 'wizard']\n", "depth.key_roles must be a list of roles"),
        ("[depth]\nkey_roles = []\n", "depth.key_roles must be a list of roles"),
        ("[service]\nescalated_factor = -2\n", "service.escalated_factor must be a number"),
        ("[service.severity_weights]\n1 = -20\n", "service.severity_weights.1 must be a number"),
        ("author = 5\n", "author must be a name in quotes"),
    ],
)
def test_settings_no_score_can_use_are_refused(srm, text: str, fragment: str) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "one call", ok=True)
    write_config(text)
    for args in (["report"], ["report", "Acme"], ["config", "show"]):
        r = srm(*args)
        assert r.exit_code == 1, (args, r)
        assert r.stderr.startswith("Error: config ") and fragment in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
