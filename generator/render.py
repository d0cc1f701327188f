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

    def render(self, page) -> str | bytes | pathlib.Path:
        """The content of a declared page: a template's text or a writer's bytes (or file: a cached card)."""
        if page.writer is not None:
            return page.writer(**page.data)
        text = self.env.get_template(page.template).render(root=root_of(page.path), **page.data)
        if page.path.endswith(".md"):
            text = _BLANK_LINES.sub("\n", text)
            if page.meta is not None:
                text = front_matter(page.meta) + text
        return text


# Generated pages as HTML, past Markdown (issue 25, point 5). A generated Markdown page is raw HTML
# blocks and plain headings; html_page gives the HTML Python-Markdown (with the toc extension's
# permalinks and attr_list) makes of it, and its headings, without parsing the HTML twice as
# Python-Markdown and MkDocs do. Anything outside that shape returns None: such a page goes
# through Markdown as before. tests/test_html_pages.py holds the two to the same bytes.

# Python-Markdown's block-level tags (markdown.Markdown().block_level_elements), as of 3.x.
BLOCK_LEVEL = frozenset("""address article aside blockquote details div dl fieldset figcaption figure footer form
h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul canvas colgroup dd body dt group html
iframe li legend math map noscript output object option progress script style summary tbody td textarea tfoot th
thead tr video center""".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# A heading the fast path reads: a line of plain words, optionally `{: bare-attribute ... }` (attr_list).
_HEADING = re.compile(r"^(#{1,6}) ([A-Za-z0-9][A-Za-z0-9 ,.()'-]*?)(?: \{: ((?:[a-z][a-z0-9-]* )+)\})?$", re.M)
# A tag with lowercase name and double-quoted attribute values (all autoescaped): anything else is left to Markdown.
_TAG = re.compile(r'<(/?)([a-z][a-z0-9-]*)(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*\s*(/?)>')
_TWO_LINES = re.compile(r"( *\n){2}")


def _slug(text: str) -> str:
    """The toc extension's default slugify for the plain-words headings _HEADING admits."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


def _raw_blocks(chunk: str) -> list[str] | None:
    """An HTML chunk as [gap, element, gap, element, ..., gap]: its top-level elements and the whitespace
    around them; None unless every one is a block-level element starting a line, with only whitespace
    (a line break or more) between them, and every `<` and `>` is part of a tag _TAG reads."""
    tags = list(_TAG.finditer(chunk))
    if chunk.count("<") != len(tags) or chunk.count(">") != len(tags):
        return None  # a comment, a declaration or markup the pattern does not read (a tag holds one of each)
    out: list[str] = []
    pos = start = 0
    stack: list[str] = []
    for m in tags:
        closing, name, self_closing = m.groups()
        if not stack:  # a top-level element starts
            at = m.start()
            gap = chunk[pos:at]
            if closing or self_closing or name not in BLOCK_LEVEL or name in VOID or gap.strip() \
                    or (at and chunk[at - 1] != "\n") or (out and "\n" not in gap):
                return None
            out.append(gap)
            start = at
        if closing:
            if not stack or stack.pop() != name:
                return None
            if not stack:
                pos = m.end()
                out.append(chunk[start:pos])
        elif not self_closing and name not in VOID:
            if name in ("script", "style", "textarea") and not chunk.startswith(f"</{name}>", m.end()):
                # their content is not markup: only a content without any < (JSON-LD, whose <, > and & are
                # written as \u escapes by structured_data.py) is copied as it stands, as Markdown copies it
                end = chunk.find(f"</{name}>", m.end())
                if name != "script" or end < 0 or "<" in chunk[m.end():end]:
                    return None
            stack.append(name)
    if stack or chunk[pos:].strip():
        return None
    out.append(chunk[pos:])
    return out


def html_page(text: str, permalink: str = "&para;", permalink_title: str = "Permanent link"
              ) -> tuple[str, list[dict]] | None:
    """The HTML and the table-of-contents tokens Python-Markdown makes of a generated page's Markdown
    (front matter removed), or None if the page is not only raw HTML blocks and plain headings."""
    if "\t" in text or "\r" in text or "\x02" in text or "\x03" in text or "```" in text or "~~~" in text:
        return None
    text = re.sub(r"\n +(?=\n)", "\n", "\n" + text + "\n\n")  # Python-Markdown empties lines of spaces
    parts: list[str] = []       # the HTML blocks, joined by a line break at the end
    ids: set[str] = set()
    tokens: list[dict] = []
    pos = 0
    for h in [*_HEADING.finditer(text), None]:
        blocks = _raw_blocks(text[pos:h.start() if h else len(text)])
        if blocks is None:
            return None
        for i in range(1, len(blocks), 2):
            # A raw block followed by a blank line keeps one more line break.
            parts.append(blocks[i] + "\n" if _TWO_LINES.match(blocks[i + 1]) else blocks[i])
        if h is None:
            break
        level, title, attrs = len(h.group(1)), h.group(2).strip(), h.group(3)
        hid = _unique(_slug(title), ids)
        extra = "".join(f" {a}" for a in attrs.split()) if attrs else ""
        parts.append(f'<h{level}{extra} id="{hid}">{title}<a class="headerlink" href="#{hid}" '
                     f'title="{permalink_title}">{permalink}</a></h{level}>')
        tokens.append({"level": level, "id": hid, "name": title, "html": title, "data-toc-label": "", "children": []})
        pos = h.end()
    from markdown.extensions.toc import nest_toc_tokens  # the toc extension's own nesting

    return "\n".join(parts).strip(), nest_toc_tokens(tokens)


_ANCHOR = re.compile(r'<(?:[a-zA-Z][^>]*?\sid|a\s[^>]*?\sname)="([^"]*)"')


def anchor_ids(html_text: str) -> set[str]:
    """The ids (and <a name>s) in a page's HTML: what MkDocs records for links to the page's anchors."""
    return {html.unescape(v) for v in _ANCHOR.findall(html_text)}


def _unique(hid: str, ids: set[str]) -> str:
    """The toc extension's unique(): a repeated id gains _1, _2 ..."""
    if hid in ids or not hid:
        count = 1
        while f"{hid}_{count}" in ids:
            count += 1
        hid = f"{hid}_{count}"
    ids.add(hid)
    return hid
