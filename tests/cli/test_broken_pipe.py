"""A reader that goes away (`stormproof policies docs | head -0`) is not an error."""

from __future__ import annotations

import subprocess
import sys


def test_closed_stdout_ends_quietly_with_exit_0() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "policies", "docs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first write: every write gets EPIPE
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    assert stderr == ""
    assert code == 0
