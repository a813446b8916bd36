"""The command line's help, in zh and en: each command's, then its options' ("command.option"),
with "*.option" for an option that says the same in every command (pipeline.cli.group installs
them before the command line is parsed)."""

from __future__ import annotations

HELP: dict[str, tuple[str, str]] = {
    "main": (
        "Bangfu（帮扶）：结对帮扶项目的报表模板、收表校验与汇总报表。加 --lang en 显示英文。",
        "Bangfu (帮扶): forms, intake and reports for school-pairing programmes.",
    ),
    "main.debug": ("出错时显示完整的技术信息（供开发人员排查）。", "Show tracebacks instead of short messages."),
    "main.version": ("显示版本后退出。", "Show the version and exit."),
    "templates": (
        "写出空白模板，或为某一报送周期给每所学校写出个性化的报表。",
        "Write blank templates, or personalised school reports for one period.",
    ),
    "templates.out": ("模板写入的文件夹。", "Folder to write the templates into."),
    "templates.programme": (
        "项目配置工作簿：为每所报送学校写出一份个性化报表。",
        "Programme workbook: write one personalised report per reporting school.",
    ),
    "templates.period": (
        "报送周期：代码或名称，如 2024秋 或 2024年秋季学期（与 --programme 同用）。",
        "Period, by code or name, e.g. 2024秋 (with --programme).",
    ),
    "check": (
        "读取、识别并校验收件箱中的每个工作簿，给每所学校写出反馈。",
        "Read, identify and validate every workbook of the inbox; write feedback for each school.",
    ),
    "run": (
        "收表、校验，并写出给领导看的汇总报表（及学年的考核结果）。",
        "Intake, validation and the consolidated workbook for officials (汇总报表).",
    ),
    "assess": (
        "按考核细则给每个结对打分，写出考核结果。",
        "Year-end assessment of every pair against the rubric (考核结果).",
    ),
    "demo": (
        "写出一套示例数据：项目配置、模板和填好的收件箱。",
        "Write a realistic demo programme, its templates and an inbox of filled reports.",
    ),
    "docs": (
        "由表结构和文字目录生成 docs 中的栏目和问题代码页面。",
        "Write the docs pages of columns and finding codes from the schemas and catalogue.",
    ),
    "fetch-mail": (
        "把局邮箱里的表格附件连同发件人和日期存入收件箱。",
        "Save every spreadsheet attachment from the bureau's mail into the inbox, with its sender and date.",
    ),
    "drafts": (
        "给学校写邮件草稿（模板、催报、反馈）；加 --send 则直接发出。",
        "Write .eml drafts to schools (template, reminder, feedback); with --send, send them.",
    ),
    "watch": (
        "几分钟内答复每所学校的来信：回执、标出问题的反馈工作簿，或说明文件为何不能用。",
        "Answer every school's mail within minutes: its receipt, its marked workbook, or what to fix.",
    ),
    "history": ("历史数据库：一个项目所有报送周期的数据。", "Every period of a programme in one store."),
    "periods": (
        "列出历史数据库中的每个报送周期及其数量和运行编号。",
        "Each period in the store with its counts and run id.",
    ),
    "sql": (
        '对历史数据库做只读查询，如 "SELECT period, count(*) FROM activities GROUP BY 1"。',
        'A read-only query, e.g. "SELECT period, count(*) FROM activities GROUP BY 1".',
    ),
    "import": (
        "把旧版本留在输出文件夹中的各期数据（data/*.csv）导入历史数据库；库中已有的周期保持不变。",
        "Periods that earlier versions left in output folders (their data/*.csv), into the store; "
        "periods the store holds are left as they are.",
    ),
    "export": (
        "把一个或一段报送周期导出为工作簿（.xlsx，与其他报表格式相同）或 CSV 文件夹。",
        "A period or a range of periods, to a workbook (.xlsx, formatted like the other reports) "
        "or a folder of CSV files.",
    ),
    "export.first": ("第一个报送周期（代码），如 2024春。", "The first period (code), e.g. 2024春."),
    "export.last": (
        "最后一个报送周期（代码）［默认：只导出 --from 那一期］。",
        "The last period (code) [default: --from alone].",
    ),
    "export.target": (
        "导出到：以 .xlsx 结尾为工作簿，否则为放 CSV 的文件夹。",
        "Where to: a workbook when it ends in .xlsx, else a folder of CSV files.",
    ),
    "*.store": (
        "历史数据库：文件夹，或省级服务器 postgresql://用户@主机/库名［默认：项目设置中的“历史数据库”，未填则为项目配置工作簿旁的“历史数据库”文件夹］。",
        "The history store: a folder, or a server: postgresql://user@host/database [default: 历史数据库 in "
        "项目设置, else the 历史数据库 folder beside the programme workbook].",
    ),
    "*.cluster": (
        "在 Dask 集群上读取文件：tcp://主机:8786（已运行的调度器）或 local:N（本机 N 个工作进程）；"
        "各节点须能以同一路径访问收件箱。",
        "Read the files on a Dask cluster: tcp://host:8786 (a running scheduler) or local:N (N worker "
        "processes here); every worker must see the inbox at the same path.",
    ),
    "*.programme": ("项目配置工作簿（项目配置.xlsx）。", "The programme workbook (项目配置)."),
    "*.inbox": ("收到的报表所在的文件夹。", "Folder of received workbooks."),
    "*.period": (
        "报送周期：代码或名称，如 2024秋 或 2024年秋季学期。",
        "Period, by code or name, e.g. 2024秋 or 2024年秋季学期.",
    ),
    "*.out": ("输出文件夹；结果写在 OUT/<报送周期>/ 下。", "Output folder; results go to OUT/<period>/."),
    "*.lang": ("界面和报表的语言：zh 中文，en 英文。", "Language of labels and messages: zh or en."),
    "*.workers": ("同时读取文件的进程数。", "Reader processes."),
    "*.quiet": ("不显示进度，只显示结果和问题。", "No progress lines; only results and problems."),
    "run.as_of": (
        "印在报表上的制表日期，如 2025-02-18［默认：最后收到文件的日期］。",
        "制表日期 printed on the workbook [default: the latest file received].",
    ),
    "run.detail_limit": (
        "每个明细表最多的行数；超过后明细只在 data/*.csv 中。",
        "Most detail rows per sheet in the workbook; past it detail is in data/*.csv only.",
    ),
    "run.detail_workbooks": (
        "超过明细行数上限时，另按片区各写一个明细工作簿。",
        "Past the detail limit, also write one detail workbook per 片区 (in parallel).",
    ),
    "assess.programme": (
        "带“考核细则”表的项目配置工作簿。",
        "The programme workbook (项目配置) with its 考核细则 sheet.",
    ),
    "assess.inbox": ("本学年报表所在的文件夹。", "Folder of the year's reports."),
    "assess.year": (
        "学年或年度报送周期：代码或名称，如 2024学年。",
        "A 学年 or 年度 period, by code or name, e.g. 2024学年.",
    ),
    "assess.out": ("输出文件夹；结果写在 OUT/<学年>/ 下。", "Output folder; results go to OUT/<year>/."),
    "demo.out": (
        "示例项目配置、模板和收件箱写入的文件夹。",
        "Folder for the demo programme workbook, templates and inbox.",
    ),
    "demo.seed": ("示例数据的随机种子。", "Random seed of the demo data."),
    "docs.out": ("生成页面写入的文件夹。", "Folder for the generated pages."),
    "fetch-mail.inbox": (
        "附件存入的文件夹（即 check/run 的收件箱）。",
        "Folder to save the attachments into (the inbox of check/run).",
    ),
    "fetch-mail.imap_host": (
        "IMAP 服务器（默认 IMAPS，或用 --starttls / --plain）。",
        "IMAP server (IMAPS unless --starttls or --plain).",
    ),
    "fetch-mail.port": (
        "IMAP 端口［默认 993，--starttls/--plain 时 143］。",
        "IMAP port [default: 993, or 143 with --starttls/--plain].",
    ),
    "fetch-mail.user": (
        "IMAP 用户名；密码取自环境变量 BANGFU_IMAP_PASSWORD，或运行时输入。",
        "IMAP user; the password comes from BANGFU_IMAP_PASSWORD or a prompt.",
    ),
    "fetch-mail.folder": ("IMAP 文件夹，如 收件箱。", "IMAP folder, e.g. 收件箱."),
    "fetch-mail.since": ("只取此日期以后的邮件，如 2025-02-01。", "Only messages since this date."),
    "fetch-mail.refetch": (
        "IMAP：重新读取每封邮件（默认只读上次之后的）。",
        "IMAP: read every message again (by default only those after the last one an earlier fetch "
        "into this inbox read).",
    ),
    "fetch-mail.mbox": ("一个 mbox 文件。", "An mbox file."),
    "fetch-mail.maildir": ("一个 Maildir 文件夹。", "A Maildir folder."),
    "fetch-mail.eml": (
        "从邮件客户端另存的 .eml 文件所在的文件夹。",
        "A folder of .eml files saved from a mail client.",
    ),
    "*.starttls": ("先明文连接，再用 STARTTLS 加密。", "Plain connection upgraded with STARTTLS."),
    "*.plain": ("完全不加密（只用于本机的邮件服务器）。", "No TLS at all (a local server only)."),
    "*.insecure_tls": (
        "不核验服务器证书（只用于自签名的测试服务器）。",
        "Do not verify the server's certificate (a self-signed test server only).",
    ),
    "drafts.out": (
        "输出文件夹；草稿写在 OUT/<报送周期>/邮件草稿/ 下。",
        "Output folder; drafts go to OUT/<period>/邮件草稿/.",
    ),
    "drafts.inbox": (
        "本期收件箱：据校验结果另写催报和反馈邮件。",
        "The period's inbox: also reminders (催报) and feedback mails from its check.",
    ),
    "drafts.sender": (
        "发件人，如 '某区教育局 <jyj@example.gov.cn>'。",
        "From address, e.g. 'Bureau <jyj@example.gov.cn>'.",
    ),
    "drafts.send": (
        "直接发出草稿，而不只是写出（需要 --smtp）。",
        "Send the drafts instead of only writing them (needs --smtp).",
    ),
    "drafts.smtp_host": (
        "SMTP 服务器（默认 SMTPS，或用 --starttls / --plain）。",
        "SMTP server (SMTPS unless --starttls or --plain).",
    ),
    "drafts.port": (
        "SMTP 端口［默认 465，--starttls/--plain 时 25］。",
        "SMTP port [default: 465, or 25 with --starttls/--plain].",
    ),
    "drafts.user": (
        "SMTP 用户名；密码取自环境变量 BANGFU_SMTP_PASSWORD，或运行时输入。",
        "SMTP user; the password comes from BANGFU_SMTP_PASSWORD or a prompt.",
    ),
    "watch.inbox": ("附件存入、也被校验的收件箱文件夹。", "The inbox the attachments are saved into and checked."),
    "watch.out": (
        "输出文件夹；回复写在 OUT/<报送周期>/回复/ 下，记录见其中的 reply_log.csv。",
        "Output folder; replies go to OUT/<period>/回复/, listed in its reply_log.csv.",
    ),
    "watch.imap_host": (
        "收信的 IMAP 服务器（默认 IMAPS）；用户名 --user，密码取自 BANGFU_IMAP_PASSWORD。",
        "IMAP server to fetch from (IMAPS by default); user --user, password from BANGFU_IMAP_PASSWORD.",
    ),
    "watch.maildir": ("或：本机邮件系统的 Maildir 文件夹。", "Or: a Maildir folder of a local mail system."),
    "watch.folder": ("IMAP 文件夹，如 收件箱。", "IMAP folder, e.g. 收件箱."),
    "watch.smtp_host": (
        "发信的 SMTP 服务器；密码取自 BANGFU_SMTP_PASSWORD，未设则同 IMAP 密码。",
        "SMTP server to send with; password from BANGFU_SMTP_PASSWORD, else the IMAP one.",
    ),
    "watch.smtp_port": ("SMTP 端口［默认 465，--starttls/--plain 时 25］。", "SMTP port [default: 465, or 25]."),
    "watch.port": ("IMAP 端口［默认 993，--starttls/--plain 时 143］。", "IMAP port [default: 993, or 143]."),
    "watch.smtp_user": (
        "发信的用户名［默认同 --user］；填空字符串则不登录（本机的邮件服务器）。",
        "SMTP user [default: --user]; an empty string: no login (a local server).",
    ),
    "watch.user": ("邮箱用户名（收信和发信共用）。", "The mailbox user (fetching and sending)."),
    "watch.sender": ("回复的发件人［默认：--user］。", "From address of the replies [default: --user]."),
    "watch.send": (
        "直接发出回复；不加则只写为 .eml 草稿。",
        "Send the replies; without it they are only written as .eml drafts.",
    ),
    "watch.every": ("每隔多少秒收取一次邮件。", "Seconds between two fetches."),
    "watch.once": ("只运行一轮就结束（用于计划任务）。", "Run one round and stop (for a scheduled task)."),
    "watch.daily_cap": (
        "每所学校每天最多回复几封，超出的暂存待分析员处理。",
        "Replies to one school a day at most; more are held for the analyst.",
    ),
    "watch.report": (
        "每轮之后同时重写汇总报表（bangfu run），而不只是校验。",
        "Also rewrite the consolidated workbook every round (bangfu run), not only the check.",
    ),
    "watch.answer_existing": (
        "首次启动时也答复收件箱中已有的文件（默认只答复启动后收到的）。",
        "At the first start, also answer the files already in the inbox (by default only new ones).",
    ),
    "watch.analyst": ("每日汇总发给谁（分析员的邮箱）。", "Where the daily summary goes (the analyst's address)."),
    "watch.summary_at": ("每日汇总的时间，如 17:30。", "Time of the daily summary, e.g. 17:30."),
}


def help_text(command: str, param: str | None, lang: str) -> str | None:
    """The help of a command (``param`` None) or of one of its options, or None when there is none."""
    for key in (command,) if param is None else (f"{command}.{param}", f"*.{param}"):
        if key in HELP:
            zh, en = HELP[key]
            return en if lang == "en" else zh
    return None
