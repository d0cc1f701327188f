"""Slugs: what a scheme's file name and URL may be, and how to make one from a title."""
from __future__ import annotations

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
