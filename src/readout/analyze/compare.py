"""The reports of one event from different outlets, side by side.

    compare(store, document_id) -> {"reports": [...], "people": [...], "events": [...],
                                    "only_in": [...], "linked_by": "story" | "window", ...}

Which documents tell the same story is decided by the near-duplicate linking at ingest
(readout.store.versions), which names each story by its first document in documents.story_id.
A document the linking left alone is compared with the documents whose occasion (first dated
event, else publication) lies within `compare.window_days` of its own and whose events have
the same principals. Each report's people, titles, list positions and events are then laid
out in columns, with what each report has that another lacks. At most MAX_REPORTS reports are
laid out: this one and the others nearest to it in the store (a story told by many articles
would otherwise make one page of unreadable columns); "story_size" says how many the story has.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, bindparam, func, select, union

from readout.analyze import AnalysisError, settings
from readout.resolve import fold
from readout.store.tables import documents, event_participants, events


def compare(store, document_id: int) -> dict:
    """Side-by-side comparison of the stored reports of the story of `document_id`.

    Titles that differ only in case, quotes or punctuation are not counted as differences.
    """
    ids, size, linked_by = reports_of(store, document_id, MAX_REPORTS)
    reports = store.get_documents(ids)
    columns = [report_view(report) for report in reports]
    people = aligned(columns, "people")
    happenings = aligned(columns, "events")
    return {"document_id": document_id, "linked_by": linked_by, "story_size": size,
            "reports": [header(report) for report in reports],
            "people": people, "events": happenings,
            "title_differences": [p for p in people if len({fold(t) for t in p["titles"] if t}) > 1],
            "only_in": lacking(reports, people, happenings)}


def reports_of(store, document_id: int, most: int) -> tuple[list[int], int, str]:
    """The ids of at most `most` reports of the story of `document_id` nearest to it, oldest
    first; how many the story has; and how they were found: "story" (the near-duplicate
    linking's documents.story_id) or "window" (same principals within the window)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(documents.c.story_id).where(documents.c.id == document_id)).first()
        if row is None:
            raise AnalysisError(f"no document {document_id} in the store")
        if row.story_id is not None:
            size = story_size(conn, row.story_id)
            if size > 1:
                return nearest_in_story(conn, row.story_id, document_id, most), size, "story"
        ids = same_occasion(conn, document_id)
        return nearest(ids, document_id, most), len(ids), "window"


def story_size(conn, story_id: int) -> int:
    return conn.scalar(select(func.count()).select_from(documents).where(documents.c.story_id == story_id))


def nearest_in_story(conn, story_id: int, document_id: int, most: int) -> list[int]:
    """The story's `most` documents nearest `document_id`, read from both sides of it in the
    story's index rather than the whole story (a leader's daily activities can be thousands)."""
    same = documents.c.story_id == story_id
    before = (select(documents.c.id).where(same, documents.c.id <= document_id)
              .order_by(documents.c.id.desc()).limit(most))
    after = select(documents.c.id).where(same, documents.c.id > document_id).order_by(documents.c.id).limit(most)
    return nearest([*conn.scalars(before), *conn.scalars(after)], document_id, most)


def nearest(ids: list[int], document_id: int, most: int) -> list[int]:
    """`document_id` and the other ids nearest to it (by id, so by time stored), at most
    `most` in all, oldest first."""
    closest = sorted(ids, key=lambda i: (i != document_id, abs(i - document_id), i))[:most]
    return sorted(closest)


WINDOW_ROWS = 2000  # candidates read per range of the date window
MAX_REPORTS = 12  # reports laid out side by side: more make columns no one can read


def same_occasion(conn, document_id: int) -> list[int]:
    """Documents of the same principals whose occasion is within the window of this one's."""
    mine = occasions(conn, [document_id]).get(document_id)
    if mine is None or mine[0] is None or not mine[1]:
        return [document_id]
    window = timedelta(days=settings("compare")["window_days"])
    low, high = mine[0] - window, mine[0] + window
    # Two ranges rather than one on coalesce(event date, published): each has its own index.
    # Each is cut at WINDOW_ROWS: a week of a large archive holds thousands of events.
    by_event = (select(events.c.document_id.label("id")).where(events.c.date.between(low, high))
                .limit(WINDOW_ROWS).subquery())
    by_date = (select(documents.c.id).where(documents.c.published.between(low, high))
               .limit(WINDOW_ROWS).subquery())
    near = union(select(by_event.c.id), select(by_date.c.id))
    candidates = occasions(conn, list(conn.scalars(near)))
    found = {i for i, (day, principals) in candidates.items()
             if day is not None and abs(day - mine[0]) <= window and principals == mine[1]}
    return sorted(found | {document_id})


def occasions(conn, ids: list[int]) -> dict[int, tuple]:
    """Per document: (first event date, else publication date; set of principal entities)."""
    if not ids:
        return {}
    query = (select(events.c.document_id, events.c.date, documents.c.published,
                    event_participants.c.entity_id, event_participants.c.role)
             .join(documents, documents.c.id == events.c.document_id)
             .outerjoin(event_participants, and_(event_participants.c.event_id == events.c.id,
                                                 event_participants.c.role == "principal"))
             .where(events.c.document_id.in_(bindparam("ids", expanding=True))))
    found: dict[int, tuple] = {}
    for row in conn.execute(query, {"ids": ids}):
        day, principals = found.get(row.document_id, (None, frozenset()))
        dates = [d for d in (day, row.date) if d is not None]
        day = min(dates) if dates else row.published
        if row.role == "principal" and row.entity_id:
            principals = principals | {row.entity_id}
        found[row.document_id] = (day, principals)
    return found


def header(report: dict) -> dict:
    return {k: report[k] for k in ("id", "source", "published", "title", "url", "file")}


def report_view(report: dict) -> dict:
    """What one report says: people keyed by entity (with title and list place), events by kind."""
    listed = {p["entity_id"]: p for e in report["events"] for p in e["participants"] if p["entity_id"]}
    people = {}
    for person in report["people"]:
        key = person["entity_id"] or person["name"]
        place = listed.get(person["entity_id"], {})
        people[key] = {"name": person["name"], "country": person["country"], "role": person["role"],
                       "title": place.get("title") or (person["titles"] or [None])[0],
                       "listed": f"{place['side']} {place['order']}" if place.get("order") else None}
    happenings = {}
    for event in report["events"]:
        happenings.setdefault(event_key(event), {
            "type": event["type"], "topic": event["topic"], "date": event["date"],
            "place": event["place"], "source_actor": event["source_actor"],
            "target_actor": event["target_actor"]})
    return {"people": people, "events": happenings}


def event_key(event: dict) -> str:
    """Events compare by kind and subject: a statement of support on Ukraine is one thing."""
    return event["type"] + (f" on {event['topic']}" if event["topic"] else "")


def aligned(columns: list[dict], what: str) -> list[dict]:
    """One row per person (or event) over all reports, with each report's version or None."""
    keys = list(dict.fromkeys(key for column in columns for key in column[what]))
    rows = []
    for key in keys:
        versions = [column[what].get(key) for column in columns]
        first = next(v for v in versions if v)
        if what == "people":
            rows.append({"entity_id": key, "name": first["name"], "country": first["country"],
                         "in": [v is not None for v in versions],
                         "titles": [v and v["title"] for v in versions],
                         "listed": [v and v["listed"] for v in versions]})
        else:
            rows.append({"event": key, **first, "in": [v is not None for v in versions]})
    return rows


def lacking(reports: list[dict], people: list[dict], happenings: list[dict]) -> list[dict]:
    """Per report, the people and events it has that at least one other report lacks."""
    if len(reports) < 2:
        return []
    return [{"document_id": report["id"], "source": report["source"],
             "people": [p["name"] for p in people if p["in"][i] and not all(p["in"])],
             "events": [e["event"] for e in happenings if e["in"][i] and not all(e["in"])]}
            for i, report in enumerate(reports)]
