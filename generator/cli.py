"""Command line: `python -m generator validate|new|schema|check-slugs|report|suggestion|write|search` for contributors and CI."""
from __future__ import annotations

import argparse
import pathlib
import sys

from .loader import SchemeLoader, scheme_paths, schemes_dir
from .vocabularies import NAMES, VOCAB_DIR, VocabularyError, check_vocabularies


def _print_problems(problems, fmt: str) -> None:
    if fmt == "github":
        from .github_annotations import report

        report(problems)
    else:
        for problem in problems:
            print(problem)


def cmd_validate(args) -> int:
    """Check the vocabularies (always, all of them: they refer to each other) and the scheme files given."""
    found: list = []
    code = _validate(args, found)
    _print_problems(found, args.format)
    return code


def _validate(args, found: list) -> int:
    vocab_dir = pathlib.Path(args.vocabularies) if args.vocabularies else VOCAB_DIR
    vocab, vocab_problems = check_vocabularies(vocab_dir)
    paths = []
    for given in args.paths or [schemes_dir()]:
        p = pathlib.Path(given)
        if p.is_dir() and _same(p, vocab_dir):
            continue  # checked above
        if p.is_dir():
            paths.extend(scheme_paths(p))
        elif p.exists():
            if not _same(p.parent, vocab_dir):
                paths.append(p)
        else:
            print(f"{given}:1:1: (file): no such file", file=sys.stderr)
            return 1
    from .strays import is_stray, stray_files
    from .vocabularies import ROOT

    strays = stray_files(ROOT, schemes_dir())
    paths = [p for p in paths if not is_stray(p, schemes_dir())]
    found.extend(strays)
    if strays:
        print(f"{len(strays)} file(s) would be skipped by the build; move or rename them.", file=sys.stderr)
    if args.strays_only:
        return 1 if strays else 0
    found.extend(vocab_problems)
    if vocab.unreadable:
        print(f"{len(vocab_problems)} problem(s) in vocabulary files; scheme files are checked once every "
              "vocabulary file can be read.", file=sys.stderr)
        return 1
    schemes, problems = SchemeLoader(vocab).load_many(paths)
    found.extend(problems)
    if vocab_problems:
        print(f"{len(vocab_problems)} problem(s) in {len({p.path for p in vocab_problems})} vocabulary file(s).",
              file=sys.stderr)
    else:
        print(f"{len(NAMES)} vocabulary file(s) valid.", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {len({p.path for p in problems})} file(s); "
              f"{len(schemes)} file(s) valid.", file=sys.stderr)
        return 1
    if paths or not args.paths:
        print(f"{len(schemes)} scheme file(s) valid.", file=sys.stderr)
    return 1 if vocab_problems or strays else 0


def _same(a: pathlib.Path, b: pathlib.Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def cmd_check_slugs(args) -> int:
    """Fail if a slug published on the base ref disappeared without becoming an alias."""
    import subprocess

    from .loader import load_all

    try:
        listing = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{args.base}:schemes"],
            capture_output=True, text=True, check=True,
        ).stdout.split()
    except subprocess.CalledProcessError as exc:
        print(f"error: cannot list schemes/ at '{args.base}': {exc.stderr.strip()}", file=sys.stderr)
        return 1
    before = {name[:-5] for name in listing if name.endswith(".yaml")}
    try:
        _, schemes, problems = load_all()
    except VocabularyError as exc:
        schemes, problems = [], exc.problems
    if problems:
        for problem in problems:
            print(problem)
        return 1
    now = {s.slug for s in schemes}
    aliases = {a for s in schemes for a in s.data.get("aliases", [])}
    lost = sorted(before - now - aliases)
    for slug in lost:
        print(f"schemes/{slug}.yaml:1:1: slug: the page /schemes/{slug}/ exists on {args.base} but is gone; "
              "keep the file (mark it ended) or add the old slug to the new file's aliases")
    if lost:
        return 1
    print(f"{len(before)} published slug(s) on {args.base} all still resolve.", file=sys.stderr)
    return 0


