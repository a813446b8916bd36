"""Column and sheet models: the one definition that templates, parsers, checks and reports use."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar

Record = dict[str, Any]  # one row: column name -> value, whatever a cell or a frame holds


class Kind(StrEnum):
    """How a column's cells are parsed, validated and formatted."""

    TEXT = "text"
    CODE = "code"  # identifiers: text end to end, leading zeros kept
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"  # yuan; accepts "5万", "1.2万元"
    PERCENT = "percent"  # 0-100
    DATE = "date"
    CHOICE = "choice"  # one value of a choice list or of a fixed enumeration


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one labelled row of a form sheet).

    Attributes:
        zh: header label shown to Chinese users (the default language).
        en: header label behind ``--lang en``.
        kind: parsing and validation rule.
        required: a blank cell is an error.
        minimum, maximum: inclusive numeric range (numbers) or date range is set per period.
        max_len: longest accepted text.
        choices: name of a programme-editable choice list (see ``schemas.choices``).
        fixed: values of a fixed enumeration that no programme may change.
        synonyms: other labels recognised in a header (older templates, hand edits).
        help_zh, help_en: the input message a template shows on the cell.
        width: column width in Excel character units.
        locked: pre-filled by the bureau; users cannot edit it.
        default: value the template suggests (documented in the help text).
        unique: values must not repeat within the sheet.
        pattern: regular expression a text value must match.
    """

    zh: str
    en: str
    kind: Kind = Kind.TEXT
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_len: int | None = None
    choices: str | None = None
    fixed: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    help_zh: str = ""
    help_en: str = ""
    width: float = 12
    locked: bool = False
    default: object = None
    unique: bool = False
    pattern: str | None = None
    name: str = field(default="", compare=False)

    def __set_name__(self, owner: type, name: str) -> None:
        object.__setattr__(self, "name", name)

    def label(self, lang: str) -> str:
        """The header label in ``lang`` ("zh" or "en")."""
        return self.en if lang == "en" else self.zh

    def help(self, lang: str) -> str:
        """The input help text in ``lang``."""
        return self.help_en if lang == "en" else self.help_zh

    def labels(self) -> tuple[str, ...]:
        """Every label a header cell may carry for this column."""
        return (self.zh, self.en, *self.synonyms)

    def __str__(self) -> str:
        return self.name


class Sheet:
    """Base class of a sheet model; subclasses declare ``Column`` attributes in sheet order.

    Class attributes:
        zh, en: the sheet name in each language.
        layout: "table" (a header row, one record per row) or "form" (label/value rows).
        purpose_zh, purpose_en: one sentence for the instructions sheet.
    """

    zh: ClassVar[str]
    en: ClassVar[str]
    layout: ClassVar[str] = "table"
    purpose_zh: ClassVar[str] = ""
    purpose_en: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.columns = tuple(v for v in vars(cls).values() if isinstance(v, Column))

    @classmethod
    def title(cls, lang: str) -> str:
        """The sheet name in ``lang``."""
        return cls.en if lang == "en" else cls.zh

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every sheet name recognised for this model."""
        return (cls.zh, cls.en)

    @classmethod
    def column(cls, name: str) -> Column:
        """The column called ``name`` (snake_case)."""
        for col in cls.columns:
            if col.name == name:
                return col
        raise KeyError(f"{cls.__name__} has no column {name!r}")

    @classmethod
    def iter_columns(cls) -> Iterator[Column]:
        return iter(cls.columns)


def fingerprint(models: list[type[Sheet]]) -> str:
    """A short stable hash of the models, stored in templates to recognise their version."""
    spec = []
    for model in models:
        cols = []
        for col in model.columns:
            item = {f.name: getattr(col, f.name) for f in fields(col)}
            item["kind"] = col.kind.value
            cols.append(item)
        spec.append({"sheet": model.zh, "layout": model.layout, "columns": cols})
    blob = json.dumps(spec, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]
