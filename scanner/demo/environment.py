"""An AWS environment for the demo that cannot reach AWS or read the user's credentials.

While the demo runs, every ``AWS_*`` variable the user has set (profile,
credentials, endpoints, config files) is put aside and replaced by fake
credentials, empty config files and a disabled instance metadata service, so
the standard credential chain finds only the demo's fake keys. Everything is
restored afterwards, even on error or Ctrl-C.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

DEMO_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIADEMODEMODEMODEMO",
    "AWS_SECRET_ACCESS_KEY": "demo-secret-not-a-real-key",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    # moto otherwise loads hundreds of public AMIs and their snapshots into every Region.
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}


def _is_aws_variable(name: str) -> bool:
    return name.startswith("AWS_") or name in DEMO_ENVIRONMENT


@contextmanager
def demo_environment() -> Iterator[None]:
    """Swap the process's AWS environment for the demo's fake one; restore it on exit."""
    saved = {name: value for name, value in os.environ.items() if _is_aws_variable(name)}
    try:
        for name in saved:
            del os.environ[name]
        os.environ.update(DEMO_ENVIRONMENT)
        yield
    finally:
        for name in [name for name in os.environ if _is_aws_variable(name)]:
            del os.environ[name]
        os.environ.update(saved)
