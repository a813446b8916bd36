"""The counting rules (docs/counting.md), so officials never see a number twice.

An exchange event, a person or a transfer of money is counted once, from the sending (giving)
school's report. The receiving school's rows count only beyond what the sender reported for
the same pair and key (activity type and month; the person; the money category), which covers
a sender whose report did not arrive and an event the sender left out, without counting an
event both sides reported twice. Bureau special funds are counted from the receiving school's
report. Every counted row keeps where it came from (file, sheet, Excel row).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipeline.checks.crosscheck import BUREAU_FUNDS, SUB, month_key
from pipeline.core.cells import ROW
from pipeline.forms.programme import PeriodInfo, Programme
from schemas.programme import Pair
from schemas.report import Activity, Funding, Personnel

# Columns every counted frame carries besides its sheet's own columns
PAIR, SUPPORTING, RECIPIENT = "pair_code", "supporting", "recipient"
SENDER, RECEIVER, FLOW, REPORTED_BY = "sender", "receiver", "flow", "reported_by"
FILE, SHEET = "file", "sheet"
TO_RECIPIENT, TO_SUPPORTING = "支援校→受援校", "受援校→支援校"
BUREAU = "教育局"
DAYS_PER_MONTH = 365.25 / 12


def _sides(frame: pd.DataFrame, own: pd.Series, partner: str, direction: str, out: str) -> tuple[pd.Series, pd.Series]:
    sent = frame[direction] == out
    return own.where(sent, frame[partner]), frame[partner].where(sent, own)


def _codes(values: pd.Series) -> np.ndarray:
    """Equal values share a number, blanks one of their own: grouping by these numbers is
    grouping by the values, without making a string of every cell."""
    return pd.factorize(values, use_na_sentinel=False)[0]


def _count_once(
    frame: pd.DataFrame,
    sender: pd.Series,
    receiver: pd.Series,
    sent: pd.Series,
    keys: list[pd.Series],
    twins: list[pd.Series],
) -> pd.Series:
    """Which rows count: every sender's row, and as many of the receiver's rows for the same
    pair and key as the receiver reports beyond the sender. Receiver rows with an exact twin
    on the sender's side (``twins``: date and 人次, or the amount) are taken last, so the extra
    rows are the ones the sender left out. Vectorised: group numbers, counts and cumcounts."""
    if frame.empty:
        return sent.astype(bool)
    base = {"s": _codes(sender), "r": _codes(receiver), **{f"k{i}": _codes(k) for i, k in enumerate(keys)}}
    parts = pd.DataFrame(base, index=frame.index)
    group = parts.groupby(list(parts.columns), sort=False).ngroup()
    exact_parts = parts.assign(**{f"t{i}": _codes(t) for i, t in enumerate(twins)})
    exact = exact_parts.groupby(list(exact_parts.columns), sort=False).ngroup()
    is_sent = sent.astype(bool)
    n_sent = group[is_sent].value_counts()
    n_exact = exact[is_sent].value_counts()
    recv = pd.DataFrame({"g": group, "e": exact, "sub": frame[SUB], "row": frame[ROW]})[~is_sent]
    recv = recv.sort_values(["sub", "row"], kind="stable")
    twinned = recv.groupby("e").cumcount() < recv["e"].map(n_exact).fillna(0)
    recv = recv.assign(twinned=twinned.astype(int)).sort_values(["twinned", "sub", "row"], kind="stable")
    position = recv.groupby("g").cumcount()
    extra = recv["g"].map(recv["g"].value_counts()) - recv["g"].map(n_sent).fillna(0)
    keep = is_sent.copy()
    keep.loc[recv.index] = (position < extra).values
    return keep


def _attach(
    frame: pd.DataFrame,
    sender: pd.Series,
    receiver: pd.Series,
    own: pd.Series,
    programme: Programme,
    provenance: dict[int, tuple[str, str]],
) -> pd.DataFrame:
    """Each row's pair, flow and source file. Looked up once per distinct (sender, receiver) and
    per submission, then spread to the rows: a Python step per row cost seconds at 1.7 M rows."""
    pairs = programme.pair_of  # built once a run, not once a sheet type
    s_codes, s_values = pd.factorize(sender, use_na_sentinel=False)
    r_codes, r_values = pd.factorize(receiver, use_na_sentinel=False)
    ends, combined = pd.factorize(s_codes.astype(np.int64) * len(r_values) + r_codes)
    senders, receivers = s_values.tolist(), r_values.tolist()  # an Index by position costs 10 µs a value
    combos = [(senders[c // len(receivers)], receivers[c % len(receivers)]) for c in combined.tolist()]
    found = [pairs.get(frozenset(combo)) for combo in combos]
    supporting = [p[Pair.supporting_code.name] if p else None for p in found]
    flow = [TO_RECIPIENT if s == sup else TO_SUPPORTING for (s, _), sup in zip(combos, supporting, strict=True)]
    subs, sub_values = pd.factorize(frame[SUB])

    def spread(values: list, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        return pd.array(values, dtype="str").take(codes)

    out = frame.assign(
        **{
            SENDER: sender.values,
            RECEIVER: receiver.values,
            REPORTED_BY: own.values,
            PAIR: spread([p[Pair.pair_code.name] if p else None for p in found], ends),
            SUPPORTING: spread(supporting, ends),
            RECIPIENT: spread([p[Pair.recipient_code.name] if p else None for p in found], ends),
            FLOW: spread(flow, ends),
            FILE: spread([provenance[int(s)][0] for s in sub_values], subs),
            SHEET: spread([provenance[int(s)][1] for s in sub_values], subs),
        }
    )
    return out[out[PAIR].notna()].drop(columns=[SUB]).reset_index(drop=True)


def count_activities(
    frame: pd.DataFrame, schools: dict[int, str], programme: Programme, provenance: dict[int, tuple[str, str]]
) -> pd.DataFrame:
    """Each event once: the sender's 派出 rows, and receivers' 接收 rows beyond them per pair, type, month."""
    own = frame[SUB].map(schools)
    sender, receiver = _sides(frame, own, Activity.partner.name, Activity.direction.name, "派出")
    keep = _count_once(
        frame,
        sender,
        receiver,
        frame[Activity.direction.name] == "派出",
        [frame[Activity.activity_type.name], month_key(frame[Activity.date.name])],
        [frame[Activity.date.name], frame[Activity.participants.name]],
    )
    counted = _attach(frame[keep], sender[keep], receiver[keep], own[keep], programme, provenance)
    return counted.sort_values([PAIR, Activity.date.name, REPORTED_BY, ROW], kind="stable").reset_index(drop=True)


def count_personnel(
    frame: pd.DataFrame,
    schools: dict[int, str],
    programme: Programme,
    provenance: dict[int, tuple[str, str]],
    period: PeriodInfo,
) -> pd.DataFrame:
    """Each person once, with person-months inside the period and whether on site at its end."""
    own = frame[SUB].map(schools)
    sender, receiver = _sides(frame, own, Personnel.partner.name, Personnel.direction.name, "派出")
    keep = _count_once(
        frame, sender, receiver, frame[Personnel.direction.name] == "派出", [frame[Personnel.person.name]], []
    )
    counted = _attach(frame[keep], sender[keep], receiver[keep], own[keep], programme, provenance)
    months, on_site = [], []
    for start, end in zip(counted[Personnel.start_date.name], counted[Personnel.end_date.name], strict=True):
        months.append(person_months(start, end, period))
        on_site.append(bool(start and start <= period.end and (end is None or pd.isna(end) or end >= period.end)))
    counted = counted.assign(person_months=months, on_site=on_site)
    return counted.sort_values([PAIR, Personnel.start_date.name, REPORTED_BY, ROW], kind="stable").reset_index(
        drop=True
    )


def person_months(start: dt.date | None, end: dt.date | None, period: PeriodInfo) -> float:
    """Months of the period the person spent at the partner (a blank end means still there)."""
    if start is None or pd.isna(start):
        return 0.0
    last = period.end if end is None or pd.isna(end) else min(end, period.end)
    first = max(start, period.start)
    days = (last - first).days + 1
    return round(max(days, 0) / DAYS_PER_MONTH, 2)


def count_funding(
    frame: pd.DataFrame, schools: dict[int, str], programme: Programme, provenance: dict[int, tuple[str, str]]
) -> pd.DataFrame:
    """Each yuan once: the giver's 拨出 rows, and receivers' 收到 rows beyond them per pair and category;
    bureau special funds from the receiving school's 收到 row."""
    own = frame[SUB].map(schools)
    bureau = frame[Funding.source.name] == BUREAU_FUNDS
    giver, receiver = _sides(frame, own, Funding.partner.name, Funding.direction.name, "拨出")
    keep_pairs = ~bureau & _count_once(
        frame,
        giver,
        receiver,
        frame[Funding.direction.name] == "拨出",
        [frame[Funding.category.name]],
        [frame[Funding.amount.name]],
    )
    counted = _attach(
        frame[keep_pairs], giver[keep_pairs], receiver[keep_pairs], own[keep_pairs], programme, provenance
    )
    grants = frame[bureau & (frame[Funding.direction.name] == "收到")]
    grants = grants.assign(
        **{
            SENDER: BUREAU,
            RECEIVER: own[grants.index].values,
            REPORTED_BY: own[grants.index].values,
            PAIR: None,
            SUPPORTING: None,
            RECIPIENT: own[grants.index].values,
            FLOW: BUREAU,
            FILE: [provenance[int(s)][0] for s in grants[SUB]],
            SHEET: [provenance[int(s)][1] for s in grants[SUB]],
        }
    ).drop(columns=[SUB])
    counted = pd.concat([counted, grants], ignore_index=True) if len(grants) else counted
    return counted.sort_values(
        [FLOW, RECEIVER, Funding.date.name, ROW], kind="stable", key=lambda s: s.astype(str)
    ).reset_index(drop=True)


def count_all(
    accepted: dict, schools: dict[int, str], programme: Programme, period: PeriodInfo
) -> dict[str, pd.DataFrame]:
    """Activities, people and money of the accepted rows (``checks.accept``'s batches by sheet
    type), each counted once. ``schools``: the school of each counted submission."""
    act, ppl, fund = accepted[Activity], accepted[Personnel], accepted[Funding]
    return {
        "activity": count_activities(act.frame, schools, programme, act.provenance()),
        "personnel": count_personnel(ppl.frame, schools, programme, ppl.provenance(), period),
        "funding": count_funding(fund.frame, schools, programme, fund.provenance()),
    }
