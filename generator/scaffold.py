"""Contributor tooling: `python -m generator new`, and the data of the /contribute/ page.

`new` writes schemes/<slug>.yaml with every field of the schema in schema
order: required fields filled from the options or holding the placeholder
TODO (which fails validation with a message saying what to write), optional
fields commented out, each with a one-line explanation from the schema. The
first line points editors (VS Code's YAML extension and others using the YAML
language server) at the published JSON Schema for autocompletion.

The same skeleton, blank, and a real entry rendered the same way are shown
on /contribute/, next to a field reference built from the schema and the
vocabularies, so the guide cannot drift from what the validator accepts.
"""
from __future__ import annotations

import datetime
import difflib
import json
import os
import pathlib
import re
import sys
import unicodedata

import jinja2
import yaml

from .schema import _base_schema, build_schema, resolve
from .vocabularies import ROOT, Vocabularies, load_vocabularies

TEMPLATES = pathlib.Path(__file__).resolve().parent / "templates"
PLACEHOLDER = "TODO"
DEFAULT_SITE_URL = "https://reducing-reoffending.example/"
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80
MAX_LISTED = 25  # list a vocabulary's values in comments up to this many

# Columns shown for each vocabulary on /contribute/ besides the value and its label.
_DETAILS = {
    "forces": lambda v, e: f"{v.label('regions', e['region'])}; {e['office']}",
    "organisations": lambda v, e: v.label("organisation_kinds", e["kind"]),
    "sources": lambda v, e: f"{e['title']}. {e['publisher']}, {e['date']}",
    "evidence_kinds": lambda v, e: f"{e.get('description', '')} Step: {v.label('evidence_ladder', e['ladder'])}.".strip(),
}


# ---- small helpers -----------------------------------------------------------

def _env() -> jinja2.Environment:
    # YAML, not HTML: no autoescape; values are quoted for YAML by yaml_scalar().
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens ("Women's Centre" -> "womens-centre")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"['\u2019]", "", ascii_text).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def propose_slug(force: str, title: str) -> str:
    """`<force>-<slugified title>`, without repeating the force, at most 80 characters."""
    words = slugify(title)
    if words == force or words.startswith(force + "-"):
        words = words[len(force):].lstrip("-")
    slug = f"{force}-{words}".strip("-") if words else force
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        if slug[SLUG_MAX] != "-" and cut.rfind("-") > len(force):
            cut = cut[: cut.rfind("-")]  # end on a whole word
        slug = cut.strip("-")
    return slug


def yaml_scalar(value) -> str:
    """One value written so YAML reads it back unchanged (JSON strings are valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if text == PLACEHOLDER:
        return text
    # plain only for slug-like words (never for numbers, dates or yes/no words YAML would convert)
    if SLUG_RE.match(text) and re.search("[a-z]", text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value) -> str:
    """A value on one line, in YAML flow style (lists as [a, b], groups as {k: v})."""
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    return yaml_scalar(value)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV [NAME, default]` as MkDocs does; other tags as nothing."""


def _env_tag(loader, node):
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        names, default = [loader.construct_scalar(node)], None
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_url() -> str:
    """The published address: SITE_URL, else mkdocs.yml's default, ending in a slash."""
    url = os.environ.get("SITE_URL")
    if not url:
        try:
            config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
            url = config.get("site_url")
        except (OSError, yaml.YAMLError):
            url = None
    url = str(url or DEFAULT_SITE_URL)
    return url if url.endswith("/") else url + "/"


def schema_url(base: str | None = None) -> str:
    return (base or site_url()) + "schema/scheme.schema.json"


# ---- the skeleton ------------------------------------------------------------

