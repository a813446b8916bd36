"""Funding and goods aggregates: by source, category, item, pair and school, in the money unit of
项目设置 (万元 by default), each with its 合计 row."""

from __future__ import annotations

import pandas as pd

from pipeline.counting.frames import TOTAL, roster_frame, with_total
from pipeline.counting.once import PAIR, RECEIVER, SENDER
from pipeline.forms.programme import Programme
from schemas.programme import Pair, School
from schemas.report import Funding

CASH = "资金"


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
    return with_total(table, "source", ["transfers", "amount"])


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
    return with_total(
        table[["category", "kind", "transfers", "amount", "quantities"]], "category", ["transfers", "amount"]
    )


def goods_by_item(funds: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Goods (every category but 资金) by 类别, 物资名称 and 单位: transfers, quantity and value."""
    goods = funds[funds[Funding.category.name] != CASH]
    keys = [Funding.category.name, Funding.item.name, Funding.unit.name]
    goods = goods.assign(**{k: goods[k].fillna("").astype(str) for k in keys[1:]})
    table = goods.groupby(keys, dropna=False).agg(
        transfers=(Funding.amount.name, "size"),
        quantity=(Funding.quantity.name, "sum"),
        amount=(Funding.amount.name, "sum"),
    )
    table = table.reset_index().rename(columns={Funding.category.name: "category", Funding.item.name: "item"})
    table = table.rename(columns={Funding.unit.name: "unit"})
    order = {v: i for i, v in enumerate(programme.choices.values("funding_category"))}
    table = table.assign(
        amount=(table["amount"] / money_factor(programme)).round(2), quantity=table["quantity"].round(2)
    )
    table = table.sort_values(["category", "amount"], key=lambda s: s.map(order) if s.name == "category" else -s)
    table = table[["category", "item", "unit", "quantity", "transfers", "amount"]].reset_index(drop=True)
    total = with_total(table, "category", ["transfers", "amount"])
    return total.assign(quantity=total["quantity"].where(total["category"] != TOTAL, None))


def funding_by_pair(funds: pd.DataFrame, programme: Programme, cumulative: pd.DataFrame | None = None) -> pd.DataFrame:
    factor = money_factor(programme)
    names = roster_frame(programme)[School.school_name.name]
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
    return with_total(table, "pair_code", numeric)


def funding_by_school(funds: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """What each school gave and received (bureau funds among the received)."""
    factor = money_factor(programme)
    roster = roster_frame(programme)
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
    return with_total(table, "school_code", ["given", "got"])


def funding_sources(by_source: pd.DataFrame) -> pd.DataFrame:
    """``funding_by_source`` without its total row: the chart's slices."""
    return by_source[by_source["source"] != TOTAL][["source", "amount"]]
