"""Finding codes: severity, title and message of every finding, in zh and en."""

from __future__ import annotations

import re
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


_ENTRIES = (
    # Sheets and headers
    _f(
        "missing-sheet",
        ERROR,
        "缺少工作表",
        "Sheet missing",
        "找不到工作表“{expected}”；工作簿中有：{found}。请使用标准模板，不要重命名或删除工作表。",
        "Sheet '{expected}' not found; the workbook has: {found}. Use the standard template and "
        "do not rename or delete sheets.",
    ),
    _f(
        "hidden-sheet",
        WARNING,
        "工作表被隐藏",
        "Sheet hidden",
        "工作表“{expected}”被隐藏，已照常读取。请取消隐藏，以便核对。",
        "Sheet '{expected}' is hidden; it was read as usual. Unhide it so it can be checked.",
    ),
    _f(
        "extra-sheet",
        WARNING,
        "多余的工作表",
        "Extra sheet",
        "工作簿中有模板之外的工作表“{value}”，其内容未被读取。如有需要报送的数据，请填入模板的相应工作表。",
        "The workbook has a sheet '{value}' that is not in the template; it was not read. Put data to report "
        "into the template's sheets.",
    ),
    _f(
        "hidden-row",
        WARNING,
        "隐藏的行",
        "Hidden row",
        "第 {value} 行被隐藏，其内容已照常读取和统计。如不应报送，请删除该行而不是隐藏。",
        "Row {value} is hidden; it was read and counted as usual. Delete it rather than hide it if it should not count.",
    ),
    _f(
        "header-not-found",
        ERROR,
        "找不到表头",
        "Header row not found",
        "在前 {rows} 行中找不到表头（应含：{expected}）。请不要修改或删除表头行。",
        "Header row not found in the first {rows} rows (expected: {expected}). Do not change or delete the header row.",
    ),
    _f(
        "missing-column",
        ERROR,
        "缺少必填列",
        "Required column missing",
        "缺少列“{expected}”（最接近的表头：{nearest}）。请恢复该列的表头。",
        "Column '{expected}' is missing (nearest header: {nearest}). Restore its header.",
    ),
    _f(
        "duplicate-column",
        ERROR,
        "列重复",
        "Duplicate column",
        "列“{expected}”出现了两次（{cells}）。请删除多余的一列。",
        "Column '{expected}' appears twice ({cells}). Delete the extra one.",
    ),
    _f(
        "extra-column",
        WARNING,
        "多余的列",
        "Extra column",
        "列“{value}”不在模板中，其内容未被读取。",
        "Column '{value}' is not in the template; its contents were not read.",
    ),
    _f(
        "missing-label",
        ERROR,
        "缺少填写项",
        "Label missing",
        "找不到填写项“{expected}”。请使用标准模板，不要修改 A 列的项目名称。",
        "Row '{expected}' not found. Use the standard template and keep column A's labels.",
    ),
    # Cells
    _f(
        "required",
        ERROR,
        "必填项为空",
        "Required value missing",
        "“{column}”为必填项，请填写。",
        "'{column}' is required; please fill it in.",
    ),
    _f(
        "cell-too-long",
        ERROR,
        "单元格内容超长",
        "Cell too long",
        "该单元格有 {found} 个字，超过 Excel 单元格 {expected} 个字的上限，无法原样保存。请精简后重新填写。",
        "The cell holds {found} characters, more than the {expected} an Excel cell can hold. Shorten it.",
    ),
    _f(
        "number-too-large",
        ERROR,
        "数字过大",
        "Number too large",
        "“{value}”太大，不会是实际的数字（上限 {expected}）。请核对后重新填写。",
        "'{value}' is too large to be a real figure (at most {expected}). Check it.",
    ),
    _f(
        "not-a-number",
        ERROR,
        "不是数字",
        "Not a number",
        "“{value}”不是数字。请只填写数字，例如 12 或 3.5。",
        "'{value}' is not a number. Enter digits only, e.g. 12 or 3.5.",
    ),
    _f(
        "not-an-integer",
        ERROR,
        "不是整数",
        "Not a whole number",
        "“{value}”不是整数。请填写整数，例如 12。",
        "'{value}' is not a whole number. Enter e.g. 12.",
    ),
    _f(
        "not-a-date",
        ERROR,
        "不是日期",
        "Not a date",
        "“{value}”不是可识别的日期。请按 2024-09-01 的格式填写。",
        "'{value}' is not a date we can read. Use the form 2024-09-01.",
    ),
    _f(
        "out-of-range",
        ERROR,
        "超出范围",
        "Out of range",
        "“{value}”超出允许范围（{expected}）。",
        "'{value}' is outside the allowed range ({expected}).",
    ),
    _f(
        "not-in-list",
        ERROR,
        "不在选项中",
        "Not in the list",
        "“{value}”不是“{column}”的选项。请从下拉列表中选择：{expected}。",
        "'{value}' is not a choice for '{column}'. Choose from the list: {expected}.",
    ),
    _f(
        "too-long",
        ERROR,
        "内容过长",
        "Text too long",
        "内容有 {value} 个字，超过 {expected} 个字的上限。请精简。",
        "The text has {value} characters; the limit is {expected}. Shorten it.",
    ),
    _f(
        "bad-format",
        ERROR,
        "格式不正确",
        "Wrong format",
        "“{value}”的格式不正确：{expected}。",
        "'{value}' is not in the right format: {expected}.",
    ),
    _f(
        "duplicate-value",
        ERROR,
        "重复",
        "Duplicate",
        "“{column}”的值“{value}”重复（另见 {cells}）。该列的值不能重复。",
        "'{column}' value '{value}' repeats (see also {cells}). Values in this column must be unique.",
    ),
    # Programme workbook
    _f(
        "unknown-school",
        ERROR,
        "未知学校",
        "Unknown school",
        "学校代码“{value}”不在“学校名册”中。请先在学校名册中添加该校，或改正代码。",
        "School code '{value}' is not on the Schools sheet. Add the school there or correct the code.",
    ),
    _f(
        "self-pair",
        ERROR,
        "学校与自身结对",
        "School paired with itself",
        "支援校和受援校都是“{value}”。请改正其中一个代码。",
        "The supporting and recipient school are both '{value}'. Correct one of the codes.",
    ),
    _f(
        "role-mismatch",
        WARNING,
        "角色不一致",
        "Role mismatch",
        "学校“{value}”在学校名册中的角色是“{expected}”，但在此作为{column}。请核对。",
        "School '{value}' has role '{expected}' on the Schools sheet but is the {column} here.",
    ),
    _f(
        "end-before-start",
        ERROR,
        "结束早于开始",
        "Ends before it starts",
        "结束日期 {value} 早于开始日期 {expected}。请改正日期。",
        "The end date {value} is before the start date {expected}. Correct the dates.",
    ),
    _f(
        "deadline-before-start",
        ERROR,
        "截止日期早于开始",
        "Deadline before start",
        "截止日期 {value} 早于周期开始日期 {expected}。请改正日期。",
        "The deadline {value} is before the period starts ({expected}). Correct the dates.",
    ),
    _f(
        "unknown-list",
        ERROR,
        "未知的选项列表",
        "Unknown list",
        "“{value}”不是可设置的列表。可用的列表：{expected}。",
        "'{value}' is not a list that can be set. Lists: {expected}.",
    ),
    # The assessment rubric (考核细则)
    _f(
        "rubric-missing",
        ERROR,
        "缺少考核细则",
        "Rubric missing",
        "项目配置中没有“考核细则”表或表中没有指标，无法进行年度考核。请从空白项目配置模板复制“考核细则”表（含默认细则）后修改。",
        "The programme workbook has no 考核细则 (Rubric) sheet or no indicator on it, so there is no "
        "assessment. Copy the sheet (with the default rubric) from the blank programme template and edit it.",
    ),
    _f(
        "rubric-points-sum",
        ERROR,
        "分值合计不是 100",
        "Points do not sum to 100",
        "各指标分值合计为 {found}，应为 100。请调整“分值”列（{cells}）。",
        "The indicators' points sum to {found}, not 100. Adjust the Points column ({cells}).",
    ),
    _f(
        "rubric-target",
        ERROR,
        "目标值须大于 0",
        "Target must be above 0",
        "目标值 {value} 不正确：“{found}”越多越好，目标值须大于 0。",
        "The target {value} is out of range: for '{found}' more is better, so the target must be above 0.",
    ),
    _f(
        "rubric-target-negative",
        ERROR,
        "目标值不能小于 0",
        "Target below 0",
        "目标值 {value} 不正确：“{found}”越少越好，目标值是允许的最多个数，不能小于 0。",
        "The target {value} is out of range: for '{found}' less is better; the target is the most allowed "
        "and cannot be below 0.",
    ),
    _f(
        "rubric-filter-syntax",
        ERROR,
        "筛选条件格式不对",
        "Filter not understood",
        "筛选条件“{value}”看不懂。请写成“名称=值”，多个值用“、”分隔，多个条件用“；”分隔，例如：活动类型=示范课；学科=语文、数学。",
        "The filter '{value}' is not understood. Write name=value, several values separated by 、 and "
        "several conditions by ；, e.g. 活动类型=示范课；学科=语文、数学.",
    ),
    _f(
        "rubric-filter-key",
        ERROR,
        "不能使用的筛选项",
        "Filter not available",
        "度量“{found}”不能按“{value}”筛选。可用的筛选项：{expected}。",
        "The metric '{found}' cannot be filtered by '{value}'. Filters it accepts: {expected}.",
    ),
    _f(
        "rubric-filter-value",
        ERROR,
        "未知的筛选值",
        "Unknown filter value",
        "“{value}”不是“{found}”的选项。可用的值：{expected}。",
        "'{value}' is not a value of '{found}'. Values: {expected}.",
    ),
    _f(
        "rubric-object",
        ERROR,
        "适用对象不对",
        "Metric not for this party",
        "度量“{found}”不能用于适用对象“{value}”，只能用于：{expected}。",
        "The metric '{found}' cannot be measured for '{value}', only for: {expected}.",
    ),
    _f(
        "rubric-method",
        ERROR,
        "计分方式不对",
        "Scoring not possible",
        "度量“{found}”越少越好，计分方式只能是“达标”或“扣分”，不能是“{value}”。",
        "The metric '{found}' is better when smaller; its scoring must be 达标 or 扣分, not '{value}'.",
    ),
    _f(
        "rubric-per-unit",
        ERROR,
        "缺少每单位扣分",
        "Points off per unit missing",
        "计分方式为“扣分”时须填写大于 0 的“每单位扣分”。",
        "Scoring 扣分 needs a 'Points off per unit' above 0.",
    ),
    _f(
        "rubric-bands",
        ERROR,
        "等级分数线不对",
        "Grade bands out of order",
        "等级分数线应满足 优秀线 > 良好线 > 合格线，现为 {found}。",
        "Grade bands must satisfy excellent > good > pass; they are {found}.",
    ),
    _f(
        "no-reporting-school",
        ERROR,
        "没有报送学校",
        "No reporting school",
        "学校名册中没有“是否报送”为“是”的学校，无法生成报表。",
        "No school on the Schools sheet reports to this bureau (是否报送 = 是).",
    ),
    _f(
        "unpaired-school",
        WARNING,
        "学校未结对",
        "School not in any pair",
        "学校“{value}”不在任何结对关系中，其报表中将没有可选的结对学校。",
        "School '{value}' is in no pair; its report will offer no partner to choose.",
    ),
    # Files that cannot be read (status 已退回)
    _f(
        "file-empty",
        ERROR,
        "文件为空",
        "Empty file",
        "文件为空（0 字节），可能是邮件附件损坏。请重新保存并发送。",
        "The file is empty (0 bytes); the attachment may be damaged. Save and send it again.",
    ),
    _f(
        "file-too-large",
        ERROR,
        "文件过大",
        "File too large",
        "文件有 {size_mb} MB，超过 {limit_mb} MB 的上限。请只保留本校本期的数据后重新发送。",
        "The file is {size_mb} MB; the limit is {limit_mb} MB. Keep only this period's data and resend.",
    ),
    _f(
        "zip-truncated",
        ERROR,
        "文件不完整",
        "Incomplete file",
        "不是完整的工作簿（缺少 zip 中央目录），可能下载或发送时中断。请重新发送。",
        "Not a complete workbook (zip central directory missing); the download or e-mail was cut off. Resend it.",
    ),
    _f(
        "corrupt-part",
        ERROR,
        "文件已损坏",
        "File damaged",
        "文件已损坏：其中的 {part} 校验不通过（常见于传输中断或 U 盘损坏），读出的内容可能已被改变。请重新保存并发送原文件。",
        "The file is damaged: its part {part} fails its checksum (an interrupted transfer or a failing disk), so "
        "what it says may have changed. Save it again and resend it.",
    ),
    _f(
        "not-a-report",
        ERROR,
        "不是报表",
        "Not a report",
        "这是一个 {found} 文件，不是报表。报表请用教育局下发的 Excel 模板填写后发送；其他材料请按通知另行报送。",
        "This is a {found} file, not a report. Fill in the bureau's Excel template for the report; send other "
        "documents as the notice says.",
    ),
    _f(
        "wrong-type",
        ERROR,
        "不是 Excel 工作簿",
        "Not a workbook",
        "该文件实际上是 {found}，不是 Excel 工作簿。请用教育局下发的模板填写，另存为 .xlsx 后发送。",
        "This file is really {found}, not an Excel workbook. Fill in the bureau's template and save it as .xlsx.",
    ),
    _f(
        "legacy-excel",
        ERROR,
        "过旧的 Excel 格式",
        "Legacy Excel format",
        "该文件是 Excel 2.x–4.0 的旧格式，无法读取。请另存为 .xlsx 后重新发送。",
        "This is an Excel 2.x-4.0 file, which cannot be read. Save it as .xlsx and resend.",
    ),
    _f(
        "encrypted",
        ERROR,
        "工作簿有密码",
        "Password-protected",
        "工作簿设有打开密码，无法读取。请取消密码（文件 → 信息 → 保护工作簿）后重新发送。",
        "The workbook is password-protected. Remove the password (File > Info > Protect Workbook) and resend.",
    ),
    _f(
        "zip-bomb",
        ERROR,
        "文件解压后过大",
        "Expands too far",
        "工作簿解压后为 {detail}，超过上限 {limit}，未读取。",
        "The workbook expands to {detail}; the limit is {limit}. It was not read.",
    ),
    _f(
        "zip-duplicate-name",
        ERROR,
        "文件内部重名",
        "Duplicate part",
        "工作簿内部部件 {part} 重名，文件已损坏或被篡改，未读取。请用 Excel 另存为新文件后发送。",
        "The workbook holds part {part} twice; it is damaged or tampered with. Save a new copy in Excel.",
    ),
    _f(
        "unsafe-xml",
        ERROR,
        "不安全的 XML",
        "Unsafe XML",
        "工作簿的 {part} 含有 DTD/实体声明（不安全的 XML），未读取。请用 Excel 另存为新文件后发送。",
        "Unsafe XML (DTD/entities) in {part}; the workbook was not read. Save a new copy in Excel.",
    ),
    _f(
        "too-many-cells",
        ERROR,
        "工作表范围异常",
        "Sheet too large",
        "工作表“{sheet}”声称有 {cells} 个单元格（{ref}），超出上限，未读取。请删除多余的行列后另存。",
        "Sheet '{sheet}' claims {cells} cells ({ref}); it was not read. Delete stray rows and columns.",
    ),
    _f(
        "lying-count",
        ERROR,
        "文件结构异常",
        "Corrupt structure",
        "工作簿的 {part} 声明有 {count} 个字符串，但该部件只有 {size} 字节，文件已损坏，未读取。",
        "{part} declares {count} strings in {size} bytes; the file is corrupt and was not read.",
    ),
    _f(
        "macro-sheet",
        ERROR,
        "含有宏表",
        "Macro sheet",
        "工作簿含有 Excel 4.0 宏表，未读取。请删除宏表，另存为 .xlsx 后重新发送。",
        "The workbook has an Excel 4.0 macro sheet and was not read. Remove it and save as .xlsx.",
    ),
    _f(
        "not-a-workbook",
        ERROR,
        "工作簿结构缺失",
        "Workbook structure missing",
        "文件缺少工作簿结构（{detail}）。请用 Excel 或 WPS 另存为 .xlsx 后重新发送。",
        "The workbook structure is missing ({detail}). Save it as .xlsx in Excel or WPS and resend.",
    ),
    _f(
        "unreadable",
        ERROR,
        "无法读取",
        "Unreadable",
        "无法读取该工作簿（{detail}）。请用 Excel 或 WPS 打开后另存为 .xlsx 重新发送。",
        "The workbook cannot be read ({detail}). Open it in Excel or WPS, save as .xlsx and resend.",
    ),
    _f(
        "reader-crashed",
        ERROR,
        "读取时崩溃",
        "Reader crashed",
        "读取程序处理此文件时崩溃（{detail}），文件已隔离。请用 Excel 或 WPS 另存为 .xlsx 后重新发送。",
        "The reader crashed on this file ({detail}); it was quarantined. Save it as .xlsx and resend.",
    ),
    _f(
        "reader-timeout",
        ERROR,
        "读取超时",
        "Reading timed out",
        "读取此文件超过 {detail}，已停止。请删除多余内容，另存为 .xlsx 后重新发送。",
        "Reading this file took over {detail} and was stopped. Remove stray content and resend.",
    ),
    _f(
        "extension-mismatch",
        WARNING,
        "扩展名与格式不符",
        "Extension does not match",
        "文件扩展名是 .{value}，实际是 {found} 格式，已按实际格式读取。今后请直接保存为 .xlsx。",
        "The file is named .{value} but is really {found}; it was read as {found}. Save as .xlsx next time.",
    ),
    _f(
        "macros-ignored",
        WARNING,
        "宏未运行",
        "Macros ignored",
        "工作簿含有宏；宏没有运行，只读取了单元格中的值。",
        "The workbook has macros; none ran, only values were read.",
    ),
    _f(
        "external-links-ignored",
        WARNING,
        "外部链接未使用",
        "External links ignored",
        "工作簿含有指向其他文件的链接，只读取了保存时的值。",
        "The workbook links to other files; only saved values were read.",
    ),
    _f(
        "sender-not-school-email",
        WARNING,
        "发件地址不是学校邮箱",
        "Sent from another address",
        "本文件由 {value} 发来，不是学校名册中登记的邮箱 {expected}。请确认是本校报送；如学校邮箱已更换，请更新学校名册。",
        "This file was sent from {value}, not the school's address on the Schools sheet ({expected}). "
        "Check that the school sent it; if its address changed, update the Schools sheet.",
    ),
    # Identifying the sender
    _f(
        "identified-by-info",
        WARNING,
        "根据基本信息识别",
        "Identified from school info",
        "文件没有模板标识，已根据“基本信息”识别为 {value}。请使用教育局下发的模板填报。",
        "The file has no template marker; it was identified from the school info as {value}. Use the bureau's template.",
    ),
    _f(
        "unidentified",
        ERROR,
        "无法识别学校",
        "School not identified",
        "无法识别报送学校：没有模板标识，“基本信息”中的学校代码和名称（{value}）也不在学校名册中。",
        "The sending school cannot be identified: no template marker, and the code and name ({value}) are not on the roster.",
    ),
    _f(
        "unknown-school-file",
        ERROR,
        "学校不在名册中",
        "School not on the roster",
        "学校代码“{value}”不在学校名册中。请使用教育局下发的本校模板。",
        "School code '{value}' is not on the roster. Use the template the bureau sent your school.",
    ),
    _f(
        "not-reporting-school",
        ERROR,
        "学校不向本局报送",
        "School does not report here",
        "学校“{value}”在学校名册中标为不向本局报送（是否报送 = 否）。",
        "School '{value}' is marked as not reporting to this bureau.",
    ),
    _f(
        "wrong-period",
        ERROR,
        "报送周期不符",
        "Wrong period",
        "该文件属于报送周期“{value}”，本次处理的是“{expected}”。请使用本周期的模板。",
        "This file is for period '{value}'; this run is for '{expected}'. Use this period's template.",
    ),
    _f(
        "template-outdated",
        WARNING,
        "旧版模板",
        "Outdated template",
        "该文件使用旧版模板（{value}），已按表头读取。今后请使用反馈文件或新模板填报。",
        "This file uses an older template ({value}); it was read by its headers. Use the feedback file or a new template.",
    ),
    # Cells and rows of a submission
    _f(
        "formula-error",
        ERROR,
        "公式结果为错误值",
        "Formula error",
        "该单元格的公式结果是错误值，未采用。请直接填写数值。",
        "This cell's formula gives an error value, which was not used. Type the value itself.",
    ),
    _f(
        "formula-no-value",
        ERROR,
        "公式没有结果",
        "Formula without a value",
        "该单元格的公式没有保存计算结果，未采用。请直接填写数值。",
        "This cell's formula has no saved result, which was not used. Type the value itself.",
    ),
    _f(
        "unknown-partner",
        ERROR,
        "不是本校的结对学校",
        "Not a partner school",
        "“{value}”不是本校的结对学校。请从下拉列表中选择：{expected}。",
        "'{value}' is not one of this school's partners. Choose from: {expected}.",
    ),
    _f(
        "date-outside-period",
        ERROR,
        "日期不在本周期内",
        "Date outside the period",
        "日期 {value} 不在本报送周期（{expected}）内。请改正日期，其他周期的活动在相应周期报送。",
        "Date {value} is outside this period ({expected}). Correct it; report other periods' work in their own report.",
    ),
    _f(
        "direction-vs-role",
        WARNING,
        "方向与角色不符",
        "Direction unusual for the role",
        "本校是{expected}，却填报了“{value}”。请核对“方向”是否填反。",
        "This school is a {expected} but reported '{value}'. Check the direction.",
    ),
    _f(
        "duplicate-row",
        WARNING,
        "疑似重复填报",
        "Possible duplicate row",
        "该行与第 {cells} 行完全相同，可能重复填报。如确为不同活动，请在“说明”中注明。",
        "This row repeats row {cells}. If both are real, say so in the Note column.",
    ),
    _f(
        "rank-above-n",
        ERROR,
        "排名大于参评学校数",
        "Rank above the number ranked",
        "区县排名 {value} 大于参评学校数 {expected}。请核对。",
        "District rank {value} exceeds the number ranked ({expected}).",
    ),
    _f(
        "amount-looks-like-wan",
        WARNING,
        "金额疑似以万元填写",
        "Amount looks like 万元",
        "资金金额 {value} 元偏小，是否按万元填写了？金额以元为单位（5 万元填 50000）。如无误请在“说明”中注明。",
        "The amount {value} yuan is small: was it typed in 万元? Amounts are in yuan (5万 = 50000).",
    ),
    _f(
        "reconcile-activity",
        WARNING,
        "与对方报表不一致",
        "Partner's report differs",
        "{value}（次数 / 人次）：本校填报 {ours}，{partner}填报 {theirs}。请与对方核对。",
        "{value} (activities / person-visits): we report {ours}, {partner} reports {theirs}. Check with the partner.",
    ),
    _f(
        "reconcile-funding",
        WARNING,
        "经费与对方不一致",
        "Partner's funding differs",
        "{value}：本校填报 {ours} 元，{partner}填报 {theirs} 元。请与对方核对。",
        "{value}: we report {ours} yuan, {partner} reports {theirs} yuan. Check with the partner.",
    ),
    _f(
        "outlier",
        WARNING,
        "数值异常",
        "Unusual value",
        "参与人次 {value} 远高于全项目同类活动的中位数 {expected}。如无误，请在“说明”中写明原因。",
        "{value} person-visits is far above the programme median of {expected} for this activity type. Explain it in the Note column.",
    ),
    _f(
        "outlier-history",
        WARNING,
        "数值异常（与本校以往相比）",
        "Unusual for this school",
        "参与人次 {value} 远高于本校以往同类活动的中位数 {expected}（共 {found} 条）。如无误，请在“说明”中写明原因。",
        "{value} person-visits is far above this school's median of {expected} over its {found} earlier activities "
        "of this type. Explain it in the Note column.",
    ),
    _f(
        "score-differs",
        WARNING,
        "成绩与教育局数据不同",
        "Score differs from the bureau's",
        "平均分 {value} 与教育局统计的 {expected} 不同，汇总采用教育局数据。",
        "Average {value} differs from the bureau's {expected}; the bureau's figure is used.",
    ),
    _f(
        "rank-differs",
        WARNING,
        "排名与计算结果不同",
        "Rank differs",
        "填报的区县排名 {value} 与按全区成绩计算的 {expected} 不同，请核对。",
        "Reported district rank {value} differs from the computed {expected}.",
    ),
)


_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_FIELD = re.compile(r"{(\w+)}")


def _registry(entries: tuple[FindingCode, ...]) -> dict[str, FindingCode]:
    """The codes by name, checked when the catalogue is imported: a code is kebab-case and
    unique, its severity is error or warning, and its zh and en messages are filled with the
    same facts. ``Issue``s are made only with a code found here (``core.issues.make``)."""
    registry: dict[str, FindingCode] = {}
    for entry in entries:
        problem = (
            "is not kebab-case"
            if not _CODE.fullmatch(entry.code)
            else "appears twice"
            if entry.code in registry
            else f"has severity {entry.severity!r}"
            if entry.severity not in (ERROR, WARNING)
            else "fills different facts in zh and en"
            if set(_FIELD.findall(entry.message_zh)) != set(_FIELD.findall(entry.message_en))
            else ""
        )
        if problem:
            raise ValueError(f"finding code {entry.code!r} {problem}")
        registry[entry.code] = entry
    return registry


FINDINGS: dict[str, FindingCode] = _registry(_ENTRIES)
