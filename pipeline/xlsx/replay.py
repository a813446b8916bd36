"""Workbooks of one shape written again from a prototype, without xlsxwriter's per-workbook work.

A run writes thousands of feedback workbooks that differ only in their rows, findings and a few
names. xlsxwriter spends about half of each one's time closing it: styles, the fixed elements of
every sheet, the package parts, all the same from school to school. A ``Prototype`` is one such
workbook written by xlsxwriter once a process, with each sheet's XML kept as fixed text between
the elements that vary. A ``ReplayBook`` then takes the same calls for another school:

* its sheets are xlsxwriter worksheets (``LayoutSheet``), so every call behaves as in xlsxwriter
  and the elements that vary (dimension, cells, filter, validations, links, comments' drawing,
  table parts) are written by xlsxwriter's own element writers;
* its layout calls (columns, panes, printing, protection, tables' columns) must equal the
  prototype's, and its formats must be the prototype's; otherwise ``close`` raises ``Mismatch``
  and the caller writes that workbook with xlsxwriter as usual;
* ``close`` puts the varying elements between the prototype's fixed text, renders the parts
  that follow from them (tables' ranges, comments, relationships, content types, the filter's
  defined name, shared strings) and copies the rest.

A call in neither group (an image, a print area, a page break; no report makes one) would be
taken as the prototype had it, unchecked: tests/test_replay.py finds replayed workbooks
byte-identical to xlsxwriter's own, part by part, and would show it. Private parts of xlsxwriter
used here, beside those of ``rows``: the worksheets' ``_write_*`` element writers, ``_prepare_vml_objects``,
``external_*_links``, ``tables``, ``autofilter_area``, the shared-string table's
``_sort_string_data``, ``Vml``, ``Comments`` and ``Relationships``; all pinned with xlsxwriter in
pyproject.toml.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.comments import Comments
from xlsxwriter.format import Format
from xlsxwriter.relationships import Relationships
from xlsxwriter.vml import Vml

from pipeline.xlsx.container import PartsBook, PartsZip, PlainSharedStrings
from pipeline.xlsx.formsheets import ERROR_FILL, WARNING_FILL
from pipeline.xlsx.rows import RowsSheet

_TWINS = {ERROR_FILL: WARNING_FILL, WARNING_FILL: ERROR_FILL}

# Calls that set a sheet up the same way for every school; a replayed sheet must make them alike.
LAYOUT = (
    "set_column",
    "set_row",
    "freeze_panes",
    "set_landscape",
    "set_portrait",
    "set_paper",
    "fit_to_pages",
    "set_margins",
    "center_horizontally",
    "repeat_rows",
    "set_header",
    "set_footer",
    "protect",
    "hide",
    "activate",
    "set_first_sheet",
    "merge_range",
    "conditional_format",
    "set_default_row",
)
# Elements of a sheet's XML that follow from its content, in xlsxwriter's order; the rest is fixed.
VARYING = ("dimension", "sheet_data", "auto_filter", "data_validations", "hyperlinks", "legacy_drawing", "table_parts")
_MARK = "\x00"


class Mismatch(Exception):
    """The workbook differs from its prototype in more than content: write it with xlsxwriter."""


def _recorded(name: str):
    def method(self, *args, **kwargs):
        self.layout.append((name, args, kwargs))
        return getattr(RowsSheet, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


class LayoutSheet(RowsSheet):
    """A worksheet that keeps its layout calls and its tables' and comments' set-up, to compare."""

    def __init__(self) -> None:
        super().__init__()
        self.layout: list[tuple] = []
        self.comment_kinds: list[dict | None] = []

    def add_table(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict | None = None
    ) -> int:
        self.layout.append(("add_table", (first_row, first_col, last_col), options))
        return super().add_table(first_row, first_col, last_row, last_col, options)

    def write_comment(self, row: int, col: int, comment: str, options: dict | None = None) -> int:
        if options not in self.comment_kinds:  # how many comments depends on the school; their kind may not
            self.comment_kinds.append(options)
        return super().write_comment(row, col, comment, options)


for _name in LAYOUT:
    setattr(LayoutSheet, _name, _recorded(_name))


def _key(properties: dict | None) -> tuple:
    return tuple(sorted((properties or {}).items()))


class PrototypeBook(PartsBook):
    """A workbook written once by xlsxwriter to be replayed: each format it is given comes with
    its twin of the other finding fill, so that any school's marks find theirs; each sheet's
    varying elements are written between markers."""

    def __init__(self, filename, options: dict | None = None) -> None:
        self.by_key: dict[tuple, Format] = {}
        super().__init__(filename, options)
        self._ready = True

    def add_format(self, properties: dict | None = None) -> Format:
        made = super().add_format(properties)
        if getattr(self, "_ready", False):
            self.by_key.setdefault(_key(properties), made)
            fill = (properties or {}).get("bg_color")
            twin = {**properties, "bg_color": _TWINS[fill]} if fill in _TWINS else None
            if twin is not None and _key(twin) not in self.by_key:
                self.by_key[_key(twin)] = super().add_format(twin)
        return made

    def close(self) -> None:
        for made in (*self.by_key.values(), self.default_date_format):
            if made is not None:
                made._get_xf_index()  # in the styles, used or not: a replay may use it
        for sheet in self.worksheets():
            for name in VARYING:
                writer = getattr(sheet, f"_write_{name}")
                setattr(sheet, f"_write_{name}", _marked(sheet, name, writer))
        super().close()


def _marked(sheet, name: str, writer):
    def write() -> None:
        sheet.fh.write(f"{_MARK}{name}{_MARK}")
        writer()
        sheet.fh.write(_MARK)

    return write


@dataclass
class _SheetShape:
    name: str
    layout: list[tuple]
    comment_kinds: list[dict | None]
    pieces: list[str]  # fixed text, then a VARYING name, then fixed text ...
    table_links: list[list[str]]
    tables: list[tuple[str, str]]  # (part, the range the prototype gave it)
    autofilter: str  # the prototype's filter range, "" without one


@dataclass
class Prototype:
    """One workbook's parts and sheets, as xlsxwriter wrote them, to write others like it."""

    parts: dict[str, bytes]
    sheets: list[_SheetShape]
    formats: dict[tuple, Format]
    default_date_format: Format | None

    @classmethod
    def of(cls, book: PrototypeBook) -> Prototype:
        """The prototype of a closed PrototypeBook written to a BytesIO."""
        book.filename.seek(0)
        with zipfile.ZipFile(book.filename) as zf:
            parts = {info.filename: zf.read(info) for info in zf.infolist()}
        sheets = []
        for index, sheet in enumerate(book.worksheets(), start=1):
            name = f"xl/worksheets/sheet{index}.xml"
            text = parts.pop(name).decode("utf-8")
            pieces = re.split(f"{_MARK}(\\w+){_MARK}.*?{_MARK}", text, flags=re.S)
            tables = [
                (link[1].replace("../", "xl/"), table["range"])
                for link, table in zip(sheet.external_table_links, sheet.tables, strict=True)
            ]
            sheets.append(
                _SheetShape(
                    sheet.name,
                    sheet.layout,
                    sheet.comment_kinds,
                    pieces,
                    sheet.external_table_links,
                    tables,
                    sheet.autofilter_area,
                )
            )
        return cls(parts, sheets, book.by_key, book.default_date_format)

    def book(self, filename: str | Path, options: dict | None = None) -> ReplayBook:
        """A workbook to replay on this prototype; for ``xlsx.open_workbook``'s ``book_class``."""
        return ReplayBook(filename, options, prototype=self)


