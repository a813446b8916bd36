"""The two sides of a pair, reconciled: what the sender reports against what the receiver
reports, per pair x activity type x month (activities) and per pair x category (money)."""

from __future__ import annotations

import pandas as pd

from pipeline.crosscheck import BUREAU_FUNDS, SUB, Batch, Found
from pipeline.issues import make
from schemas.report import Activity, Funding

SENDER, RECEIVER = "_sender", "_receiver"


def _sides(frame: pd.DataFrame, schools: dict[int, str], partner: str, direction: str, out: str) -> pd.DataFrame:
    """Each row with its sender and receiver school codes, whichever side reported it."""
    own = frame[SUB].map(schools)
    sent = frame[direction] == out
    return frame.assign(**{SENDER: own.where(sent, frame[partner]), RECEIVER: frame[partner].where(sent, own),
                           "_side": sent.map({True: "sender", False: "receiver"})})


def _compare(batch: Batch, frame: pd.DataFrame, keys: list[str], measures: dict[str, str], code: str,
             label, names: dict[str, str], both: set[str], files: dict[str, tuple[int, str]]) -> Found:
    frame = frame[frame[SENDER].isin(both) & frame[RECEIVER].isin(both)]
    if frame.empty:
        return []
    grouped = frame.groupby([SENDER, RECEIVER, *keys, "_side"], dropna=False).agg(
        first=(SUB, lambda s: s.index[0]), **{k: (col, agg) for k, (col, agg) in measures.items()})
    table = grouped.unstack("_side")
    found: Found = []
    for idx, rec in table.iterrows():
        sender, receiver = idx[0], idx[1]
        ours = {side: tuple(rec.get((k, side)) for k in measures) for side in ("sender", "receiver")}
        clean = {side: tuple(0 if pd.isna(v) else v for v in vals) for side, vals in ours.items()}
        if clean["sender"] == clean["receiver"]:
            continue
        what = label(idx)
        for side, other, me, them in (("sender", "receiver", sender, receiver), ("receiver", "sender", receiver, sender)):
            facts = {"value": what, "ours": _show(clean[side]), "theirs": _show(clean[other]), "partner": names.get(them, them)}
            first = rec.get(("first", side))
            if first is not None and not pd.isna(first):
                found.append(batch.issue(code, int(first), Activity.activity_type.name if batch.model is Activity
                                         else Funding.category.name, **facts))
            elif me in files:
                sub, file = files[me]
                found.append((sub, make(code, file=file, sheet=batch.model.zh, **facts)))
    return found


def _show(values: tuple) -> str:
    return " / ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def reconcile(activities: Batch | None, funding: Batch | None, schools: dict[int, str],
              names: dict[str, str]) -> Found:
    """Warnings for every pair whose two reports disagree; both schools must have reported."""
    both = set(schools.values())
    files = {code: (sub, "") for sub, code in schools.items()}
    found: Found = []
    if activities is not None and not activities.frame.empty:
        files = {code: (sub, activities.files[sub]) for sub, code in schools.items() if sub in activities.files}
        frame = _sides(activities.frame, schools, Activity.partner.name, Activity.direction.name, "派出")
        frame = frame.assign(_month=frame[Activity.date.name].map(lambda d: d.strftime("%Y-%m") if d else ""))
        found += _compare(activities, frame, ["_month", Activity.activity_type.name],
                          {"count": (Activity.participants.name, "size"), "people": (Activity.participants.name, "sum")},
                          "reconcile-activity", lambda idx: f"{idx[2]} {idx[3]}（次数 / 人次）", names, both, files)
    if funding is not None and not funding.frame.empty:
        files = {code: (sub, funding.files[sub]) for sub, code in schools.items() if sub in funding.files}
        frame = funding.frame[funding.frame[Funding.source.name] != BUREAU_FUNDS]
        frame = _sides(frame, schools, Funding.partner.name, Funding.direction.name, "拨出")
        found += _compare(funding, frame, [Funding.category.name], {"amount": (Funding.amount.name, "sum")},
                          "reconcile-funding", lambda idx: f"{idx[2]}", names, both, files)
    return found
