"""A realistic demo programme as plain rows: schools, pairs, periods, district results, reports.

Both schools of a pair report each shared event (the sender 派出, the receiver 接收), as in real
programmes, with a few one-sided or disagreeing rows so reconciliation has work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from schemas.model import Record
from schemas.programme import DistrictScore, Pair, Period, School, Settings
from schemas.report import Activity, Funding, Personnel, SchoolInfo, Score

TOWNS = (
    "石门镇",
    "大坪乡",
    "龙潭镇",
    "松林乡",
    "河口镇",
    "白沙镇",
    "红岩乡",
    "清水镇",
    "双桥镇",
    "青龙乡",
    "新华镇",
    "长岭乡",
)
URBAN_PRIMARY = ("青山区第一实验小学", "青山区第二实验小学", "青山区育才小学", "青山区师范附属小学", "青山区新城小学")
URBAN_SECONDARY = (
    ("青山区实验中学", "初中"),
    ("青山区第一中学", "完全中学"),
    ("青山区第二中学", "初中"),
    ("青山区外国语学校", "九年一贯制"),
    ("青山区第三初级中学", "初中"),
)
OTHER_PRIMARY = tuple(f"青山区第{n}小学" for n in "四五六七八九十") + tuple(
    f"青山区{n}小学" for n in ("东风", "胜利", "向阳", "光明", "和平", "文化", "建设", "人民", "朝阳", "友谊")
)
OUTSIDE = (("省城育英中学", "初中"), ("省城实验小学", "小学"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
TOPICS = {
    "讲座": ("新课标下的大单元教学", "班主任工作艺术", "双减背景下的作业设计", "校园安全管理"),
    "示范课": ("《秋天的雨》", "分数的初步认识", "Unit 3 My friends", "浮力", "二次函数的图像"),
    "交流课": ("同课异构：圆的面积", "整本书阅读指导", "英语绘本教学", "实验探究课"),
    "教研活动": ("集体备课：第三单元", "期中质量分析会", "小课题研究推进会"),
    "听课评课": ("青年教师汇报课听评", "推门听课", "骨干教师示范课评议"),
    "专题培训": ("信息技术与课堂融合", "心理健康教育培训"),
    "校长互访": ("学校管理经验交流", "校园文化建设座谈"),
    "学生交流": ("城乡学生手拉手", "研学交流活动"),
    "德育活动": ("红色教育主题班会", "德育专题研讨"),
    "其他": ("家校共育交流",),
}
SUBJECTS_PRIMARY = ("语文", "数学", "英语")
SUBJECTS_SECONDARY = ("语文", "数学", "英语", "物理")
DEMO_PERIOD = "2024学年"  # the school year: the demo run includes the year-end assessment
YEARS = ("2023-2024", "2024-2025")
IDLE_RECIPIENT = "0201003"  # 石门镇中心幼儿园: its pair reports no activity


@dataclass
class DemoProgramme:
    """Rows for every sheet of the programme workbook, and each school's report for the demo period."""

    programme: dict[type, list[Record]]
    reports: dict[str, dict[type, list[Record]]] = field(default_factory=dict)
    info: dict[str, Record] = field(default_factory=dict)
    period: Record = field(default_factory=dict)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}"


