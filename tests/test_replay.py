"""Feedback workbooks replayed on a prototype (pipeline.xlsx.replay) are xlsxwriter's own, byte for byte,
and a workbook laid out otherwise than the prototype is written by xlsxwriter."""

from __future__ import annotations

import datetime as dt
import functools
import zipfile

import pytest

from pipeline.app import CheckSettings, check
from pipeline.forms.templates import write_report
from pipeline.workbooks import feedback
from pipeline.xlsx import replay
from pipeline.xlsx.book import open_workbook
from pipeline.xlsx.container import PartsBook
from schemas.report import Activity, Funding, Personnel, SchoolInfo
from tests.reports import act, rows_for, submit


class SeededBook(PartsBook):
    """xlsxwriter's workbook, its formats made first in the prototype's order: the same styles."""

    def __init__(self, filename, options=None, *, prototype: replay.Prototype) -> None:
        super().__init__(filename, options)
        self.seeded = {}
        made = [(f._get_xf_index(), key) for key, f in prototype.formats.items()]
        made.append((prototype.default_date_format._get_xf_index(), None))
        for _, key in sorted(made, key=lambda pair: pair[0]):
            if key is None:
                self.default_date_format._get_xf_index()
            else:
                self.seeded[key] = super().add_format(dict(key))
                self.seeded[key]._get_xf_index()

    def add_format(self, properties=None):
        seeded = getattr(self, "seeded", {}).get(replay._key(properties))
        return seeded if seeded is not None else super().add_format(properties)


def _parts(path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


@pytest.fixture
def intake(tmp_path, programme_file):
    """Schools with findings of every kind: cells on the form and on three data sheets, a
    whole-sheet finding, and a school whose only findings have no cell (no comments at all)."""
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.participants.name] = "十二"
    rows[Activity][1][Activity.partner.name] = "不存在的学校"
    rows[Activity].append({**rows[Activity][0], Activity.participants.name: 9000, Activity.note.name: "a & <b>"})
    rows[Funding][0][Funding.amount.name] = -5
    rows[Personnel][0][Personnel.start_date.name] = "昨天"
    submit(inbox, programme_file, "001", rows=rows, info={SchoolInfo.phone.name: None})
    # 001 has no such row: a reconcile warning at 002's row, and one about 001's whole sheet
    submit(
        inbox,
        programme_file,
        "002",
        rows={**rows_for("002"), Activity: [act(dt.date(2024, 12, 3), "讲座", "接收", "城南小学", 20)]},
    )
    submit(inbox, programme_file, "003", info={SchoolInfo.date_filled.name: dt.date(2030, 1, 1)})
    submit(inbox, programme_file, "005", name="005_报表.xlsm")  # its extension: a finding about the file
    return check(CheckSettings(programme_file, inbox, "2024秋", tmp_path / "out"))


def test_replayed_feedback_is_xlsxwriters_own(tmp_path, intake, monkeypatch):
    mismatches = []
    close = replay.ReplayBook.close

    def counting(self):
        try:
            return close(self)
        except replay.Mismatch as exc:
            mismatches.append(exc)
            raise

    monkeypatch.setattr(replay.ReplayBook, "close", counting)
    subs = [s for s in intake.submissions if s.counted and s.issues]
    assert len(subs) == 4
    commented, without = 0, 0
    for sub in subs:
        replayed = feedback.write_feedback(sub, intake.programme, intake.period, tmp_path / "replayed", "zh")
        spec, marks, front = feedback.feedback_report(sub, intake.programme, intake.period, "zh")
        prototype = feedback._prototype(intake.programme, intake.period, spec)
        reference = write_report(
            tmp_path / f"{sub.school}.xlsx",
            spec,
            marks,
            front,
            opener=functools.partial(open_workbook, book_class=functools.partial(SeededBook, prototype=prototype)),
        )
        ours, theirs = _parts(replayed), _parts(reference)
        assert [name for name, _ in ours] == [name for name, _ in theirs], sub.school
        for (name, data), (_, expected) in zip(ours, theirs, strict=True):
            assert data == expected, f"{sub.school}: {name} differs"
        commented += sum(name.startswith("xl/comments") for name, _ in ours)
        without += not any(name.startswith("xl/comments") for name, _ in ours)
    assert not mismatches
    assert commented >= 4  # the form and three data sheets of 001 at least
    assert without  # and a workbook whose findings have no cell: no drawing, no comments part


def test_a_workbook_laid_out_otherwise_is_written_by_xlsxwriter(tmp_path, intake, monkeypatch):
    import openpyxl

    from pipeline.xlsx import formsheets as xlsx

    sub = next(s for s in intake.submissions if s.school == "001")
    before = feedback.write_feedback(sub, intake.programme, intake.period, tmp_path / "a", "zh")  # the prototype
    width = xlsx.column_width
    monkeypatch.setattr(xlsx, "column_width", lambda column, lang: width(column, lang) + 1)
    spec, marks, front = feedback.feedback_report(sub, intake.programme, intake.period, "zh")
    replayed = functools.partial(
        open_workbook,
        book_class=feedback._prototype(intake.programme, intake.period, spec).book,
        sheet_class=replay.LayoutSheet,
    )
    with pytest.raises(replay.Mismatch, match="laid out otherwise"):
        write_report(tmp_path / "wider.xlsx", spec, marks, front, opener=replayed)
    assert not (tmp_path / "wider.xlsx").exists()
    after = feedback.write_feedback(sub, intake.programme, intake.period, tmp_path / "b", "zh")
    sheet = Activity.title("zh")
    widths = [openpyxl.load_workbook(p)[sheet].column_dimensions["A"].width for p in (before, after)]
    assert widths[1] == widths[0] + 1
