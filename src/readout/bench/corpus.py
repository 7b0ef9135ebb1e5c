"""A corpus of any size made from real articles, with no two articles alike.

`Corpus(templates, seed).document(i)` is the i-th article: a real article (a template) with
1. its people swapped for others of the same country (some keep their names, some take a
   name made of two real ones), and each side's attendance list in a new order;
2. every date moved by the same number of days, the publication date included, into the
   years of bench.yaml, and every weekday with them;
3. interchangeable wordings of state media swapped.
Each article depends only on (seed, i), so a corpus is streamed, never held, and an
interrupted ingest of it can be resumed.
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path

from readout.domain import alternation, load_yaml
from readout.model import RawDocument

RULES = "bench.yaml"
DEFAULT_BASE = date(2020, 6, 15)  # where the dates of an article with no publication date sit


@dataclass(frozen=True)
class Named:
    """A person named in a template, as written, with country and attendance-list side."""

    mention: str
    country: str | None
    side: str | None = None


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    source: str | None
    published: date | None
    people: tuple[Named, ...]
    names: re.Pattern | None = field(default=None, compare=False)  # every mention, longest first


def template(name: str, text: str, source: str | None, published: date | None,
             people: list[Named]) -> Template:
    mentions = [p.mention for p in people if p.mention]
    pattern = re.compile(rf"\b(?:{alternation(mentions)})\b") if mentions else None
    return Template(name, text, source, published, tuple(people), pattern)


def default_folders() -> list[Path]:
    """The gold fixtures of a source checkout (when there is one) and the shipped samples."""
    gold = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "gold"
    samples = Path(str(resources.files("readout.data").joinpath("samples")))
    return [folder for folder in (gold, samples) if folder.is_dir()]


class Corpus:
    """The articles of one seed; `rules` are bench.yaml's."""

    def __init__(self, templates: list[Template], seed: int = 0, rules: dict | None = None):
        if not templates:
            raise ValueError("a corpus needs at least one template article")
        self.templates, self.seed = templates, seed
        self.rules = rules or load_yaml(RULES)
        self.dates = DateShifter(self.rules)

    @cached_property
    def pool(self) -> dict[str | None, list[str]]:
        """Names to swap in, by country (None: every name): the KB's and the templates'."""
        from readout.resolve.kb import shipped_people

        named = [(p.name, p.country) for p in shipped_people()]
        named += [(n.mention, n.country) for t in self.templates for n in t.people]
        pool: dict[str | None, list[str]] = {None: []}
        for name, country in dict.fromkeys(named):
            pool.setdefault(country, []).append(name)
            pool[None].append(name)
        return pool

    def documents(self, count: int, start: int = 0) -> Iterator[RawDocument]:
        return (self.document(i) for i in range(start, start + count))

    def document(self, i: int) -> RawDocument:
        rng = random.Random(f"{self.seed}:{i}")
        chosen = self.templates[rng.randrange(len(self.templates))]
        text = self.rename(chosen, rng)
        days = self.dates.days(chosen.published, rng)
        text = self.dates.shift(text, chosen.published, days)
        text = self.reword(text, rng)
        published = chosen.published + timedelta(days) if chosen.published else None
        meta = {"format": "jsonl", "url": f"https://bench.readout.invalid/{self.seed}/{i}"}
        meta.update(source=chosen.source, published=published.isoformat() if published else None)
        return RawDocument(f"bench-{self.seed}#{i}", text, {k: v for k, v in meta.items() if v})

    def rename(self, chosen: Template, rng: random.Random) -> str:
        if chosen.names is None:
            return chosen.text
        mapping = self.new_names(chosen, rng)
        return chosen.names.sub(lambda m: mapping.get(m.group(0), m.group(0)), chosen.text)

    def new_names(self, chosen: Template, rng: random.Random) -> dict[str, str]:
        """Mention -> new name: each side's list shuffled, then names swapped, none twice."""
        mapping = {}
        for side in sorted({p.side for p in chosen.people if p.side}):  # sorted: hash order varies by process
            listed = [p.mention for p in chosen.people if p.side == side]
            mapping.update(zip(listed, rng.sample(listed, len(listed))))
        used: set[str] = set()
        for person in chosen.people:
            name = mapping.get(person.mention, person.mention)
            if rng.random() >= self.rules["keep_name_share"]:
                name = self.other_name(person.country, rng)
            for candidate in (name, person.mention, self.invented(person.country, rng)):
                if candidate not in used:
                    break
            mapping[person.mention] = candidate
            used.add(candidate)
        return mapping

    def other_name(self, country: str | None, rng: random.Random) -> str:
        if rng.random() < self.rules["invented_name_share"]:
            return self.invented(country, rng)
        return rng.choice(self.pool.get(country) or self.pool[None])

    def invented(self, country: str | None, rng: random.Random) -> str:
        """One real person's surname with another's given name, in the country's order."""
        names = self.pool.get(country) or self.pool[None]
        first, second = rng.choice(names).split(), rng.choice(names).split()
        if len(first) < 2 or len(second) < 2:
            return " ".join(first)
        if country in self.rules["surname_first"]:
            return " ".join(first[:1] + second[1:])
        return " ".join(first[:-1] + second[-1:])

    def reword(self, text: str, rng: random.Random) -> str:
        for one, other in self.rules["wording"]:
            if one in text and rng.random() < 0.5:
                text = text.replace(one, other)
            elif other in text and rng.random() < 0.5:
                text = text.replace(other, one)
        return text

    def write_jsonl(self, path: Path, count: int, start: int = 0) -> Path:
        """The articles as a JSONL dump, the form `readout ingest` reads archives in."""
        with open(path, "w", encoding="utf-8") as out:
            for raw in self.documents(count, start):
                out.write(json.dumps({"text": raw.text, **raw.meta}, ensure_ascii=False) + "\n")
        return path


