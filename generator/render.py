"""Rendering: turn one declared page (generator/pages.py) into its text or bytes.

Untrusted text from scheme files only ever reaches output through
autoescaping, inside raw HTML blocks that Markdown leaves alone, so a scheme
cannot inject markup, links or images. Front matter is written as JSON (which
YAML reads), with values HTML-escaped first because Material prints `title`
and `description` into <head> unescaped. The speed tricks are in fast_jinja.
"""
from __future__ import annotations

import html
import pathlib
import posixpath
import re

import jinja2
import jinja2.bccache

from . import fast_jinja
from .formatting import compact_json, format_date, format_money, format_number, one_line

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"

# Markdown ends a raw HTML block at a blank line before a new tag in some cases.
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?=[ \t]*<)")


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory from one build to the next in the same process (`mkdocs serve`).

    Jinja compares each template's source with the one it compiled, so an
    edited template is compiled again. Kept apart by environment class, since
    fast_jinja compiles the same template differently.
    """

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source):
        kind = f"{type(environment).__module__}.{type(environment).__qualname__}"
        bucket = jinja2.bccache.Bucket(environment, f"{kind}:{self.get_cache_key(name, filename)}",
                                       self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


def make_environment(fast: bool = True, templates: CompiledTemplates | None = None) -> jinja2.Environment:
    """The templates' environment: autoescaped, StrictUndefined; `fast` adds fast_jinja's tricks.

    `templates` keeps compiled templates for the next build in this process.
    """
    cls = fast_jinja.FastEnvironment if fast else jinja2.Environment
    env = cls(
        bytecode_cache=templates,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=fast_jinja.no_blank_lines,
    )
    env.filters["date"] = format_date
    env.filters["number"] = format_number
    env.filters["money"] = format_money
    # For text shown as code that readers copy into their own HTML (the embed code):
    # escaped once here for the attribute, and once more by autoescape for this page.
    env.filters["attr_escape"] = lambda value: html.escape(str(value), quote=True)
    # A scheme is a row in many listings and among several others' related schemes.
    env.globals["scheme_row"] = fast_jinja.macro_caller(env, "_macros.j2", "scheme_row_uncached", cache=fast)
    env.globals["scheme_ref"] = fast_jinja.macro_caller(env, "_macros.j2", "scheme_ref_uncached", cache=fast)
    return env


def front_matter(meta: dict) -> str:
    """YAML front matter (as JSON) with every string HTML-escaped and on one line."""
    def esc(value):
        if isinstance(value, str):
            return html.escape(one_line(value), quote=True)
        if isinstance(value, list):
            return [esc(v) for v in value]
        if isinstance(value, dict):
            return {k: esc(v) for k, v in value.items()}
        return value
    clean = {k: esc(v) for k, v in meta.items() if v is not None}
    return "---\n" + compact_json(clean).decode("utf-8") + "\n---\n"


def root_of(path: str) -> str:
    """The relative way back to the site root from the page built from `path` (directory URLs)."""
    if not path.endswith(".md"):
        return "../" * path.count("/")
    stem = path[:-3]
    folder = posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem
    return "../" * (folder.count("/") + 1) if folder else ""


class Renderer:
    """One Jinja environment per build; each template is compiled once (or kept from the last build: `templates`)."""

    def __init__(self, fast: bool = True, templates: CompiledTemplates | None = None):
        self.env = make_environment(fast, templates)

    def render(self, page) -> str | bytes:
        """The content of a declared page: a template's text or a writer's bytes."""
        if page.writer is not None:
            return page.writer(**page.data)
        text = self.env.get_template(page.template).render(root=root_of(page.path), **page.data)
        if page.path.endswith(".md"):
            text = _BLANK_LINES.sub("\n", text)
            if page.meta is not None:
                text = front_matter(page.meta) + text
        return text
