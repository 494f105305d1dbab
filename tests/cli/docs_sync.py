"""Generated parts of the Markdown docs, and the command that rewrites them.

``docs/permissions.md`` embeds the output of ``stormproof iam-policy`` (and of
``stormproof iam-policy --caller``) between marker comments;
``tests/cli/test_docs.py`` fails when a block is stale. Refresh with
``python -m tests.cli.docs_sync`` from the repository root.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from scanner import cli

REPOSITORY = Path(__file__).resolve().parents[2]
PERMISSIONS = REPOSITORY / "docs" / "permissions.md"
# Marker name -> the stormproof arguments whose output the block holds.
BLOCKS: dict[str, list[str]] = {
    "stormproof iam-policy": ["iam-policy"],
    "stormproof iam-policy --caller": ["iam-policy", "--caller"],
}


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN GENERATED: {name} -->", f"<!-- END GENERATED: {name} -->"


def _pattern(name: str) -> re.Pattern[str]:
    begin, end = _markers(name)
    return re.compile(re.escape(begin) + r"\n(.*?)\n" + re.escape(end), re.DOTALL)


def command_output(argv: list[str]) -> str:
    """What ``stormproof *argv`` prints."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(argv)
    if code != 0:
        raise RuntimeError(f"stormproof {' '.join(argv)} exited {code}")
    return buffer.getvalue()


def generated_block(name: str) -> str:
    return f"```json\n{command_output(BLOCKS[name]).rstrip()}\n```"


def committed_block(text: str, name: str) -> str | None:
    match = _pattern(name).search(text)
    return match.group(1) if match else None


def refresh(path: Path = PERMISSIONS) -> bool:
    """Rewrite every generated block in place; returns whether anything changed."""
    original = text = path.read_text(encoding="utf-8")
    for name in BLOCKS:
        if committed_block(text, name) is None:
            raise ValueError(f"{path}: the markers of the {name!r} block are missing")
        begin, end = _markers(name)
        block = generated_block(name)
        text = _pattern(name).sub(lambda _, b=begin, e=end, g=block: f"{b}\n{g}\n{e}", text)
    if text != original:
        path.write_text(text, encoding="utf-8")
    return text != original


if __name__ == "__main__":
    print(f"{PERMISSIONS}: {'updated' if refresh() else 'already fresh'}")