class ReplayBook(PartsBook):
    """A workbook whose calls are compared with a prototype's and written into its parts."""

    def __init__(self, filename, options: dict | None = None, *, prototype: Prototype) -> None:
        super().__init__(filename, options)
        self.prototype = prototype
        self.default_date_format = prototype.default_date_format
        self._ready = True

    def add_format(self, properties: dict | None = None) -> Format:
        if not getattr(self, "_ready", False):
            return super().add_format(properties)
        made = self.prototype.formats.get(_key(properties))
        if made is None:
            raise Mismatch(f"a format the prototype lacks: {properties}")
        return made

    def close(self) -> None:
        if self.fileclosed:
            return
        self.fileclosed = True
        proto = self.prototype
        sheets = self.worksheets()
        if [s.name for s in sheets] != [s.name for s in proto.sheets]:
            raise Mismatch("other sheets than the prototype's")
        for sheet, shape in zip(sheets, proto.sheets, strict=True):
            if (
                sheet.layout != shape.layout
                or any(k not in shape.comment_kinds for k in sheet.comment_kinds)
                or sheet.has_header_vml
                or bool(sheet.autofilter_area) != bool(shape.autofilter)
            ):
                raise Mismatch(f"sheet {sheet.name} is laid out otherwise than the prototype's")
        out = PartsZip(self.filename)
        for name, data in self._parts().items():  # parts as the prototype has them: deflated once
            out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, again=data is proto.parts.get(name))
        out.close()

    def _parts(self) -> dict[str, bytes]:
        proto = self.prototype
        parts = dict(proto.parts)
        comments: list[str] = []  # the sheets with comments, in order
        data_id, shape_id = 1, 1024
        for index, (sheet, shape) in enumerate(zip(self.worksheets(), proto.sheets, strict=True), start=1):
            if sheet.has_vml:
                comments.append(str(index))
                count = sheet._prepare_vml_objects(data_id, shape_id, len(comments), len(comments))
                data_id += (1024 + count) // 1024
                shape_id += 1024 * ((1024 + count) // 1024)
            sheet.external_table_links = [list(link) for link in shape.table_links]
            parts[f"xl/worksheets/sheet{index}.xml"] = _sheet_xml(sheet, shape.pieces)
            for (part, proto_range), table in zip(shape.tables, sheet.tables, strict=True):
                parts[part] = parts[part].replace(f'ref="{proto_range}"'.encode(), f'ref="{table["range"]}"'.encode())
            if shape.autofilter:
                parts["xl/workbook.xml"] = _filter_name(parts["xl/workbook.xml"], index - 1, sheet.autofilter_area)
            rels = (
                sheet.external_hyper_links
                + sheet.external_drawing_links
                + sheet.external_vml_links
                + sheet.external_background_links
                + sheet.external_table_links
                + sheet.external_comment_links
            )
            rels_part = f"xl/worksheets/_rels/sheet{index}.xml.rels"
            parts.pop(rels_part, None)
            if rels:
                parts[rels_part] = _rels(rels)
        parts = {
            name: data
            for name, data in parts.items()
            if not re.fullmatch(r"xl/(comments\d+\.xml|drawings/vmlDrawing\d+\.vml)", name)
        }
        for number, index in enumerate(comments, start=1):
            sheet = self.worksheets()[int(index) - 1]
            parts[f"xl/drawings/vmlDrawing{number}.vml"] = _assembled(
                Vml(), sheet.vml_data_id, sheet.vml_shape_id, sheet.comments_list, sheet.buttons_list
            )
            parts[f"xl/comments{number}.xml"] = _assembled(Comments(), sheet.comments_list)
        parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], len(comments))
        if not comments:
            parts["xl/styles.xml"] = _without_comment_font(parts["xl/styles.xml"])
        if "xl/sharedStrings.xml" in parts:
            self.str_table._sort_string_data()
            strings = PlainSharedStrings()
            strings.string_table = self.str_table
            parts["xl/sharedStrings.xml"] = _assembled(strings)
        return _in_package_order(parts)


