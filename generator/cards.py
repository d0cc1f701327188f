"""Picture cards for shared links: a 1200x630 PNG per scheme, force, organisation and tag page, and the home page.

Drawn with Pillow in DejaVu Sans, shipped in generator/fonts/ with its licence
(nothing is fetched). A card is the page's title (bold, up to three lines),
up to three short lines (area, status with its date, the headline figure with
"*" when it has a caveat) and the register's name. Every line is measured and
shortened with an ellipsis so nothing overflows; text from a scheme file is
only ever drawn as text. White on dark blue (contrast above 12:1), large type
so it reads at thumbnail size.

Drawing costs a few milliseconds, so cards are cached by content hash in
`.cache/cards` (outside site/; RRS_CARDS_CACHE moves it): an unchanged card is
read back, not drawn. The same content always gives the same bytes.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pathlib

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONTS = pathlib.Path(__file__).resolve().parent / "fonts"
ROOT = pathlib.Path(__file__).resolve().parent.parent
VERSION = "2"  # change when the drawing changes: every cached card is drawn again
BACKGROUND, TEXT, MUTED, ACCENT = (15, 42, 74), (255, 255, 255), (203, 219, 236), (255, 204, 77)
SITE_NAME = "Reducing Reoffending Schemes"
ELLIPSIS = "\u2026"


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("RRS_CARDS_CACHE") or ROOT / ".cache" / "cards")


@functools.lru_cache(maxsize=None)
def _font(bold: bool, size: int):
    from PIL import ImageFont
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def shorten(text: str, font, width: float) -> str:
    """`text` on one line no wider than `width`, cut at a word (or a character) with an ellipsis."""
    text = " ".join(text.split())
    if font.getlength(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and font.getlength(" ".join(words) + ELLIPSIS) > width:
        words.pop()
    line = " ".join(words)
    while line and font.getlength(line + ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip(" ,;:-") + ELLIPSIS


def wrap(text: str, font, width: float, max_lines: int) -> list[str]:
    """`text` in at most `max_lines` lines no wider than `width`; the last ends with an ellipsis if cut."""
    words, lines, line = " ".join(text.split()).split(" "), [], ""
    for i, word in enumerate(words):
        trial = f"{line} {word}".strip()
        if font.getlength(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        if len(lines) == max_lines:
            lines[-1] = shorten(lines[-1] + " " + " ".join(words[i:]), font, width)
            return lines
        line = word if font.getlength(word) <= width else shorten(word, font, width)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [shorten(" ".join(lines[max_lines - 1:]), font, width)]
    return lines


def _palette() -> list[int]:
    """Grey level i drawn as the colour i/255 of the way from the background to white; level 1 is the accent."""
    out = []
    for i in range(256):
        out += [round(b + (w - b) * i / 255) for b, w in zip(BACKGROUND, TEXT, strict=True)]
    out[3:6] = ACCENT
    return out


PALETTE = _palette()
TEXT_LEVEL, MUTED_LEVEL, ACCENT_LEVEL = 255, 215, 1
_NO_ACCENT = [2 if i == ACCENT_LEVEL else i for i in range(256)]  # antialiased edges never take the accent's level


def draw(spec: dict) -> bytes:
    """The card's PNG bytes: spec = {"kind", "title", "lines": [...], "figure"}.

    Drawn in one grey channel and saved with a palette from background to white (cheap to draw, small to
    store); the accent bar takes a reserved level."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (WIDTH, HEIGHT), 0)
    d = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    y = 56
    kind = _font(True, 30)
    d.text((MARGIN, y), shorten(spec["kind"].upper(), kind, inner), font=kind, fill=MUTED_LEVEL)
    y += 58
    title = _font(True, 64)
    for line in wrap(spec["title"], title, inner, 3):
        d.text((MARGIN, y), line, font=title, fill=TEXT_LEVEL)
        y += 78
    y += 18
    body = _font(False, 36)
    for line in spec.get("lines", [])[:3]:
        if line and y < HEIGHT - 150:
            d.text((MARGIN, y), shorten(line, body, inner), font=body, fill=MUTED_LEVEL)
            y += 50
    if spec.get("figure") and y < HEIGHT - 140:
        figure = _font(True, 40)
        d.text((MARGIN, y + 6), shorten(spec["figure"], figure, inner), font=figure, fill=TEXT_LEVEL)
    d.line((MARGIN, HEIGHT - 92, WIDTH - MARGIN, HEIGHT - 92), fill=MUTED_LEVEL, width=2)
    foot = _font(True, 32)
    d.text((MARGIN, HEIGHT - 74), SITE_NAME, font=foot, fill=TEXT_LEVEL)
    image = image.point(_NO_ACCENT)
    ImageDraw.Draw(image).rectangle((0, 0, WIDTH, 14), fill=ACCENT_LEVEL)
    image.putpalette(PALETTE)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def card_png(spec: dict) -> bytes:
    """The card for `spec`, from the cache when the same content was drawn before."""
    found = card_file(spec)
    return found.read_bytes() if isinstance(found, pathlib.Path) else found


