"""Fill a school report in real LibreOffice through its Python-UNO bridge, as a clerk would.

Run with the system Python that has `uno` (Debian: python3-uno):
    /usr/bin/python3 tests/lo_fill.py TEMPLATE OUT_XLSX OUT_XLS PROFILE_DIR
Cells are typed into the protected sheets' unlocked cells, then saved by LibreOffice itself.
"""

import contextlib
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

# (sheet, cell, value): numbers are dates as serials or counts, the rest text
CELLS = [
    ("基本信息", "B8", "王老师"),
    ("基本信息", "B9", "13900000000"),
    ("基本信息", "B10", 45689),
    ("交流活动", "A2", 45575),
    ("交流活动", "B2", "示范课"),
    ("交流活动", "C2", "派出"),
    ("交流活动", "D2", "山口小学"),
    ("交流活动", "E2", "数学"),
    ("交流活动", "F2", 12),
    ("交流活动", "G2", 1),
    ("交流活动", "H2", "分数的初步认识"),
    ("交流活动", "A3", 45601),
    ("交流活动", "B3", "讲座"),
    ("交流活动", "C3", "派出"),
    ("交流活动", "D3", "河西小学"),
    ("交流活动", "F3", 30),
]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src, out_xlsx, out_xls, profile):
    pipe = f"bangfu_{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
        for sheet, cell, value in CELLS:
            target = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
            if isinstance(value, str):
                target.setString(value)
            else:
                target.setValue(value)
        doc.storeToURL(uno.systemPathToFileUrl(out_xlsx), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.storeToURL(uno.systemPathToFileUrl(out_xls), (prop("FilterName", "MS Excel 97"),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the bridge drops as LibreOffice exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:5])
