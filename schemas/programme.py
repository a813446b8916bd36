"""The programme workbook (项目配置) kept by the bureau analyst: one model per sheet."""

from __future__ import annotations

from schemas import choices as ch
from schemas import common
from schemas.model import Column, Kind, Sheet
from schemas.rubric import Indicator

CODE_PATTERN = r"^[0-9A-Za-z_\-]{1,32}$"
PHONE_PATTERN = r"^[0-9+\-() 转]{5,32}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _phone(zh: str = "联系电话", en: str = "Phone", required: bool = False) -> Column:
    return Column(
        zh,
        en,
        required=required,
        pattern=PHONE_PATTERN,
        width=15,
        synonyms=("电话", "手机"),
        help_zh="手机或座机号码，例如 13800000000 或 0771-1234567。",
        help_en="Mobile or landline, e.g. 13800000000 or 0771-1234567.",
    )


class Settings(Sheet):
    zh, en, layout = "项目设置", "Settings", "form"
    purpose_zh = "项目名称、主管单位、金额单位等基本设置。"
    purpose_en = "Programme name, bureau, money unit and other settings."
    programme_name = Column(
        "项目名称",
        "Programme name",
        required=True,
        max_len=100,
        width=40,
        help_zh="例如：2024年百校扶百校结对帮扶",
        help_en="e.g. 2024 school pairing programme",
    )
    bureau = Column(
        "主管单位",
        "Bureau",
        required=True,
        max_len=100,
        width=40,
        help_zh="例如：某某区教育局",
        help_en="e.g. District Education Bureau",
    )
    money_unit = Column(
        "金额单位",
        "Money unit",
        Kind.CHOICE,
        fixed=ch.MONEY_UNIT,
        default="万元",
        help_zh="报表中金额的单位：万元（默认，保留两位小数）或元。",
        help_en="Unit for money in reports: 万元 (default, 2 decimals) or 元.",
    )
    form_number = Column(
        "表号", "Form number", max_len=50, help_zh="可选，打印在报表右上角。", help_en="Optional, printed on reports."
    )
    contact = Column(
        "联系人", "Contact", max_len=50, help_zh="学校有问题时联系的人。", help_en="Whom schools call with questions."
    )
    phone = _phone()
    report_email = Column(
        "报送邮箱",
        "Reports to",
        max_len=100,
        pattern=EMAIL_PATTERN,
        width=24,
        help_zh="学校发送报表和改正后报表的邮箱，写在每所学校的反馈工作簿上。",
        help_en="The address schools send reports and corrections to; printed on each feedback workbook.",
    )
    fix_days = Column(
        "改正期限（天）",
        "Days to correct",
        Kind.INT,
        minimum=1,
        maximum=60,
        default=7,
        help_zh="收到反馈后几天内发回改正后的报表（不早于报送截止日），默认 7 天。",
        help_en="Days after feedback to send the corrected report (never before the deadline); default 7.",
    )
    excellent_from = Column(
        "优秀线",
        "Excellent from",
        Kind.DECIMAL,
        minimum=0,
        maximum=100,
        default=90,
        help_zh="年度考核总分不低于此分为优秀，默认 90。",
        help_en="Assessment total for 优秀; default 90.",
    )
    good_from = Column(
        "良好线",
        "Good from",
        Kind.DECIMAL,
        minimum=0,
        maximum=100,
        default=80,
        help_zh="不低于此分为良好，默认 80。",
        help_en="Total for 良好; default 80.",
    )
    pass_from = Column(
        "合格线",
        "Pass from",
        Kind.DECIMAL,
        minimum=0,
        maximum=100,
        default=60,
        help_zh="不低于此分为合格，低于为不合格，默认 60。",
        help_en="Total for 合格; below it 不合格; default 60.",
    )
    history_store = Column(
        "历史数据库",
        "History store",
        max_len=300,
        width=30,
        help_zh="可选。留空即本工作簿旁的“历史数据库”文件夹；可填另一文件夹（相对本工作簿），或省级服务器 postgresql://用户@主机/库名（密码写在 .pgpass 中）。",
        help_en="Optional. Blank: the 历史数据库 folder beside this workbook; or another folder (relative to it), or a server: postgresql://user@host/database (password in .pgpass).",
    )