def _assembled(writer, *args) -> bytes:
    fh = io.StringIO()
    writer._set_filehandle(fh)
    writer._assemble_xml_file(*args)
    return fh.getvalue().encode("utf-8")


def _sheet_xml(sheet: LayoutSheet, pieces: list[str]) -> bytes:
    """The prototype's fixed text with this sheet's own varying elements between."""
    fh = sheet.fh = io.StringIO()
    sheet.rel_count = 0
    for i, piece in enumerate(pieces):
        if i % 2:
            getattr(sheet, f"_write_{piece}")()
        else:
            fh.write(piece)
    return fh.getvalue().encode("utf-8")


def _filter_name(workbook: bytes, sheet_index: int, area: str) -> bytes:
    """The hidden _FilterDatabase name of a sheet, for its own filter range."""
    pattern = re.compile(
        rb'(<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">[^<]*!)'
        rb"[^<!]*(</definedName>)" % sheet_index
    )
    return pattern.sub(lambda m: m[1] + area.rsplit("!", 1)[-1].encode() + m[2], workbook, count=1)


def _rels(links: list[list[str]]) -> bytes:
    rels = Relationships()
    for link in links:
        rels._add_document_relationship(*link)
    return _assembled(rels)


_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_DEFAULT = b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'


def _content_types(types: bytes, comments: int) -> bytes:
    """The prototype's content types with one comments part per sheet with comments."""
    overrides = re.compile(rb'<Override PartName="/xl/comments\d+\.xml" ContentType="[^"]*"/>')
    found = overrides.search(types)
    ours = b"".join(
        b'<Override PartName="/xl/comments%d.xml" ContentType="%s"/>' % (n, _COMMENTS_TYPE.encode())
        for n in range(1, comments + 1)
    )
    if found:
        types = types[: found.start()] + ours + overrides.sub(b"", types[found.start() :])
    elif comments:
        types = types.replace(
            b'<Override PartName="/xl/sharedStrings.xml"', ours + b'<Override PartName="/xl/sharedStrings.xml"', 1
        )
    if comments and _VML_DEFAULT not in types:
        types = types.replace(b"<Override ", _VML_DEFAULT + b"<Override ", 1)
    elif not comments:
        types = types.replace(_VML_DEFAULT, b"")
    return types