class DateShifter:
    """Moves every date of a text ("June 19", "Nov. 28, 2024", "30/11/2020", "Juche 113 (2024)")
    by a number of days, and its weekdays with them."""

    def __init__(self, rules: dict):
        self.first, self.last = rules["years"]["first"], rules["years"]["last"]
        self.juche = rules["juche_offset"]
        self.full = {name: n for n, name in enumerate(rules["months"], 1)}
        self.short = dict(rules["month_abbreviations"])
        self.full_of = {n: name for name, n in self.full.items()}
        self.short_of = dict(self.full_of)  # May has no shorter form
        for name, n in reversed(self.short.items()):
            self.short_of[n] = name  # the first abbreviation listed wins
        self.weekdays = rules["weekdays"]
        months, weekdays = alternation([*self.full, *self.short]), alternation(self.weekdays)
        # The year of a date may run into the next word ("2025Nov 29, 2025" on crawled pages).
        self.pattern = re.compile(
            rf"\b(?P<month>{months})(?P<dot>\.?) (?P<day>\d{{1,2}})\b"
            rf"(?:(?P<sep>[,.]? )(?P<juche>Juche \d+ \()?(?P<year>\d{{4}})(?!\d))?"
            rf"|\bJuche (?P<jn>\d+)(?: \((?P<jyear>\d{{4}})\))?"
            rf"|\b(?P<dd>\d{{2}})/(?P<mm>\d{{2}})/(?P<yyyy>\d{{4}})\b"
            rf"|\b(?P<weekday>{weekdays})\b")

    def days(self, published: date | None, rng: random.Random) -> int:
        """Days that move `published` to a random day of the configured years."""
        target = date(rng.randint(self.first, self.last), 1, 1) + timedelta(days=rng.randrange(365))
        return (target - (published or DEFAULT_BASE)).days

    def shift(self, text: str, published: date | None, days: int) -> str:
        base = published or DEFAULT_BASE
        years = (base + timedelta(days)).year - base.year
        return self.pattern.sub(lambda m: self._moved(m, base, days, years), text)

    def _moved(self, match: re.Match, base: date, days: int, years: int) -> str:
        if match["weekday"]:
            return self.weekdays[(self.weekdays.index(match["weekday"]) + days) % 7]
        if match["jn"]:
            return self._juche(match, years)
        if match["dd"]:
            return self._numeric(match, days)
        old = self._day(match, base)
        if old is None:
            return match.group(0)
        new = old + timedelta(days)
        month = (self.full_of if match["month"] in self.full else self.short_of)[new.month]
        moved = f"{month}{match['dot']} {new.day}"
        if match["year"]:
            juche = f"Juche {new.year - self.juche} (" if match["juche"] else ""
            moved += f"{match['sep']}{juche}{new.year}"
        return moved

    def _juche(self, match: re.Match, years: int) -> str:
        if match["jyear"]:
            year = int(match["jyear"]) + years
            return f"Juche {year - self.juche} ({year})"
        return f"Juche {int(match['jn']) + years}"

    def _numeric(self, match: re.Match, days: int) -> str:
        """dd/mm/yyyy, as some mirrors write the date of the original."""
        try:
            old = date(int(match["yyyy"]), int(match["mm"]), int(match["dd"]))
        except ValueError:
            return match.group(0)
        return (old + timedelta(days)).strftime("%d/%m/%Y")

    def _day(self, match: re.Match, base: date) -> date | None:
        """The date written, its year taken from the text or else the latest one not after `base`."""
        month = self.full.get(match["month"]) or self.short[match["month"]]
        year = int(match["year"]) if match["year"] else base.year
        try:
            day = date(year, month, int(match["day"]))
            if not match["year"] and day > base:
                day = date(year - 1, month, int(match["day"]))
        except ValueError:  # "February 30", or February 29 in the wrong year: left as written
            return None
        return day


def load_templates(folders: list[Path] | None = None) -> list[Template]:
    """Every article of `folders` (default: default_folders()) as a template, each text once.

    People come from the article's NAME.gold.json where there is one (every real person,
    checked by hand), else from readout's own extraction.
    """
    from readout.ingest import iter_raw_documents

    found, seen = [], set()
    for raw in iter_raw_documents([str(f) for f in folders or default_folders()]):
        if raw.text not in seen:
            seen.add(raw.text)
            found.append(_template_of(raw))
    return found


def _template_of(raw: RawDocument) -> Template:
    from readout.parse import parse

    document = parse(raw)
    gold = Path(raw.path).with_suffix("").with_suffix(".gold.json")
    people = _gold_people(gold) if gold.is_file() else _extracted_people(raw)
    return template(Path(raw.path).name, raw.text, document.source, document.published, people)


def _gold_people(path: Path) -> list[Named]:
    people = json.loads(path.read_text(encoding="utf-8")).get("people") or []
    return [Named(p["mention"], p.get("country"), p.get("side")) for p in people if p.get("mention")]


def _extracted_people(raw: RawDocument) -> list[Named]:
    from readout.pipeline import process

    return [Named(p.mention, p.country, p.side) for p in process(raw).people]
