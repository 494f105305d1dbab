"""Finding messages and remediations: Jinja2 templates rendered in an immutable sandbox.

A template sees only ``resource`` (the linked document) and ``params`` (the
policy's effective parameters): no globals, no other templates, no private
attributes, no mutation, no unbounded repetition. Templates are parsed when the policy loads, so
a syntax error or an unknown variable is a load error with a position; a
failure while rendering falls back to a plain message, never a crash.

A remediation is the same kind of template, so its commands carry the
resource's real names and ids. Where no resource is at hand (the policy docs,
SARIF rule help) it renders with *placeholders*: ``{{ resource.id }}`` prints
as ``<id>``.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

CONTEXT_NAMES = frozenset({"resource", "params"})
MAX_MESSAGE_CHARS = 4096  # a finding's message; longer renders are cut with "…"
_MAX_EXPONENT = 1024
# Nodes that reach beyond the template's two variables: other templates, blocks, ``self``.
_FORBIDDEN_NODES = (
    jinja2.nodes.Include,
    jinja2.nodes.Import,
    jinja2.nodes.FromImport,
    jinja2.nodes.Extends,
    jinja2.nodes.Block,
)


class _MessageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, without globals, and with ``*`` and ``**`` kept small.

    The sandbox already refuses private and internal attributes (``__class__``,
    ``__globals__``, ``mro``) and mutation; removing the default globals
    (``lipsum``, ``cycler``, ``joiner``, ``namespace``, ``range``, ``dict``)
    leaves a template nothing but ``resource`` and ``params``. Repetition and
    powers are bounded so a template cannot exhaust memory or CPU.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > MAX_MESSAGE_CHARS
                ):
                    raise SecurityError("repetition too large for a message")
        if operator == "**" and isinstance(right, int) and abs(right) > _MAX_EXPONENT:
            raise SecurityError("exponent too large for a message")
        return super().call_binop(context, operator, left, right)


_ENVIRONMENT = _MessageSandbox(
    autoescape=False,  # plain text; every report escapes for its own format
    undefined=jinja2.ChainableUndefined,
    keep_trailing_newline=False,
)
_ENVIRONMENT.globals.clear()


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
        self._template = _ENVIRONMENT.from_string(source)

    def render(self, resource: dict[str, Any], params: dict[str, Any], fallback: str) -> str:
        try:
            text = self._template.render(resource=resource, params=params)
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

    def render_placeholders(self, params: dict[str, Any]) -> str:
        """The text for no resource in particular: every resource value is a ``<placeholder>``."""
        return self.render(Placeholder(), params, fallback=self.source.strip())  # type: ignore[arg-type]


def compile_message(
    source: str, *, multiline: bool = False
) -> tuple[MessageTemplate | None, str | None, int]:
    """Parse a template; return it, or an error message and the 1-based line within the template."""
    try:
        parsed = _ENVIRONMENT.parse(source)
        undeclared = jinja2.meta.find_undeclared_variables(parsed)
        template = MessageTemplate(source, multiline=multiline)
    except jinja2.TemplateSyntaxError as exc:  # includes unknown filters and tests
        return None, f"invalid message template: {exc.message}", exc.lineno or 1
    except RecursionError:
        return None, "invalid message template: nested too deeply", 1
    for node in parsed.find_all(_FORBIDDEN_NODES):
        kind = type(node).__name__.lower()
        return None, f"message templates cannot use {kind} (only resource and params)", node.lineno
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
