"""``--accounts-file``: one id per line, comments allowed, every problem one file:line:col line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import main
from scanner.collect.accounts import AccountSelection, read_accounts_file
from scanner.errors import ExitCode, InputError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_ids_comments_blank_lines_and_duplicates(tmp_path: Path):
    path = write(
        tmp_path,
        "# production\n111111111111  # payments\n\n   222222222222\n111111111111\n",
    )
    assert read_accounts_file(path) == ("111111111111", "222222222222")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("111111111111\n  12345 # short\n", ":2:3:", "'12345' is not an AWS account id"),
        ("111111111111,222222222222\n", ":1:1:", "is not an AWS account id (12 digits, one per"),
        ("# only a comment\n\n", ": names no account", ""),
    ],
)
def test_a_bad_file_is_one_line_with_its_location_and_exit_2(
    tmp_path: Path, capsys, text: str, where: str, message: str
):
    path = write(tmp_path, text)
    code = main(["collect", "--accounts-file", str(path), "--output", str(tmp_path / "s.json")])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"{path}{where}" in err and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.txt"]


def test_a_missing_or_binary_file_is_one_line(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read accounts file"):
        read_accounts_file(tmp_path / "nope.txt")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe1111")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_accounts_file(binary)


def test_exclusions_apply_to_explicit_lists_and_the_organization():
    explicit = AccountSelection(
        account_ids=("333333333333", "111111111111", "222222222222"),
        exclude=frozenset({"222222222222"}),
    )
    assert explicit.select([]) == ["111111111111", "333333333333"]
    organization = AccountSelection(organization=True, exclude=frozenset({"111111111111"}))
    assert organization.select(["111111111111", "444444444444"]) == ["444444444444"]
