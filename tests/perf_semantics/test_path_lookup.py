"""Dotted field paths are looked up directly; the answer must be JMESPath's, for any data."""

from __future__ import annotations

from typing import Any

import jmespath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.engine.paths import compile_path

NAMES = ["facts", "zone_count", "zones", "x-y", "a"]
DOTTED = ["facts", "facts.zone_count", 'facts."x-y"', "a.a.a", "zones.a", 'a."x-y".facts']
NOT_DOTTED = ["zones[0]", "facts.zones[*].name", "length(zones)", "facts.*", "@", "a || facts"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(NAMES), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("text", DOTTED)
def test_dotted_paths_take_the_direct_lookup(text: str) -> None:
    assert compile_path(text).fields is not None


@pytest.mark.parametrize("text", NOT_DOTTED)
def test_other_paths_stay_with_jmespath(text: str) -> None:
    assert compile_path(text).fields is None


@settings(max_examples=300, deadline=None)
@given(document=st.dictionaries(st.sampled_from(NAMES), json_values, max_size=5))
def test_direct_lookup_answers_exactly_as_jmespath(document: dict[str, Any]) -> None:
    for text in DOTTED:
        expected = jmespath.search(text, document)
        found = compile_path(text).search(document)
        assert found == expected and type(found) is type(expected), text


def test_a_field_of_a_non_object_is_null() -> None:
    path = compile_path("facts.zone_count")
    assert path.search({"facts": [1, 2]}) is None
    assert path.search({"facts": "text"}) is None
    assert path.search({"facts": None}) is None
    assert path.search({"facts": {"zone_count": 0}}) == 0
    assert path.search({}) is None