def cmd_write(args) -> int:
    """Every generated page and data file written as files, for a build by any engine (no MkDocs hook)."""
    from . import build, mkdocs_yml, pages

    config = mkdocs_yml.read()
    settings = build.Settings(site_url=mkdocs_yml.site_url() or "/",
                              review_after_months=int((config.get("extra") or {}).get("review_after_months", 18)))
    try:
        site = build.prepare(build.load(workers=settings.workers), settings)
    except build.BuildError as exc:
        _print_problems(exc.problems, "text")
        if not exc.problems:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    dest = pathlib.Path(args.dest)
    # refused before anything is rendered: the declared paths are the outputs' paths
    clashes = [page.path for page in pages.declare(site) if (dest / page.path).exists()] if not args.overwrite else []
    if clashes:
        print(f"error: {len(clashes)} file(s) already in {dest}, e.g. {clashes[0]}; "
              "give an empty folder (or --overwrite)", file=sys.stderr)
        return 1
    n = build.write(build.outputs(site, settings), dest)
    print(f"Wrote {n} generated pages and files from {len(site.schemes)} schemes to {dest}", file=sys.stderr)
    return 0


def cmd_search(args) -> int:
    """Pagefind over a built site: the site search as its own step, with no MkDocs events."""
    from . import site_search

    try:
        seconds = site_search.index_site(pathlib.Path(args.site))
    except site_search.SearchIndexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Indexed {args.site} for search (Pagefind) in {seconds:.2f} s", file=sys.stderr)
    return 0


def cmd_report(args) -> int:
    """A maintainer's view: how old the entries are and what they lack."""
    from . import build

    try:
        site = build.prepare(build.load(), build.Settings(review_after_months=args.months))
    except build.BuildError as exc:
        for problem in exc.problems:
            print(problem)
        if not exc.problems:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    bands = [("under 6 months", 0, 6), ("6 to 11 months", 6, 12), ("12 to 17 months", 12, 18),
             ("18 to 23 months", 18, 24), ("2 years or more", 24, 10**6)]
    print(f"Reducing Reoffending Schemes: {len(site.schemes)} schemes (review threshold {args.months} months)\n")
    print("Entries by time since last review:")
    for label, lo, hi in bands:
        n = sum(1 for v in site.schemes if lo <= v["review_age_months"] < hi)
        print(f"  {label:<18} {n:>5}")
    print(f"  due a review       {len(site.needs_review):>5}\n")

    def listing(title, views):
        print(f"{title}: {len(views)}")
        for v in views:
            print(f"  {v['slug']}  ({', '.join(f['name'] for f in v['forces'])})")
        print()

    listing("Schemes with no outcome figures", [v for v in site.schemes if not v["outcomes"]])
    listing("Schemes with no contact", [v for v in site.schemes if not v["contact"]])
    empty = [f for slug, f in site.vocab["forces"].items() if slug not in site.by_force]
    print(f"Forces with no scheme: {len(empty)}")
    for f in empty:
        print(f"  {f['slug']}  ({f['office']})")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check the vocabularies and scheme files; no paths means all of schemes/")
    p.add_argument("paths", nargs="*")
    p.add_argument("--format", choices=["text", "github"], default="text")
    p.add_argument("--vocabularies", metavar="DIR", help="the vocabulary files to check and use (default vocabularies/)")
    p.add_argument("--strays-only", action="store_true",
                   help="only report files the build would skip (not a direct schemes/*.yaml, or an entry elsewhere)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("check-slugs", help="fail if a published slug vanished without becoming an alias")
    p.add_argument("--base", required=True, help="git ref to compare with, e.g. origin/main")
    p.set_defaults(func=cmd_check_slugs)
    from .scaffold import add_arguments, cmd_new

    p = sub.add_parser("new", help="start a new scheme file with every field, ready to fill in")
    add_arguments(p)
    p.set_defaults(func=cmd_new)
    from .editor_schema import add_arguments as schema_arguments, cmd_schema

    p = sub.add_parser("schema", help="write schema/scheme.schema.json, the schema editors read (--check: fail if stale)")
    schema_arguments(p)
    p.set_defaults(func=cmd_schema)
    from .suggestion import add_arguments as suggestion_arguments, cmd_suggestion

    p = sub.add_parser("suggestion", help="turn a 'Suggest a scheme' issue body into an entry, or list its problems")
    suggestion_arguments(p)
    p.set_defaults(func=cmd_suggestion)
    p = sub.add_parser("report", help="counts by review age and gaps in the register, for maintainers")
    p.add_argument("--months", type=int, default=18, help="review threshold in months (default 18, as in mkdocs.yml)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("write", help="write every generated page and data file into DIR (a build with no MkDocs hook)")
    p.add_argument("dest", metavar="DIR")
    p.add_argument("--overwrite", action="store_true", help="replace files already in DIR")
    p.set_defaults(func=cmd_write)
    p = sub.add_parser("search", help="index a built site for search with Pagefind (SITE/pagefind/)")
    p.add_argument("site", metavar="SITE")
    p.set_defaults(func=cmd_search)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
