"""Crash safety of BGSAVE: vigil-server is SIGKILLed at chosen moments of a
BGSAVE (right after it starts, when a random share of the keys is written,
after it finished) and restarted on the same directory, round after round.
What it loads must be exactly the previous snapshot or the new one — never a
mix, never a torn file, never writes made after the snapshot was taken — and
the killed servers' temp files must not pile up (start-up removes those of
dead processes).

Digest of a snapshot: DBSIZE plus a marker key written just before each
BGSAVE; every round adds and deletes keys so consecutive snapshots differ,
and writes "noise" keys after BGSAVE was issued, which no snapshot may hold."""
import os
import random
import shutil
import signal
import tempfile
import time

import pytest

from vigil import wait_until

KEYS = 200_000
ROUNDS = 20
SEED = 20240601


def temp_files(d):
    return sorted(f for f in os.listdir(d) if f.startswith("temp-") and f.endswith(".rdb"))


def start(nodes, d):
    n = nodes(workdir=d)
    c = n.client()
    wait_until(lambda: c.info("persistence")["loading"] == 0, timeout=60, message="dataset loaded")
    return n, c


def digest(c):
    return c.dbsize(), c.get("marker")


@pytest.fixture
def crash_dir():
    d = tempfile.mkdtemp(prefix="vigil-crash-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_sigkill_during_bgsave_leaves_the_old_or_the_new_snapshot(crash_dir, nodes):
    began = time.monotonic()
    rng = random.Random(SEED)
    d = crash_dir
    n, c = start(nodes, d)
    p = c.pipeline(transaction=False)
    for i in range(KEYS):
        p.set(f"key:{i}", f"value-{i}")
        if i % 10_000 == 9_999:
            p.execute()
    p.set("marker", "round-0")
    p.execute()
    assert c.save()
    previous = digest(c)
    outcomes = {"old": 0, "new": 0}
    for r in range(1, ROUNDS + 1):
        # Change the data so the two candidate snapshots differ.
        p = c.pipeline(transaction=False)
        for i in range(500 + r):
            p.set(f"round:{r}:{i}", "x" * 50)
        for i in range(200):
            p.delete(f"key:{(r * 200 + i) % KEYS}")
        p.set("marker", f"round-{r}")
        p.execute()
        new = digest(c)
        assert new != previous
        c.bgsave()
        # Writes after the snapshot was taken must be in neither file.
        p = c.pipeline(transaction=False)
        for i in range(300):
            p.set(f"noise:{r}:{i}", "y")
        p.delete("key:0", "key:1")
        p.execute()
        mode = r % 4
        if mode == 1:
            target = rng.randrange(1, KEYS)
            wait_until(lambda: c.info("persistence")["current_save_keys_processed"] >= target
                       or c.info("persistence")["rdb_bgsave_in_progress"] == 0,
                       timeout=60, interval=0.001, message="save progress")
        elif mode == 2:
            wait_until(lambda: c.info("persistence")["current_save_keys_processed"] >= KEYS - 1024
                       or c.info("persistence")["rdb_bgsave_in_progress"] == 0,
                       timeout=60, interval=0.001, message="save nearly done")
        elif mode == 3:
            wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0,
                       timeout=60, interval=0.001, message="save done")
        # mode 0: kill right away.
        n.proc.send_signal(signal.SIGKILL)
        n.proc.wait(timeout=10)

        n, c = start(nodes, d)
        got = digest(c)
        assert got in (previous, new), f"round {r} (mode {mode}): loaded {got}, expected {previous} or {new}"
        outcomes["old" if got == previous else "new"] += 1
        assert c.exists(f"noise:{r}:0", f"noise:{r}:299") == 0, f"round {r}: a write made after BGSAVE was saved"
        assert temp_files(d) == [], f"round {r}: stale temp files {temp_files(d)}"
        if mode == 3:
            assert got == new, f"round {r}: the completed BGSAVE was lost"
        previous = got
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    assert time.monotonic() - began < 120
