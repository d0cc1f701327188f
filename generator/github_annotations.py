"""Problems shown on GitHub: annotations in the workflow-command format, and every one in the job summary.

GitHub shows at most 10 error annotations per step. With more problems, the
first 10 are annotations, the 10th saying how many more there are; the rest go
to the log as plain lines; and the job summary lists every problem. Values are
escaped as the format requires: in the message %, CR and LF; in a property
(file, title) also `:` and `,`.
"""
from __future__ import annotations

import html
import os

ANNOTATION_LIMIT = 10


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem, note: str = "") -> str:
    return (f"::error file={escape_property(problem.path)},line={problem.line},col={problem.column},"
            f"title={escape_property(problem.field)}::{escape_data(problem.message + note)}")


def annotation_lines(problems, limit: int = ANNOTATION_LIMIT) -> list[str]:
    """The lines to print: `limit` annotations (the last saying how many more), then the rest as plain log lines."""
    problems = list(problems)
    if len(problems) <= limit:
        return [annotation(p) for p in problems]
    more = len(problems) - limit
    out = [annotation(p) for p in problems[:limit - 1]]
    out.append(annotation(problems[limit - 1],
                          f" (and {more} more problem(s) not shown as annotations: all {len(problems)} are listed "
                          "in the job summary and in the log)"))
    out.extend(str(p) for p in problems[limit:])
    return out


def summary(problems) -> str:
    """Every problem as a Markdown list for the job summary; file text is escaped, never live markup."""
    problems = list(problems)
    lines = [f"## {len(problems)} problem(s) to fix", ""]
    for p in problems:
        place = html.escape(f"{p.path}:{p.line}:{p.column}").replace("|", "&#124;")
        lines.append(f"- <code>{place}</code> <code>{html.escape(p.field)}</code>: "
                     f"{html.escape(p.message).replace('`', '&#96;').replace('[', '&#91;')}")
    return "\n".join(lines) + "\n"


def report(problems, print_line=print) -> None:
    """Print the annotations; append the full list to $GITHUB_STEP_SUMMARY when there is one."""
    problems = list(problems)
    for line in annotation_lines(problems):
        print_line(line)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if problems and target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(summary(problems))
