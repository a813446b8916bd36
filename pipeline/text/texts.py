"""Interface strings, statuses and output column labels, in zh and en."""

from __future__ import annotations

STATUSES: dict[str, tuple[str, str]] = {
    "passed": ("已通过", "passed"),
    "warnings": ("有警告", "has warnings"),
    "needs-fix": ("需修改", "needs fixing"),
    "returned": ("已退回", "returned"),
    "superseded": ("已被替代", "superseded"),
    "duplicate": ("重复", "duplicate"),
    "ignored": ("已忽略", "ignored"),
    "missing": ("未报送", "missing"),
}


def status_label(status: str, lang: str = "zh") -> str:
    zh, en = STATUSES[status]
    return en if lang == "en" else zh


# Interface strings: CLI messages, template and report text.
TEXT: dict[str, tuple[str, str]] = {
    "reason.superseded": ("已被 {file} 替代", "replaced by {file}"),
    "reason.duplicate": ("与 {file} 内容相同", "same content as {file}"),
    "cli.templates.period_required": (
        "用了 --programme 就要给出 --period（例如 --period 2024秋），为哪个报送周期写模板。",
        "--period is required with --programme (e.g. --period 2024秋): the period to write templates for.",
    ),
    "cli.templates.blank": ("已写出空白模板：{path}", "Wrote blank template: {path}"),
    "cli.templates.personal": (
        "已为 {count} 所学校写出 {period} 报表模板，位于 {path}",
        "Wrote {period} report templates for {count} schools in {path}",
    ),
    "cli.programme.invalid": (
        "项目配置工作簿 {path} 有 {count} 个问题，请改正后重新运行（本次未写出任何文件）：",
        "The programme workbook {path} has {count} problems; fix them and run again (nothing was written):",
    ),
    "cli.programme.warnings": (
        "项目配置工作簿 {path} 有 {count} 条警告：",
        "The programme workbook {path} has {count} warnings:",
    ),
    "cli.demo.done": (
        "示例数据已写出：\n  项目配置：{programme}\n  收件箱：{inbox}（{files} 个文件）\n"
        "  空白模板：{templates}\n下一步（复制到命令行运行）：\n"
        "  {bangfu} run --programme {programme_arg} --inbox {inbox_arg} --period 2024学年 --out {out}\n"
        "  然后用 Excel 或 WPS 打开 {report}",
        "Demo data written:\n  programme workbook: {programme}\n  inbox: {inbox} ({files} files)\n"
        "  blank templates: {templates}\nNext (paste into the shell):\n"
        "  {bangfu} run --programme {programme_arg} --inbox {inbox_arg} --period 2024学年 --out {out} --lang en\n"
        "  then open {report} in Excel or WPS",
    ),
    "error.unknown_period": (
        "报送周期“{period}”不在项目配置的“报送周期”表中。您是不是要用：{near}？"
        "可用的周期（代码或名称都可以）：{known}。",
        "Period '{period}' is not on the programme's Periods sheet. Did you mean: {near}? "
        "Periods (by code or name): {known}.",
    ),
    "error.locked": (
        "另一次运行正在使用输出文件夹 {folder}（进程 {pid}，计算机 {host}，开始于 {started}）。请等它结束后再运行；"
        "如果确定它已不在运行，删除该文件夹中的 .bangfu.lock 后重试。",
        "Another run is using the output folder {folder} (process {pid} on {host}, started {started}). Wait "
        "for it to finish; if it is surely gone, delete .bangfu.lock in that folder and run again.",
    ),
    "error.output_open": (
        "{name} 正在被 Excel、WPS 或 LibreOffice 打开（{path}）。请先关闭 {name} 后重试。",
        "{name} is open in Excel, WPS or LibreOffice ({path}). Close {name} and run again.",
    ),
    "error.output_full": (
        "磁盘已满，无法写入 {path}。请腾出空间或换一个输出文件夹（--out）后重试；已有的结果未被改动。",
        "The disk is full: {path} cannot be written. Free some space or choose another --out; the previous results are untouched.",
    ),
    "error.output_denied": (
        "没有写入权限：{path}。请换一个输出文件夹（--out）或请管理员开放权限后重试。",
        "No permission to write {path}. Choose another --out folder, or ask for write access, and run again.",
    ),
    "error.output_not_folder": (
        "输出位置不是文件夹：{path}。请用 --out 指定一个文件夹。",
        "The output place is not a folder: {path}. Give a folder with --out.",
    ),
    "error.output_failed": (
        "无法写入 {path}（{reason}）。请检查输出文件夹后重试。",
        "{path} cannot be written ({reason}). Check the output folder and run again.",
    ),
    "error.bug": (
        "程序出错了：这是 Bangfu 的缺陷，不是您的操作问题。详细信息已写入 {log}，请把这个文件发给技术支持。",
        "Bangfu failed: this is a bug in Bangfu, not something you did. The details are in {log}; send that file to support.",
    ),
    "error.no_inbox": (
        "找不到收件箱文件夹：{path}。请检查 --inbox 路径。",
        "Inbox folder not found: {path}. Check the --inbox path.",
    ),
    "error.inbox_is_a_file": (
        "--inbox 给的是一个文件：{path}。请给出收到的报表所在的文件夹。",
        "--inbox names a file: {path}. Give the folder the received reports are in.",
    ),
    "error.not_a_workbook": (
        "{path} 是一个 {found} 文件，不是 Excel 工作簿。请给出项目配置工作簿（.xlsx）的路径。",
        "{path} is a {found} file, not an Excel workbook. Give the path of the programme workbook (.xlsx).",
    ),
    "error.store_other_programme": (
        "历史数据库 {path} 属于项目“{found}”，不是“{programme}”。请在项目配置工作簿“项目设置”的“历史数据库”中为本项目另指定一个文件夹或数据库。",
        "The history store {path} belongs to programme '{found}', not '{programme}'. Give this programme "
        "a folder or database of its own under 历史数据库 in the programme workbook's 项目设置.",
    ),
    "error.store_unreachable": (
        "无法连接历史数据库 {path}：{reason}。请检查服务器地址、端口、用户名和密码（.pgpass），或请管理员确认数据库服务已启动。",
        "Cannot reach the history store {path}: {reason}. Check the server's address, port, user and "
        "password (.pgpass), or ask its administrator whether the database is running.",
    ),
    "error.store_busy": (
        "历史数据库 {path} 正由另一次运行写入。请等它结束后再运行。",
        "Another run is writing to the history store {path}. Run again when it has finished.",
    ),
    "error.remote_needs_fsspec": (
        "收件箱 {url} 在对象存储中，本机未安装读取它的组件。请运行：pip install 'bangfu[cluster]'。",
        "The inbox {url} is in object storage, and what reads it is not installed here. Run: "
        "pip install 'bangfu[cluster]'.",
    ),
    "error.remote_unreadable": (
        "无法读取收件箱 {url}：{reason}。请检查地址、访问密钥（AWS_ACCESS_KEY_ID 等环境变量）和网络。",
        "Cannot read the inbox {url}: {reason}. Check the address, the access keys (AWS_ACCESS_KEY_ID and "
        "the like) and the network.",
    ),
    "error.cluster_needs_dask": (
        "要在集群上读取，本机需安装 Dask。请运行：pip install 'bangfu[cluster]'。",
        "Reading on a cluster needs Dask installed here. Run: pip install 'bangfu[cluster]'.",
    ),
    "error.cluster_unreachable": (
        "无法连接 Dask 集群调度器 {address}：{reason}。请检查地址和端口，或请运维人员确认调度器已启动；也可去掉 --cluster 在本机读取。",
        "Cannot reach the Dask scheduler {address}: {reason}. Check the address and port, or ask operations "
        "whether the scheduler is running; or leave out --cluster to read on this machine.",
    ),
    "error.cluster_daemon": (
        "集群 {address} 的工作进程不能启动读取文件的隔离子进程。请用环境变量 DASK_DISTRIBUTED__WORKER__DAEMON=False 重新启动各工作节点（见 docs/scale.md）。",
        "The workers of the cluster {address} may not start the isolated reader processes. Restart them "
        "with DASK_DISTRIBUTED__WORKER__DAEMON=False (see docs/scale.md).",
    ),
    "error.cluster_address": (
        "--cluster 应为 tcp://主机:8786（已运行的调度器）或 local:N（本机 N 个工作进程），而不是“{address}”。",
        "--cluster takes tcp://host:8786 (a running scheduler) or local:N (N worker processes here), not '{address}'.",
    ),
    "error.store_needs_postgres": (
        "历史数据库设为 PostgreSQL 服务器，但本机未安装其驱动。请运行：pip install 'bangfu[postgres]'。",
        "The history store is a PostgreSQL server, but its driver is not installed here. Run: "
        "pip install 'bangfu[postgres]'.",
    ),
    "error.store_damaged": (
        "历史数据库中的 {path} 已损坏，无法读取（{reason}）。请从备份恢复该文件，或删除它后重新运行该报送周期。",
        "{path} in the history store is damaged and cannot be read ({reason}). Restore it from a backup, "
        "or delete it and run that period again.",
    ),
    "error.store_empty": (
        "历史数据库 {path} 中还没有任何报送周期。请先运行 bangfu run。",
        "The history store {path} holds no period yet. Run bangfu run first.",
    ),
    "cli.history.imported": (
        "已导入历史数据库的周期：{periods}；库中已有、未改动的周期：{left}。",
        "Periods imported into the store: {periods}; periods it already held, left as they were: {left}.",
    ),
    "error.store_no_period": (
        "历史数据库中没有报送周期“{period}”。库中的周期：{known}。",
        "The history store holds no period '{period}'. It holds: {known}.",
    ),
    "cli.history.exported": ("已导出 {periods}：{paths}", "Exported {periods}: {paths}"),
    "error.store_where": (
        "请用 --store 给出历史数据库文件夹，或用 --programme 给出项目配置工作簿（数据库在它旁边）。",
        "Give the history store's folder with --store, or the programme workbook with --programme.",
    ),
    "error.store_missing": (
        "{path} 不是历史数据库（没有 store.json）。请检查 --store 路径。",
        "{path} is not a history store (it has no store.json). Check the --store path.",
    ),
    "error.store_query": ("查询出错：{reason}", "The query failed: {reason}"),
    "error.not_found": ("找不到文件：{path}。请检查路径。", "File not found: {path}. Check the path."),
    "error.unreadable": (
        "无法读取工作簿 {path}：{reason}。请用 Excel 或 WPS 另存为 .xlsx 后重试。",
        "Cannot read workbook {path}: {reason}. Save it as .xlsx in Excel or WPS and retry.",
    ),
    "finding.where": ("{file} · {sheet}!{cell}", "{file} · {sheet}!{cell}"),
    # Templates
    "report.title": ("结对帮扶工作报表", "School pairing report"),
    "programme.title": ("结对帮扶项目配置", "Pairing programme workbook"),
    "instructions.sheet": ("填报说明", "Instructions"),
    "instructions.programme_sheet": ("填写说明", "Instructions"),
    "instructions.period": ("报送周期：{name}（{start} 至 {end}）", "Period: {name} ({start} to {end})"),
    "instructions.deadline": (
        "截止日期：{deadline} 前将本表通过电子邮件报送教育局。",
        "Deadline: e-mail this workbook to the bureau by {deadline}.",
    ),
    "instructions.contact": (
        "联系人：{contact}　电话：{phone}（{bureau}）",
        "Contact: {contact}, phone {phone} ({bureau})",
    ),
    "instructions.sheets": ("各工作表的用途：", "What each sheet is for:"),
    "instructions.rules": ("填写规则：", "Rules:"),
    "instructions.rule1": (
        "1. 不要重命名、删除或移动工作表，不要修改表头。",
        "1. Do not rename, delete or move sheets; do not change the headers.",
    ),
    "instructions.rule2": (
        "2. 在表格内逐行填写；行不够时在表格内插入行，或直接在表格下一行继续填写。",
        "2. Fill in one row per record inside the table; insert rows inside it when you need more.",
    ),
    "instructions.rule3": (
        "3. 有下拉列表的列请从列表中选择；日期按 2024-09-01 格式填写；金额以元为单位。",
        "3. Choose from the drop-down lists; type dates as 2024-09-01; money in yuan.",
    ),
    "instructions.rule4": (
        "4. 数值异常（例如人次特别多）时，请在该行“说明”列写明原因。",
        "4. Explain any unusual value in the row's Note column.",
    ),
    "instructions.rule5": ("5. 灰色单元格由教育局预填，不能修改。", "5. Grey cells are pre-filled by the bureau."),
    "instructions.rule6": (
        "6. 如需更正已报送的报表，修改后重新发送整个文件即可，新文件将取代旧文件。",
        "6. To correct a report, send the whole file again; the new one replaces the old.",
    ),
    "instructions.programme_intro": (
        "本工作簿由教育局项目负责人维护，是生成学校报表模板、汇总和考核的依据。",
        "The bureau analyst keeps this workbook; templates, consolidation and assessment come from it.",
    ),
    "instructions.programme_rule": (
        "请在各表格内逐行填写，不要修改表头；代码列为文本格式，保留前导零。",
        "Fill in one row per record inside the tables; keep the headers; code columns are text.",
    ),
    "validation.list_title": ("请选择", "Choose"),
    "validation.error_title": ("输入有误", "Invalid entry"),
    "validation.list_error": ("请从下拉列表中选择。", "Choose a value from the list."),
    "validation.int_error": ("请输入 {min} 到 {max} 之间的整数。", "Enter a whole number from {min} to {max}."),
    "validation.decimal_error": ("请输入 {min} 到 {max} 之间的数字。", "Enter a number from {min} to {max}."),
    "validation.date_error": (
        "请输入 {min} 到 {max} 之间的日期，格式如 2024-09-01。",
        "Enter a date from {min} to {max}, e.g. 2024-09-01.",
    ),
    "validation.length_error": ("最多 {max} 个字。", "At most {max} characters."),
    "validation.required": ("（必填）", " (required)"),
    "footer.page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "choices.list": ("列表", "List"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "feedback.sheet": ("校验结果", "Findings"),
    "feedback.col.where": ("位置", "Where"),
    "feedback.col.severity": ("级别", "Severity"),
    "feedback.col.column": ("栏目", "Column"),
    "feedback.col.value": ("填写的内容", "Value found"),
    "feedback.col.message": ("问题及修改方法", "What is wrong and what to do"),
    "feedback.whole_file": ("整个文件", "whole file"),
    "feedback.heading": (
        "{school}（{code}）{period}报表校验结果",
        "{school} ({code}), {period}: findings on your report",
    ),
    "feedback.counts": (
        "共 {errors} 处错误、{warnings} 处警告，逐条列在下表，点“位置”可跳到该单元格。",
        "{errors} errors and {warnings} warnings, listed below; click a place to go to its cell.",
    ),
    "feedback.errors_first": (
        "有错误（标红）的报表暂不计入统计：请先改正标红的单元格，批注写明了应填什么。",
        "A report with errors (red) is not counted yet: first correct the red cells; each comment says what to enter.",
    ),
    "feedback.counted": ("本报表没有错误，已计入统计。", "Your report has no errors and is counted."),
    "feedback.warnings_rule": (
        "警告（标黄）请核对：确属实情的，在该行“说明”栏写明原因，即视为已说明，不必修改数字。",
        "Check each warning (yellow): if the figure is right, write the reason in that row's 说明 column; that clears it.",
    ),
    "feedback.send_back": (
        "请在本工作簿中直接改正，于 {date} 前发回：{to}。",
        "Correct this workbook itself and send it back by {date} to: {to}.",
    ),
    # Validation report and manifest
    "check.title": ("{programme} 报表校验报告（{period}）", "{programme} validation report ({period})"),
    "check.sheet.summary": ("报送情况", "Submissions"),
    "check.sheet.findings": ("问题清单", "Findings"),
    "check.sheet.files": ("文件清单", "Files"),
    "check.sheet.codes": ("代码说明", "Finding codes"),
    "col.school_code": ("学校代码", "School code"),
    "col.school_name": ("学校名称", "School name"),
    "col.district": ("片区", "District"),
    "col.status": ("状态", "Status"),
    "col.file": ("文件", "File"),
    "col.received": ("接收时间", "Received"),
    "col.timeliness": ("是否按时", "On time"),
    "col.days_late": ("逾期天数", "Days late"),
    "col.rows_read": ("读取行数", "Rows read"),
    "col.rows_accepted": ("采用行数", "Rows accepted"),
    "col.rows_excluded": ("排除行数", "Rows excluded"),
    "col.errors": ("错误数", "Errors"),
    "col.warnings": ("警告数", "Warnings"),
    "col.sheet": ("工作表", "Sheet"),
    "col.sender": ("发件邮箱", "Sent from"),
    "col.cell": ("单元格", "Cell"),
    "col.column": ("栏目", "Column"),
    "col.value": ("填写的内容", "Value found"),
    "col.code": ("代码", "Code"),
    "col.severity": ("级别", "Severity"),
    "col.message": ("说明", "Message"),
    "col.explained": ("已说明", "Explained"),
    "col.title": ("名称", "Title"),
    "col.occurrences": ("出现次数", "Occurrences"),
    "col.files_with": ("涉及文件数", "Files"),
    "col.path": ("路径", "Path"),
    "col.size": ("大小（字节）", "Size (bytes)"),
    "col.sha256": ("SHA-256", "SHA-256"),
    "col.type": ("实际类型", "Detected type"),
    "col.period": ("报送周期", "Period"),
    "col.reason": ("原因", "Reason"),
    "col.reason_code": ("原因代码", "Reason code"),
    "col.example": ("说明（本期一例）", "What it means (an example from this period)"),
    "col.sheet_row": ("行号", "Excel row"),
    "col.school": ("学校", "School"),
    "col.school_code_short": ("代码", "Code"),
    "col.contact": ("填报人", "Filled in by"),
    "col.phone": ("联系电话", "Phone"),
    "timeliness.on_time": ("按时", "on time"),
    "timeliness.late": ("逾期", "late"),
    "timeliness.missing": ("未报送", "missing"),
    "word.yes": ("是", "yes"),
    "word.no": ("否", "no"),
    "figure.activities": ("{count} 次 / {people} 人次", "activities {count} / person-visits {people}"),
    "figure.yuan": ("{amount} 元", "{amount} yuan"),
    "chase.needs_fix": (
        "{school}：贵校{period}结对帮扶工作报表有 {errors} 处需修改，请按反馈文件（已标红单元格）修改后重新报送。",
        "{school}: your {period} pairing report has {errors} problem(s) to fix. Please correct the "
        "cells marked red in the feedback file and send it again.",
    ),
    "chase.returned": (
        "{school}：贵校发来的 {file} 无法作为{period}结对帮扶工作报表使用（{reason}）。请使用教育局下发的 Excel 模板填写，"
        "于 {deadline} 前重新发送。",
        "{school}: the file {file} you sent cannot be used as your {period} pairing report ({reason}). Please "
        "fill in the bureau's Excel template and send it again by {deadline}.",
    ),
    "chase.missing": (
        "{school}：贵校{period}结对帮扶工作报表尚未收到有效文件（截止日期 {deadline}），请尽快使用教育局下发的模板报送。",
        "{school}: we have not received a valid {period} pairing report from your school (deadline "
        "{deadline}). Please send it as soon as possible, using the bureau's template.",
    ),
    "cli.phase": ("{what}（已用 {seconds:.0f} 秒）", "{what} ({seconds:.0f} s so far)"),
    "cli.phase.validate": ("正在校验各校数据并核对结对双方……", "Validating and reconciling both sides of each pair..."),
    "cli.phase.outputs": (
        "正在写出文件清单、校验报告和各校反馈……",
        "Writing the manifest, validation report and feedback...",
    ),
    "cli.phase.report": ("正在汇总并写出汇总报表……", "Aggregating and writing the consolidated workbook..."),
    "cli.phase.feedback": ("正在等待各校反馈工作簿写完……", "Waiting for the schools' feedback workbooks..."),
    "cli.check.progress": (
        "读取 {done}/{total} 个文件，{rate:.1f} 个/秒，预计还需 {eta:.0f} 秒",
        "Read {done}/{total} files, {rate:.1f}/s, about {eta:.0f} s left",
    ),
    "cli.check.summary": (
        "{period} 校验完成：{files} 个文件，{schools} 所学校应报送。",
        "{period} checked: {files} files, {schools} schools expected.",
    ),
    "cli.check.by_status": ("  按状态：{counts}", "  by status: {counts}"),
    "cli.check.by_code": ("  问题（按代码）：{counts}", "  findings by code: {counts}"),
    "cli.insecure_tls": (
        "警告：--insecure-tls 不验证邮件服务器的证书，途中任何人都可能截获邮箱密码。只用于测试服务器。",
        "Warning: --insecure-tls does not verify the mail server's certificate; anyone on the way could take "
        "the mailbox password. Use it for a test server only.",
    ),
    "report.no_reports": (
        "注意：收件箱中的 {files} 个文件没有一份可用的报表，以下数字和考核结果均为零，不反映实际工作。请先处理校验报告中的问题。",
        "Note: none of the {files} files of the inbox is a usable report, so every figure and score below is "
        "zero and says nothing of the work done. Deal with the validation report first.",
    ),
    "cli.check.nothing_usable": (
        "注意：{files} 个文件中没有一份可用的报表（见校验报告中的原因）；汇总报表和考核结果将只有零。",
        "Note: none of the {files} files is a usable report (the validation report says why); the "
        "consolidated and assessment workbooks will show only zeros.",
    ),
    "cli.check.copied": (
        "注意：收件箱中有 {count} 个文件的时间完全相同，像是被整批复制过：是否逾期和先后顺序都无法判断。"
        "请用 bangfu fetch-mail 从邮箱收取附件，或复制时保留文件时间（Windows：robocopy /COPY:DAT；其他：cp -p）。",
        "Note: {count} files of the inbox have exactly the same time, as a bulk copy leaves them: lateness and "
        "the order of resubmissions cannot be told. Collect attachments with bangfu fetch-mail, or copy with "
        "times kept (Windows: robocopy /COPY:DAT; elsewhere: cp -p).",
    ),
    "cli.check.unfinished": (
        "注意：{path} 中上一次运行（开始于 {started}）没有正常结束，旧输出可能彼此不一致；本次已全部重写。",
        "Note: the previous run in {path} (started {started}) did not finish, so its outputs may disagree; this run wrote them all again.",
    ),
    "cli.check.outputs": (
        "  输出：{path}\n    文件清单 manifest.csv · 校验报告 {report} · 反馈文件 {feedback} 个（反馈/）· 数据 data/",
        "  outputs: {path}\n    manifest.csv · {report} · {feedback} feedback files (反馈/) · data/",
    ),
    "cli.check.none": ("无", "none"),
    # Consolidated workbook
    "report.workbook_title": ("{programme}情况汇总表", "{programme}: summary of work"),
    "report.period_line": ("报送周期：{name}（{start} 至 {end}）", "Period: {name} ({start} to {end})"),
    "report.unit_line": (
        "制表单位：{bureau}　　制表日期：{date}　　金额单位：{unit}",
        "Compiled by: {bureau}    Date: {date}    Money in {unit}",
    ),
    "report.table_title": ("表{number}　{name}", "Table {number}. {name}"),
    "report.table_lines": (
        "报送周期：{name}（{start} 至 {end}）　　制表单位：{bureau}　　制表日期：{date}",
        "Period: {name} ({start} to {end})    Compiled by: {bureau}    Date: {date}",
    ),
    "report.unit_money": (
        "金额单位：{unit}；其他计量单位见各列标题",
        "Money in {unit}; other units as in each column's header",
    ),
    "report.unit_columns": ("计量单位：见各列标题", "Units: as in each column's header"),
    "report.form_number": ("表　　号：{number}", "Form no.: {number}"),
    "report.issuer": ("制定机关：{bureau}", "Issued by: {bureau}"),
    "report.headline": ("主要指标", "Headline figures"),
    "report.item": ("指标", "Figure"),
    "report.value": ("数值", "Value"),
    "report.unit": ("单位", "Unit"),
    "report.cumulative": ("累计", "To date"),
    "head.schools_expected": ("应报送学校", "Schools expected"),
    "head.schools_reported": ("已报送学校", "Schools reported"),
    "head.on_time_rate": ("按时报送率", "On-time rate"),
    "head.activities": ("交流活动", "Exchange activities"),
    "head.person_visits": ("参与人次", "Person-visits"),
    "head.sessions": ("课时/场次", "Lessons/sessions"),
    "head.people_seconded": ("挂职、支教、跟岗人员", "People seconded or teaching"),
    "head.person_months": ("人员交流人月", "Person-months"),
    "head.funding": ("经费及物资", "Funding and goods"),
    "head.recipients_moved_up": ("名次上升的受援校", "Recipients that moved up"),
    "unit.schools": ("所", "schools"),
    "unit.percent": ("%", "%"),
    "unit.times": ("次", "activities"),
    "unit.person_times": ("人次", "person-visits"),
    "unit.sessions": ("节/场", "lessons"),
    "unit.people": ("人", "people"),
    "unit.person_months": ("人月", "person-months"),
    "sheet.overview": ("总览", "Overview"),
    "sheet.by_area_flow": ("交流活动_按片区和方向", "By district and direction"),
    "sheet.funding_kinds": ("经费_按来源类别品名", "Funding by source and kind"),
    "sheet.groups_improved": ("集团成绩和进步受援校", "Groups and most improved"),
    "sheet.by_type": ("交流活动_按类型", "Activities by type"),
    "sheet.goods": ("物资_按品名", "Goods by item"),
    "sheet.by_pair": ("交流活动_按结对", "Activities by pair"),
    "sheet.by_month": ("交流活动_按月", "Activities by month"),
    "sheet.by_area": ("交流活动_按片区学段", "By district"),
    "sheet.by_flow": ("交流活动_按方向", "By direction"),
    "sheet.personnel": ("人员交流", "Personnel"),
    "sheet.funding_source": ("经费_按来源", "Funding by source"),
    "sheet.funding_category": ("经费_按类别", "By category"),
    "sheet.funding_pair": ("经费_按结对", "Funding by pair"),
    "sheet.funding_school": ("经费_按学校", "By school"),
    "sheet.scores": ("教学质量", "Scores"),
    "sheet.pair_gaps": ("结对分差", "Pair gaps"),
    "sheet.groups": ("集团成绩", "Group scores"),
    "sheet.improved": ("进步受援校", "Most improved"),
    "sheet.submissions": ("报送情况", "Submissions"),
    "sheet.chase": ("催报名单", "To chase"),
    "sheet.reconcile": ("双方核对", "Reconciliation"),
    "sheet.notes": ("说明", "Notes"),
    "sheet.detail": ("明细_{name}", "Detail {name}"),
    "sheet.assessment": ("考核评分", "Assessment"),
    "sheet.assessment_points": ("指标得分", "Points by indicator"),
    "sheet.assessment_evidence": ("评分依据", "Evidence"),
    "sheet.rubric": ("考核细则", "Rubric"),
    "assess.title": ("{programme}年度考核结果", "{programme}: year-end assessment"),
    "assess.evidence_title": ("{programme}年度考核评分依据（附表）", "{programme}: assessment evidence (annex)"),
    "assess.evidence_heading": ("附表　考核评分依据", "Annex. Evidence behind every point"),
    "assess.evidence_attached": (
        "每一分的依据（直至报表中的单元格）在附表工作簿 {file} 中，打印本工作簿时不含依据；另见 data/assessment_evidence.csv。",
        "The evidence behind every point (down to the submitted cell) is in the annex workbook {file}, "
        "so printing this workbook prints the results only; also in data/assessment_evidence.csv.",
    ),
    "assess.subtitle": (
        "{period}（{start} 至 {end}）  共 {pairs} 个结对  优秀 {excellent} 个、良好 {good} 个、合格 {passed} 个、不合格 {failed} 个",
        "{period} ({start} to {end})  {pairs} pairs  excellent {excellent}, good {good}, pass {passed}, fail {failed}",
    ),
    "assess.indicator_column": ("{code}\n{name}\n（{points}分）", "{code}\n{name}\n({points} pts)"),
    "assess.short": ("{name} {value}/{target} {unit}", "{name} {value}/{target} {unit}"),
    "assess.over": ("{name} {value} {unit}（应不超过 {target}）", "{name} {value} {unit} (at most {target})"),
    "assess.no_data": ("{name} 无数据", "{name}: no data"),
    "assess.met": ("达标", "met"),
    "assess.not_applicable": ("不适用", "not applicable"),
    "assess.vetoed": ("否决：{names}", "vetoed: {names}"),
    "assess.what.activity": (
        "{date} {kind} {subject} {people}人次 {sessions}节/场",
        "{date} {kind} {subject} {people} person-visits {sessions} lessons",
    ),
    "assess.what.personnel": (
        "{person} {kind} {start} 至 {end}，{months} 人月",
        "{person} {kind} {start} to {end}, {months} person-months",
    ),
    "assess.what.funding": ("{date} {category}（{source}）{amount} 元", "{date} {category} ({source}) {amount} yuan"),
    "assess.what.on_time": ("{at} 收到，按时", "received {at}, on time"),
    "assess.what.late": ("{at} 收到，逾期 {days} 天", "received {at}, {days} days late"),
    "assess.what.missing": ("未收到有效报表", "no valid report received"),
    "assess.what.score": (
        "{year} {grade}{subject} 平均分 {average}，排名 {rank}/{n}",
        "{year} {grade} {subject} average {average}, rank {rank}/{n}",
    ),
    "assess.what.score_last": (
        "上一学年 {grade}{subject} 平均分 {average}，排名 {rank}/{n}",
        "last school year {grade} {subject} average {average}, rank {rank}/{n}",
    ),
    "assess.notes": (
        "评分方法：按比例＝分值×实际值÷目标值（不超过分值）；达标＝达到目标值得满分，否则 0 分；扣分＝分值−每单位扣分×差额（不低于 0）。"
        "一票否决指标未达标的结对评为不合格，排在未被否决的结对之后。不向本局报送的学校不计入按时报送率等指标（记为不适用，得满分）；"
        "没有上一学年成绩的排名、分数指标记为无数据，得 0 分。每一分的依据见“评分依据”表（文件、工作表、行）。",
        "Scoring: 按比例 = points x value / target (capped); 达标 = full points when the target is met, else 0; "
        "扣分 = points - per-unit deduction x shortfall (not below 0). A pair short on a veto indicator is 不合格 "
        "and ranks after pairs not vetoed. Schools that do not report to this bureau are left out of report "
        "metrics (not applicable, full points); rank and score metrics without last year's figures have no "
        "data and earn 0. The Evidence sheet lists the file, sheet and row behind every point.",
    ),
    "band.优秀": ("优秀", "Excellent"),
    "band.良好": ("良好", "Good"),
    "band.合格": ("合格", "Pass"),
    "band.不合格": ("不合格", "Fail"),
    "mail.template.subject": (
        "【{programme}】请填报{period}结对帮扶工作报表（{deadline} 前报送）",
        "[{programme}] Please fill in the {period} pairing report (due {deadline})",
    ),
    "mail.template.body": (
        "{school}：\n\n附件是贵校{period}结对帮扶工作报表模板，学校信息和结对学校已预填。请按“填写说明”"
        "填写后，于 {deadline} 前将该文件作为附件回复本邮件。请勿修改表头或重命名工作表。\n\n"
        "如有问题请联系 {contact} {phone}。\n\n{bureau}",
        "{school},\n\nAttached is your {period} pairing report template, with your school and partners "
        "filled in. Fill it in as the instructions sheet says and send it back as an attachment by "
        "{deadline}. Do not change headers or rename sheets.\n\nQuestions: {contact} {phone}.\n\n{bureau}",
    ),
    "mail.reminder.subject": (
        "【催报】{programme} {period}结对帮扶工作报表",
        "[Reminder] {programme}: {period} pairing report",
    ),
    "mail.feedback.subject": (
        "【请修改】{programme} {period}结对帮扶工作报表校验结果",
        "[Please correct] {programme}: {period} pairing report check results",
    ),
    "mail.feedback.body": (
        "{school}：\n\n贵校报送的{period}结对帮扶工作报表（{file}）经校验有 {errors} 处错误、{warnings} 条警告，"
        "详见附件反馈文件：问题单元格已标红（错误）或标黄（警告）并附批注。主要问题：\n{summary}\n\n"
        "请在附件中直接修改后回复本邮件，新文件将自动取代旧文件。\n\n{bureau}",
        "{school},\n\nYour {period} pairing report ({file}) has {errors} errors and {warnings} warnings. "
        "The attached feedback workbook marks each cell red (error) or yellow (warning) with a "
        "comment. The main problems:\n{summary}\n\nCorrect the attached file and reply with it; the new "
        "file replaces the old one.\n\n{bureau}",
    ),
    "mail.feedback.line": ("  · {where}：{message}", "  · {where}: {message}"),
    "mail.receipt.subject": (
        "【回执】{programme} {period}：{school}报表已收到，校验通过",
        "[Receipt] {programme}: {period} report of {school} received and passed",
    ),
    "mail.receipt.body": (
        "{school}：\n\n贵校于 {received} 发来的{period}结对帮扶工作报表（{file}）已收到，校验通过，已计入：{rows}。\n\n"
        "报送截止日期：{deadline}。如需更正，请在截止日期前发送更正后的完整报表，新文件将取代本文件。\n\n"
        "{bureau}\n联系人：{contact}　电话：{phone}",
        "{school},\n\nYour {period} pairing report ({file}), sent {received}, has been received and passed "
        "every check. Counted: {rows}.\n\nDeadline: {deadline}. To correct it, send the whole corrected report "
        "before the deadline; the new file replaces this one.\n\n{bureau}\nContact: {contact}, phone {phone}",
    ),
    "mail.receipt.rows": ("{sheet} {rows} 行", "{sheet}: {rows} rows"),
    "mail.receipt.no_rows": ("（报表中没有填写数据行）", "(the report has no data rows)"),
    "mail.unusable.subject": (
        "【请重新报送】{programme} {period}：{school}发来的文件无法使用",
        "[Please send again] {programme}: {period} file from {school} cannot be used",
    ),
    "mail.unusable.body": (
        "{school}：\n\n贵校于 {received} 发来的文件（{file}）无法使用：{reason}\n\n"
        "请用附件中的本校报表模板填写（不要改动工作表名称和表头，另存时保持 .xlsx 格式），"
        "在 {deadline} 前回复本邮件发回。\n\n{bureau}\n联系人：{contact}　电话：{phone}",
        "{school},\n\nThe file you sent {received} ({file}) cannot be used: {reason}\n\n"
        "Fill in the attached template of your school (keep its sheet names and headers; save as .xlsx) "
        "and reply with it before {deadline}.\n\n{bureau}\nContact: {contact}, phone {phone}",
    ),
    "mail.neutral.subject": ("{bureau}：邮件已收到", "{bureau}: your mail has been received"),
    "mail.neutral.body": (
        "您好：\n\n{bureau}已收到您于 {received} 发送的邮件。校验结果将发送到学校在学校名册中登记的邮箱。"
        "如有疑问，请联系 {contact}（电话 {phone}）。\n\n本邮件由系统自动发送。",
        "Hello,\n\n{bureau} has received your mail of {received}. The results of the check go to the "
        "address the school registered with us. Questions: {contact}, phone {phone}.\n\nThis mail was "
        "sent automatically.",
    ),
    "mail.summary.subject": ("【每日汇总】{programme} {period}：{day}", "[Daily summary] {programme}: {period}, {day}"),
    "mail.summary.body": (
        "{day} 邮件自动回复情况：\n\n收到新文件 {files} 个；回执 {receipt} 封，反馈 {feedback} 封，"
        "请重新报送 {unusable} 封，已收到通知 {neutral} 封；暂存待您处理 {held} 封（见 {held_folder}）。\n\n"
        "尚未报送 {missing} 所，需修改 {to_fix} 所：\n{chase}\n\n监视程序仍在运行；明细见 {log}。",
        "Automatic replies on {day}:\n\n{files} new files; {receipt} receipts, {feedback} feedback mails, "
        "{unusable} asking to send again, {neutral} neutral receipts; {held} held for you (see {held_folder}).\n\n"
        "Not yet reported: {missing}; to correct: {to_fix}:\n{chase}\n\nThe watcher is still running; "
        "every reply is listed in {log}.",
    ),
    "mail.summary.none": ("（无）", "(none)"),
    "cli.fetch.done": (
        "已收取 {messages} 封邮件：保存 {saved} 个报表附件，重复 {duplicates} 个，无报表附件的邮件 {empty} 封"
        "（见 {log}）。",
        "Fetched {messages} messages: {saved} spreadsheets saved, {duplicates} duplicates, "
        "{empty} messages without a spreadsheet (see {log}).",
    ),
    "cli.fetch.skipped": (
        "另有 {count} 封邮件此前已收取到这个收件文件夹，未重新读取（需要全部重新读取时加 --refetch）。",
        "{count} more messages were fetched into this inbox before and were not read again "
        "(add --refetch to read them all).",
    ),
    "cli.drafts.done": (
        "已写出 {count} 封邮件草稿（模板 {template}，催报 {reminder}，反馈 {feedback}），位于 {path}",
        "Wrote {count} drafts ({template} templates, {reminder} reminders, {feedback} feedback) in {path}",
    ),
    "cli.watch.start": (
        "开始监视：每 {every} 秒收取一次邮件，回复{mode}。按 Ctrl-C 或发送 SIGTERM 停止。",
        "Watching: mail fetched every {every} s, replies {mode}. Stop with Ctrl-C or SIGTERM.",
    ),
    "cli.watch.one_source": (
        "请给出 --imap（邮件服务器）或 --maildir（本机邮件文件夹）中的一个。",
        "Give one of --imap (a mail server) or --maildir (a local mail folder).",
    ),
    "cli.watch.send_needs_smtp": ("--send 需要 --smtp 邮件发送服务器。", "--send needs --smtp HOST."),
    "cli.watch.mode_send": ("直接发送", "sent"),
    "cli.watch.mode_drafts": ("写为草稿（未加 --send，不发送）", "written as drafts (no --send: nothing is sent)"),
    "cli.watch.round": (
        "{time} 新邮件 {messages} 封，新文件 {files} 个；回复：已发送 {sent}，草稿 {drafts}，暂存 {held}。",
        "{time} {messages} new messages, {files} new files; replies: {sent} sent, {drafts} drafts, {held} held.",
    ),
    "cli.watch.retry": (
        "{time} 暂时无法完成本轮：{reason}　{seconds} 秒后重试。",
        "{time} This round could not finish: {reason} Trying again in {seconds} s.",
    ),
    "cli.watch.stopped": (
        "已停止：当前邮件已处理完，没有发了一半的回复。回复记录见 {log}。",
        "Stopped: the current message was finished; no reply is half sent. Replies are listed in {log}.",
    ),
    "cli.watch.unconfirmed": (
        "上次运行在发送以下回复时中断，无法确认是否已送达，不再重发：{files}。如需要，请手动确认。",
        "The last run stopped while sending these replies; whether they arrived is unknown and they are "
        "not sent again: {files}. Check by hand if needed.",
    ),
    "cli.drafts.sent": (
        "已发送 {sent} 封，未发送 {failed} 封，今天已发过而跳过 {skipped} 封（见 {log}）。",
        "Sent {sent}, not sent {failed}, skipped {skipped} already sent today (see {log}).",
    ),
    "mail.connect-failed": (
        "无法连接邮件服务器 {host}:{port}（{reason}）。请核对服务器地址和端口；学校内网服务器可能需要 --starttls 或 --plain。",
        "Cannot connect to the mail server {host}:{port} ({reason}). Check the server and port; "
        "a local server may need --starttls or --plain.",
    ),
    "mail.login-failed": (
        "邮件服务器 {host} 拒绝了用户 {user} 的登录（{reason}）。请核对用户名和密码（环境变量 {variable}），"
        "部分邮箱需使用“客户端授权码”而非登录密码。",
        "The mail server {host} refused the login of {user} ({reason}). Check the user and the "
        "password (variable {variable}); some providers need an app password.",
    ),
    "mail.folder-missing": (
        "邮箱中没有文件夹“{folder}”。现有文件夹：{folders}。请用 --folder 指定其中之一。",
        'The mailbox has no folder "{folder}". Its folders: {folders}. Name one with --folder.',
    ),
    "mail.imap-broken": (
        "与邮件服务器 {host} 的连接中断（{reason}）。已保存的 {saved} 个附件保留在收件箱，日志见 {log}；"
        "请重新运行同一命令，已保存的附件不会重复保存。",
        "The connection to {host} broke ({reason}). The {saved} attachments saved so far stay in the "
        "inbox (log: {log}); run the same command again: nothing saved is saved twice.",
    ),
    "mail.smtp-broken": (
        "与发信服务器 {host} 的连接中断（{reason}）。已发送 {sent} 封，记录在 {log}；"
        "当天重新运行同一命令只发送尚未发出的邮件。",
        "The connection to {host} broke ({reason}). {sent} were sent, as logged in {log}; running "
        "the same command again today sends only the rest.",
    ),
    "cli.password": ("{server} 的密码", "Password for {server}"),
    "cli.assess.done": (
        "年度考核已完成：{pairs} 个结对，结果在 {path}",
        "Assessment done: {pairs} pairs, results in {path}",
    ),
    "error.not_a_year": (
        "周期“{period}”的类型是“{kind}”；年度考核需要类型为“学年”或“年度”的周期：{known}。",
        "Period '{period}' is a {kind} period; the assessment needs a 学年 or 年度 period: {known}.",
    ),
    "chart.by_type": ("交流活动按类型（次）", "Activities by type"),
    "chart.by_source": ("经费按来源（{unit}）", "Funding by source ({unit})"),
    "chart.rank_change": ("受援校名次变化（{subject}）", "Recipients' rank change ({subject})"),
    "chart.submissions": ("各期报送情况（所）", "Submissions by period"),
    "chart.submissions_by_district": ("各片区报送情况（所）", "Submissions by district"),
    "history.title": ("{programme}历史数据", "{programme}: history"),
    "history.span": ("报送周期：{span}　　导出日期：{date}", "Periods: {span}    Exported: {date}"),
    "history.col.period": ("报送周期", "Period"),
    "history.col.reported_by": ("据其报表计入", "Counted from the report of"),
    "history.col.flow": ("结对方向", "Flow within the pair"),
    "history.col.identified_by": ("识别方式", "Identified by"),
    "history.col.name": ("周期名称", "Period name"),
    "history.col.kind": ("周期类型", "Period type"),
    "history.col.start": ("开始日期", "Start"),
    "history.col.end": ("结束日期", "End"),
    "history.col.deadline": ("报送截止日期", "Deadline"),
    "history.col.schools": ("应报学校数", "Schools to report"),
    "history.col.activities": ("计入活动次数", "Activities counted"),
    "history.col.files": ("收到文件数", "Files received"),
    "history.col.reason": ("原因代码", "Reason code"),
    "history.col.cell": ("单元格", "Cell"),
    "history.col.column": ("栏目", "Column"),
    "history.col.code": ("代码", "Code"),
    "history.col.severity": ("级别", "Severity"),
    "history.col.explained": ("已说明", "Explained"),
    "history.col.rank": ("全区名次", "District rank"),
    "history.col.n": ("参与排名学校数", "Schools ranked"),
    "history.col.rank_last": ("去年全区名次", "Rank last year"),
    "history.col.n_last": ("去年参与排名学校数", "Schools ranked last year"),
    "history.col.file_last": ("去年成绩来源文件", "Last year's source file"),
    "history.col.sheet_last": ("去年成绩来源工作表", "Last year's source sheet"),
    "history.col.row_last": ("去年成绩来源行号", "Last year's source row"),
    "history.sheet.periods": ("各期概况", "Periods"),
    "history.sheet.submissions": ("报送情况", "Submissions"),
    "history.sheet.activities": ("交流活动", "Activities"),
    "history.sheet.personnel": ("人员交流", "Personnel"),
    "history.sheet.funding": ("经费物资", "Funding"),
    "history.sheet.scores": ("成绩比较", "Scores"),
    "history.sheet.findings": ("问题清单", "Findings"),
    "history.beside": ("项目配置工作簿旁的“{folder}”文件夹", "the {folder} folder beside the programme workbook"),
    "history.used": (
        "累计数和各期报送情况取自历史数据库：{store}（本期数据也已写入，见 docs/history.md）。",
        "Figures to date and the submissions by period come from the history store: {store} (this "
        "period is written into it too; see docs/history.md).",
    ),
    "history.lacking": (
        "历史数据库和输出文件夹中都没有以下周期，累计数不含它们：{periods}。",
        " Neither the store nor the output folder holds these periods, so figures to date leave them out: {periods}.",
    ),
    "detail.workbook_title": ("{programme}情况汇总表附表（明细）", "{programme}: detail (annex)"),
    "detail.table_title": ("附表{number}　明细：{name}", "Annex table {number}. Detail: {name}"),
    "detail.attached": (
        "明细（每一行采用的数据及其来源文件、工作表和行号）在附表工作簿 {file} 中，打印本汇总表时不含明细；"
        "全部明细另见 data/ 文件夹中的 CSV。",
        "The detail (every row counted, with its file, sheet and row) is in the annex workbook {file}, "
        "so printing this workbook prints the report only; all detail is also in data/ as CSV.",
    ),
    "detail.moved": (
        "明细共 {rows} 行，超过每表 {limit} 行的上限，未放入本工作簿，见：{files}。全部明细另见 data/ 文件夹中的 CSV。",
        "{rows} detail rows exceed the {limit}-row limit per sheet and are not in this workbook; see: "
        "{files}. All detail is also in data/ as CSV.",
    ),
    "notes.title": ("统计口径说明", "How the figures are counted"),
    "notes.rule1": (
        "1. 交流活动、人员交流：同一次活动由结对双方各自填报，汇总时只计一次，以派出方填报为准；接收方按结对、活动类型和月份（人员按姓名）多报的部分（例如派出方报表未收到或漏报）另行计入，双方不一致之处列入“双方核对”表和校验报告。",
        "1. Activities and personnel: reported by both schools, counted once from the sender's report; what the receiver reports beyond it for the same pair, activity type and month (for people, the name) counts too, e.g. when the sender's report did not arrive. Disagreements are listed under Reconciliation.",
    ),
    "notes.rule2": (
        "2. 经费物资：以拨出方填报为准；收到方按结对和类别多报的部分另行计入。教育局专项经费以收到学校的填报为准。物资按填报的折价计入金额。",
        "2. Money and goods: from the giver's report, plus what the receiver reports beyond it for the same pair and category; bureau special funds from the receiving school's report. Goods count at their stated value.",
    ),
    "notes.rule3": (
        "3. 只统计校验通过的行；有错误的行不计入，详见校验报告。同一学校同一周期多次报送的，以最后一次为准。",
        "3. Only rows without errors count (see the validation report). A later file from the same school for the same period replaces the earlier one.",
    ),
    "notes.rule4": (
        "4. 排名：在同一学年、学期、年级、学科有成绩的所有学校中计算（区县成绩优先，其次为学校填报），并列者名次相同（1、2、2、4），以“名次/参评学校数”表示；名次变化 = 去年名次 − 今年名次，正数为上升。",
        "4. Ranks among all schools with a score for the same year, term, grade and subject (the bureau's results first), ties share a rank (1, 2, 2, 4), shown as n/N; rank change = last year's rank − this year's (positive = up).",
    ),
    "notes.rule5": (
        "5. 人月：人员在本周期内的在岗天数 ÷ 30.44；结束日期为空的按在岗至周期末计算。金额以{unit}为单位，保留两位小数。",
        "5. Person-months: days on site within the period ÷ 30.44, a blank end meaning still there. Money in {unit} with two decimals.",
    ),
    "notes.inputs": (
        "输入文件（共 {files} 个；此清单供核对，不在打印范围内）",
        "Input files ({files}; for checking on screen, not printed)",
    ),
    "notes.version": (
        "生成程序：Bangfu {version}；运行编号：{run}（与本目录 run.json 相同者为同一次运行的输出）",
        "Generated by Bangfu {version}; run id: {run} (outputs whose run.json names it are of one run)",
    ),
    "cli.run.done": ("汇总报表：{path}", "Consolidated workbook: {path}"),
    "cli.run.detail": ("  明细（附表）：{path}", "  Detail (annex): {path}"),
    "cli.run.assessment": ("  考核结果：{path}", "  Assessment: {path}"),
    "cli.run.evidence": ("  评分依据（附表）：{path}", "  Assessment evidence (annex): {path}"),
}


