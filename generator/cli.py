"""Command line: `python -m generator validate|...` for contributors and CI."""
from __future__ import annotations

import argparse
import pathlib
import sys

from .loader import SCHEMES_DIR, SchemeLoader, scheme_paths
from .vocabularies import VocabularyError


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def cmd_validate(args) -> int:
    try:
        loader = SchemeLoader()
    except VocabularyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    paths = []
    for given in args.paths or [SCHEMES_DIR]:
        p = pathlib.Path(given)
        if p.is_dir():
            paths.extend(scheme_paths(p))
        elif p.exists():
            paths.append(p)
        else:
            print(f"{given}:1:1: (file): no such file", file=sys.stderr)
            return 1
    schemes, problems = loader.load_many(paths)
    for problem in problems:
        if args.format == "github":
            print(f"::error file={problem.path},line={problem.line},col={problem.column},"
                  f"title={_github_escape(problem.field)}::{_github_escape(problem.message)}")
        else:
            print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len({p.path for p in problems})} file(s); "
              f"{len(schemes)} file(s) valid.", file=sys.stderr)
        return 1
    print(f"{len(schemes)} scheme file(s) valid.", file=sys.stderr)
    return 0


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
    _, schemes, problems = load_all()
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check scheme files; no paths means all of schemes/")
    p.add_argument("paths", nargs="*")
    p.add_argument("--format", choices=["text", "github"], default="text")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("check-slugs", help="fail if a published slug vanished without becoming an alias")
    p.add_argument("--base", required=True, help="git ref to compare with, e.g. origin/main")
    p.set_defaults(func=cmd_check_slugs)
    from .scaffold import add_arguments, cmd_new

    p = sub.add_parser("new", help="start a new scheme file with every field, ready to fill in")
    add_arguments(p)
    p.set_defaults(func=cmd_new)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
