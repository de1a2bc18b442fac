"""The frozen snapshot of an edition's published results: built from plain records, written as canonical JSON and
hashed with SHA-256.

Pure: no Flask, no database. What goes in is public by construction: an author is a name, a unit and a locality
(the inputs have no field for a birth date, an ID number, a phone, an email or an address), and judges are numbers
("Giám khảo 1..n" in the order of their account ids), never names nor ids. The canonical JSON is the stored
payload AND the public JSON document, so anyone can hash what the API returns and compare it with the published
hash.

Canonical form: keys sorted, no insignificant white space (separators ``,`` and ``:``), UTF-8 text as is
(``ensure_ascii=False``) in Unicode NFC, decimals as strings to 0.01 (``"77.50"``), dates and times in ISO 8601,
no floats. Every list is sorted by `build` (fields by position, entries by field then rank then code, awards by
tier then field then rank...), so the same results give the same bytes whatever order the records came in.

A special prize to a unit is an award with a null "entry_id", an empty "code" and a "unit" key; only such awards
have that key, so results without one still give the bytes (and the hash) of versions published before units
could hold prizes, and those versions read back as they were.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: The format marker of the payload; a reader refuses what it does not know.
FORMAT = "sangtao.results/1"
CENT = Decimal("0.01")
BOARD = "board"


@dataclass(frozen=True)
class ContestInfo:
    id: int
    name: str
    kind: str
    year: int
    number: int | None
    level: str
    organisation: str


@dataclass(frozen=True)
class RoundInfo:
    """The round whose scores rank the entries, and how its scores were worked out."""

    id: int
    name: str
    kind: str
    method: str
    normalise: bool
    min_sheets: int
    divergence_threshold: Decimal | None


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion of the ranking round's rubric; `key` is how tie-break chains and per-criterion means name it."""

    key: str
    name: str
    max_points: Decimal
    position: int


@dataclass(frozen=True)
class JudgeInfo:
    """A judge's statistics over the round's submitted sheets (what normalisation used). `judge_id` only orders
    the judges; it is not written."""

    judge_id: int
    count: int
    mean: Decimal | None
    spread: Decimal | None
    normalised: bool


@dataclass(frozen=True)
class FieldInfo:
    id: int
    code: str
    name: str
    position: int


@dataclass(frozen=True)
class AuthorInfo:
    """An author as the public sees them: no birth date, ID number, phone, email nor address."""

    name: str
    unit: str
    locality: str
    position: int = 0


@dataclass(frozen=True)
class EntryInfo:
    """An entry of the ranking round (or an awarded one) with its scores; `rank` is within the plan's group (field,
    age group or the whole edition) after the tie-break chain, `tied` when still tied after it."""

    id: int
    code: str
    title: str
    field_id: int | None
    age_group: str
    unit: str
    authors: tuple[AuthorInfo, ...] = ()
    score: Decimal | None = None
    raw: Decimal | None = None
    normalised: Decimal | None = None
    rank: int | None = None
    tied: bool = False
    judges: int = 0
    criteria: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class TierInfo:
    code: str
    name: str
    position: int
    special: bool = False
    quota: int | None = None
    min_score: Decimal | None = None
    rule: str | None = None


@dataclass(frozen=True)
class AwardInfo:
    """An award given to an entry; `person` is the author's name for a personal special prize. A special prize to
    a unit has no entry (`entry_id` None) and the unit's name in `unit`."""

    entry_id: int | None
    tier_code: str
    tier_name: str
    special: bool = False
    rank: int | None = None
    score: Decimal | None = None
    source: str = "rule"
    person: str = ""
    unit: str = ""


@dataclass(frozen=True)
class DecisionInfo:
    """The decision approving the awards (quyết định): number, date, signer."""

    number: str
    signed_on: date
    signer: str
    signer_title: str = ""


@dataclass(frozen=True)
class BoardDecisionInfo:
    """A Board decision on tied entries: their order and the reason; `id` orders the decisions."""

    id: int
    entry_ids: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Results:
    """Everything a snapshot is built from."""

    contest: ContestInfo
    round: RoundInfo
    scope: str
    criteria: Sequence[CriterionInfo]
    chain: Sequence[str]
    judges: Sequence[JudgeInfo]
    fields: Sequence[FieldInfo]
    entries: Sequence[EntryInfo]
    tiers: Sequence[TierInfo]
    awards: Sequence[AwardInfo]
    decision: DecisionInfo | None
    board_decisions: Sequence[BoardDecisionInfo] = ()


