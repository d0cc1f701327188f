"""`make preview` as a writing loop: TODOs left are warnings, a save that breaks a file shows an error page.

`python -m generator validate` and CI still refuse a file with a TODO left;
only the preview shows it. An entry whose only problems are TODOs is built
with stand-ins: a TODO in text stays as the word TODO on the page; a TODO in a
list, or in a field the page looks up (a source's document, a figure's unit),
leaves that item out until it is filled in. Any other problem, in any file,
replaces the previewed pages (and the home page) with one page listing every
problem, escaped; the next save that fixes the files brings the pages back,
and the browser's live reload shows either at once.
"""
from __future__ import annotations

import html
import pathlib

from . import build
from .checks import Place
from .loader import Scheme, scheme_paths
from .loader import schemes_dir as default_schemes_dir
from .messages import display_path
from .problems import Problem
from .vocabularies import VocabularyError
from .yaml_safety import Refused, parse

TODO_MESSAGE = "replace the placeholder TODO"


def is_todo(problem: Problem) -> bool:
    return problem.message.startswith(TODO_MESSAGE)


def load(cache: build.LoadCache, schemes_dir: pathlib.Path | None = None) -> tuple[build.Loaded, list[Problem]]:
    """Every entry, those with only TODOs left built with stand-ins, and the TODOs as warnings.

    BuildError (listing every problem, TODOs included) when any other problem is found.
    """
    paths = scheme_paths(schemes_dir or default_schemes_dir())
    try:
        loader, schemes, problems = cache.load(paths)
    except VocabularyError as exc:
        raise build.BuildError(exc.problems, message=str(exc)) from None
    if not problems:
        return build.Loaded(loader, schemes), []
    if not all(is_todo(p) for p in problems):
        raise build.BuildError(problems)
    unfinished = {p.path for p in problems}
    for path in paths:
        if display_path(path) in unfinished:
            scheme = stand_in(loader, path)
            if scheme is None:
                raise build.BuildError(problems)
            schemes.append(scheme)
    schemes.sort(key=lambda s: str(s.path))
    return build.Loaded(_with_todo_status(loader), schemes), problems


def _with_todo_status(loader):
    """The loader's schema and a copy of its vocabularies in which a status left as TODO has a name."""
    from types import SimpleNamespace

    from .vocabularies import Vocabularies

    lists = dict(loader.vocab.lists)
    lists["statuses"] = {**lists["statuses"], "TODO": {"slug": "TODO", "name": "TODO (still to fill in)",
                                                       "description": "The status is still to be filled in."}}
    return SimpleNamespace(vocab=Vocabularies(lists=lists, unreadable=loader.vocab.unreadable), schema=loader.schema)


def stand_in(loader, path: pathlib.Path) -> Scheme | None:
    """The entry with its TODOs left as text where text goes, and items it cannot show yet left out."""
    try:
        conv = parse(path.read_bytes())
    except (OSError, Refused):
        return None
    if not isinstance(conv.data, dict):
        return None
    data, _, _ = loader.check.run(conv, Place(conv, display_path(path), loader.schema), path.stem)
    removals: list[tuple] = []
    for p in conv.placeholders:
        if len(p) == 1 and loader.check.is_free_text(p) or p[:1] == ("status",) or p == ("as_of",):
            continue  # shown as the word TODO
        if len(p) >= 3 and isinstance(p[1], int) and loader.check.is_free_text(p):
            continue  # text inside an item (a source's section, a figure's measure)
        if p[-2:] == ("source", "document"):
            removals.append(p[:-1])  # the figure stays, without its source
        elif len(p) >= 2 and isinstance(p[1], int):
            removals.append(p[:2])  # the list item (a force, a source, an organisation, a figure)
        else:
            removals.append(p)
    for p in sorted(set(removals), key=lambda p: [(x if isinstance(x, int) else -1) for x in p], reverse=True):
        parent = data
        try:
            for part in p[:-1]:
                parent = parent[part]
            del parent[p[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return Scheme(slug=path.stem, path=path, data=data)


def error_outputs(exc: build.BuildError, settings: build.Settings,
                  schemes_dir: pathlib.Path | None = None) -> list[build.Output]:
    """One page listing every problem, at the home page and at each previewed entry's address."""
    problems = exc.problems
    items = "\n".join(
        f"<li><code>{html.escape(f'{p.path}:{p.line}:{p.column}')}</code> <strong>{html.escape(p.field)}</strong>: "
        f"{html.escape(p.message)}</li>" for p in problems)
    body = items and f'<ol class="rrs-problems">\n{items}\n</ol>' or f"<pre>{html.escape(str(exc))}</pre>"
    count = f"{len(problems)} problem(s)" if problems else "A problem"
    page = (f"---\ntitle: Preview stopped\nsearch:\n  exclude: true\n---\n\n# The preview cannot be built\n\n"
            f'<div class="rrs-section" markdown="0">\n<p>{count} must be fixed first. Save the file again '
            "once it is fixed; this page reloads by itself and the entry comes back.</p>\n"
            f"{body}\n</div>\n")
    paths = scheme_paths(schemes_dir or default_schemes_dir())
    chosen = [p for p in paths
              if build.in_preview(Scheme(slug=p.stem, path=p, data={}), settings.preview)]
    return [build.Output(path, page, None) for path in ["index.md", *(f"schemes/{p.stem}.md" for p in chosen)]]
