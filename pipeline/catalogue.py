"""The one catalogue of user-facing text: finding codes and interface strings, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class FindingCode:
    """A finding code: its severity, title and message (``str.format`` fields) per language."""

    code: str
    severity: str
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str


def _f(code: str, severity: str, title_zh: str, title_en: str, zh: str, en: str) -> FindingCode:
    return FindingCode(code, severity, title_zh, title_en, zh, en)


FINDINGS: dict[str, FindingCode] = {
    f.code: f
    for f in (
        # Sheets and headers
        _f("missing-sheet", ERROR, "缺少工作表", "Sheet missing",
           "找不到工作表“{expected}”；工作簿中有：{found}。请使用标准模板，不要重命名或删除工作表。",
           "Sheet '{expected}' not found; the workbook has: {found}. Use the standard template and "
           "do not rename or delete sheets."),
        _f("hidden-sheet", WARNING, "工作表被隐藏", "Sheet hidden",
           "工作表“{expected}”被隐藏，已照常读取。请取消隐藏，以便核对。",
           "Sheet '{expected}' is hidden; it was read as usual. Unhide it so it can be checked."),
        _f("header-not-found", ERROR, "找不到表头", "Header row not found",
           "在前 {rows} 行中找不到表头（应含：{expected}）。请不要修改或删除表头行。",
           "Header row not found in the first {rows} rows (expected: {expected}). Do not change or "
           "delete the header row."),
        _f("missing-column", ERROR, "缺少必填列", "Required column missing",
           "缺少列“{expected}”（最接近的表头：{nearest}）。请恢复该列的表头。",
           "Column '{expected}' is missing (nearest header: {nearest}). Restore its header."),
        _f("duplicate-column", ERROR, "列重复", "Duplicate column",
           "列“{expected}”出现了两次（{cells}）。请删除多余的一列。",
           "Column '{expected}' appears twice ({cells}). Delete the extra one."),
        _f("extra-column", WARNING, "多余的列", "Extra column",
           "列“{value}”不在模板中，其内容未被读取。",
           "Column '{value}' is not in the template; its contents were not read."),
        _f("missing-label", ERROR, "缺少填写项", "Label missing",
           "找不到填写项“{expected}”。请使用标准模板，不要修改 A 列的项目名称。",
           "Row '{expected}' not found. Use the standard template and keep column A's labels."),
        # Cells
        _f("required", ERROR, "必填项为空", "Required value missing",
           "“{column}”为必填项，请填写。", "'{column}' is required; please fill it in."),
        _f("not-a-number", ERROR, "不是数字", "Not a number",
           "“{value}”不是数字。请只填写数字，例如 12 或 3.5。",
           "'{value}' is not a number. Enter digits only, e.g. 12 or 3.5."),
        _f("not-an-integer", ERROR, "不是整数", "Not a whole number",
           "“{value}”不是整数。请填写整数，例如 12。", "'{value}' is not a whole number. Enter e.g. 12."),
        _f("not-a-date", ERROR, "不是日期", "Not a date",
           "“{value}”不是可识别的日期。请按 2024-09-01 的格式填写。",
           "'{value}' is not a date we can read. Use the form 2024-09-01."),
        _f("out-of-range", ERROR, "超出范围", "Out of range",
           "“{value}”超出允许范围（{expected}）。", "'{value}' is outside the allowed range ({expected})."),
        _f("not-in-list", ERROR, "不在选项中", "Not in the list",
           "“{value}”不是“{column}”的选项。请从下拉列表中选择：{expected}。",
           "'{value}' is not a choice for '{column}'. Choose from the list: {expected}."),
        _f("too-long", ERROR, "内容过长", "Text too long",
           "内容有 {value} 个字，超过 {expected} 个字的上限。请精简。",
           "The text has {value} characters; the limit is {expected}. Shorten it."),
        _f("bad-format", ERROR, "格式不正确", "Wrong format",
           "“{value}”的格式不正确：{expected}。", "'{value}' is not in the right format: {expected}."),
        _f("duplicate-value", ERROR, "重复", "Duplicate",
           "“{column}”的值“{value}”重复（另见 {cells}）。该列的值不能重复。",
           "'{column}' value '{value}' repeats (see also {cells}). Values in this column must be unique."),
        # Programme workbook
        _f("unknown-school", ERROR, "未知学校", "Unknown school",
           "学校代码“{value}”不在“学校名册”中。请先在学校名册中添加该校，或改正代码。",
           "School code '{value}' is not on the Schools sheet. Add the school there or correct the code."),
        _f("self-pair", ERROR, "学校与自身结对", "School paired with itself",
           "支援校和受援校都是“{value}”。请改正其中一个代码。",
           "The supporting and recipient school are both '{value}'. Correct one of the codes."),
        _f("role-mismatch", WARNING, "角色不一致", "Role mismatch",
           "学校“{value}”在学校名册中的角色是“{expected}”，但在此作为{column}。请核对。",
           "School '{value}' has role '{expected}' on the Schools sheet but is the {column} here."),
        _f("end-before-start", ERROR, "结束早于开始", "Ends before it starts",
           "结束日期 {value} 早于开始日期 {expected}。请改正日期。",
           "The end date {value} is before the start date {expected}. Correct the dates."),
        _f("deadline-before-start", ERROR, "截止日期早于开始", "Deadline before start",
           "截止日期 {value} 早于周期开始日期 {expected}。请改正日期。",
           "The deadline {value} is before the period starts ({expected}). Correct the dates."),
        _f("unknown-list", ERROR, "未知的选项列表", "Unknown list",
           "“{value}”不是可设置的列表。可用的列表：{expected}。",
           "'{value}' is not a list that can be set. Lists: {expected}."),
        _f("no-reporting-school", ERROR, "没有报送学校", "No reporting school",
           "学校名册中没有“是否报送”为“是”的学校，无法生成报表。",
           "No school on the Schools sheet reports to this bureau (是否报送 = 是)."),
        _f("unpaired-school", WARNING, "学校未结对", "School not in any pair",
           "学校“{value}”不在任何结对关系中，其报表中将没有可选的结对学校。",
           "School '{value}' is in no pair; its report will offer no partner to choose."),
    )
}

# Interface strings: CLI messages, template and report text.
TEXT: dict[str, tuple[str, str]] = {
    "cli.templates.blank": ("已写出空白模板：{path}", "Wrote blank template: {path}"),
    "cli.templates.personal": ("已为 {count} 所学校写出 {period} 报表模板，位于 {path}",
                               "Wrote {period} report templates for {count} schools in {path}"),
    "cli.programme.invalid": ("项目配置工作簿 {path} 有 {count} 个问题，未生成任何模板：",
                              "The programme workbook {path} has {count} problems; no template was written:"),
    "cli.programme.warnings": ("项目配置工作簿 {path} 有 {count} 条警告：",
                               "The programme workbook {path} has {count} warnings:"),
    "cli.demo.done": ("示例数据已写出：\n  项目配置：{programme}\n  收件箱：{inbox}（{files} 个文件）\n"
                      "  空白模板：{templates}\n下一步：bangfu check / bangfu run（开发中）。",
                      "Demo data written:\n  programme workbook: {programme}\n  inbox: {inbox} ({files} files)\n"
                      "  blank templates: {templates}\nNext: bangfu check / bangfu run (in progress)."),
    "error.unknown_period": ("报送周期“{period}”不在项目配置的“报送周期”表中。可用的周期：{known}。",
                             "Period '{period}' is not on the programme's Periods sheet. Periods: {known}."),
    "error.not_found": ("找不到文件：{path}。请检查路径。", "File not found: {path}. Check the path."),
    "error.unreadable": ("无法读取工作簿 {path}：{reason}。请用 Excel 或 WPS 另存为 .xlsx 后重试。",
                         "Cannot read workbook {path}: {reason}. Save it as .xlsx in Excel or WPS and retry."),
    "finding.where": ("{file} · {sheet}!{cell}", "{file} · {sheet}!{cell}"),
    # Templates
    "report.title": ("结对帮扶工作报表", "School pairing report"),
    "programme.title": ("结对帮扶项目配置", "Pairing programme workbook"),
    "instructions.sheet": ("填报说明", "Instructions"),
    "instructions.programme_sheet": ("填写说明", "Instructions"),
    "instructions.period": ("报送周期：{name}（{start} 至 {end}）", "Period: {name} ({start} to {end})"),
    "instructions.deadline": ("截止日期：{deadline} 前将本表通过电子邮件报送教育局。",
                              "Deadline: e-mail this workbook to the bureau by {deadline}."),
    "instructions.contact": ("联系人：{contact}　电话：{phone}（{bureau}）",
                             "Contact: {contact}, phone {phone} ({bureau})"),
    "instructions.sheets": ("各工作表的用途：", "What each sheet is for:"),
    "instructions.rules": ("填写规则：", "Rules:"),
    "instructions.rule1": ("1. 不要重命名、删除或移动工作表，不要修改表头。",
                           "1. Do not rename, delete or move sheets; do not change the headers."),
    "instructions.rule2": ("2. 在表格内逐行填写；行不够时在表格内插入行，或直接在表格下一行继续填写。",
                           "2. Fill in one row per record inside the table; insert rows inside it when you need more."),
    "instructions.rule3": ("3. 有下拉列表的列请从列表中选择；日期按 2024-09-01 格式填写；金额以元为单位。",
                           "3. Choose from the drop-down lists; type dates as 2024-09-01; money in yuan."),
    "instructions.rule4": ("4. 数值异常（例如人次特别多）时，请在该行“说明”列写明原因。",
                           "4. Explain any unusual value in the row's Note column."),
    "instructions.rule5": ("5. 灰色单元格由教育局预填，不能修改。", "5. Grey cells are pre-filled by the bureau."),
    "instructions.rule6": ("6. 如需更正已报送的报表，修改后重新发送整个文件即可，新文件将取代旧文件。",
                           "6. To correct a report, send the whole file again; the new one replaces the old."),
    "instructions.programme_intro": (
        "本工作簿由教育局项目负责人维护，是生成学校报表模板、汇总和考核的依据。",
        "The bureau analyst keeps this workbook; templates, consolidation and assessment come from it."),
    "instructions.programme_rule": (
        "请在各表格内逐行填写，不要修改表头；代码列为文本格式，保留前导零。",
        "Fill in one row per record inside the tables; keep the headers; code columns are text."),
    "validation.list_title": ("请选择", "Choose"),
    "validation.error_title": ("输入有误", "Invalid entry"),
    "validation.list_error": ("请从下拉列表中选择。", "Choose a value from the list."),
    "validation.int_error": ("请输入 {min} 到 {max} 之间的整数。", "Enter a whole number from {min} to {max}."),
    "validation.decimal_error": ("请输入 {min} 到 {max} 之间的数字。", "Enter a number from {min} to {max}."),
    "validation.date_error": ("请输入 {min} 到 {max} 之间的日期，格式如 2024-09-01。",
                              "Enter a date from {min} to {max}, e.g. 2024-09-01."),
    "validation.length_error": ("最多 {max} 个字。", "At most {max} characters."),
    "validation.required": ("（必填）", " (required)"),
    "footer.page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "choices.list": ("列表", "List"),
}


def text(key: str, lang: str = "zh", **fields: object) -> str:
    """The interface string ``key`` in ``lang``, with ``fields`` filled in."""
    zh, en = TEXT[key]
    template = en if lang == "en" else zh
    return template.format(**fields) if fields else template


def finding(code: str) -> FindingCode:
    """The catalogue entry for ``code``; an unknown code is a programming error."""
    return FINDINGS[code]
