"""Shared fixtures: a small hand-built programme whose every figure the tests know."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.forms.templates import write_programme_workbook
from pipeline.intake.isolate import start_method
from schemas.programme import Pair, Period, School, Settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that patch a worker's function in the parent see the patch only in forked workers:
    under ``BANGFU_START_METHOD=spawn`` they are skipped, saying so."""
    if start_method() == "fork":
        return
    skip = pytest.mark.skip(reason="patches a worker's function in the parent: needs fork")
    for item in items:
        if "fork_only" in item.keywords:
            item.add_marker(skip)


def school(code: str, name: str, role: str, reports: str = "是", level: str = "小学", **extra: object) -> dict:
    return {
        School.school_code.name: code,
        School.school_name.name: name,
        School.role.name: role,
        School.reports.name: reports,
        School.level.name: level,
        School.district.name: "城区片",
        **extra,
    }


def small_programme_rows() -> dict:
    """Two supporting schools (one outside the district), three recipients, four pairs, two periods."""
    return {
        Settings: [
            {
                Settings.programme_name.name: "测试区结对帮扶",
                Settings.bureau.name: "测试区教育局",
                Settings.contact.name: "王老师",
                Settings.phone.name: "0771-1234567",
                Settings.report_email.name: "baobiao@test.edu.cn",
            }
        ],
        School: [
            school("001", "城南小学", "支援校", aliases="城南；南小"),
            school("002", "山口小学", "受援校"),
            school("003", "河西小学", "受援校"),
            school("004", "外县实验小学", "支援校", reports="否"),
            school("005", "北岭小学", "受援校"),
        ],
        Pair: [
            {
                Pair.pair_code.name: "P1",
                Pair.supporting_code.name: "001",
                Pair.recipient_code.name: "002",
                Pair.start_date.name: dt.date(2024, 9, 1),
                Pair.pair_type.name: "集团帮扶",
                Pair.group.name: "城南集团",
            },
            {
                Pair.pair_code.name: "P2",
                Pair.supporting_code.name: "001",
                Pair.recipient_code.name: "003",
                Pair.start_date.name: dt.date(2024, 9, 1),
                Pair.pair_type.name: "集团帮扶",
                Pair.group.name: "城南集团",
            },
            {
                Pair.pair_code.name: "P3",
                Pair.supporting_code.name: "004",
                Pair.recipient_code.name: "003",
                Pair.start_date.name: dt.date(2024, 9, 1),
                Pair.pair_type.name: "对口支援",
            },
            {
                Pair.pair_code.name: "P4",
                Pair.supporting_code.name: "001",
                Pair.recipient_code.name: "005",
                Pair.start_date.name: dt.date(2024, 9, 1),
            },
        ],
        Period: [
            {
                Period.period_code.name: "2024秋",
                Period.period_name.name: "2024年秋季学期",
                Period.period_type.name: "学期",
                Period.start_date.name: dt.date(2024, 9, 1),
                Period.end_date.name: dt.date(2025, 1, 31),
                Period.deadline.name: dt.date(2025, 2, 15),
            },
            {
                Period.period_code.name: "2024-10",
                Period.period_name.name: "2024年10月",
                Period.period_type.name: "月度",
                Period.start_date.name: dt.date(2024, 10, 1),
                Period.end_date.name: dt.date(2024, 10, 31),
                Period.deadline.name: dt.date(2024, 11, 10),
            },
        ],
    }


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    return write_programme_workbook(tmp_path / "programme.xlsx", "zh", small_programme_rows())


@pytest.fixture
def programme(programme_file: Path):
    """The small programme loaded and validated, as every stage receives it."""
    from pipeline.app import load_programme

    loaded = load_programme(programme_file)
    assert loaded.programme is not None, [i.render() for i in loaded.issues]
    return loaded.programme


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo programme, templates and inbox (LibreOffice saves one report as .xls if present)."""
    from pipeline.app import write_demo

    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server on loopback for the session (tests/pgserver.py); skipped where the
    server is not installed (CI installs it)."""
    from tests import pgserver

    why = pgserver.available()
    if why:
        pytest.skip(why)
    with pgserver.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server, request):
    """A fresh database on the session's server for one test."""
    from tests import pgserver

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    return pgserver.new_database(postgres_server, name)
