"""The compiled snapshot validator decides what jsonschema decides; messages stay the same.

``validate_snapshot`` asks the compiled (fastjsonschema) validator first and
only asks jsonschema to word the message. These tests break a valid snapshot
in each way the schema forbids and check both that the fast path rejects it
and that the user still gets jsonschema's one-line message naming the path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engine.fragments import expand_fragment
from scanner.errors import InputError
from scanner.model.snapshot import is_valid_snapshot, validate_snapshot
from scanner.resources import load_schema


def valid_snapshot() -> dict[str, Any]:
    return expand_fragment(
        {
            "resources": {
                "instances": [{"id": "i-1", "zone": "us-east-1a"}],
                "load_balancers": [{"id": "web", "zones": ["us-east-1a"]}],
            }
        }
    )


def _instance(snapshot: dict[str, Any]) -> dict[str, Any]:
    return snapshot["units"][0]["resources"]["instances"][0]


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda snapshot: _instance(snapshot).__setitem__(field, value)


BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("wrong type", _set("zone", 5), "$.units[0].resources.instances[0].zone"),
    ("missing required", lambda s: _instance(s).pop("state"), "$.units[0].resources.instances[0]"),
    ("additional property", _set("colour", "blue"), "$.units[0].resources.instances[0]"),
    (
        "bad date-time format",
        _set("launch_time", "yesterday"),
        "$.units[0].resources.instances[0].launch_time",
    ),
    (
        "impossible calendar date",
        _set("launch_time", "2026-02-30T00:00:00Z"),
        "$.units[0].resources.instances[0].launch_time",
    ),
    (
        "bad enum",
        lambda s: s["units"][0]["resources"]["load_balancers"][0].__setitem__("type", "magic"),
        "$.units[0].resources.load_balancers[0].type",
    ),
    ("bad pattern", _set("account", "12345"), "$.units[0].resources.instances[0].account"),
    ("wrong const", lambda s: s.__setitem__("version", 0), "$.version"),
    (
        "below minimum",
        lambda s: s["units"][0].__setitem__("duration_seconds", -1),
        "$.units[0].duration_seconds",
    ),
]


def test_the_untouched_snapshot_is_valid_both_ways() -> None:
    snapshot = valid_snapshot()
    assert is_valid_snapshot(snapshot) is True
    validate_snapshot(snapshot)


@pytest.mark.parametrize(
    ("breakage", "where"),
    [(breakage, where) for _, breakage, where in BREAKAGES],
    ids=[name for name, _, _ in BREAKAGES],
)
def test_each_kind_of_error_is_rejected_by_the_fast_path_and_named_by_path(
    breakage: Callable[[dict[str, Any]], None], where: str
) -> None:
    snapshot = copy.deepcopy(valid_snapshot())
    breakage(snapshot)
    assert is_valid_snapshot(snapshot) is False
    with pytest.raises(InputError) as caught:
        validate_snapshot(snapshot, "estate.json")
    message = str(caught.value)
    assert message.startswith("estate.json: invalid snapshot at ")
    assert f"invalid snapshot at {where}:" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-30T20:33:22Z",
        "2026-11-30T20:33:22.123Z",
        "2026-11-30t20:33:22z",
        "2024-02-29T00:00:00+01:00",
    ],
)
def test_valid_times_pass_the_fast_path(moment: str) -> None:
    snapshot = valid_snapshot()
    _instance(snapshot)["launch_time"] = moment
    assert is_valid_snapshot(snapshot) is True
    validate_snapshot(snapshot)


def _jsonschema_accepts(snapshot: dict[str, Any]) -> bool:
    """jsonschema's own verdict on the schema as written (references not inlined)."""
    schema = load_schema("snapshot.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(snapshot)


times = st.builds(
    "{}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}{}".format,
    st.sampled_from(["2026", "1999", "0000"]),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["T", "t", " "]),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".123456", "."]),
    st.sampled_from(["Z", "z", "", "+00:00", "-07:30", "+0000", "+24:00"]),
)


@settings(max_examples=300, deadline=None)
@given(moment=times)
def test_the_fast_path_judges_times_exactly_as_jsonschema(moment: str) -> None:
    snapshot = valid_snapshot()
    _instance(snapshot)["launch_time"] = moment
    assert is_valid_snapshot(snapshot) == _jsonschema_accepts(snapshot)
