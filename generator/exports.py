"""Data files published with the site: the schema (more exports arrive with the sharing work)."""
from __future__ import annotations

import json


def files(site, schema: dict) -> dict[str, bytes]:
    return {
        "schema/scheme.schema.json": (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }
