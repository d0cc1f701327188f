"""iCalendar files of funding and scheme end dates (RFC 5545), national and per force area."""
from __future__ import annotations

import datetime

from . import dates


def end_events(views: list[dict]) -> list[dict]:
    """One event per funding period end and per scheme end date, with stable identifiers."""
    host = "reducing-reoffending-schemes"
    events = []
    for v in views:
        for i, f in enumerate(v["funding"]):
            if f.get("period_end"):
                events.append({
                    "uid": f"{v['slug']}-funding-{i + 1}-end@{host}",
                    "date": dates.last_day(f["period_end"]),
                    "summary": f"Funding ends: {v['title']} ({f['amount_text']}{' ' + f['from_text'] if f['from_text'] else ''})",
                    "description": f"{f['purpose']} Period: {f['period_text']}. As stated in the source ({v['as_of_text']}).",
                    "url": v["url"], "stamp": v["last_reviewed"], "forces": [x["slug"] for x in v["forces"]],
                })
        if v["data"].get("end"):
            events.append({
                "uid": f"{v['slug']}-end@{host}",
                "date": dates.last_day(v["data"]["end"]),
                "summary": f"Scheme ends: {v['title']}",
                "description": f"{v['summary']} End date as stated in the source ({v['as_of_text']}).",
                "url": v["url"], "stamp": v["last_reviewed"], "forces": [x["slug"] for x in v["forces"]],
            })
    events.sort(key=lambda e: (e["date"], e["uid"]))
    return events


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, start, width = [], 0, 75
    while len(raw) - start > width:
        end = start + width
        while raw[end] & 0xC0 == 0x80:  # a continuation byte: step back to the character's start
            end -= 1
        parts.append(raw[start:end])
        start, width = end, 74  # continuation lines begin with a space
    parts.append(raw[start:])
    return "\r\n ".join(part.decode("utf-8") for part in parts)


def _ics_event(e: dict) -> str:
    stamp = dates.last_day(e["stamp"]).strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{e['uid']}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{e['date'].strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(e['date'] + datetime.timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text(e['summary'])}",
        f"DESCRIPTION:{_ics_text(e['description'])}",
        f"URL:{e['url']}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"


def calendar_ics(events: list[dict], name: str) -> bytes:
    """An iCalendar file; written directly (a few fixed properties) to keep big registers fast."""
    head = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reducing Reoffending Schemes//funding ends//EN",
        "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    body = "".join(_ics_event(e) for e in events)
    text = "\r\n".join(_ics_fold(line) for line in head) + "\r\n" + body + "END:VCALENDAR\r\n"
    return text.encode("utf-8")
