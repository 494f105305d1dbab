"""Finding messages and remediations: Jinja2 templates rendered in an immutable sandbox.

A template sees only ``resource`` (the linked document) and ``params`` (the
policy's effective parameters): no globals, no other templates, no macros, no
private attributes, no mutation, nothing random. Templates are parsed when the
policy loads, so a syntax error or an unknown variable is a load error with a
position; a failure while rendering falls back to a plain message, never a crash.

Rendering is bounded in memory and time (docs/failure-behaviour.md): numbers
handed to filters and string methods (widths, counts) and format widths are at
most :data:`MAX_WIDTH`, powers and repetitions stay small, ``replace`` may not
grow a string past :data:`MAX_GROWN_CHARS`, every loop iteration is charged to
a budget of :data:`MAX_LOOP_STEPS` per message, and output stops at
:data:`MAX_RENDER_CHARS`.

A remediation is the same kind of template, so its commands carry the
resource's real names and ids. Where no resource is at hand (the policy docs,
SARIF rule help) it renders with *placeholders*: ``{{ resource.id }}`` prints
as ``<id>``.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
import jinja2.runtime
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

CONTEXT_NAMES = frozenset({"resource", "params"})
MAX_MESSAGE_CHARS = 4096  # a finding's message; longer renders are cut with "…"
MAX_WIDTH = 4096  # any number given to a filter or string method, any format width
MAX_POWER_BITS = 4096  # the size of the result of ``**``
MAX_GROWN_CHARS = 100_000  # what ``replace`` may produce
MAX_LOOP_STEPS = 100_000  # loop iterations per message, all loops together
MAX_RENDER_CHARS = 4 * MAX_MESSAGE_CHARS  # output read before rendering stops
_MAX_EXPONENT = 1024
# Nodes that reach beyond the template's two variables (other templates, blocks, ``self``)
# or that repeat without a visible bound (macros call themselves).
_FORBIDDEN_NODES = (
    jinja2.nodes.Include,
    jinja2.nodes.Import,
    jinja2.nodes.FromImport,
    jinja2.nodes.Extends,
    jinja2.nodes.Block,
    jinja2.nodes.Macro,
    jinja2.nodes.CallBlock,
)
# Filters whose output differs from run to run: the same snapshot must give the same bytes.
_NONDETERMINISTIC_FILTERS = ("random",)
_LOOP_FILTER = "stormproof_counted_loop"
_WIDE_FORMAT = re.compile(r"\d{5,}")  # a width or precision of 10,000 or more


class MessageLimitError(SecurityError):
    """A template went past one of the bounds above; the text says which."""


class _Budget(threading.local):
    steps = 0


_BUDGET = _Budget()


def _check_numbers(values: Iterable[Any]) -> None:
    for value in values:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and abs(value) > MAX_WIDTH:
            raise MessageLimitError(f"number {value!r} is too large for a message")


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _WIDE_FORMAT.search(text):
        raise MessageLimitError("format width too large for a message")


def _bounded_replace(text: Any, old: Any, new: Any, count: Any = -1) -> Any:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        hits = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        if len(text) + hits * (len(new) - len(old)) > MAX_GROWN_CHARS:
            raise MessageLimitError("replace would grow the message too much")
    return text.replace(old, new, count) if isinstance(text, str) else text


def _counted(values: Any) -> Iterator[Any]:
    """Every loop of a template iterates through here: each item costs one step."""
    for value in values:
        _BUDGET.steps += 1
        if _BUDGET.steps > MAX_LOOP_STEPS:
            raise MessageLimitError(f"loops ran more than {MAX_LOOP_STEPS:,} times")
        yield value


_PASSED = (jinja2.nodes.EvalContext, jinja2.runtime.Context, jinja2.Environment)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numeric arguments (widths, counts) are small."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        data = args[1:] if args and isinstance(args[0], _PASSED) else args
        _check_numbers(data[1:])  # the filtered value itself may be any number
        _check_numbers(kwargs.values())
        if name == "format" and data:
            _check_format(data[0])
        return function(*args, **kwargs)

    return bounded


class _MessageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, without globals, and with ``*`` and ``**`` kept small.

    The sandbox already refuses private and internal attributes (``__class__``,
    ``__globals__``, ``mro``) and mutation; removing the default globals
    (``lipsum``, ``cycler``, ``joiner``, ``namespace``, ``range``, ``dict``)
    leaves a template nothing but ``resource`` and ``params``. Repetition and
    powers are bounded so a template cannot exhaust memory or CPU.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Method calls (``.center(n)``, ``.format()``, ``.replace()``) with small numbers."""
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            _check_numbers(args)
            _check_numbers(kwargs.values())
            name = getattr(target, "__name__", "")
            if name in {"format", "format_map"}:
                _check_format(owner)
            if name == "replace":
                return _bounded_replace(owner, *args, **kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_MESSAGE_CHARS
                ):
                    raise MessageLimitError("repetition too large for a message")
        if operator == "**" and isinstance(right, int | float):
            if abs(right) > _MAX_EXPONENT:
                raise MessageLimitError("exponent too large for a message")
            growing = isinstance(left, int) and abs(left) > 1 and right > 0
            if growing and abs(left).bit_length() * right > MAX_POWER_BITS:
                raise MessageLimitError("power too large for a message")
        if operator == "%":
            _check_format(left)
        return super().call_binop(context, operator, left, right)


