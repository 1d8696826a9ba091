"""How much of the time one PostgreSQL advisory lock is held, and how many wait for it: sampled
from pg_locks by a thread of the bench while the servers are loaded (bench/rush.py).

The service chains its audit events under ``pg_advisory_xact_lock(CHAIN_LOCK_KEY)``
(drafting/audit/chain.py): every transaction that records an event holds it from the event's
flush to its commit, so the chain is the one place where all app servers on one database take
turns. Its share of the time is what bounds them: a lock held a fraction ``held`` of the time
while ``n`` submissions per second go through is held ``held / n`` seconds per submission, and
no number of app servers can pass ``n / held`` submissions per second.

pg_locks shows a lock on one bigint key as classid (its high 32 bits), objid (its low 32 bits)
and objsubid 1. Sampling costs one small query each ``interval`` on the loaded machine.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, text

QUERY = text(
    "SELECT count(*) FILTER (WHERE granted), count(*) FILTER (WHERE NOT granted) "
    "FROM pg_locks WHERE locktype = 'advisory' AND classid = :high AND objid = :low "
    "AND objsubid = 1"
)


@dataclass
class LockShare:
    samples: int = 0
    held: int = 0  # samples in which a transaction held the lock
    waiting: int = 0  # waiters summed over the samples

    @property
    def held_share(self) -> float:
        return self.held / self.samples if self.samples else 0.0

    @property
    def mean_waiting(self) -> float:
        return self.waiting / self.samples if self.samples else 0.0


class LockSampler:
    """Samples the advisory lock ``key`` every ``interval`` seconds between start() and stop()."""

    def __init__(self, url: str, key: int, interval: float = 0.005):
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.params = {"high": key >> 32, "low": key & 0xFFFFFFFF}
        self.interval = interval
        self.share = LockShare()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.engine.connect() as conn:
            while not self._stop.is_set():
                granted, waiting = conn.execute(QUERY, self.params).one()
                self.share.samples += 1
                self.share.held += 1 if granted else 0
                self.share.waiting += waiting
                time.sleep(self.interval)

    def start(self) -> LockSampler:
        self._thread.start()
        return self

    def stop(self) -> LockShare:
        self._stop.set()
        self._thread.join(10)
        self.engine.dispose()
        return self.share
