"""A restarted Vigil replica continues with a PARTIAL resync, as Redis 7.0:
the dump stored from the full sync's payload (repl-diskless-load disabled,
even with `save ""`) or saved by the replica itself carries repl-id /
repl-offset / repl-stream-db, and a node started with `replicaof` adopts them
as its cached master (PSYNC <id> <offset+1>). Masters: Vigil and a real
redis-server 7.0. Every wait is bounded; every process is killed."""
import os
import re
import signal

import pytest

from vigil import Node, wait_until
from test_replication_replica import REDIS_SERVER, RealRedis

REPLICA_CONF = "replicaof 127.0.0.1 {port}\nsave \"\"\n"


def info(c, section="replication"):
    return c.info(section)


def wait_synced(master, replica, timeout=20):
    def same():
        r = info(replica)
        return r.get("master_link_status") == "up" and r.get("slave_repl_offset") == info(master)["master_repl_offset"]
    wait_until(same, timeout=timeout, message="replica to catch up with the master")


def write(mc, prefix, count, db=0):
    mc.execute_command("SELECT", db)
    for i in range(count):
        mc.set(f"{prefix}{i}", f"v{i}")
    mc.execute_command("SELECT", 0)


def check(c, prefix, count, db=0):
    c.execute_command("SELECT", db)
    try:
        for i in range(count):
            assert c.get(f"{prefix}{i}") == f"v{i}".encode(), f"{prefix}{i} in db {db}"
    finally:
        c.execute_command("SELECT", 0)


def stats(c):
    s = info(c, "stats")
    return s["sync_full"], s["sync_partial_ok"]


def start_replica(nodes, master_port, workdir=None):
    n = nodes(config_text=REPLICA_CONF.format(port=master_port), workdir=workdir)
    return n, n.client()


def restart_and_check(nodes, master, mc, replica, *, expect_offset=None):
    full, partial = stats(mc)
    n = start_replica(nodes, master.port, workdir=replica.workdir)[0]
    rc = n.client()
    wait_synced(mc, rc)
    log = n.output()
    assert "Successful partial resynchronization with master." in log, log
    assert "Partial resynchronization not possible" not in log, log
    if expect_offset is not None:
        m = re.search(r"Trying a partial resynchronization \(request [0-9a-f]{40}:(\d+)\)", log)
        assert m and int(m.group(1)) == expect_offset + 1, log
    full2, partial2 = stats(mc)
    assert full2 == full and partial2 == partial + 1
    return n, rc


@pytest.fixture
def vigil_master(nodes):
    return nodes()


def test_sigkilled_replica_of_vigil_resyncs_partially(nodes, vigil_master):
    mc = vigil_master.client()
    write(mc, "a", 50)
    replica, rc = start_replica(nodes, vigil_master.port)
    wait_synced(mc, rc)
    write(mc, "b", 50, db=2)
    wait_synced(mc, rc)
    assert os.path.exists(os.path.join(replica.workdir, "dump.rdb"))
    replica.proc.send_signal(signal.SIGKILL)
    replica.proc.wait(timeout=10)
    write(mc, "c", 50)
    write(mc, "d", 10, db=2)
    _, rc2 = restart_and_check(nodes, vigil_master, mc, replica)
    check(rc2, "a", 50)
    check(rc2, "b", 50, db=2)
    check(rc2, "c", 50)
    check(rc2, "d", 10, db=2)


@pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server 7.0 not installed")
def test_sigkilled_replica_of_real_redis_resyncs_partially(nodes):
    master = RealRedis()
    try:
        mc = master.client()
        write(mc, "a", 50)
        replica, rc = start_replica(nodes, master.port)
        wait_synced(mc, rc)
        write(mc, "b", 50, db=3)
        wait_synced(mc, rc)
        replica.proc.send_signal(signal.SIGKILL)
        replica.proc.wait(timeout=10)
        write(mc, "c", 50)
        write(mc, "d", 10, db=3)
        _, rc2 = restart_and_check(nodes, master, mc, replica)
        check(rc2, "a", 50)
        check(rc2, "b", 50, db=3)
        check(rc2, "c", 50)
        check(rc2, "d", 10, db=3)
    finally:
        master.stop()


def test_replica_restarted_after_shutdown_resyncs_partially_from_its_own_dump(nodes, vigil_master):
    mc = vigil_master.client()
    write(mc, "a", 20)
    replica, rc = start_replica(nodes, vigil_master.port)
    wait_synced(mc, rc)
    # The stream is left in db 3: the dump's repl-stream-db must say so, as
    # the master continues without a new SELECT.
    write(mc, "b", 30, db=3)
    mc.execute_command("SELECT", 3)
    mc.set("last", "in3")
    wait_synced(mc, rc)
    offset = info(rc)["master_repl_offset"]
    try:
        rc.execute_command("SHUTDOWN", "SAVE")
    except Exception:
        pass  # the connection closes as the server exits
    assert replica.proc.wait(timeout=10) == 0
    mc.set("after", "shutdown")   # still in db 3, no SELECT in the stream
    _, rc2 = restart_and_check(nodes, vigil_master, mc, replica, expect_offset=offset)
    check(rc2, "a", 20)
    check(rc2, "b", 30, db=3)
    rc2.execute_command("SELECT", 3)
    assert rc2.get("last") == b"in3" and rc2.get("after") == b"shutdown"
