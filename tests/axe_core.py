"""axe-core, the accessibility checker the browser tests run, fetched once from the npm registry.

axe-core 4.14 runs its colour-contrast rule about three times faster than the 4.12.1 that the
axe-playwright-python package bundles (the rule was most of each axe run here), and checks label in
name (WCAG 2.5.3) as a WCAG 2.1 A rule rather than an experiment.

    python3 tests/axe_core.py     # fetch it into .cache/ (`make test` does this first)

The tarball is checked against the registry's sha512 integrity before anything is read from it. The
tests fail, naming this command, when the file is missing; they never skip.
"""
from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import sys
import tarfile
import urllib.request

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
FILE = pathlib.Path(__file__).resolve().parent.parent / ".cache" / f"axe-core-{VERSION}.min.js"

# WCAG 2.2 A and AA (with the 2.0 and 2.1 rules they include)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def fetch() -> pathlib.Path:
    """Download the pinned tarball, check its integrity, keep package/axe.min.js at FILE."""
    if FILE.exists():
        return FILE
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != INTEGRITY:
        raise SystemExit(f"{TARBALL}: integrity {digest} is not the pinned {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile("package/axe.min.js")
        assert member is not None
        script = member.read()
    FILE.parent.mkdir(parents=True, exist_ok=True)
    partial = FILE.with_suffix(".partial")
    partial.write_bytes(script)
    partial.replace(FILE)
    return FILE


def script() -> str:
    if not FILE.exists():
        raise FileNotFoundError(f"axe-core {VERSION} is not at {FILE}: run `make test`, or `python3 tests/axe_core.py`")
    return FILE.read_text(encoding="utf-8")


def violations(page, context: str | None = None, tags: list[str] | None = None) -> list[dict]:
    """Run axe on the page as it is now (within the CSS selector `context`, if given): its violations."""
    if not page.evaluate(f"() => typeof axe !== 'undefined' && axe.version === {VERSION!r}"):
        page.evaluate(script())
    options = {"runOnly": {"type": "tag", "values": tags or TAGS}, "resultTypes": ["violations"]}
    return page.evaluate("([context, options]) => axe.run(context || document, options).then(r => r.violations)",
                         [context, options])


def report(found: list[dict]) -> list[str]:
    """One line per violation: rule, impact, help and the first few elements."""
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in found]


if __name__ == "__main__":
    print(fetch())
    sys.exit(0)
