"""Names and words (other than field names in code) are never split mid-word, on a wide screen or a phone, and no page scrolls sideways.

A table squeezed by CSS that lets text break anywhere shows "Derbys" on one
line and "hire" on the next. Each line break in the page's text is found in
Chromium, character by character, and none may fall between two letters; a
string too long for any line (the hostile fixture's) still wraps inside the page.
"""
from __future__ import annotations

import pytest


# Each name stands for a page chosen from the register when the test runs (never at import).
PAGES = ["/schemes/", "/forces/{longest_force}/", "/forces/", "/tags/{first_tag}/", "/providers/",
         "/providers/{busiest_provider}/", "/about/data/", "/about/evidence/", "/about/needs-review/",
         "/contribute/", "/", "/schemes/{with_tables}/"]


def _path(site, pattern: str) -> str:
    return pattern.format(
        # The longest force name, so its force page has the widest names to keep whole.
        longest_force=max(site.by_force, key=lambda slug: len(site.vocab.label("forces", slug))),
        busiest_provider=site.providers[0]["slug"],
        first_tag=site.tag_groups[0]["entries"][0]["slug"],
        with_tables=next(v["slug"] for v in site.schemes if v["organisations"] and v["results"] and v["funding"]))


WIDTHS = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# [text before the break|after], for every line break that falls between two letters. A break between two
# letters falls inside a run of characters without white space, so only runs that sit on more than one
# line are read character by character.
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lines = (node, start, end) => { range.setStart(node, start); range.setEnd(node, end); return range.getClientRects(); };
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentElement.closest('code')) continue;  // field names wrap as Material wraps code
    const text = node.textContent;
    if (lines(node, 0, text.length).length < 2) continue;  // on one line: nothing in it is broken
    for (const run of text.matchAll(/\\S{2,}/gu)) {
      const start = run.index, end = start + run[0].length;
      if (lines(node, start, end).length < 2) continue;  // this run on one line
      let top = null;
      for (let i = start; i < end; i++) {
        const rect = lines(node, i, i + 1)[0];
        if (!rect || rect.width === 0) continue;
        if (top !== null && rect.top > top + 2 && /\\p{L}/u.test(text[i - 1]) && /\\p{L}/u.test(text[i]))
          split.push(text.slice(Math.max(0, i - 15), i) + '|' + text.slice(i, i + 10));
        top = rect.top;
      }
    }
  }
  return split;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("pattern", PAGES)
def test_no_word_is_split_and_the_page_fits(site_url, page, prepared, pattern, width):
    path = _path(prepared, pattern)
    p = page.page
    p.set_viewport_size(WIDTHS[width])
    response = p.goto(site_url + path)
    assert response.ok, path
    assert p.evaluate(SPLIT_WORDS) == []
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_the_check_finds_a_split_word(site_url, page):
    """The check itself: text that may break anywhere, in a narrow box, is reported."""
    p = page.page
    p.goto(site_url + "/schemes/")
    p.evaluate("""() => { const td = document.querySelector('main .rrs-table td a');
                           td.style.wordBreak = 'break-all'; td.closest('td').style.width = '2em';
                           td.closest('table').style.tableLayout = 'fixed'; }""")
    assert p.evaluate(SPLIT_WORDS) != []