def money(value: Decimal | int | str | None) -> str | None:
    """A decimal as the snapshot writes it: a string to 0.01 ("77.50"), None as null."""
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP):f}"


def build(results: Results, *, version: int, published_at: datetime, change_note: str = "") -> dict[str, Any]:
    """The snapshot of `results` as published in `version` at `published_at` (naive UTC) with `change_note`.

    Lists are sorted here, so the snapshot does not depend on the order of the inputs."""
    field_order = {f.id: i for i, f in enumerate(sorted(results.fields, key=lambda f: (f.position, f.id)))}
    tier_order = {t.code: i for i, t in enumerate(sorted(results.tiers, key=lambda t: (t.position, t.code)))}
    entries = sorted(
        results.entries,
        key=lambda e: (
            field_order.get(e.field_id, len(field_order)),
            e.rank is None,
            e.rank or 0,
            e.code,
            e.id,
        ),
    )
    by_id = {e.id: e for e in entries}
    codes = {e.id: e.code for e in entries}

    def award_key(a: AwardInfo) -> tuple:
        entry = by_id.get(a.entry_id) if a.entry_id is not None else None
        return (
            tier_order.get(a.tier_code, len(tier_order)),
            a.tier_code,
            a.entry_id is None,  # a tier's prizes to units after its entries' (most tiers have only one kind)
            field_order.get(entry.field_id if entry else None, len(field_order)),
            a.rank is None,
            a.rank or 0,
            codes.get(a.entry_id, "") if a.entry_id is not None else "",
            a.entry_id or 0,
            a.person,
            a.unit,
        )

    def award_dict(a: AwardInfo) -> dict[str, Any]:
        written = {
            "entry_id": a.entry_id,
            "code": codes.get(a.entry_id, "") if a.entry_id is not None else "",
            "tier": a.tier_code,
            "name": a.tier_name,
            "special": a.special,
            "rank": a.rank,
            "score": money(a.score),
            "source": a.source,
            "person": a.person,
        }
        # Only a unit's prize has the key: an entry's award is written as before units could hold prizes, so the
        # same results still give the same bytes (and hash) as a version published before.
        if a.entry_id is None:
            written["unit"] = a.unit
        return written

    criterion_names = {c.key: c.name for c in results.criteria}
    judges = sorted(results.judges, key=lambda j: j.judge_id)
    return {
        "format": FORMAT,
        "version": version,
        "published_at": iso_datetime(published_at),
        "change_note": change_note,
        "contest": {
            "id": results.contest.id,
            "name": results.contest.name,
            "kind": results.contest.kind,
            "year": results.contest.year,
            "number": results.contest.number,
            "level": results.contest.level,
            "organisation": results.contest.organisation,
        },
        "decision": None
        if results.decision is None
        else {
            "number": results.decision.number,
            "signed_on": results.decision.signed_on.isoformat(),
            "signer": results.decision.signer,
            "signer_title": results.decision.signer_title,
        },
        "ranking": {
            "round": {"id": results.round.id, "name": results.round.name, "kind": results.round.kind},
            "scope": results.scope,
            "criteria": [
                {"key": c.key, "name": c.name, "max_points": money(c.max_points)}
                for c in sorted(results.criteria, key=lambda c: (c.position, c.key))
            ],
            "tie_break": [{"key": link, "criterion": criterion_names.get(link)} for link in results.chain],
            "board_decisions": [
                {"entries": [codes.get(i, str(i)) for i in d.entry_ids], "reason": d.reason}
                for d in sorted(results.board_decisions, key=lambda d: d.id)
            ],
        },
        "normalisation": {
            "method": results.round.method,
            "normalise": results.round.normalise,
            "min_sheets": results.round.min_sheets,
            "divergence_threshold": money(results.round.divergence_threshold),
            "judges": [
                {
                    "judge": n,
                    "sheets": j.count,
                    "mean": money(j.mean),
                    "spread": money(j.spread),
                    "normalised": j.normalised,
                }
                for n, j in enumerate(judges, start=1)
            ],
        },
        "fields": [
            {"id": f.id, "code": f.code, "name": f.name}
            for f in sorted(results.fields, key=lambda f: (f.position, f.id))
        ],
        "tiers": [
            {
                "code": t.code,
                "name": t.name,
                "special": t.special,
                "quota": t.quota,
                "min_score": money(t.min_score),
                "rule": t.rule,
            }
            for t in sorted(results.tiers, key=lambda t: (t.position, t.code))
        ],
        "entries": [
            {
                "id": e.id,
                "code": e.code,
                "title": e.title,
                "field_id": e.field_id,
                "age_group": e.age_group,
                "unit": e.unit,
                "authors": [
                    {"name": a.name, "unit": a.unit, "locality": a.locality}
                    for a in sorted(e.authors, key=lambda a: (a.position, a.name))
                ],
                "score": money(e.score),
                "raw": money(e.raw),
                "normalised": money(e.normalised),
                "rank": e.rank,
                "tied": e.tied,
                "judges": e.judges,
                "criteria": {key: money(value) for key, value in e.criteria.items()},
            }
            for e in entries
        ],
        "awards": [award_dict(a) for a in sorted(results.awards, key=award_key)],
    }


