"""No silent skips: a file in schemes/ that is not a direct `<slug>.yaml`, or an entry elsewhere, is reported (issue 27)."""
from __future__ import annotations

import pathlib

ENTRY = "slug: kent-example\ntitle: Example\nforces: [kent]\n"


def _plant(root: pathlib.Path) -> pathlib.Path:
    schemes = root / "schemes"
    (schemes / "kent").mkdir(parents=True)
    (schemes / "good.yaml").write_text(ENTRY)
    (schemes / "kent-loud.YAML").write_text(ENTRY)
    (schemes / "kent-short.yml").write_text(ENTRY)
    (schemes / "kent-notes.yaml.txt").write_text(ENTRY)
    (schemes / "README.md").write_text("notes")
    (schemes / "kent" / "kent-nested.yaml").write_text(ENTRY)
    (root / "docs").mkdir()
    (root / "docs" / "kent-lost.yaml").write_text(ENTRY)
    (root / "docs" / "other.yaml").write_text("nav: []\n")
    (root / "mkdocs.yml").write_text("site_name: x\n")
    return schemes


def test_every_skipped_file_is_reported_with_where_it_should_go(tmp_path):
    from generator.strays import stray_files

    schemes = _plant(tmp_path)
    assert [str(p) for p in stray_files(tmp_path, schemes)] == [
        "schemes/README.md:1:1: (file): is not a scheme file: schemes/ holds only <slug>.yaml entries; "
        "move it out of schemes/ or delete it",
        "schemes/kent-loud.YAML:1:1: (file): is never read: scheme files end in .yaml, in lowercase and nothing "
        "after it; rename it to schemes/kent-loud.yaml",
        "schemes/kent-notes.yaml.txt:1:1: (file): is never read: scheme files end in .yaml, in lowercase and nothing "
        "after it; rename it to schemes/kent-notes.yaml",
        "schemes/kent-short.yml:1:1: (file): is never read: scheme files end in .yaml, in lowercase and nothing "
        "after it; rename it to schemes/kent-short.yaml",
        "schemes/kent/kent-nested.yaml:1:1: (file): is never read: scheme files sit directly in schemes/, not in a "
        "subfolder; move it to schemes/kent-nested.yaml",
        "docs/kent-lost.yaml:1:1: (file): looks like a scheme entry but is outside schemes/, so it is never read; "
        "move it to schemes/kent-lost.yaml",
    ]


def test_validate_fails_on_a_stray_file_even_when_only_other_files_are_named(tmp_path, monkeypatch, capsys):
    import generator.cli as cli
    import generator.vocabularies as vocabularies

    schemes = _plant(tmp_path)
    for name in ("good.yaml", "README.md", "kent-short.yml"):
        (schemes / name).unlink()
    monkeypatch.setenv("RRS_SCHEMES_DIR", str(schemes))
    monkeypatch.setattr(vocabularies, "ROOT", tmp_path)
    assert cli.main(["validate", "--strays-only", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("::error file=schemes/kent-loud.YAML,line=1,col=1,title=(file)::is never read: scheme files "
                      "end in .yaml, in lowercase and nothing after it; rename it to schemes/kent-loud.yaml")
    assert len(out) == 4


def test_the_register_has_no_stray_files():
    from generator.loader import schemes_dir
    from generator.strays import stray_files
    from generator.vocabularies import ROOT

    assert stray_files(ROOT, schemes_dir()) == []
