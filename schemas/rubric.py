"""The year-end assessment rubric (考核细则): the sheet model, the metric catalogue and the
default rubric. The analyst edits the rubric in the programme workbook; the metrics it may name
are documented here, in one place (docs/metrics.md is generated from this module).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas import choices as ch
from schemas.model import Column, Kind, Sheet

# Whose work an indicator assesses
PAIR, SUPPORTING, RECIPIENT = ch.TARGET_OBJECT
PROPORTIONAL, THRESHOLD, DEDUCT = ch.SCORING


@dataclass(frozen=True)
class Filter:
    """A 筛选 key: the labels an analyst may type, and the values it accepts."""

    key: str
    zh: str
    en: str
    choices: str | None = None  # a programme list (its values follow the 选项 sheet)
    fixed: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()


FLOW_VALUES = ("支援校→受援校", "受援校→支援校")
FILTERS: dict[str, Filter] = {
    f.key: f
    for f in (
        Filter("activity_type", "活动类型", "Activity type", choices="activity_type", synonyms=("类型",)),
        Filter("subject", "学科", "Subject", choices="subject"),
        Filter("direction", "方向", "Direction", fixed=FLOW_VALUES),
        Filter("exchange_type", "交流类型", "Exchange type", choices="exchange_type"),
        Filter("category", "经费类别", "Funding category", choices="funding_category", synonyms=("类别",)),
        Filter("source", "经费来源", "Funding source", choices="funding_source", synonyms=("来源",)),
        Filter("grade", "年级", "Grade", choices="grade"),
    )
}

# Spellings of the direction values, so "支援校->受援校" or "受援校到支援校" are understood
FLOW_SYNONYMS = {
    "支援校->受援校": FLOW_VALUES[0],
    "支援校到受援校": FLOW_VALUES[0],
    "送教": FLOW_VALUES[0],
    "受援校->支援校": FLOW_VALUES[1],
    "受援校到支援校": FLOW_VALUES[1],
}

ACTIVITY_FILTERS = ("activity_type", "subject", "direction")
SCORE_FILTERS = ("subject", "grade")


@dataclass(frozen=True)
class Metric:
    """One measurable thing a rubric indicator may score.

    Attributes:
        key: stable identifier.
        zh, en: the name typed in the 度量 column (zh) and shown under --lang en.
        unit_zh, unit_en: the unit a value and its target are in.
        source: which data it is measured on: activity, personnel, funding, submission, score, findings.
        filters: the 筛选 keys it accepts.
        objects: the 适用对象 it can be measured for.
        better: "more" (a target is a minimum) or "less" (a target is a maximum).
        help_zh, help_en: how it is measured.
    """

    key: str
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    source: str
    filters: tuple[str, ...] = ()
    objects: tuple[str, ...] = ch.TARGET_OBJECT
    better: str = "more"
    help_zh: str = ""
    help_en: str = ""


_SIDE_ZH = "适用对象为结对时计两校之间的全部记录；为支援校（受援校）时只计该校派出或拨出的记录。"
_SIDE_EN = "For 结对 all records between the two schools; for 支援校 (受援校) only what that school sent or gave."

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "activities",
            "活动次数",
            "Activities",
            "次",
            "activities",
            "activity",
            ACTIVITY_FILTERS,
            help_zh="按计数规则计入的交流活动条数（每次活动只计一次）。" + _SIDE_ZH,
            help_en="Exchange activities as counted (each event once). " + _SIDE_EN,
        ),
        Metric(
            "person_visits",
            "参与人次",
            "Person-visits",
            "人次",
            "person-visits",
            "activity",
            ACTIVITY_FILTERS,
            help_zh="计入的交流活动的参与人次之和。" + _SIDE_ZH,
            help_en="Sum of person-visits. " + _SIDE_EN,
        ),
        Metric(
            "sessions",
            "课时或场次",
            "Lessons or sessions",
            "节/场",
            "lessons",
            "activity",
            ACTIVITY_FILTERS,
            help_zh="计入的交流活动的课时或场次之和。" + _SIDE_ZH,
            help_en="Sum of lessons or sessions. " + _SIDE_EN,
        ),
        Metric(
            "active_months",
            "开展活动月数",
            "Months with an activity",
            "个月",
            "months",
            "activity",
            ACTIVITY_FILTERS,
            help_zh="至少开展一次（符合筛选条件的）交流活动的月份数。" + _SIDE_ZH,
            help_en="Months with at least one (matching) activity. " + _SIDE_EN,
        ),
        Metric(
            "people",
            "交流人数",
            "People seconded",
            "人",
            "people",
            "personnel",
            ("exchange_type", "direction"),
            help_zh="挂职、支教、跟岗学习、轮岗交流的人数（每人只计一次）。" + _SIDE_ZH,
            help_en="People seconded, teaching or shadowing (each once). " + _SIDE_EN,
        ),
        Metric(
            "person_months",
            "交流人月",
            "Person-months",
            "人月",
            "person-months",
            "personnel",
            ("exchange_type", "direction"),
            help_zh="交流人员在考核周期内的在岗月数之和。" + _SIDE_ZH,
            help_en="Months those people spent at the partner within the period. " + _SIDE_EN,
        ),
        Metric(
            "funding",
            "经费物资金额",
            "Funding given",
            "万元",
            "10k yuan",
            "funding",
            ("category", "source", "direction"),
            help_zh="两校之间拨付的资金和物资价值（万元），不含教育局专项经费。" + _SIDE_ZH,
            help_en="Money and goods given between the two schools (10k yuan), bureau funds excluded. " + _SIDE_EN,
        ),
        Metric(
            "on_time",
            "按时报送率",
            "Reports on time",
            "%",
            "%",
            "submission",
            help_zh="适用学校中在截止日期前报送有效报表的比例；不向本局报送的学校不计。",
            help_en="Share of the schools concerned whose valid report arrived by the deadline; schools "
            "that do not report to this bureau are left out.",
        ),
        Metric(
            "rank_up",
            "排名提升",
            "Rank gained",
            "名",
            "places",
            "score",
            SCORE_FILTERS,
            (SUPPORTING, RECIPIENT),
            help_zh="该校全区排名比上一学年上升的名次（多个学科或年级时取平均）。",
            help_en="Places the school's district rank rose since last school year (averaged over subjects or grades).",
        ),
        Metric(
            "score_up",
            "平均分提高",
            "Average score gained",
            "分",
            "points",
            "score",
            SCORE_FILTERS,
            (SUPPORTING, RECIPIENT),
            help_zh="该校平均分比上一学年提高的分数（多个学科或年级时取平均）。",
            help_en="Points the school's average rose since last school year (averaged).",
        ),
        Metric(
            "gap_narrowed",
            "分差缩小",
            "Gap narrowed",
            "分",
            "points",
            "score",
            SCORE_FILTERS,
            (PAIR,),
            help_zh="支援校与受援校平均分之差比上一学年缩小的分数（多个学科或年级时取平均）。",
            help_en="Points by which the supporting minus recipient gap shrank since last school year.",
        ),
        Metric(
            "unresolved",
            "未解决问题数",
            "Unresolved findings",
            "个",
            "findings",
            "findings",
            better="less",
            help_zh="适用学校最终报表中仍未改正的错误数；目标值为允许的最多个数，可为 0。",
            help_en="Errors left in the final reports of the schools concerned; the target is the most "
            "allowed and may be 0.",
        ),
    )
}

METRIC_BY_NAME = {name: m for m in METRICS.values() for name in (m.zh, m.en, m.key)}


class Indicator(Sheet):
    zh, en = "考核细则", "Rubric"
    purpose_zh = "年度考核的评分细则：每个指标一行，分值合计 100；度量从下拉列表中选择（说明见 docs/metrics.md）。"
    purpose_en = "The year-end assessment rubric: one indicator per row, points summing to 100."
    code = Column(
        "指标编号",
        "Indicator",
        Kind.CODE,
        required=True,
        unique=True,
        width=9,
        pattern=r"^[0-9A-Za-z_\-.]{1,16}$",
        help_zh="不得重复，例如 K01。",
        help_en="Unique, e.g. K01.",
    )
    name = Column(
        "指标名称",
        "Name",
        required=True,
        max_len=40,
        width=20,
        help_zh="在考核结果中显示的名称，例如：示范课。",
        help_en="Shown in the results, e.g. 示范课.",
    )
    target_object = Column(
        "适用对象",
        "Applies to",
        Kind.CHOICE,
        required=True,
        fixed=ch.TARGET_OBJECT,
        width=9,
        help_zh="结对、支援校或受援校。",
        help_en="结对 (the pair), 支援校 or 受援校.",
    )
    metric = Column(
        "度量",
        "Metric",
        Kind.CHOICE,
        required=True,
        fixed=tuple(m.zh for m in METRICS.values()),
        width=14,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    filters = Column(
        "筛选",
        "Filter",
        max_len=200,
        width=26,
        help_zh="可选，例如：活动类型=示范课；学科=语文、数学。",
        help_en="Optional, e.g. 活动类型=示范课；学科=语文、数学.",
    )
    target = Column(
        "目标值",
        "Target",
        Kind.DECIMAL,
        required=True,
        minimum=-1e9,
        maximum=1e9,
        width=8,
        help_zh="达到即得满分的数值，须大于 0。",
        help_en="The value that earns full points; above 0.",
    )
    points = Column(
        "分值",
        "Points",
        Kind.DECIMAL,
        required=True,
        minimum=0,
        maximum=100,
        width=7,
        help_zh="本指标的满分，全部指标合计 100。",
        help_en="Full points; all indicators sum to 100.",
    )
    method = Column(
        "计分方式",
        "Scoring",
        Kind.CHOICE,
        required=True,
        fixed=ch.SCORING,
        width=9,
        help_zh="按比例：按完成比例得分；达标：达到目标得满分，否则 0 分；扣分：每差一个单位扣“每单位扣分”。",
        help_en="按比例: in proportion; 达标: all or nothing; 扣分: points off per unit short.",
    )
    per_unit = Column(
        "每单位扣分",
        "Points off per unit",
        Kind.DECIMAL,
        minimum=0,
        maximum=100,
        width=10,
        help_zh="计分方式为扣分时必填。",
        help_en="Required for 扣分.",
    )
    veto = Column(
        "一票否决",
        "Veto",
        Kind.CHOICE,
        fixed=ch.YES_NO,
        default="否",
        width=8,
        help_zh="填“是”时未达到目标值的结对评为不合格。",
        help_en="是: a pair short of the target fails.",
    )
    note = Column("说明", "Note", max_len=200, width=30, help_zh="可选。", help_en="Optional.")


def rule_row(
    code: str,
    name: str,
    obj: str,
    metric: str,
    filters: str,
    target: float,
    points: float,
    method: str,
    per_unit: float | None = None,
    veto: str = "否",
    note: str = "",
) -> dict[str, object]:
    return {
        Indicator.code.name: code,
        Indicator.name.name: name,
        Indicator.target_object.name: obj,
        Indicator.metric.name: METRICS[metric].zh,
        Indicator.filters.name: filters or None,
        Indicator.target.name: target,
        Indicator.points.name: points,
        Indicator.method.name: method,
        Indicator.per_unit.name: per_unit,
        Indicator.veto.name: veto,
        Indicator.note.name: note or None,
    }


# In the spirit of the commitments programmes sign: demonstration lessons at least twice a
# school year, a joint activity every month, leadership meetings once or twice a semester, funding as
# pledged, the report on time.
DEFAULT_RUBRIC: list[dict[str, object]] = [
    rule_row(
        "K01",
        "示范课",
        SUPPORTING,
        "activities",
        "活动类型=示范课",
        2,
        15,
        PROPORTIONAL,
        note="支援校每学年至少送示范课 2 次",
    ),
    rule_row(
        "K02",
        "每月联合活动",
        PAIR,
        "active_months",
        "",
        10,
        20,
        DEDUCT,
        2,
        note="每月至少开展一次联合活动，每缺一个月扣 2 分",
    ),
    rule_row(
        "K03",
        "领导互访",
        PAIR,
        "activities",
        "活动类型=校长互访",
        2,
        10,
        PROPORTIONAL,
        note="每学期至少一次校级领导互访",
    ),
    rule_row("K04", "教研与听课评课", PAIR, "activities", "活动类型=教研活动、听课评课", 4, 10, PROPORTIONAL),
    rule_row("K05", "人员交流", SUPPORTING, "people", "", 1, 5, THRESHOLD, note="至少派出 1 名教师支教、挂职或轮岗"),
    rule_row("K06", "经费物资", SUPPORTING, "funding", "", 1, 10, PROPORTIONAL, note="按承诺拨付，目标 1 万元"),
    rule_row("K07", "按时报送", PAIR, "on_time", "", 100, 10, THRESHOLD, note="两校报表均在截止日期前报送"),
    rule_row(
        "K08",
        "受援校排名提升",
        RECIPIENT,
        "rank_up",
        "学科=综合",
        1,
        10,
        PROPORTIONAL,
        note="受援校综合成绩全区排名上升",
    ),
    rule_row("K09", "报表质量", PAIR, "unresolved", "", 0, 5, DEDUCT, 1, note="每个未改正的错误扣 1 分"),
    rule_row(
        "K10",
        "全年开展结对活动",
        PAIR,
        "activities",
        "",
        1,
        5,
        THRESHOLD,
        veto="是",
        note="全年未开展任何结对活动的，一票否决",
    ),
]
