"""Aggregations for the consolidated workbook: pure DataFrame -> DataFrame functions over the
counted rows (pipeline.counting.once). Output columns have internal names; their labels are in the
catalogue. Every table is sorted, so the workbook does not depend on file order."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.crosscheck import month_key, month_text
from pipeline.checks.reconcile import differing
from pipeline.counting.frames import roster_frame, with_total
from pipeline.counting.funding import money_factor, money_unit
from pipeline.counting.once import FLOW, PAIR, RECIPIENT
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission, days_late, in_force
from pipeline.text import FINDINGS, finding, status_label, text
from schemas.programme import Pair, School
from schemas.report import Activity, Funding, Personnel, SchoolInfo

MEASURES = {
    "count": (Activity.participants.name, "size"),
    "people": (Activity.participants.name, "sum"),
    "sessions": (Activity.sessions.name, "sum"),
}


def _sessions(events: pd.DataFrame) -> pd.DataFrame:
    return events.assign(**{Activity.sessions.name: events[Activity.sessions.name].fillna(1)})


def exchange_by_pair(
    events: pd.DataFrame, programme: Programme, cumulative: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per pair: events of each activity type, then totals of events, 人次 and 课时/场次."""
    types = list(programme.choices.values("activity_type"))
    names = roster_frame(programme)[School.school_name.name]
    events = _sessions(events)
    counts = events.pivot_table(
        index=PAIR, columns=Activity.activity_type.name, values=Activity.participants.name, aggfunc="size", fill_value=0
    ).reindex(columns=types, fill_value=0)
    totals = events.groupby(PAIR).agg(**MEASURES)
    pairs = programme.pairs.set_index(Pair.pair_code.name).sort_index()
    table = pd.DataFrame(
        {
            "pair_code": pairs.index,
            "supporting": pairs[Pair.supporting_code.name].map(names).values,
            "recipient": pairs[Pair.recipient_code.name].map(names).values,
            "group": pairs[Pair.group.name].fillna("").values,
        }
    )
    table = table.join(counts, on="pair_code").join(totals, on="pair_code")
    numeric = [*types, *MEASURES]
    if cumulative is not None:
        cum = _sessions(cumulative).groupby(PAIR).agg(cum_count=MEASURES["count"], cum_people=MEASURES["people"])
        table = table.join(cum, on="pair_code")
        numeric += ["cum_count", "cum_people"]
    table[numeric] = table[numeric].fillna(0).astype(int)
    return with_total(table, "pair_code", numeric)


