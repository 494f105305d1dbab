"""YAML parser complaints read the same whichever PyYAML / libyaml build is installed."""

from __future__ import annotations

import yaml

from scanner.engine.yaml_source import describe_yaml_error


def _marked(problem: str) -> yaml.MarkedYAMLError:
    mark = yaml.Mark("policy.yaml", 0, 0, 1003, None, None)
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


def test_libyaml_nesting_limit_is_worded_like_pythons_recursion_limit() -> None:
    problem, where = describe_yaml_error(_marked("exceeded maximum nesting depth"), "p.yaml")
    assert problem == "nested too deeply"
    assert str(where) == "p.yaml:1:1004"


def test_other_problems_keep_the_parsers_words_and_position() -> None:
    try:
        yaml.safe_load("a: [1, 2\nb: 3\n")
    except yaml.YAMLError as exc:
        problem, where = describe_yaml_error(exc, "p.yaml")
    assert problem.startswith("expected ',' or ']'")
    assert str(where).startswith("p.yaml:2:")


def test_an_error_without_a_mark_names_only_the_file() -> None:
    problem, where = describe_yaml_error(yaml.YAMLError("boom"), "p.yaml")
    assert (problem, str(where)) == ("boom", "p.yaml")
