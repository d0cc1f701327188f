"""Controlled vocabularies, read from the data files in vocabularies/.

The vocabularies are data people edit (one line to add a target group), so
nothing here lists values: it reads the files and checks them as scheme files
are checked. Each file has its own JSON Schema in
generator/vocabulary_schemas/ (a source needs its title, publisher, date and
kind; an organisation its name and a kind from organisation_kinds.yaml), is
read by the same strict loader (yaml_safety), and every problem is reported as
`path:line:column: field: message`, with suggestions, where a field is named
by its entry's identifier (`remedi.kind`). Rules across files (one map
position per force, no identifier listed twice...) follow.
"""
from __future__ import annotations

import difflib
import functools
import pathlib
from dataclasses import dataclass, field

import yaml

from .problems import Problem
from .slugs import is_close, slugify

ROOT = pathlib.Path(__file__).resolve().parent.parent
VOCAB_DIR = ROOT / "vocabularies"
SCHEMA_DIR = pathlib.Path(__file__).resolve().parent / "vocabulary_schemas"

# vocabulary name -> the key that identifies an entry
NAMES = {
    "forces": "slug",
    "regions": "slug",
    "office_titles": "slug",
    "target_groups": "slug",
    "intervention_types": "slug",
    "stages": "slug",
    "statuses": "slug",
    "evidence_kinds": "slug",
    "evidence_ladder": "slug",
    "roles": "slug",
    "units": "slug",
    "organisation_kinds": "slug",
    "organisations": "slug",
    "sources": "id",
    "source_kinds": "slug",
    "funding_bands": "slug",
    "funding_bases": "slug",
    "funding_shares": "slug",
    "outcome_kinds": "slug",
    "reoffending_measures": "slug",
    "reoffending_comparisons": "slug",
    "results_reported": "slug",
    "context_notes": "slug",
    "force_map": "slug",
}


# Words that say what kind of body a name is rather than which one: "Kent Police" is kent.
_BODY_WORDS = {"police", "constabulary", "force", "area", "service"}


class VocabularyError(Exception):
    """Vocabulary files with problems: `problems` lists each (file, line, column, field, message)."""

    def __init__(self, problems: list[Problem] | str):
        self.problems = [] if isinstance(problems, str) else list(problems)
        listing = "\n".join(str(p) for p in self.problems)
        super().__init__(problems if isinstance(problems, str) else
                         f"{len(self.problems)} problem(s) in vocabulary files; fix them and build again:\n{listing}")


