"""The CSV download opens in LibreOffice (headless) as UTF-8 without mojibake.

LibreOffice's headless converter does not read the byte-order mark, so the
import names UTF-8 (character set 76), as its import dialog does by default
for this file. The round trip CSV -> ODS -> CSV must give back every cell.
"""
from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_csv_round_trips_through_libreoffice(built_site, tmp_path):
    if not SOFFICE:
        pytest.fail("LibreOffice not found: run `make test`, which installs Debian's libreoffice-calc-nogui")
    src = tmp_path / "schemes.csv"
    shutil.copy(built_site / "data" / "schemes.csv", src)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([SOFFICE, "--headless", "--infilter=CSV:44,34,76", "--convert-to", "ods", "--outdir", str(tmp_path / "ods"), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)
    subprocess.run([SOFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "back"),
                    str(tmp_path / "ods" / "schemes.ods")], check=True, capture_output=True, timeout=180, env=env)
    original = list(csv.reader(open(src, encoding="utf-8-sig", newline="")))
    back = list(csv.reader(open(tmp_path / "back" / "schemes.csv", encoding="utf-8-sig", newline="")))
    assert len(back) == len(original)
    text = " ".join(c for row in back for c in row)
    assert "Â" not in text and "â€" not in text and "ï»¿" not in text
    assert back == original
