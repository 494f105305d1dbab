"""Hypothesis strategies for the property tests: nasty strings, JSON values, policy parts,
condition trees, snapshot fragments, waiver and config files.

Mostly well-formed (so loading gets past the first check and evaluation is
reached), with a steady share of junk and of strings that have broken parsers.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from scanner.engine.operators import OPERATORS
from scanner.resources import builtin_policies_dir

BUILTIN_IDS = sorted(path.stem for path in builtin_policies_dir().glob("*.yaml"))

NASTY = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "\x1b[31m",
        "\u202e",
        "\uffff",
        "😀",
        "e\u0301",
        "{{ 7*7 }}",
        "{% raw %}",
        "*",
        "&anchor",
        "!!python/object:os.system",
        "- ",
        ": ",
        "'",
        '"',
        "\\",
        "\t",
        "\n",
        "null",
        "~",
        "1e999",
        "-0",
        "0x1F",
        "2026-13-45",
        "us-east-1a",
        "facts.zone_count",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=30))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
VALID_PATHS = st.sampled_from(
    [
        "id",
        "tags.team",
        "tags",
        "facts.zone_count",
        "facts.zone_names",
        "facts.zones[?type=='local-zone'].name",
        "facts.zones[*].parent_zone_name",
        "length(facts.zone_names)",
        "facts.load_balancer_attached",
        "@",
        "`1`",
        "max_size",
        "created_time",
    ]
)
PATHS = st.one_of(st.sampled_from(["facts.nope", "facts", "facts.zone_count[", ""]), TEXT)
OPERATOR_NAMES = st.one_of(st.sampled_from(sorted(OPERATORS)), TEXT)


REGEXES = st.sampled_from(["^web", "(a|b)+", ".*", "\\d{3}", "(?i)PROD", "[", "(?P<x>"])
_OPERANDS: dict[str, st.SearchStrategy[Any]] = {
    "any": JSON_VALUES,
    "list": st.lists(SCALARS, max_size=3),
    "integer": st.one_of(st.integers(-3, 5), st.just({"param": "min_zones"})),
    "ordered": st.one_of(st.integers(-3, 5), st.floats(allow_nan=False), TEXT),
    "number": st.one_of(st.integers(0, 1000), st.floats(0, 1e6)),
    "regex": REGEXES,
}


@st.composite
def comparisons(draw: st.DrawFn) -> Any:
    """Mostly well-formed comparisons (so evaluation is reached); one in ten is broken."""
    broken = draw(st.integers(0, 9)) == 0
    name = draw(st.sampled_from(sorted(OPERATORS)))
    path = draw(PATHS if broken else VALID_PATHS)
    leaf: dict[str, Any] = {"path": path, "op": name}
    kind = OPERATORS[name].takes
    if kind != "none":
        leaf["value"] = draw(_OPERANDS.get(kind, JSON_VALUES))
    if broken:
        choice = draw(st.sampled_from(["path", "op", "value", "extra", "whole"]))
        if choice == "whole":
            return draw(JSON_VALUES)
        leaf[choice] = draw(JSON_VALUES)
    return leaf


def conditions() -> st.SearchStrategy[Any]:
    return st.recursive(
        comparisons(),
        lambda children: st.one_of(
            st.fixed_dictionaries({"all": st.lists(children, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"any": st.lists(children, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"not": children}),
        ),
        max_leaves=6,
    )


GROUPS = st.lists(
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=20)},
        optional={
            "zones": st.lists(st.sampled_from(["us-east-1a", "us-east-1b", "us-east-1-lax-1a"])),
            "tags": st.dictionaries(TEXT, TEXT, max_size=3),
            "min_size": st.integers(-5, 5),
            "health_check_type": st.sampled_from(["EC2", "ELB", "weird"]),
        },
    ),
    max_size=4,
    unique_by=lambda group: group["id"],
)

PLAUSIBLE = st.sampled_from(
    [
        "high",
        "low",
        "instance",
        "load_balancer",
        "fleet",
        "A title",
        "{{ resource.id }} in {{ resource.region }}",
        "{{ resource.tags | tojson }}",
        "{{ params.min_zones * 2 }}",
        {"path": "id", "op": "exists"},
        {"not": {"path": "facts.zone_count", "op": "ge", "value": 2}},
        {"min_zones": {"default": 3, "type": "integer", "description": "d"}},
        [{"name": "c", "snapshot": {}, "fail": []}],
        ["https://docs.aws.amazon.com/"],
    ]
)

RECORD_KEYS = st.sampled_from(
    [
        *("auto_scaling_groups", "instances", "volumes", "snapshots", "images", "subnets"),
        *("load_balancers", "target_groups", "classic_load_balancers", "dlm_policies", "weird"),
    ]
)
RECORD = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                *("id", "zone", "zones", "tags", "state", "subnet_ids", "volume_ids", "image_id"),
                *("instance_ids", "start_time", "create_time", "description", "targets"),
            ]
        ),
        TEXT,
    ),
    JSON_VALUES,
    max_size=6,
)
FRAGMENTS = st.fixed_dictionaries(
    {"resources": st.dictionaries(RECORD_KEYS, st.lists(RECORD, max_size=3), max_size=3)},
    optional={
        "errors": st.lists(
            st.fixed_dictionaries(
                {"service": st.sampled_from(["ec2", "autoscaling", "elbv2", "dlm", "sts", "x"])},
                optional={"operation": TEXT, "code": TEXT},
            ),
            max_size=2,
        ),
        "finished_at": st.one_of(TEXT, st.just("2026-01-15T12:00:00Z")),
    },
)

WAIVER_ENTRY = st.one_of(
    st.fixed_dictionaries(
        {
            "policy": st.sampled_from(["asg-single-az", "*", "asg-*", "nope"]),
            "resource": st.sampled_from(["*", "arn:aws:autoscaling:*/web", "arn:*:x", "[!a]"]),
            "reason": st.one_of(st.just("accepted"), TEXT),
            "owner": st.one_of(st.just("platform-team"), TEXT),
            "expires": st.one_of(st.sampled_from(["2030-01-01", "2020-01-01"]), TEXT),
        },
        optional={"ticket": st.one_of(TEXT, JSON_VALUES)},
    ),
    st.dictionaries(
        st.one_of(
            st.sampled_from(["policy", "resource", "reason", "owner", "expires", "ticket"]), TEXT
        ),
        st.one_of(JSON_VALUES, st.sampled_from(["2030-01-01", "2020-01-01", "*", "asg-*"])),
        max_size=7,
    ),
)
WAIVER_FILES = st.one_of(
    st.fixed_dictionaries({"waivers": st.lists(WAIVER_ENTRY, max_size=4)}),
    st.dictionaries(TEXT, JSON_VALUES, max_size=3),
    JSON_VALUES,
)

CONFIG_FILES = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "disabled": st.lists(st.one_of(st.sampled_from(BUILTIN_IDS), TEXT)),
            "fleet_tag_keys": st.lists(TEXT, max_size=3),
            "policies": st.dictionaries(
                st.one_of(st.sampled_from(["asg-single-az", "elb-single-az"]), TEXT),
                st.dictionaries(
                    st.sampled_from(["severity", "parameters", "other"]),
                    st.one_of(
                        JSON_VALUES,
                        st.sampled_from(["low", "critical"]),
                        st.dictionaries(st.sampled_from(["min_zones", "x"]), JSON_VALUES),
                    ),
                ),
                max_size=2,
            ),
        },
    ),
    JSON_VALUES,
)


# Numbers as a policy, parameter or config file may spell them (YAML), sane or not.
NUMBER_TEXTS = st.one_of(
    st.integers(-(2**60), 2**60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from([".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1.0e+309", "-1.0e+300", "0x1F"]),
    st.integers(20, 6000).map(lambda digits: "9" * digits),
)

# Jinja filters a message template may use, with arguments from small to absurd.
FILTER_NAMES = st.sampled_from(
    [
        *(
            "abs",
            "batch",
            "capitalize",
            "center",
            "default",
            "dictsort",
            "escape",
            "filesizeformat",
        ),
        *("first", "float", "format", "indent", "int", "join", "last", "length", "list", "lower"),
        *("map", "max", "min", "pprint", "replace", "reverse", "round", "safe", "select", "slice"),
        *("sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique"),
        *("upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr", "random", "shuffle"),
    ]
)
FILTER_ARGUMENTS = st.lists(
    st.one_of(
        st.integers(-5, 50),
        st.sampled_from([4096, 4097, 10**6, 10**9, 10**18, -(10**9)]),
        st.sampled_from(["''", "'x'", "'%999999999s'", "'{:>99999999}'", "resource.id * 100"]),
    ),
    max_size=3,
)
TEMPLATE_SUBJECTS = st.sampled_from(
    ["resource.id", "resource.tags", "resource.zones", "resource.id * 4000", "params", "2 ** 1000"]
)


@st.composite
def filter_templates(draw: st.DrawFn) -> str:
    """``{{ SUBJECT | f1(args) | f2(args) }}``: chains of filters with hostile arguments."""
    parts = [draw(TEMPLATE_SUBJECTS)]
    for _ in range(draw(st.integers(1, 3))):
        name = draw(FILTER_NAMES)
        arguments = draw(FILTER_ARGUMENTS)
        parts.append(f"{name}({', '.join(map(str, arguments))})" if arguments else name)
    return "{{ " + " | ".join(parts) + " }}"
