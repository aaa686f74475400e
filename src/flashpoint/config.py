"""Configuration: the commented ``default_config.toml`` beside this file, merged with user overrides.

    load_config()                       -> the defaults
    load_config({"nlp": {"model": m}})  -> defaults with that value replaced
    load_config(path="my.toml")         -> defaults merged with a file (same sections)
Unknown sections or keys are refused with the list of valid ones, so a typo is never silently ignored.
"""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError, did_you_mean


@functools.lru_cache(maxsize=1)
def default_config() -> dict[str, Any]:
    text = resources.files("flashpoint").joinpath("default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _merge(base: dict[str, Any], over: dict[str, Any], where: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key not in base:
            raise ConfigError(
                f'{where}: unknown setting "{key}". Valid: {", ".join(sorted(base))}.' + did_you_mean(key, list(base))
            )
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a section (a table), got {type(value).__name__}")
            out[key] = _merge(base[key], value, f"{where} [{key}]")
        else:
            out[key] = value
    return out


def load_config(overrides: dict[str, Any] | None = None, path: str | os.PathLike | None = None) -> dict[str, Any]:
    cfg = default_config()
    path = path or os.environ.get("FLASHPOINT_CONFIG")
    if path:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {p} does not exist; pass an existing TOML file to --config") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: not valid TOML ({exc}); see default_config.toml for the format") from exc
        cfg = _merge(cfg, data, str(p))
    if overrides:
        cfg = _merge(cfg, overrides, "config")
    return cfg
