"""CSV written through Arrow reads as pandas' to_csv did, and is safe to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.workbooks.csvfile import write_frame


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "学校代码": ["0101001", "0101002", None],
            "日期": [dt.date(2024, 9, 1), None, dt.date(2024, 10, 31)],
            "人次": pd.array([18, None, 3], dtype="Int64"),
            "金额": pd.array([30000.0, 0.5, None], dtype="Float64"),
            "说明": ['=HYPERLINK("x")', "", "示范课"],
            "行": [4, "B7", 5],  # mixed: numbers and cells
            "已说明": [True, False, True],
            "收到": pd.to_datetime(["2025-08-29 17:00", None, "2025-09-02 09:30"]),
        }
    )


def test_values_are_written_as_people_read_them(tmp_path):
    path = write_frame(_frame(), tmp_path / "a.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show Chinese
    lines = raw.decode("utf-8-sig").splitlines()
    # a value with a quote in it: the file quotes its text, Arrow quoting by type
    assert lines[0] == '"学校代码","日期","人次","金额","说明","行","已说明","收到"'
    assert lines[1] == '"0101001","2024-09-01",18,30000,"\'=HYPERLINK(""x"")","4","True","2025-08-29 17:00:00"'
    assert lines[2] == '"0101002",,,0.5,"","B7","False",'


def test_plain_text_is_not_quoted_and_reads_back(tmp_path):
    frame = _frame().drop(columns=["说明"])
    path = write_frame(frame, tmp_path / "b.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "学校代码,日期,人次,金额,行,已说明,收到"
    assert lines[3] == ",2024-10-31,3,,5,True,2025-09-02 09:30:00"
    back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["学校代码"].tolist() == ["0101001", "0101002", ""]  # leading zeros kept
    assert back["金额"].tolist() == ["30000", "0.5", ""]


def test_an_empty_frame_is_its_header(tmp_path):
    path = write_frame(pd.DataFrame(columns=["a", "b"]), tmp_path / "c.csv")
    assert path.read_text(encoding="utf-8-sig") == "a,b\n"
