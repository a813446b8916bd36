"""The intake on a Dask cluster: a local cluster of two worker processes and a real scheduler with
workers started by the test on loopback. Same outputs as the local pool, byte for byte; hostile
files refused alike; a worker killed mid-run loses nothing and counts nothing twice; a scheduler
that cannot be reached is a message and exit 2."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import hostile
from tests.mailservers import free_port

pytest.importorskip("distributed")
BIN = Path(sys.executable).parent
BANGFU = shutil.which("bangfu") or str(BIN / "bangfu")


def _bangfu(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([BANGFU, *args], capture_output=True, text=True, timeout=timeout)


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every output a run writes, by its path in the period folder (run.json has the time it finished)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and p.name != "run.json"
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    done = _bangfu("demo", "--out", str(folder / "demo"))
    assert done.returncode == 0, done.stderr
    inbox = folder / "demo" / "inbox"
    good = next(inbox.glob("0101001_*.xlsx"))
    for make in (hostile.zip_bomb, hostile.xml_bomb, hostile.allocation_bomb, hostile.truncated):
        make(good, inbox / f"hostile_{make.__name__}.xlsx")
    return folder / "demo" / "项目配置_示例.xlsx", inbox


def test_a_run_on_a_local_cluster_writes_the_local_run_s_outputs_byte_for_byte(demo, tmp_path):
    programme, inbox = demo
    args = ["run", "--programme", str(programme), "--inbox", str(inbox), "--period", "2024学年", "--quiet"]
    local = _bangfu(*args, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    clustered = _bangfu(*args, "--out", str(tmp_path / "cluster"), "--cluster", "local:2")
    assert clustered.returncode == 0, clustered.stderr
    one, other = _outputs(tmp_path / "local" / "2024学年"), _outputs(tmp_path / "cluster" / "2024学年")
    assert sorted(one) == sorted(other) and len(one) > 20
    assert [name for name in one if one[name] != other[name]] == []
    with (tmp_path / "cluster" / "2024学年" / "manifest.csv").open(encoding="utf-8-sig") as fh:
        refused = {r["路径"]: r["原因代码"] for r in csv.DictReader(fh) if r["路径"].startswith("hostile_")}
    assert refused == {
        "hostile_zip_bomb.xlsx": "zip-bomb",
        "hostile_xml_bomb.xlsx": "unsafe-xml",
        "hostile_allocation_bomb.xlsx": "too-many-cells",
        "hostile_truncated.xlsx": "zip-truncated",
    }


def test_a_scheduler_that_cannot_be_reached_is_a_message_and_exit_2(demo, tmp_path):
    programme, inbox = demo
    port = free_port()
    done = _bangfu("check", "--programme", str(programme), "--inbox", str(inbox), "--period", "2024学年",
                   "--out", str(tmp_path / "o"), "--cluster", f"tcp://127.0.0.1:{port}", "--quiet")  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"无法连接 Dask 集群调度器 tcp://127.0.0.1:{port}" in done.stderr
    wrong = _bangfu("check", "--programme", str(programme), "--inbox", str(inbox), "--period", "2024学年",
                    "--out", str(tmp_path / "o"), "--cluster", "127.0.0.1:8786", "--lang", "en")  # fmt: skip
    assert wrong.returncode == 2 and "--cluster takes tcp://host:8786" in wrong.stderr


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(p) for p in text.split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc to find the worker's children")
def test_a_worker_killed_mid_run_has_its_batches_read_elsewhere_and_nothing_twice(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.generate import PERIOD, generate

    programme, inbox = generate(150, tmp_path / "gen")  # three batches of fifty
    port = free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
    )
    workers = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "worker",
                f"tcp://127.0.0.1:{port}",
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--memory-limit",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
        for _ in range(2)
    ]
    try:
        args = ["check", "--programme", str(programme), "--inbox", str(inbox), "--period", PERIOD, "--quiet"]
        local = _bangfu(*args, "--out", str(tmp_path / "local"))
        assert local.returncode == 0, local.stderr
        cluster = ["--out", str(tmp_path / "cluster"), "--cluster", f"tcp://127.0.0.1:{port}"]
        run = subprocess.Popen([BANGFU, *args, *cluster], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        victim = None
        for _ in range(1200):  # the first worker to start a reader is killed while it reads
            victim = next((w for w in workers if _children(w.pid)), None)
            if victim is not None or run.poll() is not None:
                break
            time.sleep(0.05)
        assert victim is not None, "no worker ever started a reader"
        victim.send_signal(signal.SIGKILL)
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    finally:
        for proc in (*workers, scheduler):
            proc.kill()
            proc.wait()
    local_manifest = (tmp_path / "local" / PERIOD / "manifest.csv").read_bytes()
    cluster_manifest = (tmp_path / "cluster" / PERIOD / "manifest.csv").read_bytes()
    assert cluster_manifest == local_manifest  # every file once, with the same findings
    with (tmp_path / "cluster" / PERIOD / "manifest.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 150 and not [r for r in rows if r["原因代码"].startswith("reader-")]


@pytest.fixture
def s3(monkeypatch):
    """moto's S3-compatible server on loopback, as a store the parent and the workers share."""
    server_module = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("s3fs")
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    for key, value in env.items():
        monkeypatch.setenv(key, value)  # the bangfu subprocesses and their workers inherit it
    try:
        yield boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
    finally:
        server.stop()


def test_an_inbox_in_s3_read_on_a_cluster_gives_the_outputs_of_reading_it_here(demo, tmp_path, s3):
    programme, inbox = demo
    s3.create_bucket(Bucket="bureau")
    uploaded = sorted(p for p in inbox.rglob("*") if p.is_file())
    for path in uploaded:
        s3.upload_file(str(path), "bureau", f"inbox/2024学年/{path.relative_to(inbox).as_posix()}")
    url = "s3://bureau/inbox/2024学年"
    args = ["run", "--programme", str(programme), "--inbox", url, "--period", "2024学年", "--quiet"]
    here = _bangfu(*args, "--out", str(tmp_path / "here"))
    assert here.returncode == 0, here.stderr
    clustered = _bangfu(*args, "--out", str(tmp_path / "cluster"), "--cluster", "local:2")
    assert clustered.returncode == 0, clustered.stderr
    one, other = _outputs(tmp_path / "here" / "2024学年"), _outputs(tmp_path / "cluster" / "2024学年")
    assert [name for name in one if one.get(name) != other.get(name)] == [] and sorted(one) == sorted(other)
    with (tmp_path / "cluster" / "2024学年" / "manifest.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(uploaded)
    assert not [r for r in rows if r["原因代码"].startswith("reader-")]
    s3.delete_object(Bucket="bureau", Key=f"inbox/2024学年/{rows[0]['路径']}")  # gone from the store
    again = _bangfu(*args, "--out", str(tmp_path / "cluster"), "--cluster", "local:2")
    assert again.returncode == 0, again.stderr
    with (tmp_path / "cluster" / "2024学年" / "manifest.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == len(rows) - 1


def test_a_store_that_cannot_be_read_is_a_message_and_exit_2(demo, tmp_path, monkeypatch):
    pytest.importorskip("s3fs")
    programme, _ = demo
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    done = _bangfu("check", "--programme", str(programme), "--inbox", "s3://bureau/inbox", "--period", "2024学年",
                   "--out", str(tmp_path / "o"), timeout=180)  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "无法读取收件箱 s3://bureau/inbox" in done.stderr, done.stderr
