"""Finding messages: Jinja2 templates rendered in an immutable sandbox.

A template sees only ``resource`` (the linked document) and ``params`` (the
policy's effective parameters): no globals, no other templates, no private
attributes, no mutation, no unbounded repetition. Templates are parsed when the policy loads, so
a syntax error or an unknown variable is a load error with a position; a
failure while rendering falls back to a plain message, never a crash.
"""

from __future__ import annotations

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


class MessageTemplate:
    def __init__(self, source: str):
        self.source = source
        self._template = _ENVIRONMENT.from_string(source)
        self._parsed = _ENVIRONMENT.parse(source)

    def field_problems(self, resource: str, params: dict[str, Any]) -> list[tuple[str, int]]:
        """``resource.<path>`` that names no field, ``params.<name>`` that is not a parameter.

        Without this a typo renders as empty text (undefined is chainable, so a
        template over a resource that lacks an optional field still renders).
        """
        from scanner.engine.fields import check_field_path

        problems: list[tuple[str, int]] = []
        for root, chain, line in _attribute_chains(self._parsed):
            if root == "params" and chain and chain[0] not in params:
                known = ", ".join(sorted(params)) or "none"
                problems.append(
                    (
                        f"message template uses unknown parameter 'params.{chain[0]}' "
                        f"(declared: {known})",
                        line,
                    )
                )
            elif root == "resource" and chain:
                problem = check_field_path(resource, chain)
                if problem:
                    problems.append(
                        (f"message template: 'resource.{'.'.join(chain)}': {problem}", line)
                    )
        return problems

    def render(self, resource: dict[str, Any], params: dict[str, Any], fallback: str) -> str:
        try:
            text = self._template.render(resource=resource, params=params)
        except Exception as exc:  # a template over unexpected data must not stop a scan
            return f"{fallback} (message template failed: {type(exc).__name__})"
        text = " ".join(text.split()) or fallback
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[: MAX_MESSAGE_CHARS - 1] + "…"
        return text


def _attribute_chains(parsed: jinja2.nodes.Template) -> list[tuple[str, tuple[str, ...], int]]:
    """Every outermost ``resource.a.b`` / ``params.x`` chain: (root name, fields, line)."""
    chains: list[tuple[str, tuple[str, ...], int]] = []
    inner: set[int] = set()
    # ``resource.tags.get("Team")``: ``get`` is a method the sandbox rules on, not a field.
    called = {id(call.node) for call in parsed.find_all(jinja2.nodes.Call)}
    for node in parsed.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if id(node) in inner:
            continue
        method = id(node) in called and isinstance(node, jinja2.nodes.Getattr)
        fields: list[str] = []
        current: jinja2.nodes.Node = node
        while isinstance(current, jinja2.nodes.Getattr | jinja2.nodes.Getitem):
            inner.add(id(current))
            if isinstance(current, jinja2.nodes.Getattr):
                fields.append(current.attr)
            elif isinstance(current.arg, jinja2.nodes.Const) and isinstance(current.arg.value, str):
                fields.append(current.arg.value)
            else:
                fields = []  # an index or computed key: only the part after it is unknown
            current = current.node
        if method and fields:
            fields = fields[1:]
        if isinstance(current, jinja2.nodes.Name) and current.name in CONTEXT_NAMES:
            chains.append((current.name, tuple(reversed(fields)), node.lineno))
    return chains


def compile_message(source: str) -> tuple[MessageTemplate | None, str | None, int]:
    """Parse a template; return it, or an error message and the 1-based line within the template."""
    try:
        parsed = _ENVIRONMENT.parse(source)
        undeclared = jinja2.meta.find_undeclared_variables(parsed)
        template = MessageTemplate(source)
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
