"""The school report (结对帮扶工作报表): one model per sheet a school fills in."""

from __future__ import annotations

from schemas import choices as ch
from schemas import common
from schemas.model import Column, Kind, Sheet, fingerprint
from schemas.programme import CODE_PATTERN, PHONE_PATTERN

TEMPLATE_VERSION = "1.0"

_NOTE_HELP_ZH = "数值异常时请在此说明原因（例如人数特别多）。"
_NOTE_HELP_EN = "Explain an unusual value here (e.g. an unusually large number)."


def _note() -> Column:
    return Column(
        "说明", "Note", max_len=500, width=24, synonyms=("备注",), help_zh=_NOTE_HELP_ZH, help_en=_NOTE_HELP_EN
    )


def _partner(required: bool = True) -> Column:
    return Column(
        "结对学校",
        "Partner school",
        Kind.CHOICE,
        required=required,
        choices="partner",
        width=26,
        synonyms=("结对校", "对口学校"),
        help_zh="从下拉列表中选择本校的结对学校。",
        help_en="Choose one of this school's partners.",
    )


def _direction(values: tuple[str, ...], zh: str, en: str) -> Column:
    return Column("方向", "Direction", Kind.CHOICE, required=True, fixed=values, width=8, help_zh=zh, help_en=en)


class SchoolInfo(Sheet):
    zh, en, layout = "基本信息", "School info", "form"
    purpose_zh = "本校基本信息和填报人。灰色单元格由教育局预填，不能修改。"
    purpose_en = "This school's details and who filled in the report. Grey cells are pre-filled."
    school_code = Column(
        "学校代码",
        "School code",
        Kind.CODE,
        required=True,
        locked=True,
        pattern=CODE_PATTERN,
        width=30,
        help_zh="由教育局预填。",
        help_en="Pre-filled.",
    )
    school_name = Column(
        "学校名称", "School name", required=True, locked=True, width=30, help_zh="由教育局预填。", help_en="Pre-filled."
    )
    period = Column(
        "报送周期",
        "Reporting period",
        Kind.CODE,
        required=True,
        locked=True,
        width=30,
        help_zh="由教育局预填。",
        help_en="Pre-filled.",
    )
    role = Column("本校角色", "Role", locked=True, width=30, help_zh="由教育局预填。", help_en="Pre-filled.")
    partners = Column(
        "结对学校",
        "Partner schools",
        locked=True,
        width=30,
        help_zh="本校的结对学校，供参考。",
        help_en="This school's partners, for reference.",
    )
    filled_by = Column(
        "填报人",
        "Filled in by",
        required=True,
        max_len=30,
        width=30,
        help_zh="填写本表的人的姓名。",
        help_en="Name of the person filling in.",
    )
    phone = Column(
        "联系电话",
        "Phone",
        required=True,
        pattern=PHONE_PATTERN,
        width=30,
        synonyms=("电话",),
        help_zh="填报人的手机或座机号码。",
        help_en="Mobile or landline of that person.",
    )
    date_filled = Column(
        "填报日期",
        "Date filled",
        Kind.DATE,
        required=True,
        width=30,
        help_zh="日期，例如 2024-12-31。",
        help_en="A date, e.g. 2024-12-31.",
    )
    students = Column(
        "在校学生数",
        "Students",
        Kind.INT,
        minimum=0,
        maximum=100000,
        width=30,
        help_zh="整数。",
        help_en="Whole number.",
    )
    staff = Column(
        "教职工数", "Staff", Kind.INT, minimum=0, maximum=10000, width=30, help_zh="整数。", help_en="Whole number."
    )
    classes = Column(
        "班级数", "Classes", Kind.INT, minimum=0, maximum=2000, width=30, help_zh="整数。", help_en="Whole number."
    )
    highlights = Column(
        "工作亮点",
        "Highlights",
        max_len=2000,
        width=30,
        help_zh="本期结对帮扶工作的亮点，可多行。",
        help_en="Highlights of the period.",
    )
    problems = Column(
        "存在问题",
        "Problems",
        max_len=2000,
        width=30,
        help_zh="存在的问题和下一步打算。",
        help_en="Problems and next steps.",
    )


