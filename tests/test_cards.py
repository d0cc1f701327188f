"""Picture cards: every page of the kinds that have one links an existing 1200x630 PNG under 150 KB, with alt text;
long and hostile text is shortened, never overflows; the cache keeps an unchanged card from being drawn again."""
from __future__ import annotations

import html
import io
import re
import struct

import pytest

from generator import cards

OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')
OG_ALT = re.compile(r'<meta property="og:image:alt" content="([^"]*)">')
HOSTILE = '"><script>alert(1)</script> Hostile {{ 7*7 }} <b>bold</b> ' + "Supercalifragilisticexpialidocious" * 6


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _pages(site, prepared):
    yield site / "index.html"
    for v in prepared.schemes:
        yield site / "schemes" / v["slug"] / "index.html"
    for f in prepared.forces:
        yield site / "forces" / f["slug"] / "index.html"
    for p in prepared.providers:
        yield site / "providers" / p["slug"] / "index.html"
    for g in prepared.tag_groups:
        for t in g["entries"]:
            yield site / "tags" / t["slug"] / "index.html"


def test_every_page_of_these_kinds_has_its_card(built_site, prepared):
    root = prepared.site_url.rstrip("/") + "/"
    seen = set()
    for path in _pages(built_site, prepared):
        page = path.read_text(encoding="utf-8")
        found = OG_IMAGE.findall(page)
        assert len(found) == 1, path
        card = built_site / found[0][len(root):]
        data = card.read_bytes()
        assert png_size(data) == (cards.WIDTH, cards.HEIGHT), card
        assert len(data) < 150_000, (card, len(data))
        alt = OG_ALT.findall(page)
        assert alt and alt[0].strip(), path
        assert f'<meta name="twitter:image" content="{found[0]}">' in page
        seen.add(found[0])
    assert len(seen) == len(list(_pages(built_site, prepared)))  # one card per page


def test_a_sample_of_cards_opens_as_a_picture(built_site):
    from PIL import Image
    sample = sorted((built_site / "cards").rglob("*.png"))[::40]
    assert sample
    for path in sample:
        with Image.open(path) as image:
            image.load()
            assert image.format == "PNG" and image.size == (1200, 630)


def test_scheme_card_alt_text_says_what_the_card_shows(built_site, prepared):
    v = next(v for v in prepared.schemes if v["headline_result"])
    page = (built_site / "schemes" / v["slug"] / "index.html").read_text(encoding="utf-8")
    alt = html.unescape(OG_ALT.findall(page)[0])
    assert v["title"] in alt and v["forces"][0]["name"] in alt and v["headline_result"]["figure"] in alt


@pytest.mark.parametrize("text", [HOSTILE, "x" * 400, "word " * 200, "Short"])
def test_text_is_shortened_never_overflows(text):
    font = cards._font(True, 64)
    width = cards.WIDTH - 2 * cards.MARGIN
    lines = cards.wrap(text, font, width, 3)
    assert 1 <= len(lines) <= 3
    assert all(font.getlength(line) <= width for line in lines)
    if font.getlength(text) > 3 * width:
        assert lines[-1].endswith(cards.ELLIPSIS)
    one = cards.shorten(text, font, width)
    assert font.getlength(one) <= width


def test_hostile_card_draws_its_text_and_stays_within_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("RRS_CARDS_CACHE", str(tmp_path))
    spec = {"kind": "Scheme", "title": HOSTILE, "lines": [HOSTILE, HOSTILE], "figure": HOSTILE}
    data = cards.card_png(spec)
    assert png_size(data) == (1200, 630) and len(data) < 150_000
    from PIL import Image
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
    assert cards.draw(spec) == data  # the same content gives the same bytes


def test_an_unchanged_card_is_not_drawn_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RRS_CARDS_CACHE", str(tmp_path))
    spec = cards.force_spec({"name": "Durham", "office": "Durham PCC"}, 3)
    first = cards.card_png(spec)
    assert len(list(tmp_path.rglob("*.png"))) == 1

    def no_drawing(_spec):
        raise AssertionError("drawn again")
    monkeypatch.setattr(cards, "draw", no_drawing)
    assert cards.card_png(spec) == first
    with pytest.raises(AssertionError):
        cards.card_png({**spec, "title": "Dorset"})