def card_file(spec: dict) -> pathlib.Path | bytes:
    """The card for `spec` as its file in the cache, drawn there first if the same content never was: a build
    hands MkDocs the file, and holds no card in memory (5,000 schemes have 5,400 cards). Where the cache
    cannot be written (a read-only checkout), the card's bytes: such a build still builds, drawing every time."""
    key = hashlib.sha256(json.dumps([VERSION, spec], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    path = cache_dir() / key[:2] / f"{key}.png"
    if path.is_file():
        return path
    data = draw(spec)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        return data
    return path


def alt_text(spec: dict) -> str:
    """The card's text for og:image:alt, as one line."""
    return ". ".join(p for p in [f"{spec['kind']}: {spec['title']}", *spec.get("lines", []),
                                 spec.get("figure", ""), SITE_NAME] if p)


# What each kind of page puts on its card (from the same views and listings as the page).

def _n(n: int) -> str:
    return f"{n} scheme{'s' if n != 1 else ''} in the register"


def scheme_spec(v: dict) -> dict:
    figure = ""
    h = v["headline_result"]
    if h:
        figure = f"{h['figure']}{'*' if v['headline_caveat'] else ''}: {h['measure']}"
    return {"kind": "Scheme", "title": v["title"],
            "lines": ["; ".join(f["name"] for f in v["forces"]) + " force area" + ("s" if len(v["forces"]) > 1 else ""),
                      f"{v['status_name']} as of {v['as_of_text']}" + (f" ({v['unconfirmed_text']})" if v["unconfirmed"] else "")],
            "figure": figure}


def force_spec(force: dict, count: int) -> dict:
    return {"kind": "Force area", "title": force["name"], "lines": [force.get("office", ""), _n(count)], "figure": ""}


def organisation_spec(p: dict) -> dict:
    return {"kind": "Organisation", "title": p["name"], "lines": [p["kind_name"], _n(len(p["rows"]))], "figure": ""}


def tag_spec(tag: dict, heading: str) -> dict:
    return {"kind": heading.rstrip("s") if heading.endswith("s") else heading, "title": tag["name"],
            "lines": [_n(len(tag["schemes"]))], "figure": ""}


def home_spec(counts: dict, description: str) -> dict:
    return {"kind": "Register", "title": SITE_NAME, "lines": [description, f"{counts['schemes']} schemes in "
            f"{counts['forces']} force areas, {counts['organisations']} organisations"], "figure": ""}


def site_cards(site) -> dict[str, tuple[str, dict]]:
    """The card of each page that has one: {page path: (card path, spec)}."""
    out = {"index.md": ("cards/home.png", home_spec(site.counts, "Local schemes that Police and Crime Commissioners "
                                                  "in England and Wales fund or run to reduce reoffending."))}
    for v in site.schemes:
        out[f"schemes/{v['slug']}.md"] = (f"cards/schemes/{v['slug']}.png", scheme_spec(v))
    for force in site.forces:
        out[f"forces/{force['slug']}.md"] = (f"cards/forces/{force['slug']}.png",
                                             force_spec(force, len(force["schemes"])))
    for p in site.providers:
        out[f"providers/{p['slug']}.md"] = (f"cards/providers/{p['slug']}.png", organisation_spec(p))
    for group in site.tag_groups:
        for tag in group["entries"]:
            out[f"tags/{tag['slug']}.md"] = (f"cards/tags/{tag['slug']}.png", tag_spec(tag, group["heading"]))
    return out


def enabled() -> bool:
    """Cards are drawn unless RRS_CARDS=0 (then pages carry the text-only preview they had before)."""
    return os.environ.get("RRS_CARDS", "1") != "0"