class Skeleton:
    """Writes a scheme file with every schema field, in schema order, with comments."""

    def __init__(self, vocab: Vocabularies, schema: dict | None = None):
        self.vocab = vocab
        self.schema = schema or build_schema(vocab)
        self.date_pattern = self.schema["definitions"]["date"]["pattern"]

    # what a value looks like, in words, for comments
    def _values_hint(self, node: dict) -> str:
        target = resolve(self.schema, node)
        if target.get("type") == "array":
            target = resolve(self.schema, target.get("items", {}))
        name = target.get("x-vocabulary")
        allowed = [str(v) for v in target.get("enum", [])]
        if name and len(allowed) > MAX_LISTED:
            return f"Values: see vocabularies/{name}.yaml."
        if name:
            return f"Values: {', '.join(allowed)} (vocabularies/{name}.yaml)."
        if allowed:
            return f"Values: {', '.join(allowed)}."
        if target.get("pattern") == self.date_pattern:
            return 'A date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY".'
        if target.get("type") == "number":
            return "Digits only: no £ sign, % or commas."
        if target.get("type") == "integer":
            return "A whole number."
        return ""

    def _description(self, node: dict) -> str:
        return _one_line(node.get("description") or resolve(self.schema, node).get("description", ""))

    def _example(self, node: dict):
        examples = node.get("examples") or resolve(self.schema, node).get("examples")
        return examples[0] if examples else None

    def _is_block_text(self, node: dict) -> bool:
        target = resolve(self.schema, node)
        return target.get("type") == "string" and target.get("maxLength", 0) > 2000

    # lines for one key, with a value or with placeholders
    def _lines(self, key: str, node: dict, value, annotate: bool) -> list[str]:
        target = resolve(self.schema, node)
        kind = target.get("type")
        if kind == "array":
            items = resolve(self.schema, target.get("items", {}))
            if items.get("type") == "object":
                entries = value if value is not None else [None]
                out = [f"{key}:"]
                for entry in entries:
                    sub = self._object_lines(items, entry, annotate)
                    out.append("  - " + sub[0])
                    out.extend("    " + line for line in sub[1:])
                return out
            return [f"{key}: {flow(value if value is not None else [PLACEHOLDER])}"]
        if kind == "object":
            return [f"{key}:"] + ["  " + line for line in self._object_lines(target, value, annotate)]
        if value is None:
            if self._is_block_text(node):
                return [f"{key}: |", f"  {PLACEHOLDER}"]
            return [f"{key}: {PLACEHOLDER}"]
        if isinstance(value, str) and "\n" in value.strip() and not value[:1].isspace():
            chomp = "|" if value.endswith("\n") and not value.endswith("\n\n") else "|-"
            body = value[:-1] if chomp == "|" else value
            return [f"{key}: {chomp}"] + [("  " + line) if line else "" for line in body.split("\n")]
        return [f"{key}: {yaml_scalar(value)}"]

    def _object_lines(self, obj: dict, value, annotate: bool) -> list[str]:
        """The fields of one group (a list item or `contact`): those given, or all as placeholders."""
        required = set(obj.get("required", []))
        out = []
        for key, node in obj.get("properties", {}).items():
            if value is not None and key not in value:
                continue
            lines = self._lines(key, node, None if value is None else value[key], annotate)
            if annotate and value is None:
                desc = self._description(node)
                hint = self._values_hint(node)
                if "digits only" in desc.lower() or "YYYY" in desc:
                    hint = ""  # the description already says it
                note = " ".join(filter(None, [
                    "required." if key in required else "optional: fill in or delete the line.",
                    desc,
                    hint,
                    f"For example: {flow(self._example(node))}" if self._example(node) is not None
                    and resolve(self.schema, node).get("type") != "object" else "",
                ]))
                lines[0] += f"  # {note}"
            out.extend(lines)
        return out

    def fields(self, values: dict, annotate: bool = True) -> list[dict]:
        """One entry per top-level field: its comment lines and its YAML lines."""
        required = set(self.schema.get("required", []))
        out = []
        for name, node in self.schema["properties"].items():
            given = values.get(name)
            notes = []
            hint = self._values_hint(node)
            if hint:
                notes.append(hint)
            example = self._example(node)
            if given is None and example is not None:
                notes.append(f"Example: {flow(example)}")
            out.append({
                "name": name,
                "required": name in required,
                "given": given is not None,
                # optional fields with no value are written commented out
                "commented": given is None and name not in required,
                "comment": self._description(node),
                "notes": notes,
                "lines": self._lines(name, node, given, annotate and given is None),
            })
        return out

    def render(self, values: dict, *, kind: str = "new", base_url: str | None = None, today: str = "") -> str:
        base = base_url or site_url()
        return _env().get_template("scheme.yaml.j2").render(
            fields=self.fields(values), kind=kind, slug=values.get("slug") or "<slug>",
            schema_url=schema_url(base), site_url=base, today=today, placeholder=PLACEHOLDER,
        )