_ENVIRONMENT = _MessageSandbox(
    autoescape=False,  # plain text; every report escapes for its own format
    undefined=jinja2.ChainableUndefined,
    keep_trailing_newline=False,
)
_ENVIRONMENT.globals.clear()
for _name in _NONDETERMINISTIC_FILTERS:
    del _ENVIRONMENT.filters[_name]
for _name, _function in list(_ENVIRONMENT.filters.items()):
    _ENVIRONMENT.filters[_name] = _bounded_filter(_name, _function)
_ENVIRONMENT.filters["replace"] = _bounded_filter("replace", _bounded_replace)
_ENVIRONMENT.filters[_LOOP_FILTER] = _counted


def _parse(source: str) -> jinja2.nodes.Template:
    """The template's syntax tree, with every loop's iterable charged to the loop budget."""
    parsed = _ENVIRONMENT.parse(source)
    for loop in parsed.find_all(jinja2.nodes.For):
        loop.iter = jinja2.nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None)
        loop.iter.set_lineno(loop.lineno)
    return parsed


class Placeholder:
    """Stands for a value only a real resource has; prints as ``<name>`` of the last key read."""

    def __init__(self, name: str = "resource"):
        self._name = name

    def __getattr__(self, name: str) -> Placeholder:
        if name.startswith("_"):
            raise AttributeError(name)
        return Placeholder(name)

    def __getitem__(self, key: object) -> Placeholder:
        return Placeholder(key) if isinstance(key, str) else self

    def __iter__(self):
        yield self  # `join` and `first` show the placeholder once

    def __len__(self) -> int:
        return 1

    def __str__(self) -> str:
        return f"<{self._name}>"


class MessageTemplate:
    def __init__(self, source: str, *, multiline: bool = False):
        self.source = source
        self.multiline = multiline  # remediations keep their lines and indentation
        code = _ENVIRONMENT.compile(_parse(source))
        self._template = jinja2.Template.from_code(
            _ENVIRONMENT, code, _ENVIRONMENT.make_globals(None), None
        )

    def render(self, resource: dict[str, Any], params: dict[str, Any], fallback: str) -> str:
        _BUDGET.steps = 0
        try:
            text = self._render(resource, params)
        except MemoryError:
            return f"{fallback} (message template failed: MemoryError)"
        except RecursionError:
            return f"{fallback} (message template failed: nested too deeply)"
        except MessageLimitError as exc:  # a bound of the sandbox: say which
            return f"{fallback} (message template failed: {exc})"
        except Exception as exc:  # a template over unexpected data must not stop a scan
            return f"{fallback} (message template failed: {type(exc).__name__})"
        if self.multiline:  # keep lines and indentation; runs of blank lines become one
            text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines()))
            text = text.strip("\n")
        else:
            text = " ".join(text.split())
        text = text or fallback
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[: MAX_MESSAGE_CHARS - 1] + "…"
        return text

    def _render(self, resource: dict[str, Any], params: dict[str, Any]) -> str:
        """Render, reading the output stream only up to :data:`MAX_RENDER_CHARS`."""
        chunks: list[str] = []
        size = 0
        for chunk in self._template.generate(resource=resource, params=params):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_RENDER_CHARS:
                break
        return "".join(chunks)

    def render_placeholders(self, params: dict[str, Any]) -> str:
        """The text for no resource in particular: every resource value is a ``<placeholder>``."""
        return self.render(Placeholder(), params, fallback=self.source.strip())  # type: ignore[arg-type]


def compile_message(
    source: str, *, multiline: bool = False
) -> tuple[MessageTemplate | None, str | None, int]:
    """Parse a template; return it, or an error message and the 1-based line within the template."""
    try:
        parsed = _parse(source)
        undeclared = jinja2.meta.find_undeclared_variables(parsed)
        template = MessageTemplate(source, multiline=multiline)
    except jinja2.TemplateSyntaxError as exc:  # includes unknown filters and tests
        return None, f"invalid message template: {exc.message}", exc.lineno or 1
    except RecursionError:
        return None, "invalid message template: nested too deeply", 1
    for node in parsed.find_all(_FORBIDDEN_NODES):
        kind = type(node).__name__.lower()
        return None, f"message templates cannot use {kind} (only resource and params)", node.lineno
    for loop in parsed.find_all(jinja2.nodes.For):
        if loop.recursive:
            return None, "message templates cannot use recursive loops", loop.lineno
    for node in parsed.find_all(jinja2.nodes.Name):
        if node.name == "self":
            undeclared = {*undeclared, "self"}
    unknown = sorted(undeclared - CONTEXT_NAMES)
    if unknown:
        return (
            None,
            f"message template uses unknown variable '{unknown[0]}' (use resource or params)",
            1,
        )
    return template, None, 1
