"""Aggregations for the consolidated workbook: pure DataFrame -> DataFrame functions over the
counted rows (pipeline.counting.once). Output columns have internal names; their labels are in the
catalogue. Every table is sorted, so the workbook does not depend on file order."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.crosscheck import month_key, month_text
from pipeline.checks.reconcile import differing
from pipeline.counting.once import FLOW, PAIR, RECEIVER, RECIPIENT, SENDER
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission, days_late, in_force
from pipeline.text import FINDINGS, finding, status_label, text
from schemas.programme import Pair, School
from schemas.report import Activity, Funding, Personnel, SchoolInfo

TOTAL = "合计"
CASH = "资金"
MEASURES = {
    "count": (Activity.participants.name, "size"),
    "people": (Activity.participants.name, "sum"),
    "sessions": (Activity.sessions.name, "sum"),
}


def _roster(programme: Programme) -> pd.DataFrame:
    return programme.schools.set_index(School.school_code.name)


def _with_total(frame: pd.DataFrame, label_column: str, numeric: list[str]) -> pd.DataFrame:
    """The table with a 合计 row summing ``numeric``."""
    total = {c: frame[c].sum() if c in numeric else "" for c in frame.columns}
    total[label_column] = TOTAL
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def _sessions(events: pd.DataFrame) -> pd.DataFrame:
    return events.assign(**{Activity.sessions.name: events[Activity.sessions.name].fillna(1)})


def exchange_by_pair(
    events: pd.DataFrame, programme: Programme, cumulative: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per pair: events of each activity type, then totals of events, 人次 and 课时/场次."""
    types = list(programme.choices.values("activity_type"))
    names = _roster(programme)[School.school_name.name]
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
    return _with_total(table, "pair_code", numeric)


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
    return _with_total(table, "month", [*types, *MEASURES])