# ---- `python -m generator new` -----------------------------------------------

class ScaffoldError(Exception):
    """A value given to `new` is not usable; the message says what to do."""


def match_value(vocab: Vocabularies, name: str, text: str, what: str) -> str:
    """A vocabulary value from its slug or its label (any case), or an error with suggestions."""
    text = text.strip()
    table = vocab[name]
    if text in table:
        return text
    by_label = {vocab.label(name, k).lower(): k for k in table}
    if text.lower() in by_label:
        return by_label[text.lower()]
    if slugify(text) in table:
        return slugify(text)
    hint = difflib.get_close_matches(text.lower(), list(table) + list(by_label), n=1, cutoff=0.6)
    msg = f"'{text}' is not a known {what}"
    if hint:
        msg += f"; did you mean '{by_label.get(hint[0], hint[0])}'?"
    if len(table) <= MAX_LISTED:
        msg += " Allowed: " + ", ".join(table)
    msg += f" (the list is in vocabularies/{name}.yaml)"
    raise ScaffoldError(msg)


def _split(values) -> list[str]:
    return [part.strip() for value in values or [] for part in str(value).split(",") if part.strip()]


def used_slugs(directory: pathlib.Path) -> tuple[set[str], dict[str, str]]:
    """Slugs taken by files, and former slugs (aliases) with the file that keeps each."""
    from .loader import scheme_paths

    files, aliases = set(), {}
    if not directory.is_dir():
        return files, aliases
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in scheme_paths(directory):
        files.add(path.stem)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # `validate` reports broken files; here only aliases matter
        if isinstance(data, dict) and isinstance(data.get("aliases"), list):
            for alias in data["aliases"]:
                aliases.setdefault(str(alias), path.name)
    return files, aliases


def check_slug(slug: str, directory: pathlib.Path) -> None:
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens, "
                            f"at most {SLUG_MAX} characters")
    files, aliases = used_slugs(directory)
    if slug in files:
        raise ScaffoldError(f"schemes/{slug}.yaml already exists: edit that file to correct the scheme, "
                            "or choose another slug with --slug")
    if slug in aliases:
        raise ScaffoldError(f"'{slug}' is a former slug (alias) of schemes/{aliases[slug]}, and its address "
                            "redirects there; choose another slug with --slug")


def _prompt(ask, question: str) -> str:
    try:
        return ask(question).strip()
    except EOFError:
        raise ScaffoldError("no answer given") from None