def _schools(rng: random.Random) -> list[Record]:
    rows = []

    def add(code: str, name: str, district: str, level: str, role: str, reports: str = "是") -> None:
        students = rng.randrange(300, 2600) if role == "支援校" else rng.randrange(120, 900)
        rows.append(
            {
                School.school_code.name: code,
                School.school_name.name: name,
                School.district.name: district,
                School.level.name: level,
                School.role.name: role,
                School.reports.name: reports,
                School.contact.name: _person(rng),
                School.phone.name: _phone(rng),
                School.email.name: f"school{code}@example.edu.cn",
                School.students.name: students,
                School.staff.name: students // 14,
                School.classes.name: max(6, students // 45),
            }
        )

    for i, name in enumerate(URBAN_PRIMARY, start=1):
        add(f"01010{i:02d}", name, "城区片", "小学", "支援校")
    for i, (name, level) in enumerate(URBAN_SECONDARY, start=1):
        add(f"01020{i:02d}", name, "城区片", level, "支援校")
    add("0103001", "青山区机关幼儿园", "城区片", "幼儿园", "支援校")
    for i, town in enumerate(TOWNS, start=1):
        add(f"02{i:02d}001", f"青山区{town}中心小学", "乡镇片", "小学", "受援校")
        add(f"02{i:02d}002", f"青山区{town}初级中学", "乡镇片", "初中", "受援校")
    add("0201003", "青山区石门镇中心幼儿园", "乡镇片", "幼儿园", "受援校")
    for i, (name, level) in enumerate(OUTSIDE, start=1):
        add(f"09000{i:02d}", name, "省城", level, "支援校", reports="否")
    rows[-1][School.aliases.name] = "省实小；省城实小"
    rows[0][School.aliases.name] = "一实小；第一实验小学"
    return rows


def _pairs() -> list[Record]:
    """At least 17 pairs; the first experimental primary school helps five rural primaries."""
    links = [("0101001", f"02{t:02d}001", "集团帮扶", "第一实验小学教育集团") for t in range(1, 6)]
    links += [
        ("0101002", "0206001", "县域内结对", ""),
        ("0101003", "0207001", "县域内结对", ""),
        ("0101004", "0208001", "县域内结对", ""),
        ("0101005", "0209001", "县域内结对", ""),
        ("0101005", "0210001", "县域内结对", ""),
    ]
    links += [("0102001", f"02{t:02d}002", "集团帮扶", "实验中学教育联盟") for t in (1, 2, 3)]
    links += [
        ("0102002", "0204002", "县域内结对", ""),
        ("0102003", "0205002", "县域内结对", ""),
        ("0102004", "0206002", "县域内结对", ""),
        ("0102005", "0207002", "县域内结对", ""),
        ("0102005", "0208002", "县域内结对", ""),
    ]
    links += [
        ("0900001", "0209002", "对口支援", ""),
        ("0900001", "0210002", "对口支援", ""),
        ("0900002", "0211001", "对口支援", ""),
        ("0900002", "0212001", "对口支援", ""),
    ]
    links += [
        ("0102003", "0211002", "县域内结对", ""),
        ("0102004", "0212002", "县域内结对", ""),
        ("0103001", "0201003", "县域内结对", ""),
    ]
    return [
        {
            Pair.pair_code.name: f"P{i:02d}",
            Pair.supporting_code.name: sup,
            Pair.recipient_code.name: rec,
            Pair.pair_type.name: kind,
            Pair.start_date.name: dt.date(2023, 9, 1),
            Pair.group.name: group,
        }
        for i, (sup, rec, kind, group) in enumerate(links, start=1)
    ]


def _periods() -> list[Record]:
    rows = []

    def add(code: str, name: str, kind: str, start: dt.date, end: dt.date, days: int) -> None:
        rows.append(
            {
                Period.period_code.name: code,
                Period.period_name.name: name,
                Period.period_type.name: kind,
                Period.start_date.name: start,
                Period.end_date.name: end,
                Period.deadline.name: end + dt.timedelta(days=days),
            }
        )

    for year in (2023, 2024):
        for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7):
            y = year if month >= 9 else year + 1
            start = dt.date(y, month, 1)
            end = (dt.date(y + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
            add(f"{y}-{month:02d}", f"{y}年{month}月", "月度", start, end, 10)
        add(f"{year}秋", f"{year}年秋季学期", "学期", dt.date(year, 9, 1), dt.date(year + 1, 1, 31), 15)
        add(f"{year + 1}春", f"{year + 1}年春季学期", "学期", dt.date(year + 1, 2, 1), dt.date(year + 1, 7, 31), 15)
        add(f"{year}学年", f"{year}-{year + 1}学年", "学年", dt.date(year, 9, 1), dt.date(year + 1, 7, 31), 30)
    return rows


def _district_scores(rng: random.Random, schools: list[Record]) -> tuple[list[dict], dict]:
    """Grade-6 results of all 34 primary schools of the district for two autumns."""
    primaries = [
        s[School.school_name.name] for s in schools if s[School.level.name] == "小学" and s[School.reports.name] == "是"
    ]
    names = primaries + list(OTHER_PRIMARY[: 34 - len(primaries)])
    rows, table = [], {}
    for name in names:
        base = {
            sub: rng.uniform(68, 94) if "乡" not in name and "镇" not in name else rng.uniform(62, 86)
            for sub in ("语文", "数学", "科学")
        }
        for year in YEARS:
            drift = rng.uniform(-4, 5) if year == YEARS[1] else 0
            marks = {sub: round(min(99.0, v + drift + rng.uniform(-1.5, 1.5)), 2) for sub, v in base.items()}
            marks["综合"] = round(sum(marks.values()), 3)
            for sub, avg in marks.items():
                rows.append(
                    {
                        DistrictScore.school_name.name: name,
                        DistrictScore.school_year.name: year,
                        DistrictScore.term.name: "秋季",
                        DistrictScore.grade.name: "六年级",
                        DistrictScore.subject.name: sub,
                        DistrictScore.takers.name: rng.randrange(40, 260),
                        DistrictScore.average.name: avg,
                    }
                )
                table[(name, year, sub)] = avg
    return rows, table


def _event_rows(rng: random.Random, partner_of: dict, period: dict, sup: str, rec: str, count: int):
    """Shared events of one pair: the sender's 派出 row and the receiver's 接收 row."""
    start, end = period[Period.start_date.name], period[Period.end_date.name]
    span = (end - start).days
    out: dict[str, list[Record]] = {sup: [], rec: []}
    types = list(TOPICS)
    for _ in range(count):
        kind = rng.choices(types, weights=(3, 6, 10, 8, 6, 2, 1, 1, 1, 1))[0]
        sender, receiver = (sup, rec) if rng.random() < 0.8 else (rec, sup)
        people = {"讲座": rng.randrange(20, 120), "学生交流": rng.randrange(20, 80)}.get(kind, rng.randrange(2, 30))
        row = {
            Activity.date.name: start + dt.timedelta(days=rng.randrange(span + 1)),
            Activity.activity_type.name: kind,
            Activity.subject.name: rng.choice(("语文", "数学", "英语", "科学", "不分学科")),
            Activity.participants.name: people,
            Activity.sessions.name: rng.choice((1, 1, 1, 2, 3)),
            Activity.topic.name: rng.choice(TOPICS[kind]),
        }
        out[sender].append({**row, Activity.direction.name: "派出", Activity.partner.name: partner_of[receiver]})
        if rng.random() < 0.994:  # now and then the receiving side forgets a row
            echo = dict(row)
            if rng.random() < 0.006:
                echo[Activity.participants.name] = people + rng.randrange(1, 5)
            out[receiver].append({**echo, Activity.direction.name: "接收", Activity.partner.name: partner_of[sender]})
    return out


def build(seed: int = 2024) -> DemoProgramme:
    """The whole demo programme, deterministic for a seed."""
    rng = random.Random(seed)
    schools = _schools(rng)
    pairs = _pairs()
    periods = _periods()
    district_rows, district = _district_scores(rng, schools)
    settings = {
        Settings.programme_name.name: "青山区“百校扶百校”结对帮扶工作",
        Settings.bureau.name: "青山区教育局",
        Settings.money_unit.name: "万元",
        Settings.form_number.name: "青教帮扶表1号",
        Settings.contact.name: "李明",
        Settings.phone.name: "0771-5551234",
        Settings.report_email.name: "jdbf@qingshan.edu.cn",
    }
    demo = DemoProgramme(
        {Settings: [settings], School: schools, Pair: pairs, Period: periods, DistrictScore: district_rows}
    )
    period = next(p for p in periods if p[Period.period_code.name] == DEMO_PERIOD)
    demo.period = period
    by_code = {s[School.school_code.name]: s for s in schools}
    names = {code: s[School.school_name.name] for code, s in by_code.items()}
    rows: dict[str, dict[type, list[Record]]] = {
        code: {Activity: [], Personnel: [], Funding: [], Score: []} for code in by_code
    }
    fan_out = {}
    for p in pairs:
        fan_out[p[Pair.supporting_code.name]] = fan_out.get(p[Pair.supporting_code.name], 0) + 1
    for p in pairs:
        sup, rec = p[Pair.supporting_code.name], p[Pair.recipient_code.name]
        count = rng.randrange(25, 60) if fan_out[sup] > 2 else rng.randrange(30, 140)
        if rec == IDLE_RECIPIENT:  # a pair that did nothing all year: the assessment's veto
            count = 0
        for code, events in _event_rows(rng, names, period, sup, rec, count).items():
            rows[code][Activity].extend(events)
        _personnel(rng, rows, names, period, sup, rec)
        _funding(rng, rows, names, period, sup, rec)
    for code, school in by_code.items():
        rows[code][Score] = _scores(rng, school, district)
        for model in rows[code]:
            rows[code][model].sort(key=lambda r: tuple(str(v) for v in r.values()))
        demo.info[code] = {
            SchoolInfo.filled_by.name: _person(rng),
            SchoolInfo.phone.name: _phone(rng),
            SchoolInfo.date_filled.name: period[Period.end_date.name] + dt.timedelta(days=rng.randrange(1, 12)),
            SchoolInfo.students.name: school[School.students.name],
            SchoolInfo.staff.name: school[School.staff.name],
            SchoolInfo.classes.name: school[School.classes.name],
            SchoolInfo.highlights.name: "开展同课异构和集体备课，青年教师成长明显。",
            SchoolInfo.problems.name: "路途较远，交流次数受交通条件限制。",
        }
    demo.reports = {code: r for code, r in rows.items() if by_code[code][School.reports.name] == "是"}
    return demo


def _personnel(rng, rows, names, period, sup: str, rec: str) -> None:
    start = period[Period.start_date.name]
    for _ in range(rng.choice((0, 1, 1, 2))):
        kind, sender, receiver = rng.choice((("支教", sup, rec), ("挂职", sup, rec), ("跟岗学习", rec, sup)))
        begin = start + dt.timedelta(days=rng.randrange(0, 40))
        finish = None if kind == "支教" else begin + dt.timedelta(days=rng.choice((7, 14, 30, 60)))
        person = {
            Personnel.person.name: _person(rng),
            Personnel.exchange_type.name: kind,
            Personnel.start_date.name: begin,
            Personnel.end_date.name: finish,
            Personnel.post.name: rng.choice(("语文", "数学", "英语", "副校长", "教务主任")),
        }
        rows[sender][Personnel].append(
            {**person, Personnel.direction.name: "派出", Personnel.partner.name: names[receiver]}
        )
        rows[receiver][Personnel].append(
            {**person, Personnel.direction.name: "接收", Personnel.partner.name: names[sender]}
        )


def _funding(rng, rows, names, period, sup: str, rec: str) -> None:
    start = period[Period.start_date.name]
    transfers = [("资金", "学校自筹", "", None, "", rng.choice((10000, 20000, 30000)))]
    if rng.random() < 0.5:
        transfers.append(("设备", "学校自筹", "投影仪", 10, "台", 35000))
    if rng.random() < 0.4:
        transfers.append(("图书", "社会捐赠", "课外读物", 500, "册", 15000))
    for category, source, item, qty, unit, amount in transfers:
        row = {
            Funding.date.name: start + dt.timedelta(days=rng.randrange(10, 100)),
            Funding.category.name: category,
            Funding.source.name: source,
            Funding.item.name: item,
            Funding.quantity.name: qty,
            Funding.unit.name: unit,
            Funding.amount.name: amount,
        }
        rows[sup][Funding].append({**row, Funding.direction.name: "拨出", Funding.partner.name: names[rec]})
        rows[rec][Funding].append({**row, Funding.direction.name: "收到", Funding.partner.name: names[sup]})
    if not any(r[Funding.source.name] == "教育局专项经费" for r in rows[rec][Funding]):
        rows[rec][Funding].append(
            {
                Funding.date.name: start + dt.timedelta(days=30),
                Funding.category.name: "资金",
                Funding.source.name: "教育局专项经费",
                Funding.direction.name: "收到",
                Funding.amount.name: rng.choice((50000, 50000, 80000, 100000)),
                Funding.note.name: "按学校规模拨付的专项经费",
            }
        )


def _scores(rng, school, district) -> list[Record]:
    name, level = school[School.school_name.name], school[School.level.name]
    if level == "小学":
        out = []
        for sub in ("语文", "数学", "科学", "综合"):
            avg = district.get((name, YEARS[1], sub))
            if avg is None:
                continue
            out.append(
                {
                    Score.school_year.name: YEARS[1],
                    Score.term.name: "秋季",
                    Score.grade.name: "六年级",
                    Score.subject.name: sub,
                    Score.takers.name: rng.randrange(40, 260),
                    Score.average.name: avg,
                    Score.pass_rate.name: round(rng.uniform(80, 100), 1),
                    Score.excellent_rate.name: round(rng.uniform(20, 60), 1),
                }
            )
        return out
    if level in ("初中", "完全中学", "九年一贯制"):
        return [
            {
                Score.school_year.name: YEARS[1],
                Score.term.name: "秋季",
                Score.grade.name: grade,
                Score.subject.name: sub,
                Score.takers.name: rng.randrange(40, 400),
                Score.average.name: round(rng.uniform(55, 92), 2),
                Score.pass_rate.name: round(rng.uniform(60, 98), 1),
            }
            for grade in ("七年级", "八年级", "九年级")
            for sub in SUBJECTS_SECONDARY
        ]
    return []
