"""Reading the inbox on a Dask cluster, when one machine is not enough (docs/scale.md).

A task is one batch of files, read on a worker in the same isolated, memory-capped, timed
subprocess as on one machine (``batch.read_isolated``): a hostile file kills that subprocess, not
the Dask worker. The programme goes to every worker once (scattered); each finished batch comes
back as the intake's FileResults, kept by the file they belong to, so a batch Dask runs again
after losing a worker is never counted twice. Validation, counting and writing stay in the
parent, so a cluster run's outputs are the local run's, byte for byte. Workers must see the
inbox at the same path as the parent (a shared mount).

``address``: ``tcp://host:8786`` (or ``tls://``) for a running scheduler, or ``local:N`` for a
cluster of N worker processes on this machine (for trying it, and for the tests).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.core.errors import ConfigError
from pipeline.intake import isolate
from pipeline.intake.remote import fetched
from pipeline.intake.worker import FileResult

LOCAL = re.compile(r"^local:(\d{1,3})$")
REMOTE = re.compile(r"^(tcp|tls|ucx|inproc)://\S+$")
CONNECT_TIMEOUT = "10s"
PRELOAD = ["pipeline.intake.worker", "pipeline.intake.isolate"]  # what a fork server imports before forking


_RESIDENT = isolate.Resident()  # on a worker: the reader process its tasks share, started by the first


@dataclass(frozen=True)
class _Read:
    """A task's FileResults, in one opaque object: a plain list would be walked by Dask, item by
    item and into every parsed column, looking for futures (3x slower a batch, measured)."""

    results: list[FileResult]


class DaemonWorker(RuntimeError):
    """A Dask worker that may not start the reader's subprocess (a daemonic process)."""


def valid(address: str) -> bool:
    match = LOCAL.match(address)
    return bool(REMOTE.match(address) or (match and int(match.group(1)) >= 1))


@contextlib.contextmanager
def client_for(address: str) -> Iterator[Any]:
    """A Dask client of the scheduler at ``address``, or of a local cluster started for the run
    (its workers non-daemonic, so that they may start the readers' subprocesses)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("error.cluster_needs_dask") from exc
    local = LOCAL.match(address)
    if local:
        with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
            n_workers=int(local.group(1)), threads_per_worker=1, processes=True, memory_limit=0,
            dashboard_address=None, silence_logs=logging.ERROR,
        ) as cluster, Client(cluster) as client:  # fmt: skip
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError("error.cluster_unreachable", address=address, reason=str(exc).splitlines()[0]) from exc
    with client:
        yield client


def read_on_cluster(
    batches: list[list[tuple[str, str]]], work: isolate.Setup, readers: Any, done: Callable[[int], None]
) -> list[FileResult]:
    """Every batch read on the cluster; a batch whose task failed for good (its workers kept
    dying) is read on this machine instead, so no file is lost."""
    from distributed import as_completed

    results: list[FileResult] = []
    failed: list[list[tuple[str, str]]] = []
    with client_for(readers.cluster) as client:
        shared = client.scatter(work, broadcast=True)  # the programme, once per worker
        token = uuid.uuid4().hex  # the run: its tasks on a worker share one reader process
        futures = {
            client.submit(_task, batch, shared, readers.memory, readers.timeout, token, readers.remote, pure=False): i
            for i, batch in enumerate(batches)
        }
        for future in as_completed(futures):
            try:
                value = future.result()
            except DaemonWorker as exc:
                raise ConfigError("error.cluster_daemon", address=readers.cluster) from exc
            except Exception:  # noqa: BLE001 - KilledWorker and the like: read here instead
                failed.append(batches[futures[future]])
                continue
            results += value.results
            done(len(value.results))
        with contextlib.suppress(Exception):  # a worker gone by now has no readers left to stop
            client.run(_release)
    if failed:
        from pipeline.intake.batch import read_isolated

        results += read_isolated(failed, work, readers.workers, readers.memory, readers.timeout, readers.log, done)
    return results


def _task(
    batch: list[tuple[str, str]], work: isolate.Setup, memory: int, timeout: float, token: str, remote: str = ""
) -> _Read:
    """On a worker: one batch read in an isolated subprocess, started by a fork server (a Dask
    worker has threads; forking it could copy a held lock)."""
    from pipeline.intake.batch import read_isolated

    if mp.current_process().daemon:
        raise DaemonWorker("daemonic Dask worker")
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    if method == "forkserver":  # the server imports the readers once; each child forks with them loaded
        mp.get_context(method).set_forkserver_preload(PRELOAD)
    _RESIDENT.setup_key = token  # every task of the run carries its own copy of the programme: same readers
    if not remote:
        return _Read(read_isolated([batch], work, 1, memory, timeout, None, method=method, runner=_RESIDENT.run))
    with fetched(remote, batch) as local:  # the inbox is in object storage: this batch's objects, here
        return _Read(read_isolated([local], work, 1, memory, timeout, None, method=method, runner=_RESIDENT.run))


def _release() -> None:
    """On every worker at the end of a run: its resident readers stop (they hold the programme)."""
    _RESIDENT.close()
