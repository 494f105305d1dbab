"""Locate the data files that ship with stormproof (built-in policies, schemas, templates).

In a built wheel they live under ``scanner/_builtin/`` (see ``pyproject.toml``);
in a source checkout or editable install they are the top-level ``policies/``
and ``schemas/`` folders. Looking in both keeps one code path for both installs.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_builtin" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"stormproof is installed without its {name}/ folder")


def builtin_policies_dir() -> Path:
    return _data_dir("policies")


def schemas_dir() -> Path:
    return _data_dir("schemas")


def templates_dir() -> Path:
    return _PACKAGE_DIR / "report" / "templates"


@functools.cache
def load_schema(name: str) -> dict:
    """Return a JSON Schema from ``schemas/`` by file name, e.g. ``"snapshot.schema.json"``."""
    with (schemas_dir() / name).open(encoding="utf-8") as handle:
        return json.load(handle)
