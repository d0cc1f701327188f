"""Turn a "Suggest a scheme" issue into an entry: `python -m generator suggestion BODY_FILE --out DIR`.

The answers (generator/suggestion_form.py) become schemes/<slug>.yaml, plus
the new organisations and the new source appended to their vocabularies. The
result is checked as any entry is (vocabularies, schema, rules) in a scratch
copy first: either every file is written, or nothing is and every problem is
listed in plain words, by the form's question and line, ready to post on the
issue (--problems FILE, Markdown with each quoted value as inert code).
"""
from __future__ import annotations

import datetime
import pathlib
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field

import yaml

from .slugs import SLUG_MAX, propose_slug, slugify
from .suggestion_form import (DATE, Issue, check_date, form_fields, inert, lines_of, parse_amount, parse_number,
                              quote, read_answers, split_list, text_problems)

HEADER = "# yaml-language-server: $schema=../schema/scheme.schema.json\n"
URL = re.compile(r"^https://[^\s<>\"]+$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# A scheme field (the first part of a problem's field path) -> the form question it came from.
FIELD_QUESTION = {"slug": "title", "title": "title", "summary": "summary", "description": "description",
                  "forces": "force", "target_groups": "target-groups", "intervention_types": "intervention-types",
                  "stages": "stages", "status": "status", "start": "start", "organisations": "organisations",
                  "funding": "funding", "outcomes": "results", "contact": "contact", "sources": "source-section",
                  "as_of": "source-date", "last_reviewed": "source-accessed", "added": "source-accessed"}
SOURCE_QUESTION = {"title": "source-title", "publisher": "source-publisher", "date": "source-date",
                   "kind": "source-kind", "url": "source-url", "accessed": "source-accessed", "id": "source-title"}


@dataclass
class Suggestion:
    """What one issue body became: an entry and its new vocabulary records, or the problems."""

    slug: str | None = None
    entry: dict = field(default_factory=dict)
    organisations: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def scheme_text(self) -> str:
        return HEADER + _dump(self.entry)

    def problems_markdown(self, labels: dict[str, str] | None = None) -> str:
        lines = ["This suggestion cannot become an entry yet. Please edit the issue to put right each point "
                 "below; a maintainer then applies the label again.", ""]
        for issue in self.issues:
            where = f"**{issue.label}**" + (f", line {issue.line}" if issue.line else "")
            lines.append(f"- {where}: {inert(issue.message)}")
        return "\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else '"' if DATE.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


class Converter:
    """Builds one entry from the answers, against the vocabularies in `root`/vocabularies."""

    def __init__(self, root: pathlib.Path, today: str):
        from .vocabularies import load_vocabularies

        self.root = root
        self.today = today
        self.vocab = load_vocabularies(root / "vocabularies")
        self.fields = form_fields()
        self.out = Suggestion()
        self.lines: dict[str, list[int]] = {"organisations": [], "funding": [], "outcomes": []}
        self.new_orgs: dict[str, str] = {}  # lowercase name -> slug, for the funders of this suggestion

    def label(self, key: str) -> str:
        return self.fields[key]["label"]

    def issue(self, key: str, message: str, line: int | None = None) -> None:
        self.out.issues.append(Issue(self.label(key), message, line))

    def convert(self, body: str) -> Suggestion:
        answers, issues = read_answers(body, self.fields)
        self.out.issues.extend(issues)
        if not answers:
            return self.out
        for key, spec in self.fields.items():
            value = answers.get(key, "")
            if spec["type"] == "checkboxes":
                if "- [ ]" in value or value.count("- [X]") + value.count("- [x]") < len(spec["options"]):
                    self.issue(key, "every box must be ticked: the facts come from the source, and there is no "
                                    "personal data about people who use the service")
                continue
            if spec["required"] and not value:
                self.issue(key, "is empty; every entry needs it")
            if key != "source-url":
                self.out.issues.extend(text_problems(spec["label"], value))
        if any(i.label == "The suggestion" for i in self.out.issues):
            return self.out
        e = self.out.entry
        e["title"] = answers["title"]
        e["summary"] = answers["summary"]
        e["description"] = answers["description"]
        e["forces"] = self.values("force", "forces", answers["force"],
                                  "is not a police force area of England and Wales; write the area's name, for example "
                                  "Durham or Avon and Somerset")
        e["organisations"] = self.organisations(answers["organisations"])
        e["target_groups"] = self.values("target-groups", "target_groups", answers["target-groups"])
        e["intervention_types"] = self.values("intervention-types", "intervention_types", answers["intervention-types"])
        e["stages"] = self.values("stages", "stages", answers["stages"])
        status = self.values("status", "statuses", answers["status"])
        e["status"] = status[0] if status else None
        if answers["start"]:
            e["start"], found = check_date(self.label("start"), answers["start"])
            self.out.issues.extend(found)
        document = self.source(answers)
        section = answers["source-section"]
        e["funding"] = self.funding(answers["funding"], document, section)
        e["outcomes"] = self.results(answers["results"], document, section)
        e["contact"] = self.contact(answers["contact"])
        e["sources"] = [{"document": document, "section": section}]
        e["as_of"] = answers["source-date"]
        e["added"] = self.today
        e["last_reviewed"] = answers["source-accessed"]
        for key in [k for k, v in e.items() if v in (None, [], {}, "")]:
            del e[key]
        if e.get("forces") and e.get("title"):
            self.out.slug = propose_slug(e["forces"][0], e["title"])
            if (self.root / "schemes" / f"{self.out.slug}.yaml").exists():
                self.issue("title", f"an entry schemes/{self.out.slug}.yaml already exists; to correct it, say what "
                                    "to change in a comment and a maintainer will edit it")
        self.out.entry = {"slug": self.out.slug, **e} if self.out.slug else e
        return self.out

    # ---- answers to values ---------------------------------------------------------------

    def values(self, key: str, vocabulary: str, answer: str, unknown: str | None = None) -> list[str]:
        out = []
        names = ", ".join(self.vocab.label(vocabulary, v) for v in self.vocab.values(vocabulary))
        for item in split_list(answer):
            found = self.vocab.match(vocabulary, item)
            if found is None:
                self.issue(key, f"{quote(item)} " + (unknown or f"is not one of the values the site uses; choose from: "
                                                     f"{names} (if none fits, say so in More detail and a maintainer "
                                                     "will add one)"))
            elif found not in out:
                out.append(found)
        return out

    def organisation(self, key: str, name: str, line: int) -> str | None:
        found = self.vocab.match("organisations", name)
        return found or self.new_orgs.get(name.lower())

    def organisations(self, answer: str) -> list[dict]:
        out = []
        kinds = ", ".join(self.vocab.values("organisation_kinds"))
        for line, parts in lines_of(answer):
            name, role, kind = (parts + ["", "", ""])[:3]
            if not name or len(parts) > 3:
                self.issue("organisations", "write the name, | and what it does, and for a new organisation | and its "
                                            "kind, for example: Example Trust | delivers | charity", line)
                continue
            role_slug = self.vocab.match("roles", role) if role else None
            if role_slug is None:
                self.issue("organisations", f"{quote(role)} is not a role; use one of: "
                                            f"{', '.join(self.vocab.values('roles'))}", line)
            slug = self.organisation("organisations", name, line)
            if slug is None:
                kind_slug = self.vocab.match("organisation_kinds", kind) if kind else None
                if kind_slug is None:
                    self.issue("organisations", f"{quote(name)} is not yet on the site; add | and its kind, one of: "
                                                f"{kinds}" + (f" ({quote(kind)} is not one)" if kind else ""), line)
                    continue
                slug = slugify(name)[:SLUG_MAX].strip("-") or "organisation"
                self.new_orgs[name.lower()] = slug
                self.out.organisations.append({"slug": slug, "name": name, "kind": kind_slug})
            if role_slug:
                out.append({"organisation": slug, "role": role_slug})
                self.lines["organisations"].append(line)
        return out

    def funding(self, answer: str, document: str, section: str) -> list[dict]:
        out = []
        for line, parts in lines_of(answer):
            if len(parts) < 5:
                self.issue("funding", "write amount | basis | period | who paid | what it was for "
                                      "(use - for an unknown period or payer)", line)
                continue
            amount_text, basis, period, funder, purpose = parts[0], parts[1], parts[2], parts[3], " | ".join(parts[4:])
            item: dict = {}
            amount = parse_amount(amount_text)
            if amount is None:
                self.issue("funding", f"{quote(amount_text)} is not an amount in pounds; write it as the source does "
                                      "with digits, for example £150,000, £25k or £1.2m", line)
            else:
                item["amount"] = amount
            basis_slug = self.vocab.match("funding_bases", basis) if basis else None
            if basis_slug is None:
                self.issue("funding", f"{quote(basis)} is not a basis; use one of: "
                                      f"{', '.join(self.vocab.values('funding_bases'))}", line)
            else:
                item["basis"] = basis_slug
            if period:
                ends = re.split(r"\s+to\s+", period)
                dates = []
                for text in ends[:2]:
                    value, found = check_date(self.label("funding"), text.strip(), line)
                    self.out.issues.extend(found)
                    dates.append(value)
                if len(ends) == 1:
                    dates.append(dates[0])
                if all(dates) and len(ends) <= 2:
                    item["period_start"], item["period_end"] = dates
            elif basis_slug and basis_slug != "one-off":
                self.issue("funding", f"a {basis_slug} amount needs its period: write YYYY-MM to YYYY-MM, "
                                      "or the year (2023)", line)
            if funder:
                slug = self.organisation("funding", funder, line)
                if slug is None:
                    self.issue("funding", f"{quote(funder)} is not an organisation on the site; list it under "
                                          "Organisations involved too, with its kind", line)
                else:
                    item["funder"] = slug
            item["purpose"] = purpose
            item["source"] = {"document": document, "section": section}
            out.append(item)
            self.lines["funding"].append(line)
        return out

    def results(self, answer: str, document: str, section: str) -> list[dict]:
        out = []
        for line, parts in lines_of(answer):
            if len(parts) not in (4, 5):
                self.issue("results", "write what was counted | kind | value | unit | evidence", line)
                continue
            measure, kind, value_text, unit = parts[:4]
            evidence = parts[4] if len(parts) == 5 and parts[4] else "reported-by-scheme"
            item: dict = {"measure": measure}
            for name, vocabulary, text in (("kind", "outcome_kinds", kind), ("unit", "units", unit),
                                           ("evidence", "evidence_kinds", evidence)):
                found = self.vocab.match(vocabulary, text) if text else None
                if found is None:
                    self.issue("results", f"{quote(text)} is not a {name}; use one of: "
                                          f"{', '.join(self.vocab.values(vocabulary))}", line)
                item[name] = found
            value = parse_number(value_text)
            if value is None:
                self.issue("results", f"{quote(value_text)} is not a figure; write digits as the source states "
                                      "them, for example 120 or 62.5", line)
            ordered = {"measure": measure, "kind": item["kind"], "value": value, "unit": item["unit"],
                       "evidence": item["evidence"], "source": {"document": document, "section": section}}
            out.append({k: v for k, v in ordered.items() if v is not None})
            self.lines["outcomes"].append(line)
        return out

    def contact(self, answer: str) -> dict:
        """'Office or organisation | email address or https:// page', or the office alone, or a page alone.
        An email address needs the office or organisation it belongs to (the contact rule in rules.py);
        an official's own name or address printed in a decision record is refused by that rule too."""
        if not answer:
            return {}
        parts = [p.strip() for p in answer.split("|")]
        if len(parts) > 2 or not all(parts):
            self.issue("contact", "write the office or organisation the contact belongs to, | and its email address "
                                  "or https:// web page, as the source prints them")
            return {}
        office, route = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        out = {"office": office} if office else {}
        if EMAIL.match(route):
            if not office:
                self.issue("contact", f"{quote(route)}: say whose contact it is: write the office or organisation it "
                                      f"belongs to, | and the address (for example: Office of the Durham Police and "
                                      f"Crime Commissioner | {route})")
                return {}
            return {**out, "email": route}
        if re.match(r"^[a-z][a-z0-9+.-]*:", route, flags=re.I) and not route.startswith("mailto:"):
            if not URL.match(route):
                self.issue("contact", f"{quote(route)} is not an https:// web address; give the page's https:// "
                                      "address (other kinds, such as javascript:, are refused)")
                return {}
            return {**out, "url": route}
        if office:
            self.issue("contact", f"{quote(route)} is not an email address or an https:// web address; after the | "
                                  "give one of those, as the source prints it")
            return {}
        return {"office": route}

    def source(self, answers: dict) -> str:
        url = answers["source-url"]
        if url and not URL.match(url):
            self.issue("source-url", f"{quote(url)} is not an https:// address; give the address that starts with "
                                     "https:// (other kinds, such as javascript: or http:, are refused)")
        elif len(url) > 500:
            self.issue("source-url", f"is {len(url)} characters long, the limit is 500")
        for key, entry in self.vocab["sources"].items():
            if url and entry.get("url") == url:
                return key
        for key in ("source-date", "source-accessed"):
            if answers[key]:
                self.out.issues.extend(check_date(self.label(key), answers[key])[1])
        if answers["source-accessed"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", answers["source-accessed"]):
            if not any(i.label == self.label("source-accessed") for i in self.out.issues):
                self.issue("source-accessed", f"{quote(answers['source-accessed'])} needs the day: write YYYY-MM-DD")
        kind = self.vocab.match("source_kinds", answers["source-kind"]) if answers["source-kind"] else None
        year = answers["source-date"][:4] if re.match(r"\d{4}", answers["source-date"]) else "undated"
        publisher = self.vocab.match("organisations", answers["source-publisher"]) \
            or "-".join(slugify(answers["source-publisher"]).split("-")[:3]) or "source"
        ident = propose_slug(publisher, f"{year} {' '.join(slugify(answers['source-title']).split('-')[:6])}")
        base, n = ident, 2
        while ident in self.vocab["sources"]:
            ident, n = f"{base[:SLUG_MAX - 3]}-{n}", n + 1
        record = {"id": ident, "title": answers["source-title"], "publisher": answers["source-publisher"],
                  "date": answers["source-date"], "kind": kind, "url": url if URL.match(url) else None,
                  "accessed": answers["source-accessed"]}
        self.out.sources.append({k: v for k, v in record.items() if v})
        return ident

    # ---- check in a scratch copy, then write --------------------------------------------

    def check(self) -> None:
        """The entry and records checked as the register checks them; problems by question and line."""
        from .loader import SchemeLoader
        from .vocabularies import check_vocabularies

        told = {i.label for i in self.out.issues}
        slug = self.out.slug or "suggestion"  # checked under a stand-in name when there is none yet
        entry = self.out.entry
        with tempfile.TemporaryDirectory() as tmp:
            scratch = pathlib.Path(tmp)
            shutil.copytree(self.root / "vocabularies", scratch / "vocabularies")
            (scratch / "schemes").mkdir()
            write_files(Suggestion(slug, {"slug": slug, **entry}, self.out.organisations, self.out.sources), scratch)
            vocab, problems = check_vocabularies(scratch / "vocabularies")
            problems += SchemeLoader(vocab).load_file(scratch / "schemes" / f"{slug}.yaml")[1]
        for p in problems:
            if p.field == "slug" and not self.out.slug:
                continue
            issue = self.place(p)
            if issue.label not in told and issue not in self.out.issues:
                self.out.issues.append(issue)

    def place(self, problem) -> Issue:
        parts = re.findall(r"[A-Za-z_-]+|\[\d+\]", problem.field)
        if problem.path.endswith("sources.yaml"):
            key = SOURCE_QUESTION.get(parts[-1] if parts else "", "source-title")
            return Issue(self.label(key), problem.message)
        if problem.path.endswith("organisations.yaml"):
            return Issue(self.label("organisations"), problem.message)
        key = FIELD_QUESTION.get(parts[0] if parts else "", "title")
        line = None
        if parts and parts[0] in self.lines and len(parts) > 1 and parts[1].startswith("["):
            index = int(parts[1][1:-1])
            line = self.lines[parts[0]][index] if index < len(self.lines[parts[0]]) else None
            rest = [p for p in parts[2:] if not p.startswith("[")]
            return Issue(self.label(key), (f"{'.'.join(rest)}: " if rest else "") + problem.message, line)
        return Issue(self.label(key), problem.message, line)


def convert(body: str, root: pathlib.Path, today: str) -> Suggestion:
    """An issue body -> the entry and records (checked), or every problem."""
    converter = Converter(root, today)
    out = converter.convert(body)
    converter.check()
    return out


def write_files(suggestion: Suggestion, root: pathlib.Path) -> list[pathlib.Path]:
    """schemes/<slug>.yaml written, new records appended to the two vocabularies; the paths written."""
    path = root / "schemes" / f"{suggestion.slug}.yaml"
    path.write_text(suggestion.scheme_text(), encoding="utf-8")
    written = [path]
    for name, records in (("organisations", suggestion.organisations), ("sources", suggestion.sources)):
        if records:
            vocab_path = root / "vocabularies" / f"{name}.yaml"
            text = vocab_path.read_text(encoding="utf-8")
            vocab_path.write_text(text + ("" if text.endswith("\n") else "\n") + _dump(records), encoding="utf-8")
            written.append(vocab_path)
    return written


def cmd_suggestion(args) -> int:
    root = pathlib.Path(args.out)
    body = pathlib.Path(args.body_file).read_text(encoding="utf-8", errors="replace")
    today = args.today or datetime.date.today().isoformat()
    suggestion = convert(body, root, today)
    if suggestion.issues:
        for issue in suggestion.issues:
            print(issue)
        if args.problems:
            pathlib.Path(args.problems).write_text(suggestion.problems_markdown(), encoding="utf-8")
        print(f"{len(suggestion.issues)} problem(s); nothing written.", file=sys.stderr)
        return 1
    for path in write_files(suggestion, root):
        print(f"Wrote {path}", file=sys.stderr)
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as out:
            out.write(f"slug={suggestion.slug}\n")
    if args.pr_body:
        issue_ref = f"#{args.issue}" if args.issue else "the issue"
        pathlib.Path(args.pr_body).write_text(
            f"Draft entry `schemes/{suggestion.slug}.yaml` made from the suggestion in {issue_ref} by "
            "`python -m generator suggestion`, with the new organisations and source it needs.\n\n"
            "Before marking it ready: read the entry against the source, and check the summary and "
            f"description are in the contributor's own words.\n\nCloses {issue_ref}\n", encoding="utf-8")
    return 0


def add_arguments(p) -> None:
    p.add_argument("body_file", help="the issue body (Markdown), saved to a file")
    p.add_argument("--out", default=".", help="the repository to write into (its schemes/ and vocabularies/)")
    p.add_argument("--problems", help="where to write the problems as a Markdown comment, if there are any")
    p.add_argument("--today", help="the date the entry is added (default today), YYYY-MM-DD")
    p.add_argument("--issue", type=int, help="the issue's number, for the pull request's description")
    p.add_argument("--pr-body", help="where to write the pull request's description")
    p.add_argument("--github-output", help="a file to append slug=<slug> to (GitHub's step outputs)")
