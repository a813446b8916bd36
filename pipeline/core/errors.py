"""Problems a user can fix, shown without a traceback (``--debug`` re-raises them)."""

from __future__ import annotations

from pipeline.core.issues import Issue
from pipeline.text import text


class BangfuError(Exception):
    """The one exception base: a ``code`` (a finding code, or a catalogue key for a run that
    cannot go on) and the ``facts`` its message is filled with."""

    def __init__(self, code: str, **facts: object) -> None:
        super().__init__(code)
        self.code = code
        self.facts = facts


class PipelineError(BangfuError):
    """The run cannot continue, for a reason the user can fix; ``code`` is a catalogue key."""

    def message(self, lang: str = "zh") -> str:
        return text(self.code, lang, **self.facts)


class ConfigError(PipelineError):
    """The programme workbook or a command-line argument is wrong."""


class MailError(PipelineError):
    """The mail server could not be reached, refused the login, or dropped the connection."""


class ProgrammeInvalid(ConfigError):
    """The programme workbook has findings of severity error; nothing may be written."""

    def __init__(self, path: str, issues: list[Issue]) -> None:
        super().__init__("cli.programme.invalid", path=path, count=len(issues))
        self.issues = issues

    def message(self, lang: str = "zh") -> str:
        lines = [super().message(lang)]
        lines += [f"  {i.render(lang)}" for i in self.issues]
        return "\n".join(lines)
