"""Finding messages: Jinja2 templates rendered in an immutable sandbox.

A template sees only ``resource`` (the linked document) and ``params`` (the
policy's effective parameters). Templates are parsed when the policy loads, so
a syntax error or an unknown variable is a load error with a position; a
failure while rendering falls back to a plain message, never a crash.
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2.meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

CONTEXT_NAMES = frozenset({"resource", "params"})

_ENVIRONMENT = ImmutableSandboxedEnvironment(
    autoescape=False,  # plain text; every report escapes for its own format
    undefined=jinja2.ChainableUndefined,
    keep_trailing_newline=False,
)


class MessageTemplate:
    def __init__(self, source: str):
        self.source = source
        self._template = _ENVIRONMENT.from_string(source)

    def render(self, resource: dict[str, Any], params: dict[str, Any], fallback: str) -> str:
        try:
            text = self._template.render(resource=resource, params=params)
        except Exception as exc:  # a template over unexpected data must not stop a scan
            return f"{fallback} (message template failed: {type(exc).__name__})"
        return " ".join(text.split()) or fallback


def compile_message(source: str) -> tuple[MessageTemplate | None, str | None, int]:
    """Parse a template; return it, or an error message and the 1-based line within the template."""
    try:
        parsed = _ENVIRONMENT.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return None, f"invalid message template: {exc.message}", exc.lineno or 1
    unknown = sorted(jinja2.meta.find_undeclared_variables(parsed) - CONTEXT_NAMES)
    if unknown:
        return (
            None,
            f"message template uses unknown variable '{unknown[0]}' (use resource or params)",
            1,
        )
    return MessageTemplate(source), None, 1
