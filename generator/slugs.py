"""Slugs: what a scheme's file name and URL may be, and how to make one from a title."""
from __future__ import annotations

import difflib
import re
import unicodedata

# Lowercase letters and digits in words joined by single hyphens.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80


def slugify(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens ("Women's Centre" -> "womens-centre")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"['\u2019]", "", ascii_text).replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def propose_slug(force: str, title: str) -> str:
    """`<force>-<slugified title>`, without repeating the force, at most SLUG_MAX characters."""
    words = slugify(title)
    if words == force or words.startswith(force + "-"):
        words = words[len(force):].lstrip("-")
    slug = f"{force}-{words}".strip("-") if words else force
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        if slug[SLUG_MAX] != "-" and cut.rfind("-") > len(force):
            cut = cut[: cut.rfind("-")]  # end on a whole word
        slug = cut.strip("-")
    return slug



def why_not_slug(text: str) -> tuple[str, str]:
    """What is wrong with a text that is not a slug ("has two hyphens in a row (--)"), and the slug it should be."""
    if "--" in text:
        why = "has two hyphens in a row (--)"
    elif text.startswith("-") or text.endswith("-"):
        why = "starts or ends with a hyphen"
    elif text != text.lower():
        why = "has capital letters"
    elif " " in text:
        why = "has spaces"
    elif "_" in text:
        why = "has underscores"
    else:
        why = "has characters other than lowercase letters, digits and hyphens"
    return why, slugify(text)


def is_close(typed: str, candidate: str) -> bool:
    """Whether `candidate` is a plausible correction of `typed`, not merely a similar-looking other name.

    Words both share at the start or end ("-city-council") are set aside; what is left must
    start with the same letter and be alike ('durhamm' -> 'durham', 'mentorship' -> 'mentoring'),
    so 'nacro' is not offered 'hacro', nor 'bristol-city-council' 'leicester-city-council'.
    """
    a, b = re.split(r"[-\s]+", typed.lower()), re.split(r"[-\s]+", candidate.lower())
    while len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    left, right = " ".join(a), " ".join(b)
    if not left or not right or left[0] != right[0]:
        return False
    return difflib.SequenceMatcher(None, left, right).ratio() >= 0.6
