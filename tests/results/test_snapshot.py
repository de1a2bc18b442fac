"""The published snapshot (pure): canonical JSON, a hash that does not depend on the order of the inputs, judges as
numbers, authors without private details, changes between versions, the public grouping."""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from results import snapshot as snap

D = Decimal
WHEN = datetime(2026, 5, 18, 9, 30, 15, 123456)


def sample(**changes) -> snap.Results:
    entries = [
        snap.EntryInfo(
            11,
            "STKT-2026-0001",
            "Máy gieo hạt điều",
            1,
            "",
            "Trường THPT Bù Đăng",
            (snap.AuthorInfo("Nguyễn Văn Ân", "Trường THPT Bù Đăng", "Bù Đăng", 0),),
            D("77.5"),
            D("77.5"),
            None,
            1,
            False,
            2,
            {"c3": D("31.5"), "c1": D("23")},
        ),
        snap.EntryInfo(
            12,
            "STKT-2026-0002",
            "Hệ thống tưới",
            1,
            "",
            "Đơn vị B",
            (
                snap.AuthorInfo("Trần Thị Bình", "Đơn vị B", "Đồng Xoài", 1),
                snap.AuthorInfo("Lê Văn Cường", "Đơn vị B", "", 0),
            ),
            D("70"),
            D("70"),
            None,
            2,
            False,
            2,
            {"c1": D("20"), "c3": D("30")},
        ),
        snap.EntryInfo(13, "STKT-2026-0003", "Phần mềm", 2, "", "Đơn vị C", (), D("65.25"), rank=1, judges=2),
    ]
    base = snap.Results(
        contest=snap.ContestInfo(5, "Hội thi Sáng tạo kỹ thuật lần thứ X", "innovation", 2026, 10, "provincial", "LHH"),
        round=snap.RoundInfo(7, "Vòng chung khảo", "final", "mean", False, 5, D(20)),
        scope="field",
        criteria=[
            snap.CriterionInfo("c1", "Tính mới, tính sáng tạo", D(30), 0),
            snap.CriterionInfo("c3", "Hiệu quả kinh tế - kỹ thuật - xã hội", D(40), 2),
        ],
        chain=["c3", "c1", "board"],
        judges=[snap.JudgeInfo(904, 3, D("70.1"), D("4.2"), False), snap.JudgeInfo(77, 3, D("71"), D("3"), False)],
        fields=[snap.FieldInfo(2, "2", "Cơ khí", 1), snap.FieldInfo(1, "1", "Công nghệ thông tin", 0)],
        entries=entries,
        tiers=[
            snap.TierInfo("second", "Giải Nhì", 1, quota=2),
            snap.TierInfo("first", "Giải Nhất", 0, quota=1, min_score=D(80)),
            snap.TierInfo("youngest", "Tác giả trẻ nhất", 4, special=True, rule="youngest_author"),
        ],
        awards=[
            snap.AwardInfo(12, "second", "Giải Nhì", rank=2, score=D(70)),
            snap.AwardInfo(11, "second", "Giải Nhì", rank=1, score=D("77.5")),
            snap.AwardInfo(13, "second", "Giải Nhì", rank=1, score=D("65.25")),
            snap.AwardInfo(12, "youngest", "Tác giả trẻ nhất", special=True, person="Trần Thị Bình"),
        ],
        decision=snap.DecisionInfo("125/QĐ-LHH", date(2026, 5, 15), "Phạm Văn Ký", "Chủ tịch"),
        board_decisions=[
            snap.BoardDecisionInfo(2, (12, 11), "Ban Tổ chức họp ngày 10/5"),
            snap.BoardDecisionInfo(1, (13,), "x"),
        ],
    )
    return replace(base, **changes)


def shuffled(results: snap.Results, seed: int) -> snap.Results:
    rnd = random.Random(seed)

    def mix(items):
        items = list(items)
        rnd.shuffle(items)
        return items

    entries = [
        replace(e, authors=tuple(mix(e.authors)), criteria=dict(mix(list(e.criteria.items()))))
        for e in mix(results.entries)
    ]
    return replace(
        results,
        criteria=mix(results.criteria),
        judges=mix(results.judges),
        fields=mix(results.fields),
        entries=entries,
        tiers=mix(results.tiers),
        awards=mix(results.awards),
        board_decisions=mix(results.board_decisions),
    )


def test_canonical_json_sorts_keys_writes_decimals_to_the_cent_and_iso_dates():
    text = snap.canonical_json(
        {"b": D("77.5"), "a": [date(2026, 5, 1), WHEN], "c": "Nguye\u0302\u0303n", "d": None, "e": True, "f": 3}
    )
    assert text == '{"a":["2026-05-01","2026-05-18T09:30:15Z"],"b":"77.50","c":"Nguyễn","d":null,"e":true,"f":3}'
    assert unicodedata.is_normalized("NFC", text)
    assert snap.money(D("0.125")) == "0.13" and snap.money(70) == "70.00" and snap.money(None) is None


