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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check scheme files; no paths means all of schemes/")
    p.add_argument("paths", nargs="*")
    p.add_argument("--format", choices=["text", "github"], default="text")
    p.set_defaults(func=cmd_validate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