class Activity(Sheet):
    zh, en = "交流活动", "Activities"
    purpose_zh = "每次交流活动填一行：讲座、示范课、交流课、教研活动等。"
    purpose_en = "One row per exchange activity: lectures, demonstration lessons, research sessions."
    date = Column(
        "日期",
        "Date",
        Kind.DATE,
        required=True,
        width=12,
        synonyms=("活动日期",),
        help_zh="活动日期，须在本报送周期内。",
        help_en="Date of the activity, inside the period.",
    )
    activity_type = Column(
        "活动类型",
        "Activity type",
        Kind.CHOICE,
        required=True,
        choices="activity_type",
        width=12,
        synonyms=("类型",),
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    direction = _direction(
        ch.ACTIVITY_DIRECTION,
        "派出：本校人员到结对学校；接收：结对学校人员来本校。",
        "派出: our people went to the partner; 接收: the partner's people came to us.",
    )
    partner = _partner()
    subject = Column(
        "学科",
        "Subject",
        Kind.CHOICE,
        choices="subject",
        width=10,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    participants = Column(
        "参与人次",
        "Person-visits",
        Kind.INT,
        required=True,
        minimum=0,
        maximum=5000,
        width=10,
        synonyms=("人次", "参加人次"),
        help_zh="参与的人次，0–5000 的整数。",
        help_en="Whole number, 0-5000.",
    )
    sessions = Column(
        "课时或场次",
        "Lessons or sessions",
        Kind.INT,
        minimum=0,
        maximum=500,
        default=1,
        width=11,
        synonyms=("课时", "场次"),
        help_zh="课时数或场次，0–500 的整数，默认 1。",
        help_en="Whole number, 0-500, default 1.",
    )
    topic = Column(
        "活动主题",
        "Topic",
        max_len=200,
        width=30,
        synonyms=("主题", "内容"),
        help_zh="活动主题，200 字以内。",
        help_en="Topic, at most 200 characters.",
    )
    note = _note()


class Personnel(Sheet):
    zh, en = "人员交流", "Personnel"
    purpose_zh = "每位挂职、支教、跟岗学习或轮岗交流的人员填一行。"
    purpose_en = "One row per person seconded, teaching or shadowing at the partner."
    person = Column(
        "姓名", "Name", required=True, max_len=30, width=10, help_zh="人员姓名。", help_en="The person's name."
    )
    exchange_type = Column(
        "交流类型",
        "Exchange type",
        Kind.CHOICE,
        required=True,
        choices="exchange_type",
        width=11,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    direction = _direction(
        ch.ACTIVITY_DIRECTION,
        "派出：本校人员到结对学校；接收：结对学校人员来本校。",
        "派出: our person went to the partner; 接收: the partner's person came to us.",
    )
    partner = _partner()
    start_date = Column(
        "开始日期", "Start date", Kind.DATE, required=True, width=12, help_zh="开始日期。", help_en="Start date."
    )
    end_date = Column(
        "结束日期",
        "End date",
        Kind.DATE,
        width=12,
        help_zh="不早于开始日期；仍在岗的留空。",
        help_en="Not before the start; blank if still there.",
    )
    post = Column(
        "学科或岗位",
        "Subject or post",
        max_len=50,
        width=14,
        synonyms=("岗位", "学科"),
        help_zh="任教学科或挂职岗位。",
        help_en="Subject taught or post held.",
    )
    note = _note()


class Funding(Sheet):
    zh, en = "经费物资", "Funding"
    purpose_zh = "每笔资金或每批物资填一行；物资填其价值。"
    purpose_en = "One row per transfer of money or goods; for goods give their value."
    date = Column(
        "日期",
        "Date",
        Kind.DATE,
        required=True,
        width=12,
        help_zh="拨付或收到的日期，须在本报送周期内。",
        help_en="Date, inside the period.",
    )
    category = Column(
        "类别",
        "Category",
        Kind.CHOICE,
        required=True,
        choices="funding_category",
        width=10,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    source = Column(
        "来源",
        "Source",
        Kind.CHOICE,
        required=True,
        choices="funding_source",
        width=15,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    direction = _direction(
        ch.MONEY_DIRECTION, "拨出：本校给出；收到：本校收到。", "拨出: given by us; 收到: received by us."
    )
    partner = _partner(required=False)
    item = Column(
        "物资名称", "Item", max_len=60, width=16, help_zh="物资名称，例如：投影仪。", help_en="Item, e.g. projector."
    )
    quantity = Column(
        "数量",
        "Quantity",
        Kind.DECIMAL,
        minimum=0,
        maximum=1e7,
        width=8,
        help_zh="不小于 0 的数。",
        help_en="A number, at least 0.",
    )
    unit = Column("单位", "Unit", max_len=10, width=6, help_zh="例如：套、台、册、件。", help_en="e.g. set, piece.")
    amount = Column(
        "金额（元）",
        "Amount (yuan)",
        Kind.MONEY,
        required=True,
        minimum=0,
        maximum=1e9,
        width=13,
        synonyms=("金额(元)", "金额", "金额元"),
        help_zh="以元为单位的金额；物资填其价值。",
        help_en="Amount in yuan; for goods their value.",
    )
    note = _note()


class Score(Sheet):
    zh, en = "教学质量", "Scores"
    purpose_zh = "每个年级、学科、学期的考试成绩填一行；综合积分的学科填“综合”。"
    purpose_en = "One row per grade, subject and term; use 综合 for a composite score."
    school_year = common.school_year()
    term = common.term()
    grade = common.grade()
    subject = common.subject()
    takers = common.takers()
    average = common.average()
    pass_rate = Column(
        "及格率",
        "Pass rate",
        Kind.PERCENT,
        minimum=0,
        maximum=100,
        width=9,
        help_zh="0–100 之间的数，例如 95.5 表示 95.5%。",
        help_en="0-100, e.g. 95.5 for 95.5 %.",
    )
    excellent_rate = Column(
        "优秀率",
        "Excellence rate",
        Kind.PERCENT,
        minimum=0,
        maximum=100,
        width=9,
        help_zh="0–100 之间的数。",
        help_en="0-100.",
    )
    district_rank = Column(
        "区县排名",
        "District rank",
        Kind.INT,
        minimum=1,
        maximum=10000,
        width=9,
        help_zh="公布的全区排名，整数。",
        help_en="Published district rank.",
    )
    district_n = Column(
        "参评学校数",
        "Schools ranked",
        Kind.INT,
        minimum=1,
        maximum=10000,
        width=10,
        help_zh="参加排名的学校数，不小于排名。",
        help_en="Schools ranked, at least the rank.",
    )


class Meta(Sheet):
    zh, en, layout = "_meta", "_meta", "form"
    template_version = Column("template_version", "template_version")
    schema_fingerprint = Column("schema_fingerprint", "schema_fingerprint")
    programme = Column("programme", "programme")
    school_code = Column("school_code", "school_code", Kind.CODE)
    period_code = Column("period_code", "period_code", Kind.CODE)
    lang = Column("lang", "lang")
    # A feedback workbook: the sha256 of the school's file it answers, so that the corrected
    # workbook supersedes that file whatever times copying gave them. Not in REPORT_FINGERPRINT.
    answers = Column("answers", "answers")


DATA_SHEETS: tuple[type[Sheet], ...] = (Activity, Personnel, Funding, Score)
REPORT_SHEETS: tuple[type[Sheet], ...] = (SchoolInfo, *DATA_SHEETS)
REPORT_FINGERPRINT = fingerprint(list(REPORT_SHEETS))
