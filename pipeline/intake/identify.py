"""Which school and period a file belongs to: from its hidden _meta sheet, else from 基本信息."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.core.issues import Issue, make
from pipeline.forms.programme import Programme
from pipeline.intake.read import RawWorkbook
from pipeline.intake.tables import find_sheet, parse_form
from pipeline.intake.values import Context, fold
from schemas.programme import School
from schemas.report import REPORT_FINGERPRINT, TEMPLATE_VERSION, Meta, SchoolInfo


@dataclass(frozen=True)
class Identity:
    school: str
    period: str
    how: str  # "meta" or "info"
    version: str = ""
    fingerprint: str = ""
    answers: str = ""  # a feedback workbook's: the sha256 of the file it answers
    lang: str = ""  # the template's language (zh, en): the school's, for replies


def _keys(rec: dict[str, object]) -> list[str]:
    """Folded code, name and aliases by which a school may be named."""
    aliases = str(rec.get(School.aliases.name) or "").replace(";", "；").split("；")
    raw = (rec[School.school_code.name], rec[School.school_name.name], *aliases)
    return [fold(k) for k in raw if k and str(k).strip() and str(k) != "nan"]


def school_index(programme: Programme) -> dict[str, str]:
    """Folded code, name and every alias -> school code."""
    index: dict[str, str] = {}
    for code, rec in programme.roster.items():
        for key in _keys(rec):
            index.setdefault(key, code)
    return index


def partner_index(programme: Programme, code: str, schools: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Folded code/name/alias -> partner code for the partners of ``code``, and their names."""
    partners = programme.partners_of(code)
    index = {key: p.code for p in partners for key in _keys(programme.roster[p.code]) if schools.get(key) == p.code}
    return index, tuple(p.name for p in partners)


def identify(
    book: RawWorkbook, programme: Programme, schools: dict[str, str], file: str, period: str
) -> tuple[Identity | None, list[Issue]]:
    """The file's school and period (None when the school is unknown), with findings; any finding
    in REJECTING means the file cannot count for this run."""
    ctx = Context(file=file)
    meta_sheet, _ = find_sheet(book, Meta, file)
    if meta_sheet is not None:
        table, _ = parse_form(meta_sheet, Meta, ctx)
        meta = table.first()
        code, per = meta.get(Meta.school_code.name), meta.get(Meta.period_code.name)
        if code and per:
            identity = Identity(
                str(code),
                str(per),
                "meta",
                str(meta.get(Meta.template_version.name) or ""),
                str(meta.get(Meta.schema_fingerprint.name) or ""),
                _sha256(meta.get(Meta.answers.name)),
                str(meta.get(Meta.lang.name) or "") if meta.get(Meta.lang.name) in ("zh", "en") else "",
            )
            return _check(identity, programme, file, period)
    info_sheet, _ = find_sheet(book, SchoolInfo, file)
    if info_sheet is None:
        return None, [make("unidentified", file=file, value="-")]
    table, _ = parse_form(info_sheet, SchoolInfo, ctx)
    info = table.first()
    typed_code, typed_name = info.get(SchoolInfo.school_code.name), info.get(SchoolInfo.school_name.name)
    code = schools.get(fold(typed_code or "")) or schools.get(fold(typed_name or ""))
    if code is None:
        shown = " / ".join(str(v) for v in (typed_code, typed_name) if v) or "-"
        return None, [make("unidentified", file=file, sheet=info_sheet.name, value=shown)]
    identity = Identity(code, str(info.get(SchoolInfo.period.name) or period), "info")
    name = programme.school(code)[School.school_name.name]
    found, issues = _check(identity, programme, file, period)
    return found, [make("identified-by-info", file=file, sheet=info_sheet.name, value=f"{code} {name}"), *issues]


def _sha256(value: object) -> str:
    """A sha256 as hex, or "" for anything else (a hand-edited _meta cannot reorder anything)."""
    found = str(value or "").strip().lower()
    return found if re.fullmatch(r"[0-9a-f]{64}", found) else ""


REJECTING = frozenset({"unidentified", "unknown-school-file", "not-reporting-school", "wrong-period"})


def _check(identity: Identity, programme: Programme, file: str, period: str) -> tuple[Identity | None, list[Issue]]:
    """The identity with its findings; a finding in REJECTING means the file is returned."""
    school = programme.roster.get(identity.school)
    if school is None:
        return None, [make("unknown-school-file", file=file, value=identity.school)]
    if school[School.reports.name] != "是":
        return identity, [make("not-reporting-school", file=file, value=school[School.school_name.name])]
    if identity.period != period:
        return identity, [make("wrong-period", file=file, value=identity.period, expected=period)]
    issues = []
    if identity.how == "meta" and (identity.version, identity.fingerprint) != (TEMPLATE_VERSION, REPORT_FINGERPRINT):
        issues.append(make("template-outdated", file=file, value=identity.version or "-"))
    return identity, issues


_TOKENS = re.compile(r"[\s_\-.,，、()（）\[\]【】]+")


def school_guesser(programme: Programme) -> Callable[[str, str], str]:
    """``guess(rel, sender)``: whose a file is that could not be read or is no report: a school's
    code, name or alias among the words of its file name, else the school whose 电子邮箱 sent
    it; "" when none. Its school is then told what it sent could not be used, instead of being
    chased as 未报送. The look-ups are built once a run, not once a file (ten thousand schools)."""
    schools = school_index(programme)
    long_names = [(key, code) for key, code in schools.items() if len(key) >= 4]
    emails: dict[str, str] = {}
    for code, rec in programme.roster.items():  # the first school of an address, as the roster lists them
        emails.setdefault(str(rec.get(School.email.name) or "").strip().lower(), code)
    emails.pop("", None)

    def guess(rel: str, sender: str) -> str:
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        for token in _TOKENS.split(stem):
            code = schools.get(fold(token))
            if code and programme.roster[code][School.reports.name] == "是":
                return code
        folded = fold(stem)
        named = [(len(key), code) for key, code in long_names if key in folded]
        if named:
            return max(named)[1]
        return emails.get(sender.strip().lower(), "")

    return guess