def collect(args, vocab: Vocabularies, directory: pathlib.Path, interactive: bool, ask=input, say=print) -> dict:
    """Values for the new file from the options, asking for missing ones when interactive."""
    title = (args.title or "").strip()
    while not title:
        if not interactive:
            raise ScaffoldError("give the scheme's name with --title (or run in a terminal to be asked)")
        title = _prompt(ask, "Title of the scheme, as published: ")
    if not 3 <= len(title) <= 150:
        raise ScaffoldError("the title needs 3 to 150 characters")

    def pick_one(given, name, what, question):
        while True:
            if not given:
                if not interactive:
                    raise ScaffoldError(f"give the {what} with --{what.replace(' ', '-')} "
                                        "(or run in a terminal to be asked)")
                given = _prompt(ask, question)
            try:
                return match_value(vocab, name, given, what)
            except ScaffoldError as exc:
                if not interactive:
                    raise
                say(f"  {exc}")
                given = ""

    force = pick_one(args.force, "forces", "force", "Police force area (for example durham, or Durham): ")

    def pick_many(given, name, what):
        values = _split(given)
        while not values and interactive:
            listing = ", ".join(vocab.values(name))
            answer = _prompt(ask, f"{what.capitalize()}s, separated by commas (Enter to fill in later)\n"
                                  f"  [{listing}]: ")
            if not answer:
                return []
            try:
                return list(dict.fromkeys(match_value(vocab, name, v, what) for v in _split([answer])))
            except ScaffoldError as exc:
                say(f"  {exc}")
        return list(dict.fromkeys(match_value(vocab, name, v, what) for v in values))

    groups = pick_many(args.target_group, "target_groups", "target group")
    types = pick_many(args.intervention_type, "intervention_types", "intervention type")

    slug = (args.slug or "").strip()
    if not slug:
        slug = propose_slug(force, title)
        if interactive and not args.yes:
            slug = _prompt(ask, f"Slug (the page address /schemes/<slug>/; it never changes) [{slug}]: ") or slug
    check_slug(slug, directory)
    return {
        "slug": slug,
        "title": title,
        "forces": [force],
        "target_groups": groups or None,
        "intervention_types": types or None,
    }


def cmd_new(args, ask=input, interactive: bool | None = None) -> int:
    from .loader import SCHEMES_DIR, SchemeLoader

    directory = SCHEMES_DIR
    if interactive is None:
        interactive = sys.stdin.isatty()
    try:
        vocab = load_vocabularies()
        values = collect(args, vocab, directory, interactive, ask=ask,
                         say=lambda msg: print(msg, file=sys.stderr))
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    today = datetime.date.today().isoformat()
    values["last_reviewed"] = today
    text = Skeleton(vocab).render(values, kind="new", today=today)
    path = directory / f"{values['slug']}.yaml"
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        print(f"error: {path} already exists", file=sys.stderr)
        return 1
    _, problems = SchemeLoader(vocab).load_file(path)
    shown = os.path.relpath(path)
    print(f"Wrote {shown}", file=sys.stderr)
    if problems:
        print(f"Still to fill in ({len(problems)}): " + ", ".join(p.field for p in problems), file=sys.stderr)
    print(f"Replace every {PLACEHOLDER} as its comment says, then check the file with:\n"
          f"  python -m generator validate {shown}", file=sys.stderr)
    print(shown)
    return 0


def add_arguments(p) -> None:
    p.add_argument("--title", help="the scheme's name, as published")
    p.add_argument("--force", help="the lead police force area: its slug or name (e.g. durham)")
    p.add_argument("--target-group", action="append", metavar="GROUP",
                   help="a target group (repeat, or separate with commas)")
    p.add_argument("--intervention-type", action="append", metavar="TYPE",
                   help="an intervention type (repeat, or separate with commas)")
    p.add_argument("--slug", help="the file name and page address; default <force>-<title words>")
    p.add_argument("--yes", "-y", action="store_true", help="accept the proposed slug without asking")


# ---- the /contribute/ page -----------------------------------------------------

def _formats() -> dict[str, str]:
    defs = _base_schema()["definitions"]
    return {
        defs["date"]["pattern"]: 'a date in quotes: "YYYY-MM-DD", "YYYY-MM" or "YYYY" (just the year or month when the source gives no more)',
        defs["slug"]["pattern"]: "lowercase letters, digits and single hyphens",
        defs["https_url"]["pattern"]: "a web address starting with https://",
    }


