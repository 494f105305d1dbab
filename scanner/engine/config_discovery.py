"""Which config file a run reads when ``--config`` is not given.

The order is the one users know from other scanners: the flag, then the
``STORMPROOF_CONFIG`` environment variable, then ``stormproof.yaml`` and
``.stormproof/config.yaml`` in the current directory. The run always says which
file it read, so a forgotten file in a checkout never changes results silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import InputError

CONFIG_ENV = "STORMPROOF_CONFIG"
DISCOVERED_NAMES = ("stormproof.yaml", ".stormproof/config.yaml")


@dataclass(frozen=True)
class ConfigChoice:
    path: Path | None
    source: str  # "--config", "STORMPROOF_CONFIG", "the current directory" or "none"

    def announcement(self) -> str | None:
        """The line the run prints about it; ``None`` when the flag named it or none is used."""
        if self.path is None or self.source == "--config":
            return None
        return f"stormproof: using config {self.path} (from {self.source})"


def choose_config(
    flag: str | None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> ConfigChoice:
    environ = os.environ if environ is None else environ
    if flag is not None:
        return ConfigChoice(Path(flag), "--config")
    from_env = environ.get(CONFIG_ENV, "")
    if from_env.strip():
        path = Path(from_env)
        if not path.is_file():
            raise InputError(f"{CONFIG_ENV}={from_env}: no such config file")
        return ConfigChoice(path, CONFIG_ENV)
    folder = cwd or Path()
    found = [folder / name for name in DISCOVERED_NAMES if (folder / name).is_file()]
    if len(found) > 1:
        raise InputError(
            f"both {DISCOVERED_NAMES[0]} and {DISCOVERED_NAMES[1]} are in the current "
            "directory; keep one, or name it with --config"
        )
    if found:
        return ConfigChoice(found[0], "the current directory")
    return ConfigChoice(None, "none")
