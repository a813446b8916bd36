"""The two sides of a pair, reconciled: what the sender reports against what the receiver
reports, per pair x activity type x month (activities) and per pair x category (money).

``sides`` gives the side-by-side figures of the rows that count (also a table of the
consolidated workbook); ``reconcile`` turns every disagreement in them into a warning for both
schools, so that a warning's figures are the table's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.checks.crosscheck import BUREAU_FUNDS, SUB, Batch, Found, among, month_key, month_text
from pipeline.core.issues import make
from schemas.report import Activity, Funding

SENDER, RECEIVER, MONTH = "sender", "receiver", "month"
SIDES = ("sender", "receiver")


def _with_sides(frame: pd.DataFrame, schools: dict[int, str], partner: str, direction: str, out: str) -> pd.DataFrame:
    """Each row with its sender and receiver school codes, whichever side reported it."""
    own = frame[SUB].map(schools)
    sent = frame[direction] == out
    return frame.assign(
        **{
            SENDER: own.where(sent, frame[partner]),
            RECEIVER: frame[partner].where(sent, own),
            "_side": sent.map({True: "sender", False: "receiver"}),
            "_index": frame.index,
        }
    )


def _side_by_side(
    frame: pd.DataFrame,
    keys: list[str],
    measures: dict[str, tuple[str, str]],
    both: set[str],
    pending: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per pair and key with each side's measures (0 where a side has no row). A pair and
    key that one of ``pending`` (rows refused for an error, with their sides) also has is left
    out: it cannot be compared until that row is mended."""
    frame = frame[among(frame[SENDER], both) & among(frame[RECEIVER], both)]
    columns = [
        SENDER,
        RECEIVER,
        *keys,
        *(f"{side}_{m}" for side in SIDES for m in measures),
        *(f"{side}_first" for side in SIDES),
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby([SENDER, RECEIVER, *keys, "_side"], dropna=False).agg(
        first=("_index", "min"), **{k: (col, agg) for k, (col, agg) in measures.items()}
    )
    table = grouped.unstack("_side")
    table.columns = [f"{side}_{m}" for m, side in table.columns]
    for side in SIDES:
        for m in (*measures, "first"):
            if f"{side}_{m}" not in table.columns:
                table[f"{side}_{m}"] = pd.NA
    for side in SIDES:
        for m in measures:
            table[f"{side}_{m}"] = table[f"{side}_{m}"].fillna(0)
    table = table.reset_index()[columns]
    if pending is not None and not pending.empty:  # by group, not by row: no copy of a million rows
        table = table[~_held(table, pending, [SENDER, RECEIVER, *keys])]
    return table.sort_values([SENDER, RECEIVER, *keys]).reset_index(drop=True)


def _held(table: pd.DataFrame, pending: pd.DataFrame, key: list[str]) -> pd.Series:
    """Whether each row's ``key`` is one of ``pending``'s, matched among the few rows whose sender
    and receiver both appear there."""
    held = pd.Series(False, index=table.index)
    concerned = table[SENDER].isin(set(pending[SENDER].dropna())) & table[RECEIVER].isin(
        set(pending[RECEIVER].dropna())
    )
    if concerned.any():
        some = table[concerned]
        keys = pd.MultiIndex.from_frame(pending[key].astype(object))
        held[some.index] = pd.MultiIndex.from_frame(some[key].astype(object)).isin(keys)
    return held


def differing(sides: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """The rows where the two sides' figures differ."""
    if sides.empty:
        return sides
    mask = pd.Series(False, index=sides.index)
    for m in measures:
        mask |= sides[f"sender_{m}"] != sides[f"receiver_{m}"]
    return sides[mask]


ACTIVITY_MEASURES = {"count": (Activity.participants.name, "size"), "people": (Activity.participants.name, "sum")}
FUNDING_MEASURES = {"amount": (Funding.amount.name, "sum")}


def _activity_rows(frame: pd.DataFrame, schools: dict[int, str]) -> pd.DataFrame:
    frame = _with_sides(frame, schools, Activity.partner.name, Activity.direction.name, "派出")
    return frame.assign(**{MONTH: month_key(frame[Activity.date.name])})


def _funding_rows(frame: pd.DataFrame, schools: dict[int, str]) -> pd.DataFrame:
    frame = frame[frame[Funding.source.name] != BUREAU_FUNDS]
    return _with_sides(frame, schools, Funding.partner.name, Funding.direction.name, "拨出")


def activity_sides(batch: Batch, schools: dict[int, str], refused: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sender's and receiver's activity count and 人次 per pair x month x activity type, but for
    the pairs and keys of ``refused`` rows."""
    pending = _activity_rows(refused, schools) if refused is not None and not refused.empty else None
    return _side_by_side(
        _activity_rows(batch.frame, schools),
        [MONTH, Activity.activity_type.name],
        ACTIVITY_MEASURES,
        set(schools.values()),
        pending,
    )


def funding_sides(batch: Batch, schools: dict[int, str], refused: pd.DataFrame | None = None) -> pd.DataFrame:
    """Giver's and receiver's amounts per pair x category (the bureau's own funds excluded), but
    for the pairs and categories of ``refused`` rows."""
    pending = _funding_rows(refused, schools) if refused is not None and not refused.empty else None
    return _side_by_side(
        _funding_rows(batch.frame, schools), [Funding.category.name], FUNDING_MEASURES, set(schools.values()), pending
    )


def _show(values: list) -> str:
    return " / ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def _warnings(
    batch: Batch,
    sides: pd.DataFrame,
    measures: list[str],
    code: str,
    label,
    column: str,
    schools: dict[int, str],
    names: dict[str, str],
) -> Found:
    sub_of = {code_: sub for sub, code_ in schools.items()}
    found: Found = []
    for rec in differing(sides, measures).to_dict("records"):
        what = label(rec)
        for side, other, me, them in (
            ("sender", "receiver", rec[SENDER], rec[RECEIVER]),
            ("receiver", "sender", rec[RECEIVER], rec[SENDER]),
        ):
            facts = {
                "value": what,
                "ours": _show([rec[f"{side}_{m}"] for m in measures]),
                "theirs": _show([rec[f"{other}_{m}"] for m in measures]),
                "partner": names.get(them, them),
            }
            first = rec[f"{side}_first"]
            if first is not None and not pd.isna(first):
                found.append(batch.issue(code, int(first), column, **facts))
            elif me in sub_of and sub_of[me] in batch.files:
                found.append((sub_of[me], make(code, file=batch.files[sub_of[me]], sheet=batch.model.zh, **facts)))
    return found


@dataclass(frozen=True)
class Sides:
    """Both sides' figures, activities per pair x month x type and money per pair x category."""

    activity: pd.DataFrame
    funding: pd.DataFrame


def sides(
    activities: Batch,
    funding: Batch,
    schools: dict[int, str],
    refused_activities: pd.DataFrame | None = None,
    refused_funding: pd.DataFrame | None = None,
) -> Sides:
    """Both sides of the accepted rows; a pair's figures for a key where a row was refused for an
    error are left out (the school mends the row, and the next run compares them)."""
    return Sides(
        activity_sides(activities, schools, refused_activities), funding_sides(funding, schools, refused_funding)
    )


def reconcile(activities: Batch, funding: Batch, both: Sides, schools: dict[int, str], names: dict[str, str]) -> Found:
    """Warnings for every pair whose two reports disagree in ``both`` (``sides`` of the same
    batches); both schools must have reported."""
    found: Found = []
    if not activities.frame.empty:
        found += _warnings(
            activities,
            both.activity,
            list(ACTIVITY_MEASURES),
            "reconcile-activity",
            lambda r: f"{month_text(r[MONTH])} {r[Activity.activity_type.name]}",
            Activity.activity_type.name,
            schools,
            names,
        )
    if not funding.frame.empty:
        found += _warnings(
            funding,
            both.funding,
            list(FUNDING_MEASURES),
            "reconcile-funding",
            lambda r: str(r[Funding.category.name]),
            Funding.category.name,
            schools,
            names,
        )
    return found