def test_floats_and_non_string_keys_have_no_canonical_form():
    with pytest.raises(TypeError):
        snap.canonical_json({"score": 77.5})
    with pytest.raises(TypeError):
        snap.canonical_json({1: "x"})


def test_the_hash_does_not_depend_on_the_order_of_the_inputs_nor_of_dict_keys():
    first = snap.freeze(snap.build(sample(), version=1, published_at=WHEN))
    for seed in range(8):
        again = snap.freeze(snap.build(shuffled(sample(), seed), version=1, published_at=WHEN))
        assert again == first
    data = json.loads(first[0])
    reordered = dict(reversed(list(data.items())))
    assert snap.canonical_json(reordered) == first[0]
    assert snap.content_hash(first[0]) == first[1] and len(first[1]) == 64


def test_the_hash_changes_with_any_published_fact():
    first = snap.freeze(snap.build(sample(), version=1, published_at=WHEN))[1]
    other_score = sample(entries=[replace(e, score=D("77.51")) if e.id == 11 else e for e in sample().entries])
    assert snap.freeze(snap.build(other_score, version=1, published_at=WHEN))[1] != first
    assert snap.freeze(snap.build(sample(), version=2, published_at=WHEN, change_note="Sửa"))[1] != first


def test_the_snapshot_lists_are_ordered_and_judges_are_numbers():
    built = snap.build(sample(), version=1, published_at=WHEN, change_note="")
    assert [f["name"] for f in built["fields"]] == ["Công nghệ thông tin", "Cơ khí"]
    assert [e["code"] for e in built["entries"]] == ["STKT-2026-0001", "STKT-2026-0002", "STKT-2026-0003"]
    assert [t["code"] for t in built["tiers"]] == ["first", "second", "youngest"]
    assert [(a["code"], a["tier"]) for a in built["awards"]] == [
        ("STKT-2026-0001", "second"),
        ("STKT-2026-0002", "second"),
        ("STKT-2026-0003", "second"),
        ("STKT-2026-0002", "youngest"),
    ]
    assert built["normalisation"]["judges"] == [
        {"judge": 1, "sheets": 3, "mean": "71.00", "spread": "3.00", "normalised": False},
        {"judge": 2, "sheets": 3, "mean": "70.10", "spread": "4.20", "normalised": False},
    ]
    assert "904" not in snap.canonical_json(built) and "judge_id" not in snap.canonical_json(built)
    assert built["ranking"]["tie_break"] == [
        {"key": "c3", "criterion": "Hiệu quả kinh tế - kỹ thuật - xã hội"},
        {"key": "c1", "criterion": "Tính mới, tính sáng tạo"},
        {"key": "board", "criterion": None},
    ]
    assert built["ranking"]["board_decisions"][1] == {
        "entries": ["STKT-2026-0002", "STKT-2026-0001"],
        "reason": "Ban Tổ chức họp ngày 10/5",
    }
    assert built["entries"][1]["authors"] == [
        {"name": "Lê Văn Cường", "unit": "Đơn vị B", "locality": ""},
        {"name": "Trần Thị Bình", "unit": "Đơn vị B", "locality": "Đồng Xoài"},
    ]
    assert built["decision"] == {
        "number": "125/QĐ-LHH",
        "signed_on": "2026-05-15",
        "signer": "Phạm Văn Ký",
        "signer_title": "Chủ tịch",
    }
    assert built["published_at"] == "2026-05-18T09:30:15Z"


def test_an_author_has_no_field_for_private_details():
    names = {f.name for f in fields(snap.AuthorInfo)}
    assert names == {"name", "unit", "locality", "position"}


def test_verify_detects_tampering_and_non_canonical_payloads():
    payload, digest = snap.freeze(snap.build(sample(), version=1, published_at=WHEN))
    assert snap.verify(payload, digest)
    tampered = payload.replace('"77.50"', '"97.50"')
    assert tampered != payload and not snap.verify(tampered, digest)
    assert snap.verify(tampered, snap.content_hash(tampered))  # still canonical: only the stored hash tells
    loose = json.dumps(json.loads(payload), indent=1, ensure_ascii=False)
    assert not snap.verify(loose, snap.content_hash(loose))  # hashes to itself but is not canonical