@dataclass
class Vocabularies:
    """Every vocabulary as an ordered mapping of identifier -> entry (a dict)."""

    lists: dict[str, dict[str, dict]] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # files YAML could not read (their lists are empty)

    def __getitem__(self, name: str) -> dict[str, dict]:
        return self.lists[name]

    def values(self, name: str) -> list[str]:
        return list(self.lists[name])

    def label(self, name: str, key: str) -> str:
        entry = self.lists[name].get(key)
        if entry is None:
            return key
        return entry.get("name") or entry.get("title") or key

    def label_at(self, name: str, key: str, when: str | None) -> str:
        """The label as it was at the date `when` (an entry's as_of): the first of the entry's
        `former_names` still in use then ("until" later than `when`), else the current label."""
        entry = self.lists[name].get(key) or {}
        if when:
            for former in entry.get("former_names", []):
                if str(when) < str(former["until"]):
                    return former["name"]
        return self.label(name, key)

    def in_text_at(self, name: str, key: str, when: str | None) -> str:
        """label_at as running text says it: with "the" where the entry has `the: true`."""
        entry = self.lists[name].get(key) or {}
        return ("the " if entry.get("the") else "") + self.label_at(name, key, when)

    def office_at(self, force: str, when: str | None) -> tuple[str, str]:
        """A force area's office name and office_title key as they were at the date `when`."""
        entry = self.lists["forces"][force]
        if when:
            for former in entry.get("former_offices", []):
                if str(when) < str(former["until"]):
                    return former["office"], former["office_title"]
        return entry["office"], entry["office_title"]

    def in_text(self, name: str, key: str) -> str:
        """The label as running text says it: "the Ministry of Justice" where the entry has `the: true`."""
        entry = self.lists[name].get(key) or {}
        return ("the " if entry.get("the") else "") + self.label(name, key)

    def match(self, name: str, text: str) -> str | None:
        """The value `text` names: its identifier, or its label or slugified label in any case
        ("Durham", "Kent Police", "kent police" -> kent; "Remedi" -> remedi); None if none."""
        table = self.lists[name]
        text = str(text).strip()
        if text in table:
            return text
        labels = self._labels(name)
        if text.lower() in labels:
            return labels[text.lower()]
        slug = slugify(text)
        if slug in table:
            return slug
        if slug in labels:
            return labels[slug]
        words = [w for w in slug.split("-") if w not in _BODY_WORDS]
        if words and len(words) < len(slug.split("-")):
            shorter = "-".join(words)
            if shorter in table:
                return shorter
            if shorter in labels:
                return labels[shorter]
        return None

    def closest(self, name: str, text: str) -> str | None:
        """The identifier `text` most likely means (exactly, by name, or by spelling), for "did you mean"."""
        found = self.match(name, text)
        if found is not None:
            return found
        table = self.lists[name]
        labels = self._labels(name)
        low = str(text).strip().lower()
        for candidates, lookup in ((list(table), None), (list(labels), labels)):
            for query in (low, slugify(low)):
                hint = [c for c in difflib.get_close_matches(query, candidates, n=3, cutoff=0.6) if is_close(query, c)]
                if hint:
                    return lookup[hint[0]] if lookup else hint[0]
        return None

    def _labels(self, name: str) -> dict[str, str]:
        """Lowercase names, and their slugified forms, to identifiers."""
        cache = self.__dict__.setdefault("_label_cache", {})
        if name not in cache:
            out: dict = {}
            for key, entry in self.lists[name].items():
                label = entry.get("name") or entry.get("title")
                if isinstance(label, str):
                    out.setdefault(label.lower(), key)
                    out.setdefault(slugify(label), key)
            cache[name] = out
        return cache[name]


def load_vocabularies(directory: pathlib.Path = VOCAB_DIR) -> Vocabularies:
    """Every vocabulary; VocabularyError (with every problem) if any file has one."""
    vocab, problems = check_vocabularies(directory)
    if problems:
        raise VocabularyError(problems)
    return vocab


@functools.lru_cache(maxsize=None)
def _schema_source(name: str) -> dict:
    return yaml.safe_load((SCHEMA_DIR / f"{name}.schema.yaml").read_text(encoding="utf-8"))


def vocabulary_schema(name: str, vocab: Vocabularies | None = None) -> dict:
    """The JSON Schema of vocabularies/<name>.yaml, self-contained: the scheme schema's definitions
    (slug, date, https_url) included and, given the vocabularies, each `x-vocabulary` filled in as an `enum`."""
    import copy

    from .schema import _base_schema, fill_enums

    schema = copy.deepcopy(_schema_source(name))
    schema["definitions"] = copy.deepcopy(_base_schema()["definitions"])

    def readable(target):
        return vocab is not None and target in vocab.lists and target not in vocab.unreadable

    fill_enums(schema, lambda target: vocab.values(target) if vocab is not None and readable(target) else None)
    return schema