def iso_datetime(value: datetime) -> str:
    """A naive UTC time (as columns store it) in ISO 8601 with a Z, to the second."""
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"snapshot keys are strings, not {type(key).__name__}")
            out[unicodedata.normalize("NFC", key)] = _canonical(item)
        return out
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no canonical form (floats are refused: use Decimal)")


def canonical_json(snapshot: Mapping[str, Any]) -> str:
    """The snapshot's canonical JSON text (see the module's docstring)."""
    return json.dumps(_canonical(snapshot), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(payload: str) -> str:
    """SHA-256 of the payload's UTF-8 bytes, in hex."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def freeze(snapshot: Mapping[str, Any]) -> tuple[str, str]:
    """(canonical JSON, its SHA-256)."""
    payload = canonical_json(snapshot)
    return payload, content_hash(payload)


def verify(payload: str, expected_hash: str, loaded: dict[str, Any] | None = None) -> bool:
    """Whether `payload` is canonical and hashes to `expected_hash`; `loaded` is the payload already parsed by
    `load`, when the caller has it (spares parsing it twice)."""
    if content_hash(payload) != expected_hash:
        return False
    try:
        return canonical_json(load(payload) if loaded is None else loaded) == payload
    except (ValueError, TypeError):
        return False


def load(payload: str) -> dict[str, Any]:
    """The snapshot a payload holds (numbers with a fraction, which a canonical payload never has, as Decimal)."""
    data = json.loads(payload, parse_float=Decimal)
    if not isinstance(data, dict):
        raise ValueError("a snapshot is a JSON object")
    return data


# --- Reading a snapshot ---------------------------------------------------------------------------------------


def awards_by_entry(snapshot: Mapping[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """The snapshot's awards per entry id, in the snapshot's order (tiers first); prizes to units are left out
    (`unit_awards`)."""
    out: dict[int, list[dict[str, Any]]] = {}
    for award in snapshot.get("awards", []):
        if award.get("entry_id") is not None:
            out.setdefault(award["entry_id"], []).append(award)
    return out


def unit_awards(snapshot: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The snapshot's prizes to units per unit name, in the snapshot's order (none in a version published before
    units could hold prizes)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for award in snapshot.get("awards", []):
        if award.get("entry_id") is None:
            out.setdefault(award.get("unit", ""), []).append(award)
    return out


def award_text(awards: Iterable[Mapping[str, Any]]) -> str:
    """An entry's awards as one line ("Giải Nhì; Tác giả trẻ nhất: Lê Văn A")."""
    parts = []
    for a in awards:
        parts.append(f"{a['name']}: {a['person']}" if a.get("person") else a["name"])
    return "; ".join(parts)


@dataclass(frozen=True)
class Change:
    """How an entry's published result changed between two versions: "added" (new in the snapshot), "removed" or
    "changed" (award or score). A unit's prizes changing is a change with no entry (`entry_id` None, `code` "",
    the unit's name as `title`)."""

    entry_id: int | None
    code: str
    title: str
    kind: str
    award_before: str
    award_after: str
    score_before: str | None
    score_after: str | None


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[Change]:
    """Entries whose award or score differ between two snapshots (`before` None: nothing was published yet, so
    no change is listed). In the order of `after`, then the removed ones in the order of `before`."""
    if before is None:
        return []
    old = {e["id"]: e for e in before.get("entries", [])}
    new = {e["id"]: e for e in after.get("entries", [])}
    old_awards, new_awards = awards_by_entry(before), awards_by_entry(after)
    out: list[Change] = []
    for entry_id, entry in new.items():
        was = old.get(entry_id)
        award_after = award_text(new_awards.get(entry_id, []))
        if was is None:
            out.append(Change(entry_id, entry["code"], entry["title"], "added", "", award_after, None, entry["score"]))
            continue
        award_before = award_text(old_awards.get(entry_id, []))
        if award_before != award_after or was["score"] != entry["score"]:
            out.append(
                Change(
                    entry_id,
                    entry["code"],
                    entry["title"],
                    "changed",
                    award_before,
                    award_after,
                    was["score"],
                    entry["score"],
                )
            )
    old_units, new_units = unit_awards(before), unit_awards(after)
    for unit in [*new_units, *(u for u in old_units if u not in new_units)]:
        award_before = award_text(old_units.get(unit, []))
        award_after = award_text(new_units.get(unit, []))
        if award_before != award_after:
            kind = "added" if not award_before else "removed" if not award_after else "changed"
            out.append(Change(None, "", unit, kind, award_before, award_after, None, None))
    for entry_id, was in old.items():
        if entry_id not in new:
            out.append(
                Change(
                    entry_id,
                    was["code"],
                    was["title"],
                    "removed",
                    award_text(old_awards.get(entry_id, [])),
                    "",
                    was["score"],
                    None,
                )
            )
    return out


@dataclass
class TierGroup:
    code: str
    name: str
    rows: list[dict[str, Any]]


@dataclass
class FieldGroup:
    """One field of the public page: its ranked tiers with their entries (tiers left empty are kept, shown as
    such), the field's other entries, and all its entries in the snapshot's order (by rank) as `ranking` (an
    awarded entry with its ranked tier's award as "award", as in the tiers)."""

    id: int | None
    code: str
    name: str
    tiers: list[TierGroup]
    others: list[dict[str, Any]]
    ranking: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How a link names the field: its id, "none" for the entries without a field."""
        return "none" if self.id is None else str(self.id)

    @property
    def awarded(self) -> int:
        return sum(len(t.rows) for t in self.tiers)


def by_field(snapshot: Mapping[str, Any]) -> tuple[list[FieldGroup], list[dict[str, Any]]]:
    """The snapshot as the public page shows it: per field, the ranked tiers with their entries; and the special
    prizes (each award with its entry, None for a prize to a unit). An entry row is the snapshot's entry dict."""
    entries = {e["id"]: e for e in snapshot.get("entries", [])}
    tiers = snapshot.get("tiers", [])
    ranked_codes = [t["code"] for t in tiers if not t["special"]]
    groups: dict[int | None, FieldGroup] = {}
    for f in snapshot.get("fields", []):
        groups[f["id"]] = FieldGroup(
            f["id"], f["code"], f["name"], [TierGroup(t["code"], t["name"], []) for t in tiers if not t["special"]], []
        )

    def group_of(field_id: int | None) -> FieldGroup:
        key = field_id if field_id in groups else None
        if key not in groups:
            groups[key] = FieldGroup(
                None, "", "", [TierGroup(t["code"], t["name"], []) for t in tiers if not t["special"]], []
            )
        return groups[key]

    specials: list[dict[str, Any]] = []
    placed: dict[int, dict[str, Any]] = {}  # entry id -> its row in its first ranked tier
    for award in snapshot.get("awards", []):
        if award.get("entry_id") is None:
            specials.append({"award": award, "entry": None})
            continue
        entry = entries.get(award["entry_id"])
        if entry is None:
            continue
        if award["special"] or award["tier"] not in ranked_codes:
            specials.append({"award": award, "entry": entry})
            continue
        group = group_of(entry["field_id"])
        tier = next(t for t in group.tiers if t.code == award["tier"])
        row = entry | {"award": award}
        tier.rows.append(row)
        placed.setdefault(entry["id"], row)
    for entry in entries.values():
        group = group_of(entry["field_id"])
        row = placed.get(entry["id"])
        if row is None:
            group.others.append(entry)
        group.ranking.append(row or entry)
    out = [g for g in groups.values() if any(t.rows for t in g.tiers) or g.others]
    return out, specials