def test_changes_between_versions():
    before = snap.build(sample(), version=1, published_at=WHEN)
    entries = [replace(e, score=D("71")) if e.id == 12 else e for e in sample().entries if e.id != 13]
    entries.append(snap.EntryInfo(14, "STKT-2026-0004", "Mới", 2, "", "Đơn vị D", (), D("60"), rank=2))
    awards = [a for a in sample().awards if a.entry_id != 13] + [snap.AwardInfo(11, "first", "Giải Nhất")]
    awards = [a for a in awards if not (a.entry_id == 11 and a.tier_code == "second")]
    after = snap.build(sample(entries=entries, awards=awards), version=2, published_at=WHEN)
    found = {
        (c.code, c.kind, c.award_before, c.award_after, c.score_before, c.score_after)
        for c in snap.changes(before, after)
    }
    assert found == {
        ("STKT-2026-0001", "changed", "Giải Nhì", "Giải Nhất", "77.50", "77.50"),
        (
            "STKT-2026-0002",
            "changed",
            "Giải Nhì; Tác giả trẻ nhất: Trần Thị Bình",
            "Giải Nhì; Tác giả trẻ nhất: Trần Thị Bình",
            "70.00",
            "71.00",
        ),
        ("STKT-2026-0004", "added", "", "", None, "60.00"),
        ("STKT-2026-0003", "removed", "Giải Nhì", "", "65.25", None),
    }
    assert snap.changes(None, after) == []
    assert snap.changes(before, snap.build(sample(), version=2, published_at=datetime(2027, 1, 1))) == []


def test_by_field_groups_ranked_tiers_keeps_empty_ones_and_lists_special_prizes_apart():
    groups, specials = snap.by_field(snap.build(sample(), version=1, published_at=WHEN))
    assert [g.name for g in groups] == ["Công nghệ thông tin", "Cơ khí"]
    it = groups[0]
    assert [(t.code, [r["code"] for r in t.rows]) for t in it.tiers] == [
        ("first", []),
        ("second", ["STKT-2026-0001", "STKT-2026-0002"]),
    ]
    assert it.others == []
    assert [(s["award"]["tier"], s["entry"]["code"], s["award"]["person"]) for s in specials] == [
        ("youngest", "STKT-2026-0002", "Trần Thị Bình")
    ]
    assert [r["code"] for r in groups[1].tiers[1].rows] == ["STKT-2026-0003"]
    # The full ranking: every entry of the field in rank order, an awarded one with its ranked tier's award.
    assert [(r["code"], r["rank"], r["award"]["tier"]) for r in it.ranking] == [
        ("STKT-2026-0001", 1, "second"),
        ("STKT-2026-0002", 2, "second"),
    ]
    assert (it.key, it.awarded, groups[1].key) == (str(it.id), 2, str(groups[1].id))


def test_a_units_prize_is_written_with_its_unit_and_only_it_has_the_key():
    unit = snap.AwardInfo(None, "unit", "Đơn vị có nhiều giải pháp nhất", special=True, unit="Đơn vị B")
    tiers = [*sample().tiers, snap.TierInfo("unit", "Đơn vị có nhiều giải pháp nhất", 5, True, rule="x")]
    built = snap.build(sample(tiers=tiers, awards=[*sample().awards, unit]), version=1, published_at=WHEN)
    assert built["awards"][-1] == {
        "entry_id": None,
        "code": "",
        "tier": "unit",
        "name": "Đơn vị có nhiều giải pháp nhất",
        "special": True,
        "rank": None,
        "score": None,
        "source": "rule",
        "person": "",
        "unit": "Đơn vị B",
    }
    assert all("unit" not in a for a in built["awards"][:-1])
    # Without a unit's prize, the bytes are those a version published before units could hold prizes.
    plain = json.loads(snap.canonical_json(snap.build(sample(), version=1, published_at=WHEN)))
    assert all("unit" not in a for a in plain["awards"])
    assert snap.awards_by_entry(built) == snap.awards_by_entry(snap.build(sample(), version=1, published_at=WHEN))
    assert snap.unit_awards(built) == {"Đơn vị B": [built["awards"][-1]]}
    _groups, specials = snap.by_field(built)
    assert specials[-1] == {"award": built["awards"][-1], "entry": None}


def test_changes_list_a_units_prize_given_taken_or_changed():
    def with_units(*units: tuple[str, str]) -> dict:
        awards = [*sample().awards, *(snap.AwardInfo(None, code, code.upper(), True, unit=u) for u, code in units)]
        return snap.build(sample(awards=awards), version=1, published_at=WHEN)

    before = with_units(("Đơn vị B", "unit"), ("Đơn vị C", "unit"))
    after = with_units(("Đơn vị B", "unit"), ("Đơn vị B", "team"), ("Đơn vị D", "unit"))
    found = {(c.entry_id, c.code, c.title, c.kind, c.award_before, c.award_after) for c in snap.changes(before, after)}
    assert found == {
        (None, "", "Đơn vị B", "changed", "UNIT", "TEAM; UNIT"),
        (None, "", "Đơn vị D", "added", "", "UNIT"),
        (None, "", "Đơn vị C", "removed", "UNIT", ""),
    }
