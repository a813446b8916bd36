"""Default choice lists (docs/forms.md) and the fixed enumerations no programme may change."""

from __future__ import annotations

from dataclasses import dataclass

# Programme-editable lists: key -> (zh name, en name, default values). The programme workbook's
# 选项 sheet ships with these values; whatever it holds for a list replaces the default, so an
# analyst adds a value by adding a row and removes one by deleting its row.
LISTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "activity_type": (
        "活动类型",
        "Activity type",
        ("讲座", "示范课", "交流课", "教研活动", "听课评课", "专题培训", "校长互访", "学生交流", "德育活动", "其他"),
    ),
    "subject": (
        "学科",
        "Subject",
        (
            "语文",
            "数学",
            "英语",
            "物理",
            "化学",
            "生物",
            "科学",
            "道德与法治",
            "历史",
            "地理",
            "音乐",
            "体育",
            "美术",
            "信息技术",
            "综合",
            "不分学科",
        ),
    ),
    "exchange_type": ("人员交流类型", "Exchange type", ("挂职", "支教", "跟岗学习", "轮岗交流")),
    "funding_category": ("经费类别", "Funding category", ("资金", "设备", "图书", "课桌椅", "教学资料", "其他物资")),
    "funding_source": ("经费来源", "Funding source", ("教育局专项经费", "学校自筹", "社会捐赠", "教职工捐款", "其他")),
    "level": (
        "学段",
        "School level",
        ("幼儿园", "小学", "初中", "高中", "九年一贯制", "完全中学", "职业学校", "特殊教育学校"),
    ),
    "pair_type": ("结对类型", "Pair type", ("县域内结对", "跨县域结对", "对口支援", "集团帮扶", "联盟共建")),
    "grade": (
        "年级",
        "Grade",
        (
            "一年级",
            "二年级",
            "三年级",
            "四年级",
            "五年级",
            "六年级",
            "七年级",
            "八年级",
            "九年级",
            "高一",
            "高二",
            "高三",
        ),
    ),
}

# Fixed enumerations: the pipeline's counting rules depend on these exact values.
ROLE = ("支援校", "受援校")
YES_NO = ("是", "否")
ACTIVITY_DIRECTION = ("派出", "接收")
MONEY_DIRECTION = ("拨出", "收到")
PERIOD_TYPE = ("月度", "学期", "学年", "年度")
YEAR_PERIODS = PERIOD_TYPE[2:]  # the periods a year-end assessment scores
TERM = ("秋季", "春季", "全年")
MONEY_UNIT = ("万元", "元")
TARGET_OBJECT = ("结对", "支援校", "受援校")
SCORING = ("按比例", "达标", "扣分")
BANDS = ("优秀", "良好", "合格", "不合格")

# Spellings accepted for fixed values (English templates, common hand-typed variants).
SYNONYMS: dict[str, str] = {
    "supporting": "支援校",
    "support": "支援校",
    "帮扶校": "支援校",
    "recipient": "受援校",
    "被帮扶校": "受援校",
    "yes": "是",
    "y": "是",
    "no": "否",
    "n": "否",
    "sent": "派出",
    "out": "派出",
    "outgoing": "派出",
    "送出": "派出",
    "received": "接收",
    "in": "接收",
    "incoming": "接收",
    "given": "拨出",
    "支出": "拨出",
    "捐出": "拨出",
    "got": "收到",
    "接受": "收到",
    "autumn": "秋季",
    "fall": "秋季",
    "秋": "秋季",
    "秋季学期": "秋季",
    "上学期": "秋季",
    "spring": "春季",
    "春": "春季",
    "春季学期": "春季",
    "下学期": "春季",
    "year": "全年",
    "whole year": "全年",
    "学年": "全年",
    "pair": "结对",
    "proportional": "按比例",
    "pro rata": "按比例",
    "threshold": "达标",
    "all or nothing": "达标",
    "deduct": "扣分",
    "deduction": "扣分",
    "monthly": "月度",
    "semester": "学期",
    "school year": "学年",
    "annual": "年度",
}


def list_names(key: str) -> tuple[str, str]:
    """(zh, en) names of the programme list ``key``."""
    zh, en, _ = LISTS[key]
    return zh, en


def list_key(name: str) -> str | None:
    """The list key for a zh or en list name as typed on the 选项 sheet."""
    wanted = name.strip().lower()
    for key, (zh, en, _) in LISTS.items():
        if wanted in (zh, en.lower(), key):
            return key
    return None


@dataclass(frozen=True)
class Choices:
    """The choice lists in force for one programme."""

    lists: dict[str, tuple[str, ...]]

    @classmethod
    def defaults(cls) -> Choices:
        return cls({key: values for key, (_, _, values) in LISTS.items()})

    def with_overrides(self, overrides: dict[str, tuple[str, ...]]) -> Choices:
        """These lists with each list named in ``overrides`` replaced."""
        return Choices({**self.lists, **{k: v for k, v in overrides.items() if v}})

    def values(self, key: str) -> tuple[str, ...]:
        return self.lists[key]
