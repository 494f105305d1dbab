"""-q, -v and --debug work before or after the command, as users type them."""

from __future__ import annotations

import pytest

from scanner.cli import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "scan", "--snapshot", "s.json"],
        ["scan", "--snapshot", "s.json", "-q"],
        ["scan", "-q", "--snapshot", "s.json"],
    ],
)
def test_quiet_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.quiet, args.verbose, args.debug) == (True, False, False)


def test_defaults_when_not_given() -> None:
    args = build_parser().parse_args(["collect", "--output", "s.json"])
    assert (args.quiet, args.verbose, args.debug) == (False, False, False)


def test_verbose_and_debug_after_the_command() -> None:
    args = build_parser().parse_args(["demo", "-v", "--debug"])
    assert (args.quiet, args.verbose, args.debug) == (False, True, True)


def test_quiet_and_verbose_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["scan", "-q", "-v"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
