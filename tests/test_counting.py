"""Counting rules as properties: each event, person and yuan once, whatever reports it and in
whatever order the files come.

Without event identifiers one case is undecidable: in one pair, activity type and month, the
sender alone reports one event and the receiver alone reports another. That looks exactly like
one event reported by both, so it counts once, and the reconciliation warns about it. The
properties hold for every other case, which the generators keep to.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.app import load_programme
from pipeline.checks.crosscheck import SUB
from pipeline.core.cells import ROW
from pipeline.counting.once import count_activities, count_funding
from pipeline.forms.templates import write_programme_workbook
from pipeline.intake.blocks import typed_frame
from schemas.report import Activity, Funding
from tests.conftest import small_programme_rows

PAIRS = [("001", "002"), ("001", "003"), ("004", "003"), ("001", "005")]
TYPES = ["讲座", "示范课", "交流课"]
_PROGRAMME = {}


def programme(tmp_path_factory=None):
    if "p" not in _PROGRAMME:
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp())
        _PROGRAMME["p"] = load_programme(
            write_programme_workbook(folder / "p.xlsx", "zh", small_programme_rows())
        ).programme
    return _PROGRAMME["p"]


def _date(month: int) -> dt.date:
    """A date inside the 2024 autumn term for a drawn month number (several numbers share a month)."""
    return dt.date(2024 + (month < 9), month if month >= 9 else month % 2 + 1, 1)


def _decidable(keys: list[tuple], who: list[str], one: str, other: str) -> bool:
    """No key where one side alone reports something and the other side alone something else."""
    seen: dict[tuple, set[str]] = {}
    for key, w in zip(keys, who, strict=True):
        seen.setdefault(key, set()).add(w)
    return not any({one, other} <= ws for ws in seen.values())


event = st.tuples(
    st.sampled_from(range(len(PAIRS))),
    st.booleans(),
    st.sampled_from(TYPES),
    st.integers(1, 12),
    st.integers(1, 200),
    st.sampled_from(["sender", "receiver", "both"]),
)


def _frames(events, order_seed: int):
    """Each school's rows for the events; who reports each decides which rows exist."""
    rows: dict[str, list[dict]] = {}
    for pair, forward, kind, month, people, who in events:
        sup, rec = PAIRS[pair]
        sender, receiver = (sup, rec) if forward else (rec, sup)
        base = {
            Activity.date.name: _date(month),
            Activity.activity_type.name: kind,
            Activity.participants.name: people,
            Activity.sessions.name: 1,
        }
        if who in ("sender", "both"):
            rows.setdefault(sender, []).append(
                {**base, Activity.direction.name: "派出", Activity.partner.name: receiver}
            )
        if who in ("receiver", "both"):
            rows.setdefault(receiver, []).append(
                {**base, Activity.direction.name: "接收", Activity.partner.name: sender}
            )
    codes = sorted(rows)
    codes = codes[order_seed % max(len(codes), 1) :] + codes[: order_seed % max(len(codes), 1)]  # file order
    frames, schools = [], {}
    for sub, code in enumerate(codes):
        records = [{ROW: i + 2, **r} for i, r in enumerate(rows[code])]
        frames.append(typed_frame(Activity, records).assign(**{SUB: sub}))
        schools[sub] = code
    frame = pd.concat(frames, ignore_index=True) if frames else typed_frame(Activity, []).assign(**{SUB: 0})
    return frame, schools


@settings(max_examples=60, deadline=None)
@given(st.lists(event, max_size=25), st.integers(0, 5))
def test_each_event_counted_once_whoever_reports_it(events, order_seed):
    assume(
        _decidable(
            [(e[0], e[1], e[2], _date(e[3]).month) for e in events], [e[5] for e in events], "sender", "receiver"
        )
    )
    frame, schools = _frames(events, order_seed)
    counted = count_activities(frame, schools, programme(), {s: ("f", "交流活动") for s in schools})
    assert len(counted) == len(events)
    assert counted[Activity.participants.name].sum() == sum(e[4] for e in events)


@settings(max_examples=30, deadline=None)
@given(st.lists(event, max_size=25), st.integers(0, 5), st.integers(0, 5))
def test_totals_do_not_depend_on_file_order(events, first, second):
    results = []
    for seed in (first, second):
        frame, schools = _frames(events, seed)
        counted = count_activities(frame, schools, programme(), {s: ("f", "交流活动") for s in schools})
        results.append(
            counted.groupby(["pair_code", Activity.activity_type.name])[Activity.participants.name]
            .agg(["size", "sum"])
            .sort_index()
        )
    pd.testing.assert_frame_equal(results[0], results[1])


money = st.tuples(
    st.sampled_from(range(len(PAIRS))),
    st.sampled_from(["资金", "设备"]),
    st.integers(1, 10**7),
    st.sampled_from(["giver", "receiver", "both"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(money, max_size=20), st.integers(0, 1_000_000))
def test_each_yuan_counted_once(transfers, grant):
    assume(_decidable([(t[0], t[1]) for t in transfers], [t[3] for t in transfers], "giver", "receiver"))
    rows: dict[str, list[dict]] = {}
    for pair, category, amount, who in transfers:
        giver, receiver = PAIRS[pair]
        base = {
            Funding.date.name: dt.date(2024, 10, 1),
            Funding.category.name: category,
            Funding.source.name: "学校自筹",
            Funding.amount.name: float(amount),
        }
        if who in ("giver", "both"):
            rows.setdefault(giver, []).append({**base, Funding.direction.name: "拨出", Funding.partner.name: receiver})
        if who in ("receiver", "both"):
            rows.setdefault(receiver, []).append({**base, Funding.direction.name: "收到", Funding.partner.name: giver})
    if grant:
        rows.setdefault("003", []).append(
            {
                Funding.date.name: dt.date(2024, 10, 2),
                Funding.category.name: "资金",
                Funding.source.name: "教育局专项经费",
                Funding.direction.name: "收到",
                Funding.partner.name: None,
                Funding.amount.name: float(grant),
            }
        )
    frames, schools = [], {}
    for sub, code in enumerate(sorted(rows)):
        frames.append(typed_frame(Funding, [{ROW: i + 2, **r} for i, r in enumerate(rows[code])]).assign(**{SUB: sub}))
        schools[sub] = code
    if not frames:
        return
    counted = count_funding(
        pd.concat(frames, ignore_index=True), schools, programme(), {s: ("f", "经费物资") for s in schools}
    )
    assert counted[Funding.amount.name].sum() == sum(t[2] for t in transfers) + grant