def exchange_by_month(events: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    types = list(programme.choices.values("activity_type"))
    keys = month_key(events[Activity.date.name])
    events = _sessions(events).assign(month=keys.map({k: month_text(k) for k in keys.unique()}))  # a label per month
    counts = events.pivot_table(
        index="month",
        columns=Activity.activity_type.name,
        values=Activity.participants.name,
        aggfunc="size",
        fill_value=0,
    ).reindex(columns=types, fill_value=0)
    table = counts.join(events.groupby("month").agg(**MEASURES)).reset_index()
    return with_total(table, "month", [*types, *MEASURES])


def exchange_by_area(events: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """By the recipient school's 片区 and 学段."""
    roster = roster_frame(programme)
    events = _sessions(events).assign(
        district=events[RECIPIENT].map(roster[School.district.name]).fillna(""),
        level=events[RECIPIENT].map(roster[School.level.name]).fillna(""),
    )
    table = events.groupby(["district", "level"]).agg(**MEASURES).reset_index()
    return with_total(table, "district", list(MEASURES))


def exchange_by_flow(events: pd.DataFrame) -> pd.DataFrame:
    table = _sessions(events).groupby(FLOW).agg(**MEASURES).reset_index()
    return with_total(table, FLOW, list(MEASURES))


def activities_by_type(
    events: pd.DataFrame, programme: Programme, cumulative: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per 活动类型 in the list's order: 次数, 人次 and 课时/场次 of the period, then to date (this
    period and the earlier ones of its kind) when there are earlier periods; a 合计 row last."""
    types = list(programme.choices.values("activity_type"))

    def measured(frame: pd.DataFrame) -> pd.DataFrame:
        return _sessions(frame).groupby(Activity.activity_type.name).agg(**MEASURES).reindex(types, fill_value=0)

    table = measured(events)
    if cumulative is not None:
        table = table.join(measured(cumulative).add_prefix("cum_"))
    table = table.fillna(0).astype(int).reset_index(names="activity_type")
    return with_total(table, "activity_type", [c for c in table.columns if c != "activity_type"])


def personnel_table(people: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """People by 交流类型 and direction: head count, person-months in the period, on site at its end."""
    kinds = list(programme.choices.values("exchange_type"))
    table = (
        people.groupby([Personnel.exchange_type.name, FLOW])
        .agg(people=(Personnel.person.name, "size"), person_months=("person_months", "sum"), on_site=("on_site", "sum"))
        .reset_index()
    )
    table = table.rename(columns={Personnel.exchange_type.name: "exchange_type"})
    order = {k: i for i, k in enumerate(kinds)}
    table = table.sort_values(["exchange_type", FLOW], key=lambda s: s.map(order) if s.name == "exchange_type" else s)
    table = table.assign(person_months=table["person_months"].round(2), on_site=table["on_site"].astype(int))
    return with_total(table.reset_index(drop=True), "exchange_type", ["people", "person_months", "on_site"])


def submissions_by_district(submissions: pd.DataFrame) -> pd.DataFrame:
    """On time, late and missing reports per 片区 (``submissions_table``'s frame), for a chart."""
    frame = submissions.assign(
        on_time=submissions["timeliness"] == "on_time",
        late=submissions["timeliness"] == "late",
        missing=~submissions["received"],
    )
    table = frame.groupby("district")[["on_time", "late", "missing"]].sum().astype(int)
    return table.reset_index()


def submissions_table(subs: list[Submission], programme: Programme, period: PeriodInfo) -> pd.DataFrame:
    """Every reporting school: received or not, on time or days late, status, counts, who filled it in.
    ``received`` is True or False and ``timeliness`` "on_time", "late" or "": ``shown`` words them."""
    current = in_force(subs)
    rows = []
    for rec in programme.reporting_records:
        code = rec[School.school_code.name]
        sub = current.get(code)
        info = sub.tables[SchoolInfo].first() if sub and SchoolInfo in sub.tables else {}
        late = days_late(sub.received, period.deadline) if sub and sub.counted else None
        errors = sum(1 for i in sub.issues if i.is_error) if sub else 0
        rows.append(
            {
                "school_code": code,
                "school_name": rec[School.school_name.name],
                "district": rec.get(School.district.name) or "",
                "received": bool(sub and sub.counted),
                "file": sub.rel if sub else "",
                "received_at": sub.received.strftime("%Y-%m-%d %H:%M") if sub else "",
                "timeliness": "" if late is None else ("on_time" if late == 0 else "late"),
                "days_late": late or 0,
                "status": sub.status if sub else "missing",
                "reason": sub.reason if sub else "",
                "rows_accepted": sub.rows_accepted if sub else 0,
                "errors": errors,
                "warnings": (len(sub.issues) - errors) if sub else 0,
                "filled_by": info.get(SchoolInfo.filled_by.name) or rec.get(School.contact.name) or "",
                "phone": info.get(SchoolInfo.phone.name) or rec.get(School.phone.name) or "",
            }
        )
    return pd.DataFrame(rows)


def shown(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``submissions_table`` in words of ``lang``: status, received and timeliness."""
    return table.drop(columns=["reason"]).assign(  # the reason is the 催报 text's, in words
        status=table["status"].map(lambda s: status_label(s, lang)),
        received=table["received"].map(lambda r: text("word.yes" if r else "word.no", lang)),
        timeliness=table["timeliness"].map(lambda t: text(f"timeliness.{t}", lang) if t else ""),
    )


def chase_list(table: pd.DataFrame, programme: Programme, period: PeriodInfo, lang: str = "zh") -> pd.DataFrame:
    """催报: schools with nothing counted or with errors, with contact details and text to send."""
    roster = roster_frame(programme)
    rows = []
    for rec in table[table["status"].isin(["missing", "returned", "needs-fix"])].to_dict("records"):
        code = rec["school_code"]
        contact = roster.at[code, School.contact.name] or ""
        phone = roster.at[code, School.phone.name] or ""
        if rec["status"] == "needs-fix":
            message = text("chase.needs_fix", lang, school=rec["school_name"], period=period.name, errors=rec["errors"])
        elif rec["status"] == "returned" and rec["file"]:
            entry = finding(rec["reason"]) if rec["reason"] in FINDINGS else None
            reason = (entry.title_en if lang == "en" else entry.title_zh) if entry else rec["reason"]
            message = text(
                "chase.returned", lang, school=rec["school_name"], file=rec["file"], reason=reason,
                period=period.name, deadline=period.deadline,
            )  # fmt: skip
        else:
            message = text(
                "chase.missing", lang, school=rec["school_name"], period=period.name, deadline=period.deadline
            )
        rows.append(
            {
                "school_code": code,
                "school_name": rec["school_name"],
                "status": rec["status"],
                "contact": contact,
                "phone": phone,
                "email": roster.at[code, School.email.name] or "",
                "message": message,
            }
        )
    return pd.DataFrame(rows, columns=["school_code", "school_name", "status", "contact", "phone", "email", "message"])


def reconciliation_table(
    activity: pd.DataFrame, funding: pd.DataFrame, programme: Programme, lang: str = "zh"
) -> pd.DataFrame:
    """Pairs whose two sides disagree, with both figures."""
    names = roster_frame(programme)[School.school_name.name]
    rows = []
    for rec in differing(activity, ["count", "people"]).to_dict("records"):
        rows.append(
            {
                "sender": names.get(rec["sender"], rec["sender"]),
                "receiver": names.get(rec["receiver"], rec["receiver"]),
                "what": f"{month_text(rec['month'])} {rec[Activity.activity_type.name]}",
                **{
                    f"{side}_figure": text(
                        "figure.activities", lang, count=int(rec[f"{side}_count"]), people=int(rec[f"{side}_people"])
                    )
                    for side in ("sender", "receiver")
                },
            }
        )
    for rec in differing(funding, ["amount"]).to_dict("records"):
        rows.append(
            {
                "sender": names.get(rec["sender"], rec["sender"]),
                "receiver": names.get(rec["receiver"], rec["receiver"]),
                "what": rec[Funding.category.name],
                **{
                    f"{side}_figure": text("figure.yuan", lang, amount=f"{rec[f'{side}_amount']:,.2f}")
                    for side in ("sender", "receiver")
                },
            }
        )
    return pd.DataFrame(rows, columns=["sender", "receiver", "what", "sender_figure", "receiver_figure"])


def headline(
    events: pd.DataFrame,
    people: pd.DataFrame,
    funds: pd.DataFrame,
    submissions: pd.DataFrame,
    improved: pd.DataFrame,
    programme: Programme,
) -> dict[str, object]:
    """The figures an official reads first."""
    received = submissions[submissions["received"]]
    on_time = int((received["timeliness"] == "on_time").sum())
    factor = money_factor(programme)
    return {
        "schools_expected": int(len(submissions)),
        "schools_reported": int(len(received)),
        "on_time": on_time,
        "on_time_rate": round(on_time / len(submissions) * 100, 2) if len(submissions) else 0.0,
        "activities": int(len(events)),
        "person_visits": int(events[Activity.participants.name].sum()),
        "sessions": int(events[Activity.sessions.name].fillna(1).sum()),
        "people_seconded": int(len(people)),
        "person_months": round(float(people["person_months"].sum()), 2),
        "funding_yuan": round(float(funds[Funding.amount.name].sum()), 2),
        "funding": round(float(funds[Funding.amount.name].sum()) / factor, 2),
        "recipients_moved_up": int((improved["rank_change"] > 0).sum()) if not improved.empty else 0,
        "money_unit": money_unit(programme),
    }


TO_DATE = ("activities", "person_visits", "sessions", "people_seconded", "person_months", "funding")


def to_date(headline_to_date: dict[str, object]) -> dict[str, object]:
    """The figures of a headline that add up across periods (the rest are this period's)."""
    return {k: headline_to_date[k] for k in TO_DATE}


def submission_counts(submissions: pd.DataFrame, period_code: str) -> dict[str, object]:
    """On time, late and missing reports of the period (``submissions_table``'s frame)."""
    received = submissions[submissions["received"]]
    return {
        "period": period_code,
        "on_time": int((received["timeliness"] == "on_time").sum()),
        "late": int((received["timeliness"] == "late").sum()),
        "missing": int((~submissions["received"]).sum()),
    }
