"""Policy text (Markdown) as safe HTML for report.html.

markdown-it-py (CommonMark, the executablebooks project; also what rich uses)
with raw HTML turned off, so markup in a description is shown as text; images
off, so the page never loads anything; links only to ``http``/``https`` URLs
(a ``javascript:`` or ``data:`` link stays plain text), opened with
``rel="noopener noreferrer"``. The page's Content-Security-Policy is the
second fence: no inline handler or foreign script could run anyway.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_LINK = re.compile(r"^https?://", re.IGNORECASE)


def _safe_link(url: str) -> bool:
    return _SAFE_LINK.match(url.strip()) is not None


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")
    parser.validateLink = _safe_link  # type: ignore[method-assign]

    def link_open(renderer, tokens, index, options, env):  # type: ignore[no-untyped-def]
        tokens[index].attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, index, options, env)

    parser.add_render_rule("link_open", link_open)
    return parser


def markdown_html(text: str) -> Markup:
    """Block HTML for one piece of policy text (paragraphs, lists, inline code, links)."""
    return Markup(_parser().render(text or ""))
