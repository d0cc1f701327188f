"""Render the generated pages (Markdown with escaped HTML blocks) from Jinja templates.

Untrusted text from scheme files only ever reaches output through
autoescaping (every `{{ value }}` goes through `_Environment.output`), inside
raw HTML blocks that Markdown leaves alone, so a scheme cannot inject markup,
links or images. Front matter is serialised as JSON (which YAML reads), with
values HTML-escaped first because Material prints `title` and `description`
into <head> unescaped.
"""
from __future__ import annotations

import functools
import html
import pathlib
import re

import jinja2
import jinja2.compiler
import markupsafe

from . import prepare as fmt
from .exports import compact_json

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"


_BLANK_LINE_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _no_blank_lines(value):
    """A blank line inside a value would end Markdown's raw HTML block early."""
    if isinstance(value, str) and "\n" in value:
        joined = _BLANK_LINE_RUN.sub("\n", value)
        # re.sub returns a plain str: keep already-safe markup (macro output) from being escaped again
        return markupsafe.Markup(joined) if isinstance(value, markupsafe.Markup) else joined
    return value


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles each `{{ value }}` in an autoescaped template to one call, `environment.output(value)`.

    Jinja's own code is `escape(environment.finalize(value))`: two calls and a
    Markup object per value, which was a quarter of the generator's time at
    thousands of schemes. (Jinja's NativeCodeGenerator uses the same two hooks.)
    """

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


class _Environment(jinja2.Environment):
    """Writes values the fast way (see _CodeGenerator), and looks keys up before attributes.

    Every view is a plain dict; Jinja's own order (attribute first) raises and
    catches an AttributeError for each `view.field` in a template: millions of
    times over a large register.
    """

    code_generator_class = _CodeGenerator

    def __init__(self, **options):
        super().__init__(**options)
        # Short texts written again and again (page roots, slugs, force and tag names), escaped
        # once per build. Kept here, not module-wide, so each build starts from nothing.
        self.escaped: dict[str, str] = {}

    def output(self, value) -> str:
        """What `{{ value }}` writes: safe markup as it is, anything else HTML-escaped; no blank lines either way."""
        if type(value) is str:  # most values
            escaped = self.escaped.get(value)
            if escaped is None:
                escaped = html.escape(_BLANK_LINE_RUN.sub("\n", value) if "\n" in value else value)
                if len(value) <= 80 and len(self.escaped) < 100_000:
                    self.escaped[value] = escaped
            return escaped
        as_html = getattr(value, "__html__", None)
        if as_html is not None:  # macro output and other markup: escaped already
            return _no_blank_lines(as_html())
        return html.escape(_no_blank_lines(str(value)))

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_no_blank_lines,
    )
    env.filters["date"] = fmt.format_date
    env.filters["number"] = fmt.format_number
    env.filters["money"] = fmt.format_money
    # For text shown as code that readers copy into their own HTML (the embed code):
    # escaped once here for the attribute, and once more by autoescape for this page.
    env.filters["attr_escape"] = lambda value: html.escape(str(value), quote=True)
    return env


def front_matter(**meta) -> str:
    """YAML front matter with every string HTML-escaped (see module docstring)."""
    def esc(value):
        if isinstance(value, str):
            return html.escape(_one_line(value), quote=True)
        if isinstance(value, list):
            return [esc(v) for v in value]
        if isinstance(value, dict):
            return {k: esc(v) for k, v in value.items()}
        return value
    clean = {k: esc(v) for k, v in meta.items() if v is not None}
    # JSON is YAML too (a flow mapping of double-quoted strings), and writing JSON is
    # many times faster than a YAML emitter, once per page.
    return "---\n" + compact_json(clean).decode("utf-8") + "\n---\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())  # str.split() and re's \s agree on what whitespace is


_BLANK_LINES = re.compile(r"\n[ \t]*\n(?=[ \t]*<)")


class Renderer:
    """One Jinja environment per build; each template is loaded once."""

    def __init__(self, site, config_extra: dict | None = None, extra_data: dict | None = None):
        self.site = site
        self.env = make_environment()
        self.extra = config_extra or {}
        self.extra_data = extra_data or {}
        # A scheme is a row in many listings (index, force, each of its tags, providers) and
        # among the related schemes of several others: each is rendered once per page depth.
        self.env.globals["scheme_row"] = _cached_macro(self.env, "scheme_row_uncached")
        self.env.globals["scheme_ref"] = _cached_macro(self.env, "scheme_ref_uncached")

    def page(self, template: str, root: str, **context) -> str:
        text = self.env.get_template(template).render(
            site=self.site, vocab=self.site.vocab, root=root, extra=self.extra, **context
        )
        # Markdown ends a raw HTML block at a blank line before a new tag in some
        # cases; keep generated HTML blocks free of blank lines.
        return _BLANK_LINES.sub("\n", text)

    def scheme_page(self, view: dict) -> str:
        tags = [t["name"] for t in view["target_groups"]] + [t["name"] for t in view["intervention_types"]]
        meta = front_matter(title=view["title"], description=view["summary"], tags=tags, scheme=view["slug"])
        return meta + self.page("scheme.md.j2", "../../", s=view, related=self.site.related.of(view))

    def card(self, v: dict) -> str:
        """The embeddable card of a scheme: a small self-contained page with no script."""
        key = next((o for o in v["outcomes"] if o.get("category") == "outcome"), v["outcomes"][0] if v["outcomes"] else None)
        return self.env.get_template("card.html.j2").render(s=v, key_figure=key)

    def feed(self, site_url: str) -> str:
        entries = feed_entries(self.site.schemes)
        updated = entries[0]["updated"] if entries else "1970-01-01T00:00:00Z"
        return self.env.get_template("feed.xml.j2").render(entries=entries, updated=updated, site_url=site_url)

    # ---- pieces of work (see generator/parallel.py): each returns {docs-relative path: content} ----

    def site_jobs(self) -> list:
        """The pages about the whole register, slowest first."""
        return [self.listing_pages, self.other_pages]

    def scheme_jobs(self) -> list:
        """One piece per scheme: its page and its card."""
        return [functools.partial(self.scheme_files, view) for view in self.site.schemes]

    def scheme_files(self, view: dict) -> dict[str, str]:
        return {f"schemes/{view['slug']}.md": self.scheme_page(view),
                f"schemes/{view['slug']}/card/index.html": self.card(view)}

    def listing_pages(self) -> dict[str, str]:
        """Pages that list schemes in tables: one piece, so each row is rendered once (see _cached_macro)."""
        site = self.site
        out: dict[str, str] = {}
        out["schemes/index.md"] = front_matter(title="All schemes",
                                               description="Every scheme in the register in one table.") + \
            self.page("schemes_index.md.j2", "../", schemes=site.schemes)
        forces = []
        for slug, entry in site.vocab["forces"].items():
            members = site.by_force.get(slug, [])
            forces.append({**entry, "schemes": members, "charts": fmt.charts(members, site.vocab),
                           "funding_by_year": fmt.funding_by_year(members),
                           "funding_by_intervention": fmt.funding_by_intervention(members, site.vocab),
                           "region_name": site.vocab.label("regions", entry["region"]),
                           "office_title_name": site.vocab.label("office_titles", entry["office_title"])})
        out["forces/index.md"] = front_matter(title="Force areas",
                                              description="The 43 police force areas of England and Wales and their schemes.") + \
            self.page("forces_index.md.j2", "../", forces=forces)
        for force in forces:
            out[f"forces/{force['slug']}.md"] = front_matter(
                title=f"{force['name']}", description=f"Schemes to reduce reoffending in the {force['name']} force area.") + \
                self.page("force.md.j2", "../../", force=force)
        groups = []
        for vocab_name, heading in (("target_groups", "Target groups"), ("intervention_types", "Intervention types")):
            entries = []
            for slug, entry in site.vocab[vocab_name].items():
                members = site.by_tag.get((vocab_name, slug), [])
                entries.append({**entry, "schemes": members, "vocab": vocab_name})
                out[f"tags/{slug}.md"] = front_matter(title=entry["name"], description=entry.get("description", "")) + \
                    self.page("tag.md.j2", "../../", tag=entry, schemes=members, heading=heading)
            groups.append({"heading": heading, "entries": entries})
        out["tags/index.md"] = front_matter(title="Tags", description="Schemes by target group and by intervention type.") + \
            self.page("tags_index.md.j2", "../", groups=groups)
        out["providers/index.md"] = front_matter(title="Organisations", description="Every organisation that delivers, funds or supports a scheme, most schemes first.") + \
            self.page("providers_index.md.j2", "../", providers=site.providers)
        for p in site.providers:
            out[f"providers/{p['slug']}.md"] = front_matter(title=p["name"], description=f"Schemes that {p['name']} delivers, funds or supports.") + \
                self.page("provider.md.j2", "../../", p=p)
        return out

    def other_pages(self) -> dict[str, str]:
        site = self.site
        out: dict[str, str] = {}
        out["index.md"] = front_matter(title="Reducing Reoffending Schemes",
                                       description="Local schemes that Police and Crime Commissioners in England and Wales fund or run to reduce reoffending.") + \
            self.page("home.md.j2", "", newest=_newest(site.schemes), map_size=fmt.map_size(site.map_tiles))
        out["map.md"] = front_matter(title="Map of force areas", description="The 43 force areas of England and Wales, shaded by number of schemes.") + \
            self.page("map.md.j2", "../", tiles=site.map_tiles, size=fmt.map_size(site.map_tiles))
        out["finder.md"] = front_matter(title="Find schemes", description="Filter every scheme by area, group, approach, stage, status, evidence, funding and provider.") + \
            self.page("finder.md.j2", "../", schemes=site.schemes, facets=finder_facets())
        out["compare.md"] = front_matter(title="Compare schemes", description="Two to four schemes side by side.") + \
            self.page("compare.md.j2", "../", schemes=site.schemes)
        out["about/data.md"] = front_matter(title="About the data", description="What each download holds, column by column, and the licence.") + \
            self.page("about_data.md.j2", "../../", columns=self.extra_data["csv_columns"], fields=self.extra_data["fields"],
                      licence=self.extra_data["licence"], grant_columns=self.extra_data.get("grant_columns", []))
        out["about/evidence.md"] = front_matter(title="The evidence ladder", description="How far each scheme has been tested, step by step.") + \
            self.page("about_evidence.md.j2", "../../", ladder=list(site.vocab["evidence_ladder"].values()),
                      kinds=list(site.vocab["evidence_kinds"].values()))
        out["about/needs-review.md"] = front_matter(title="Entries due a review", description="Entries whose last review is older than the review threshold.") + \
            self.page("needs_review.md.j2", "../../", schemes=site.needs_review, months=site.review_after_months)
        from .scaffold import contribute_context  # the field reference, from the schema and vocabularies
        out["contribute.md"] = front_matter(title="Add or correct a scheme",
                                            description="How to add or correct a scheme by pull request, with every field and allowed value.") + \
            self.page("contribute.md.j2", "../", **contribute_context(self.extra_data["fields"], site.vocab, site.schemes))
        return out


def _cached_macro(env: jinja2.Environment, name: str):
    """A macro of _macros.j2 taking (view, root), rendered once per scheme and page depth.

    For fragments that name a scheme on many pages (its row in a listing, its
    entry among another scheme's related schemes). A closure rather than a
    Renderer method, so the environment holds no reference back to the
    renderer and its prepared schemes: they are freed as soon as the pages
    exist, without waiting for a cycle collection.
    """
    made: dict[tuple[str, str], markupsafe.Markup] = {}
    macro = None

    def cached(view: dict, root: str) -> markupsafe.Markup:
        nonlocal macro
        key = (view["slug"], root)
        fragment = made.get(key)
        if fragment is None:
            if macro is None:  # looked up on first use: .module copies the globals this closure is one of
                macro = getattr(env.get_template("_macros.j2").module, name)
            fragment = made[key] = macro(view, root)
        return fragment

    return cached


def finder_facets() -> list[dict]:
    from .exports import FINDER_FACETS
    return [{"key": key, "label": label} for key, label, _, _ in FINDER_FACETS]


def feed_entries(schemes: list[dict]) -> list[dict]:
    """Schemes by the date they were added or last reviewed, newest first (dates from the data)."""
    entries = []
    for v in schemes:
        published = _timestamp(v["added"])
        updated = max(published, _timestamp(v["last_reviewed"]))
        entries.append({"view": v, "published": published, "updated": updated})
    entries.sort(key=lambda e: (e["updated"], e["view"]["slug"]), reverse=True)
    return entries


def _timestamp(date_text: str) -> str:
    parts = (date_text.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _newest(schemes: list[dict], n: int = 8) -> list[dict]:
    return sorted(schemes, key=lambda v: (v["added"], v["last_reviewed"], v["slug"]), reverse=True)[:n]
