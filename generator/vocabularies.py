"""Controlled vocabularies, read from the data files in vocabularies/.

The vocabularies are data people edit (one line to add a target group), so
nothing here lists values: it only reads the files and checks their shape.
"""
from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
VOCAB_DIR = ROOT / "vocabularies"

# vocabulary name -> the key that identifies an entry
NAMES = {
    "forces": "slug",
    "regions": "slug",
    "office_titles": "slug",
    "target_groups": "slug",
    "intervention_types": "slug",
    "stages": "slug",
    "statuses": "slug",
    "evidence_kinds": "slug",
    "evidence_ladder": "slug",
    "roles": "slug",
    "units": "slug",
    "organisation_kinds": "slug",
    "organisations": "slug",
    "sources": "id",
    "funding_bands": "slug",
    "funding_bases": "slug",
    "funding_shares": "slug",
    "outcome_kinds": "slug",
    "reoffending_measures": "slug",
    "reoffending_comparisons": "slug",
    "context_notes": "slug",
    "force_map": "slug",
}


class VocabularyError(Exception):
    """A vocabulary file is malformed; the message names the file and entry."""


@dataclass
class Vocabularies:
    """Every vocabulary as an ordered mapping of identifier -> entry (a dict)."""

    lists: dict[str, dict[str, dict]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> dict[str, dict]:
        return self.lists[name]

    def values(self, name: str) -> list[str]:
        return list(self.lists[name])

    def label(self, name: str, key: str) -> str:
        entry = self.lists[name].get(key)
        if entry is None:
            return key
        return entry.get("name") or entry.get("title") or key


def load_vocabularies(directory: pathlib.Path = VOCAB_DIR) -> Vocabularies:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    vocab = Vocabularies()
    for name, key in NAMES.items():
        path = directory / f"{name}.yaml"
        try:
            entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as exc:
            raise VocabularyError(f"{path}: cannot read vocabulary: {exc}") from None
        if not isinstance(entries, list):
            raise VocabularyError(f"{path}: expected a list of entries")
        table: dict[str, dict] = {}
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get(key), str):
                raise VocabularyError(f"{path}: entry {i + 1} has no '{key}'")
            if entry[key] in table:
                raise VocabularyError(f"{path}: '{entry[key]}' is listed twice")
            table[entry[key]] = entry
        vocab.lists[name] = table
    _check_references(vocab, directory)
    return vocab


def _check_references(vocab: Vocabularies, directory: pathlib.Path) -> None:
    """Entries that point into other vocabularies must point at real values."""
    refs = [
        ("forces", "region", "regions"),
        ("forces", "office_title", "office_titles"),
        ("evidence_kinds", "ladder", "evidence_ladder"),
        ("organisations", "kind", "organisation_kinds"),
    ]
    for name, attr, target in refs:
        for key, entry in vocab[name].items():
            if entry.get(attr) not in vocab[target]:
                raise VocabularyError(
                    f"{directory / (name + '.yaml')}: {key}: {attr} '{entry.get(attr)}' "
                    f"is not in {target}.yaml"
                )
    forces, tiles = set(vocab["forces"]), set(vocab["force_map"])
    if forces != tiles:
        raise VocabularyError(
            f"{directory / 'force_map.yaml'}: needs one position per force; "
            f"missing {sorted(forces - tiles)}, unknown {sorted(tiles - forces)}"
        )
    positions = [(t["row"], t["col"]) for t in vocab["force_map"].values()]
    if len(set(positions)) != len(positions):
        raise VocabularyError(f"{directory / 'force_map.yaml'}: two forces share a position")
    clash = set(vocab["target_groups"]) & set(vocab["intervention_types"])
    if clash:
        raise VocabularyError(f"target group and intervention type slugs must differ (tag pages share /tags/): {sorted(clash)}")
    for key, entry in vocab["organisations"].items():
        site = entry.get("website")
        if site is not None and not str(site).startswith("https://"):
            raise VocabularyError(
                f"{directory / 'organisations.yaml'}: {key}: website must start with https://"
            )