def exchange_by_area(events: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """By the recipient school's 片区 and 学段."""
    roster = _roster(programme)
    events = _sessions(events).assign(
        district=events[RECIPIENT].map(roster[School.district.name]).fillna(""),
        level=events[RECIPIENT].map(roster[School.level.name]).fillna(""),
    )
    table = events.groupby(["district", "level"]).agg(**MEASURES).reset_index()
    return _with_total(table, "district", list(MEASURES))


def exchange_by_flow(events: pd.DataFrame) -> pd.DataFrame:
    table = _sessions(events).groupby(FLOW).agg(**MEASURES).reset_index()
    return _with_total(table, FLOW, list(MEASURES))


def activities_by_type(events: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    types = list(programme.choices.values("activity_type"))
    table = _sessions(events).groupby(Activity.activity_type.name).agg(**MEASURES).reindex(types, fill_value=0)
    return table.reset_index().rename(columns={Activity.activity_type.name: "activity_type"})


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
    return _with_total(table.reset_index(drop=True), "exchange_type", ["people", "person_months", "on_site"])


def money_unit(programme: Programme) -> str:
    """万元 (the default) or 元, as 项目设置 says."""
    return "元" if programme.setting("money_unit", "万元") == "元" else "万元"


def money_factor(programme: Programme) -> float:
    """Yuan per display unit: 10,000 for 万元 (the default), 1 for 元."""
    return 1.0 if money_unit(programme) == "元" else 10000.0


def _money(frame: pd.DataFrame, by: list[str], factor: float) -> pd.DataFrame:
    grouped = frame.groupby(by, dropna=False)
    table = grouped.agg(transfers=(Funding.amount.name, "size"), amount=(Funding.amount.name, "sum")).reset_index()
    return table.assign(amount=(table["amount"] / factor).round(2))


def funding_by_source(funds: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    order = {v: i for i, v in enumerate(programme.choices.values("funding_source"))}
    table = _money(funds, [Funding.source.name], money_factor(programme)).rename(
        columns={Funding.source.name: "source"}
    )
    table = table.sort_values("source", key=lambda s: s.map(order)).reset_index(drop=True)
    return _with_total(table, "source", ["transfers", "amount"])


def funding_by_category(funds: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Cash against goods, with the goods' quantities by unit ("10 台；500 册")."""
    order = {v: i for i, v in enumerate(programme.choices.values("funding_category"))}
    table = _money(funds, [Funding.category.name], money_factor(programme)).rename(
        columns={Funding.category.name: "category"}
    )
    kind = table["category"].map(lambda c: "现金" if c == CASH else "实物")
    goods = funds[funds[Funding.unit.name].notna() & funds[Funding.quantity.name].notna()]
    quantities = goods.groupby([Funding.category.name, Funding.unit.name])[Funding.quantity.name].sum()
    shown = {
        cat: "；".join(f"{q:g} {unit}" for (c, unit), q in quantities.items() if c == cat) for cat in table["category"]
    }
    table = table.assign(kind=kind, quantities=table["category"].map(shown).fillna(""))
    table = table.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)
    return _with_total(
        table[["category", "kind", "transfers", "amount", "quantities"]], "category", ["transfers", "amount"]
    )


def funding_by_pair(funds: pd.DataFrame, programme: Programme, cumulative: pd.DataFrame | None = None) -> pd.DataFrame:
    factor = money_factor(programme)
    names = _roster(programme)[School.school_name.name]
    paired = funds[funds[PAIR].notna()]
    cash = paired[paired[Funding.category.name] == CASH].groupby(PAIR)[Funding.amount.name].sum()
    goods = paired[paired[Funding.category.name] != CASH].groupby(PAIR)[Funding.amount.name].sum()
    pairs = programme.pairs.sort_values(Pair.pair_code.name)
    table = pd.DataFrame(
        {
            "pair_code": pairs[Pair.pair_code.name].values,
            "supporting": pairs[Pair.supporting_code.name].map(names).values,
            "recipient": pairs[Pair.recipient_code.name].map(names).values,
        }
    )
    table["cash"] = (table["pair_code"].map(cash).fillna(0) / factor).round(2)
    table["goods"] = (table["pair_code"].map(goods).fillna(0) / factor).round(2)
    table["amount"] = (table["cash"] + table["goods"]).round(2)
    numeric = ["cash", "goods", "amount"]
    if cumulative is not None:
        cum = cumulative[cumulative[PAIR].notna()].groupby(PAIR)[Funding.amount.name].sum()
        table["cum_amount"] = (table["pair_code"].map(cum).fillna(0) / factor).round(2)
        numeric.append("cum_amount")
    return _with_total(table, "pair_code", numeric)


def funding_by_school(funds: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """What each school gave and received (bureau funds among the received)."""
    factor = money_factor(programme)
    roster = _roster(programme)
    given = funds.groupby(SENDER)[Funding.amount.name].sum()
    received = funds.groupby(RECEIVER)[Funding.amount.name].sum()
    codes = sorted(set(given.index) | set(received.index) - {"教育局"})
    codes = [c for c in codes if c in roster.index]
    table = pd.DataFrame(
        {
            "school_code": codes,
            "school_name": roster[School.school_name.name].reindex(codes).to_numpy(),
            "role": roster[School.role.name].reindex(codes).to_numpy(),
        }
    )
    table["given"] = (table["school_code"].map(given).fillna(0) / factor).round(2)
    table["got"] = (table["school_code"].map(received).fillna(0) / factor).round(2)
    return _with_total(table, "school_code", ["given", "got"])


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
    roster = _roster(programme)
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
    names = _roster(programme)[School.school_name.name]
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
        "on_time_rate": round(on_time / len(submissions) * 100, 1) if len(submissions) else 0.0,
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


def funding_sources(by_source: pd.DataFrame) -> pd.DataFrame:
    """``funding_by_source`` without its total row: the chart's slices."""
    return by_source[by_source["source"] != TOTAL][["source", "amount"]]
