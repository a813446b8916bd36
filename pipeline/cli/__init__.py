"""The `bangfu` command line: parse options, call one orchestration function, render, exit.
Commands only; what they do is in pipeline.app."""

from pipeline.cli import commands, history, mail, watch  # noqa: F401 - each module registers its commands on main
from pipeline.cli.group import main

__all__ = ["main"]