# Labels of the consolidated workbook's columns, by internal name; {unit} is the money unit.
COLUMNS: dict[str, tuple[str, str]] = {
    "indicator": ("指标编号", "Indicator"),
    "name": ("指标名称", "Name"),
    "value": ("实际值", "Value"),
    "target": ("目标值", "Target"),
    "full": ("分值", "Points"),
    "points": ("得分", "Score"),
    "shortfall": ("差距", "Shortfall"),
    "total": ("总分", "Total"),
    "band": ("等级", "Grade"),
    "shortfalls": ("未达标项", "Short of target"),
    "veto_by": ("一票否决", "Veto"),
    "school": ("学校", "School"),
    "sheet": ("工作表", "Sheet"),
    "where": ("行/单元格", "Row/cell"),
    "evidence": ("内容", "Record"),
    "counts": ("计入值", "Counts as"),
    "pair_code": ("结对编号", "Pair"),
    "supporting": ("支援校", "Supporting school"),
    "recipient": ("受援校", "Recipient school"),
    "group": ("所属集团", "Group"),
    "count": ("活动次数", "Activities"),
    "people": ("参与人次", "Person-visits"),
    "sessions": ("课时/场次", "Lessons/sessions"),
    "cum_count": ("累计次数", "Activities to date"),
    "cum_people": ("累计人次", "Person-visits to date"),
    "cum_sessions": ("累计课时/场次", "Lessons/sessions to date"),
    "month": ("月份", "Month"),
    "district": ("片区", "District"),
    "level": ("学段", "Level"),
    "flow": ("方向", "Direction"),
    "activity_type": ("活动类型", "Activity type"),
    "exchange_type": ("交流类型", "Exchange type"),
    "person_months": ("人月", "Person-months"),
    "on_site": ("期末在岗", "On site at period end"),
    "source": ("来源", "Source"),
    "transfers": ("笔数", "Transfers"),
    "amount": ("金额（{unit}）", "Amount ({unit})"),
    "category": ("类别", "Category"),
    "kind": ("形式", "Form"),
    "quantities": ("物资数量", "Quantities"),
    "item": ("物资名称", "Item"),
    "unit": ("单位", "Unit"),
    "quantity": ("数量", "Quantity"),
    "cash": ("资金（{unit}）", "Cash ({unit})"),
    "goods": ("物资折价（{unit}）", "Goods ({unit})"),
    "cum_amount": ("累计金额（{unit}）", "Amount to date ({unit})"),
    "school_code": ("学校代码", "School code"),
    "school_name": ("学校名称", "School"),
    "role": ("角色", "Role"),
    "given": ("拨出（{unit}）", "Given ({unit})"),
    "got": ("收到（{unit}）", "Received ({unit})"),
    "received": ("是否收到", "Received"),
    "file": ("文件", "File"),
    "received_at": ("接收时间", "Received at"),
    "timeliness": ("是否按时", "On time"),
    "days_late": ("逾期天数", "Days late"),
    "status": ("状态", "Status"),
    "rows_accepted": ("采用行数", "Rows accepted"),
    "errors": ("错误数", "Errors"),
    "warnings": ("警告数", "Warnings"),
    "filled_by": ("填报人", "Filled in by"),
    "phone": ("联系电话", "Phone"),
    "contact": ("联系人", "Contact"),
    "email": ("电子邮箱", "Email"),
    "message": ("催报内容", "Message to send"),
    "term": ("学期", "Term"),
    "grade": ("年级", "Grade"),
    "subject": ("学科", "Subject"),
    "takers": ("参考人数", "Test takers"),
    "average": ("平均分", "Average"),
    "rank_n": ("排名", "Rank"),
    "average_last": ("去年平均分", "Last year's average"),
    "rank_last_n": ("去年排名", "Last year's rank"),
    "change": ("分数变化", "Score change"),
    "rank_change": ("名次变化", "Rank change"),
    "gap": ("分差（支援校−受援校）", "Gap (supporting − recipient)"),
    "gap_last": ("去年分差", "Last year's gap"),
    "gap_change": ("分差变化", "Gap change"),
    "sender": ("派出/拨出方", "Sender"),
    "receiver": ("接收/收到方", "Receiver"),
    "what": ("项目", "Item"),
    "sender_figure": ("派出/拨出方填报", "Sender reports"),
    "receiver_figure": ("接收/收到方填报", "Receiver reports"),
    "period": ("报送周期", "Period"),
    "expected": ("应报", "Expected"),
    "on_time": ("按时", "On time"),
    "late": ("逾期", "Late"),
    "missing": ("未报或退回", "Missing or returned"),
}
