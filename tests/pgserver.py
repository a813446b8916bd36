"""A throw-away PostgreSQL server on loopback for the history-store tests: Debian's postgresql
binaries (``.ci/run`` installs the package), a cluster made by initdb in a temporary folder, trust
authentication on 127.0.0.1 only, stopped and removed at the end. Under root (as in CI) the server
runs as the package's ``postgres`` user: PostgreSQL refuses to run as root."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.mailservers import free_port


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    if os.getuid() != 0:
        return [], None, None
    import pwd

    user = pwd.getpwnam("postgres")
    return ["runuser", "-u", "postgres", "--"], user.pw_uid, user.pw_gid


def available() -> str:
    """Why no server can be started here, or "" when one can."""
    if _bin() is None:
        return "PostgreSQL's server is not installed (Debian package postgresql)"
    if os.getuid() == 0:
        try:
            _as_server_user()
        except KeyError:
            return "running as root and there is no postgres user to run the server as"
    return ""


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A running server; yields its URL (database ``postgres``, user ``bangfu``, no password)."""
    binaries = _bin()
    assert binaries is not None
    prefix, uid, gid = _as_server_user()
    base = Path(tempfile.mkdtemp(prefix="bangfu-pg-"))
    base.chmod(0o755)
    data = base / "data"
    data.mkdir()
    if uid is not None and gid is not None:
        os.chown(data, uid, gid)
    port = free_port()
    subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "bangfu", "-A", "trust", "-E", "UTF8",
         "--no-locale"],
        check=True, capture_output=True,
    )  # fmt: skip
    log = (base / "server.log").open("wb")
    proc = subprocess.Popen(
        [*prefix, str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(data),
         "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(200):
            ready = subprocess.run(
                [str(binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True
            )
            if ready.returncode == 0:
                break
            if proc.poll() is not None:
                raise RuntimeError((base / "server.log").read_text(errors="replace"))
            time.sleep(0.1)
        yield f"postgresql://bangfu@127.0.0.1:{port}/postgres"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(base, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """A fresh, empty database on the server at ``url``; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"
