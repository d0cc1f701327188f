"""`python -m generator new`: ask for (or take from options) a new scheme's first values, and write its file.

The answers are checked as they come: force, target groups and intervention
types against the vocabularies (by slug or label, with a suggestion when a
value is near one), the slug against the files and former slugs already in
schemes/. The file itself is generator/skeleton.py's: every field, in schema
order, with TODO placeholders and comments.
"""
from __future__ import annotations

import datetime
import os
import pathlib
import sys

import yaml

from .skeleton import MAX_LISTED, PLACEHOLDER, Skeleton
from .slugs import SLUG_MAX, SLUG_RE, propose_slug
from .vocabularies import Vocabularies, load_vocabularies


class ScaffoldError(Exception):
    """A value given to `new` is not usable; the message says what to do."""


def match_value(vocab: Vocabularies, name: str, text: str, what: str) -> str:
    """A vocabulary value from its slug or its name (any case; "Kent Police" is kent), or an error with a suggestion."""
    text = text.strip()
    table = vocab[name]
    found = vocab.match(name, text)
    if found is not None:
        return found
    hint = vocab.closest(name, text)
    msg = f"'{text}' is not a known {what}"
    if hint:
        msg += f"; did you mean '{hint}'?"
    if len(table) <= MAX_LISTED:
        msg += " Allowed: " + ", ".join(table)
    msg += f" (the list is in vocabularies/{name}.yaml)"
    raise ScaffoldError(msg)


def _split(values) -> list[str]:
    return [part.strip() for value in values or [] for part in str(value).split(",") if part.strip()]


def used_slugs(directory: pathlib.Path) -> tuple[set[str], dict[str, str]]:
    """Slugs taken by files, and former slugs (aliases) with the file that keeps each."""
    from .loader import scheme_paths

    files: set = set()
    aliases: dict = {}
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


# A new slug needs at least this many characters: "n" or "y" typed at the slug prompt is an answer, not a slug.
SLUG_MIN = 3


def check_slug(slug: str, directory: pathlib.Path) -> None:
    if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
        raise ScaffoldError(f"'{slug}' is not a valid slug: use lowercase letters, digits and single hyphens, "
                            f"at most {SLUG_MAX} characters")
    if len(slug) < SLUG_MIN:
        raise ScaffoldError(f"'{slug}' is too short for a slug (the page address /schemes/<slug>/, which never "
                            f"changes): use at least {SLUG_MIN} characters, usually <force>-<a few words of the title>")
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
    if slug or not interactive or args.yes:
        slug = slug or propose_slug(force, title)
        check_slug(slug, directory)
    else:
        proposed = propose_slug(force, title)
        while True:
            answer = _prompt(ask, f"Slug (the page address /schemes/<slug>/; it never changes; Enter accepts "
                                  f"the proposal) [{proposed}]: ")
            if answer.lower() in ("", "y", "yes"):
                answer = proposed
            elif answer.lower() in ("n", "no"):
                say("  Type the slug you want instead (lowercase letters, digits and hyphens), "
                    "or press Enter to accept the proposal.")
                continue
            try:
                check_slug(answer, directory)
            except ScaffoldError as exc:
                say(f"  {exc}")
                continue
            slug = answer
            break
    return {
        "slug": slug,
        "title": title,
        "forces": [force],
        "target_groups": groups or None,
        "intervention_types": types or None,
    }


def cmd_new(args, ask=input, interactive: bool | None = None) -> int:
    from .loader import SchemeLoader, schemes_dir

    directory = schemes_dir()
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
