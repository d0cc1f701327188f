"""Speed code for rendering, behind one door: what makes Jinja quick at thousands of pages.

Everything here is optional: `render.make_environment(fast=False)` builds a
stock Jinja environment with the same templates and filters, and
tests/test_fast_rendering.py renders every page of the real register and of a
synthetic one both ways and compares the bytes. Three tricks, each measured
with `make bench` at 5,000 schemes:

- `_CodeGenerator` compiles each `{{ value }}` of an autoescaped template to one
  call, `environment.output(value)`, instead of Jinja's
  `escape(environment.finalize(value))` (two calls and a Markup object per
  value). It overrides two underscore-named hooks of Jinja's code generator
  (the same two Jinja's own NativeCodeGenerator uses), which is why
  pyproject.toml bounds jinja2 to the minor version they were written for.
- `FastEnvironment.getattr` looks a key up in a plain dict before trying an
  attribute. Every view is a dict; Jinja's own order raises and catches an
  AttributeError for each `view.field`. (The two orders differ only for keys
  named like dict methods, such as `items`; the byte comparison would show it.)
- `macro_caller(..., cache=True)` renders a listing row (or a related-scheme
  reference) once per scheme and page depth, not once per page it appears on.
"""
from __future__ import annotations

import re

import jinja2
import jinja2.compiler
import markupsafe

BLANK_LINE_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def no_blank_lines(value):
    """A blank line inside a value would end Markdown's raw HTML block early: join the lines."""
    if isinstance(value, str) and "\n" in value:
        joined = BLANK_LINE_RUN.sub("\n", value)
        # re.sub returns a plain str: keep already-safe markup (macro output) from being escaped again
        return markupsafe.Markup(joined) if isinstance(value, markupsafe.Markup) else joined
    return value


def _escape(text: str) -> str:
    """HTML-escape as MarkupSafe spells it (&#39; and &#34;), so fast and stock output are the same bytes."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles each `{{ value }}` in an autoescaped template to `environment.output(value)`."""

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize):
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class FastEnvironment(jinja2.Environment):
    """A Jinja environment that writes values in one call and looks dict keys up first."""

    code_generator_class = _CodeGenerator

    def __init__(self, **options):
        super().__init__(**options)
        # Short texts written again and again (page roots, slugs, force and tag names) are escaped
        # once per build: at 5,000 schemes, 1.4 million values are written and 84,000 are distinct.
        self.escaped: dict[str, str] = {}

    def output(self, value) -> str:
        """What `{{ value }}` writes: safe markup as it is, anything else escaped; no blank lines either way."""
        if type(value) is str:  # most values
            escaped = self.escaped.get(value)
            if escaped is None:
                escaped = _escape(BLANK_LINE_RUN.sub("\n", value) if "\n" in value else value)
                if len(value) <= 80 and len(self.escaped) < 100_000:
                    self.escaped[value] = escaped
            return escaped
        as_html = getattr(value, "__html__", None)
        if as_html is not None:  # macro output and other markup: escaped already
            return no_blank_lines(as_html())
        return _escape(no_blank_lines(str(value)))

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def macro_caller(env: jinja2.Environment, template: str, name: str, cache: bool):
    """A global that calls macro `name` of `template` with (view, root), rendered once per scheme and depth if cached.

    A closure rather than a method of the renderer, so the environment holds
    no reference back to the prepared schemes.
    """
    made: dict[tuple[str, str], markupsafe.Markup] = {}
    macro = None

    def call(view: dict, root: str) -> markupsafe.Markup:
        nonlocal macro
        if macro is None:  # looked up on first use: .module copies the globals this closure is one of
            macro = getattr(env.get_template(template).module, name)
        if not cache:
            return macro(view, root)
        key = (view["slug"], root)
        fragment = made.get(key)
        if fragment is None:
            fragment = made[key] = macro(view, root)
        return fragment

    return call
