"""`mkdocs build` with the project's hook timed from inside the build.

    python bench/_build.py TIMES.json build --strict --site-dir DIR

Runs MkDocs' own command line unchanged, but wraps every `on_*` event of the
hooks named in mkdocs.yml (and the hook's `load_all`) with a timer, and writes
the totals to TIMES.json when the build ends. It measures what the generator
costs inside the real build, whatever events the hook grows later.
"""
from __future__ import annotations

import atexit
import functools
import json
import sys
import time

from mkdocs.config import config_options

_times: dict[str, float] = {}


def _timed(name, fn):
    @functools.wraps(fn)  # keeps mkdocs_priority set by @event_priority
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _times[name] = _times.get(name, 0.0) + time.perf_counter() - start
    return wrapper


_original_load_hook = config_options.Hooks._load_hook


def _load_hook(self, name, path):
    module = _original_load_hook(self, name, path)
    if getattr(module, "_bench_timed", False):
        return module
    for attr in dir(module):
        value = getattr(module, attr)
        if attr.startswith("on_") and callable(value):
            setattr(module, attr, _timed(attr, value))
    if callable(getattr(module, "load_all", None)):
        module.load_all = _timed("load_all", module.load_all)
    module._bench_timed = True
    return module


config_options.Hooks._load_hook = _load_hook


def main() -> None:
    out = sys.argv[1]

    def write():
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(_times, fh)

    atexit.register(write)
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs"] + sys.argv[2:]
    cli()


if __name__ == "__main__":
    main()