def _values_at(data, parts: list[str]):
    """Every value at a dotted path like outcomes[].caveat in one scheme's data."""
    found = [data]
    for part in parts:
        is_list = part.endswith("[]")
        key = part[:-2] if is_list else part
        nxt = []
        for item in found:
            if isinstance(item, dict) and key in item:
                value = item[key]
                if is_list and isinstance(value, list):
                    nxt.extend(value)
                else:
                    nxt.append(value)
        found = nxt
    return found


def _shorten(text: str, limit: int = 160) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# Used only when neither the schema nor any entry gives an example of a field.
_GENERIC_EXAMPLES = {
    _base_schema()["definitions"]["date"]["pattern"]: "2021-03",
    "integer": 18,
    "number": 100,
}


def field_anchor(name: str) -> str:
    """The id of a field's row on /contribute/: funding[].source.document -> funding-source-document."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def field_reference(fields: list[dict], vocab: Vocabularies, schemes: list[dict]) -> list[dict]:
    """Rows of the field reference: schema_fields() plus format, allowed values and an example."""
    formats = _formats()
    rows = []
    for f in fields:
        example = f["example"]
        if example is None:
            # the first real entry that has the field
            parts = f["name"].replace("[].", "[]\0").split("\0")
            parts = [q for p in parts for q in p.split(".")]
            for view in schemes:
                values = _values_at(view["data"], parts)
                if values:
                    example = values[0]
                    break
        if example is None and f["enum"]:
            example = f["enum"][0]
        if example is None:
            example = _GENERIC_EXAMPLES.get(f["pattern"] or f["type"])
        rows.append({
            **f,
            "format": formats.get(f["pattern"], "in the expected format" if f["pattern"] else ""),
            "anchor": field_anchor(f["name"]),
            "allowed": [] if f["vocabulary"] else [str(v) for v in f["enum"]],
            "example_text": "" if example is None else _shorten(example if isinstance(example, str) else flow(example)),
        })
    return rows


def vocabulary_tables(fields: list[dict], vocab: Vocabularies) -> list[dict]:
    """Every vocabulary the schema uses, in the order fields first use it, with every value."""
    names = list(dict.fromkeys(f["vocabulary"] for f in fields if f["vocabulary"]))
    used_by: dict[str, list[str]] = {}
    for f in fields:
        if f["vocabulary"]:
            used_by.setdefault(f["vocabulary"], []).append({"name": f["name"], "anchor": field_anchor(f["name"])})
    tables = []
    for name in names:
        detail = _DETAILS.get(name, lambda v, e: e.get("description", ""))
        rows = [{"value": key, "label": vocab.label(name, key), "detail": _one_line(detail(vocab, entry))}
                for key, entry in vocab[name].items()]
        tables.append({"name": name, "file": f"vocabularies/{name}.yaml", "fields": used_by[name],
                       "title": name.replace("_", " ").capitalize(), "rows": rows})
    return tables


def example_entry(schemes: list[dict], vocab: Vocabularies) -> dict | None:
    """The real entry that fills the most fields, rendered like `new` writes a file, with comments."""
    if not schemes:
        return None

    def richness(view):
        d = view["data"]
        nested = sum(len(item) for key in ("funding", "outcomes", "organisations") for item in d.get(key, [])[:1])
        return (len(d), nested, view["slug"])

    best = max(schemes, key=richness)
    return {"slug": best["slug"], "title": best["title"],
            "text": Skeleton(vocab).render(best["data"], kind="example")}


def contribute_context(fields: list[dict], vocab: Vocabularies, schemes: list[dict]) -> dict:
    skeleton = Skeleton(vocab)
    top = [f for f in fields if "." not in f["name"]]
    return {
        "fields": field_reference(fields, vocab, schemes),
        "top_fields": top,
        "vocabularies": vocabulary_tables(fields, vocab),
        "blank": skeleton.render({}, kind="blank"),
        "example": example_entry(schemes, vocab),
        "placeholder": PLACEHOLDER,
    }