def check_vocabularies(directory: pathlib.Path = VOCAB_DIR) -> tuple[Vocabularies, list[Problem]]:
    """Every vocabulary file read by the strict loader and checked against its schema, then across files.

    Returns what could be read (an entry with no usable identifier is left
    out) and every problem, sorted by file and line. A file that cannot be read at
    all leaves its vocabulary empty; values that refer to it are then not checked.
    """
    from .checks import DocumentCheck, Place
    from .messages import SchemaMessages, display_path, field_name
    from .yaml_safety import Refused, parse, position

    vocab = Vocabularies()
    problems: list[Problem] = []
    read: dict[str, tuple] = {}  # name -> (conv, place) of the files that could be read
    for name, key in NAMES.items():
        path = directory / f"{name}.yaml"
        shown = display_path(path)
        vocab.lists[name] = {}
        try:
            conv = parse(path.read_bytes())
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, "(file)", f"cannot read the file: {exc.strerror}"))
            vocab.unreadable.add(name)
            continue
        except Refused as refused:
            problems.append(Problem(shown, refused.line, refused.column, field_name(refused.field_path), refused.message))
            vocab.unreadable.add(name)
            continue
        if not isinstance(conv.data, list):
            problems.append(Problem(shown, 1, 1, "(file)", "expected a list of entries, each starting with '- '"))
            vocab.unreadable.add(name)
            continue
        table: dict[str, dict] = {}
        ids: dict[int, str] = {}
        for i, entry in enumerate(conv.data):
            ident = entry.get(key) if isinstance(entry, dict) else None
            if not isinstance(ident, str) or (i, key) in conv.bad:
                continue
            ids[i] = ident
            if ident in table:
                first = position(conv.nodes[(_first_index(ids, ident), key)])[0]
                line, col = position(conv.nodes[(i, key)])
                problems.append(Problem(shown, line, col, f"{ident}.{key}",
                                        f"'{ident}' is listed twice (first on line {first}); keep one"))
                continue
            table[ident] = entry
        vocab.lists[name] = table

        def name_of(p, ids=ids):
            if p and isinstance(p[0], int) and p[0] in ids:
                return field_name((ids[p[0]],) + tuple(p[1:]))
            return field_name(p)

        read[name] = (conv, Place(conv, shown, {}, name=name_of))
    for name, (conv, place) in read.items():
        schema = vocabulary_schema(name, vocab)
        place.schema = schema
        check = DocumentCheck(schema, SchemaMessages(schema, vocab))
        _, found, _ = check.run(conv, place)
        problems.extend(found)
    problems.extend(_check_across(vocab, read))
    problems.sort(key=lambda p: (p.path, p.line, p.column))
    return vocab, problems


def _first_index(ids: dict[int, str], ident: str) -> int:
    """The position of the first entry with this identifier."""
    return next(i for i, v in ids.items() if v == ident)


def _source_addresses(vocab: Vocabularies, read_sources: tuple) -> list[Problem]:
    """Every document has its web address (`url`) or says why it has none (`no_url_reason`), not both."""
    from .yaml_safety import position

    conv, place = read_sources
    out = []
    for i, entry in enumerate(conv.data):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        has_url, has_reason = "url" in entry, "no_url_reason" in entry
        if has_url and has_reason:
            line, col = position(conv.nodes[(i, "no_url_reason")])
            out.append(place.at(line, col, (i, "no_url_reason"),
                                "give either url or no_url_reason, not both; keep no_url_reason only if the "
                                "document has no web address"))
        elif not has_url and not has_reason:
            line, col = position(conv.nodes.get((i, "id")) or conv.nodes[(i,)])
            out.append(place.at(line, col, (i, "url"),
                                "the document has no url; add url: followed by its https:// address (a copy on a "
                                "mirror site only with a note saying so), or, if it has none, no_url_reason: "
                                "followed by why (for example: a paper given to the project, never published online)"))
    return out


def _check_across(vocab: Vocabularies, read: dict) -> list[Problem]:
    """Rules between vocabularies: one map tile per force, at its own position; tag pages never clash."""
    from .yaml_safety import position

    out = []

    def at(name, ident, key, message):
        conv, place = read[name]
        idkey = NAMES[name]
        for i, entry in enumerate(conv.data):
            if isinstance(entry, dict) and entry.get(idkey) == ident:
                line, col = position(conv.nodes.get((i, key)) or conv.nodes[(i,)])
                return place.at(line, col, (i, key), message)
        return place.at(1, 1, (), message)

    if "forces" in read and "force_map" in read:
        missing = [f for f in vocab["forces"] if f not in vocab["force_map"]]
        if missing:
            conv, place = read["force_map"]
            out.append(place.at(1, 1, (), f"every force needs a position on the map; add one for: {', '.join(missing)}"))
        seen: dict[tuple, str] = {}
        for slug, tile in vocab["force_map"].items():
            pos = (tile.get("row"), tile.get("col"))
            if pos in seen:
                out.append(at("force_map", slug, "row",
                              f"{slug} is at row {pos[0]}, col {pos[1]}, the position of {seen[pos]}; move one of them"))
            else:
                seen[pos] = slug
    if "sources" in read:
        out.extend(_source_addresses(vocab, read["sources"]))
    if "target_groups" in read and "intervention_types" in read:
        for slug in vocab["intervention_types"]:
            if slug in vocab["target_groups"]:
                out.append(at("intervention_types", slug, "slug",
                              f"'{slug}' is also a target group; target group and intervention type slugs must "
                              "differ (their tag pages share /tags/)"))
    return out