_COMMENT_FONT = b'<font><sz val="8"/><color indexed="81"/><name val="Tahoma"/><family val="2"/></font></fonts>'


def _without_comment_font(styles: bytes) -> bytes:
    """The styles of a workbook without comments: xlsxwriter adds a last font for them."""
    count = re.search(rb'<fonts count="(\d+)"', styles)
    if count is None or _COMMENT_FONT not in styles:
        raise Mismatch("the prototype's styles have no comment font")
    styles = styles.replace(_COMMENT_FONT, b"</fonts>", 1)
    return styles[: count.start(1)] + str(int(count[1]) - 1).encode() + styles[count.end(1) :]


_ORDER = [
    r"\[Content_Types\]\.xml",
    r"_rels/\.rels",
    r"xl/_rels/workbook\.xml\.rels",
    r"xl/worksheets/sheet\d+\.xml",
    r"xl/workbook\.xml",
    r"xl/drawings/vmlDrawing\d+\.vml",
    r"xl/comments\d+\.xml",
    r"xl/tables/.*",
    r"xl/sharedStrings\.xml",
    r"xl/styles\.xml",
    r"xl/theme/.*",
    r"xl/worksheets/_rels/.*",
    r"docProps/core\.xml",
    r"docProps/app\.xml",
]


@functools.lru_cache(maxsize=4096)
def _rank(name: str) -> tuple:
    kind = next((i for i, pattern in enumerate(_ORDER) if re.fullmatch(pattern, name)), len(_ORDER))
    number = re.search(r"(\d+)\.\w+(?:\.rels)?$", name)
    return kind, int(number[1]) if number else 0, name


def _in_package_order(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts in the order xlsxwriter's packager writes them (by kind, then by number)."""
    return {name: parts[name] for name in sorted(parts, key=_rank)}