class School(Sheet):
    zh, en = "学校名册", "Schools"
    purpose_zh = "每所学校一行：代码、名称、角色、是否向本局报送。"
    purpose_en = "One row per school: code, name, role, whether it reports to this bureau."
    school_code = Column(
        "学校代码",
        "School code",
        Kind.CODE,
        required=True,
        unique=True,
        pattern=CODE_PATTERN,
        width=12,
        synonyms=("代码", "学校编码"),
        help_zh="文本格式，保留前导零，不得重复。",
        help_en="Text; keep leading zeros; unique.",
    )
    school_name = Column(
        "学校名称",
        "School name",
        required=True,
        unique=True,
        max_len=60,
        width=28,
        synonyms=("学校", "校名", "单位名称"),
        help_zh="学校全称，不得重复。",
        help_en="Full name; unique.",
    )
    aliases = Column(
        "别名",
        "Aliases",
        max_len=200,
        width=20,
        help_zh="学校的简称或曾用名，多个用；分隔。",
        help_en="Short or former names, separated by ;",
    )
    district = Column(
        "片区",
        "District",
        max_len=30,
        width=10,
        synonyms=("乡镇", "区县"),
        help_zh="所在片区或乡镇。",
        help_en="District or town.",
    )
    level = Column(
        "学段",
        "Level",
        Kind.CHOICE,
        required=True,
        choices="level",
        width=12,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    role = Column(
        "角色",
        "Role",
        Kind.CHOICE,
        required=True,
        fixed=ch.ROLE,
        width=9,
        help_zh="支援校或受援校。",
        help_en="支援校 (supporting) or 受援校 (recipient).",
    )
    reports = Column(
        "是否报送",
        "Reports",
        Kind.CHOICE,
        required=True,
        fixed=ch.YES_NO,
        width=9,
        help_zh="向本局报送报表填“是”；外区县的结对学校填“否”。",
        help_en="是 if it reports to this bureau; 否 for partners in another district.",
    )
    contact = Column("联系人", "Contact", max_len=30, width=10, help_zh="报表联系人。", help_en="Contact person.")
    phone = _phone()
    email = Column(
        "电子邮箱",
        "Email",
        max_len=100,
        pattern=EMAIL_PATTERN,
        width=24,
        synonyms=("邮箱",),
        help_zh="用于发送模板和催报。",
        help_en="Used to send templates and reminders.",
    )
    students = Column(
        "在校学生数",
        "Students",
        Kind.INT,
        minimum=0,
        maximum=100000,
        width=11,
        help_zh="整数。",
        help_en="Whole number.",
    )
    staff = Column(
        "教职工数", "Staff", Kind.INT, minimum=0, maximum=10000, width=10, help_zh="整数。", help_en="Whole number."
    )
    classes = Column(
        "班级数", "Classes", Kind.INT, minimum=0, maximum=2000, width=9, help_zh="整数。", help_en="Whole number."
    )


class Pair(Sheet):
    zh, en = "结对关系", "Pairs"
    purpose_zh = "每对结对学校一行；一所学校可以出现在多个结对中。"
    purpose_en = "One row per pair; a school may be in several pairs."
    pair_code = Column(
        "结对编号",
        "Pair code",
        Kind.CODE,
        required=True,
        unique=True,
        pattern=CODE_PATTERN,
        width=12,
        help_zh="不得重复，例如 P01。",
        help_en="Unique, e.g. P01.",
    )
    supporting_code = Column(
        "支援校代码",
        "Supporting school code",
        Kind.CODE,
        required=True,
        pattern=CODE_PATTERN,
        width=13,
        synonyms=("帮扶校代码",),
        help_zh="学校名册中的学校代码。",
        help_en="A code from the Schools sheet.",
    )
    recipient_code = Column(
        "受援校代码",
        "Recipient school code",
        Kind.CODE,
        required=True,
        pattern=CODE_PATTERN,
        width=13,
        synonyms=("被帮扶校代码",),
        help_zh="学校名册中的学校代码。",
        help_en="A code from the Schools sheet.",
    )
    pair_type = Column(
        "结对类型",
        "Pair type",
        Kind.CHOICE,
        choices="pair_type",
        width=13,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )
    start_date = Column(
        "开始日期",
        "Start date",
        Kind.DATE,
        required=True,
        width=12,
        help_zh="日期，例如 2024-09-01。",
        help_en="A date, e.g. 2024-09-01.",
    )
    end_date = Column(
        "结束日期",
        "End date",
        Kind.DATE,
        width=12,
        help_zh="留空表示仍在结对。",
        help_en="Blank while the pair continues.",
    )
    group = Column(
        "所属集团",
        "Group",
        max_len=60,
        width=18,
        synonyms=("集团", "联盟"),
        help_zh="所属教育集团或联盟，可选。",
        help_en="School group or alliance, optional.",
    )


class Period(Sheet):
    zh, en = "报送周期", "Periods"
    purpose_zh = "每个报送周期一行：月度、学期、学年或年度，含截止日期。"
    purpose_en = "One row per reporting period, with its deadline."
    period_code = Column(
        "周期代码",
        "Period code",
        Kind.CODE,
        required=True,
        unique=True,
        width=12,
        pattern=r"^[0-9A-Za-z_\-\u4e00-\u9fff]{1,20}$",
        help_zh="例如 2024-09、2024秋、2024学年。",
        help_en="e.g. 2024-09, 2024秋, 2024学年.",
    )
    period_name = Column(
        "周期名称",
        "Period name",
        required=True,
        max_len=40,
        width=22,
        help_zh="例如：2024年秋季学期。",
        help_en="e.g. Autumn term 2024.",
    )
    period_type = Column(
        "类型",
        "Type",
        Kind.CHOICE,
        required=True,
        fixed=ch.PERIOD_TYPE,
        width=8,
        help_zh="月度、学期、学年或年度。",
        help_en="月度, 学期, 学年 or 年度.",
    )
    start_date = Column(
        "开始日期", "Start date", Kind.DATE, required=True, width=12, help_zh="日期。", help_en="A date."
    )
    end_date = Column(
        "结束日期",
        "End date",
        Kind.DATE,
        required=True,
        width=12,
        help_zh="日期，不早于开始日期。",
        help_en="A date, not before the start.",
    )
    deadline = Column(
        "截止日期",
        "Deadline",
        Kind.DATE,
        required=True,
        width=12,
        synonyms=("报送截止日期",),
        help_zh="学校报送报表的截止日期。",
        help_en="When schools' reports are due.",
    )


class Choice(Sheet):
    zh, en = "选项", "Choices"
    purpose_zh = "下拉列表的选项。某个列表在此列出的值将取代默认值：增加一行即增加一个选项。"
    purpose_en = "Drop-down values. Values listed for a list replace its defaults: add a row to add a value."
    list_name = Column(
        "列表",
        "List",
        required=True,
        max_len=20,
        width=14,
        help_zh="列表名称，例如：活动类型。",
        help_en="List name, e.g. 活动类型.",
    )
    value = Column("选项", "Value", required=True, max_len=30, width=18, help_zh="一个选项。", help_en="One value.")
    note = Column("说明", "Note", max_len=200, width=30, help_zh="可选。", help_en="Optional.")


class DistrictScore(Sheet):
    zh, en = "区县成绩", "District results"
    purpose_zh = "可选：本区县所有学校（含非项目学校）的考试成绩，用于计算全区排名。"
    purpose_en = "Optional: exam results of every school of the district, for district-wide ranks."
    school_name = Column(
        "学校名称", "School name", required=True, max_len=60, width=28, help_zh="学校全称。", help_en="Full name."
    )
    school_year = common.school_year()
    term = common.term()
    grade = common.grade()
    subject = common.subject()
    takers = common.takers()
    average = common.average()


PROGRAMME_SHEETS: tuple[type[Sheet], ...] = (Settings, School, Pair, Period, Choice, DistrictScore, Indicator)
