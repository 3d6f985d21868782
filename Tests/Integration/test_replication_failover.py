"""FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] between Vigil nodes
(Redis 6.2/7.0 semantics): writes are paused while the chosen replica catches
up, the master then demotes itself and its PSYNC ... FAILOVER promotes the
target, which continues it partially; acknowledged writes are never lost."""
import signal
import threading

import pytest
import redis

from vigil import wait_until


def info(c, section="replication"):
    return c.info(section)


def failover_state(c):
    return info(c)["master_failover_state"]


def wait_link_up(c, timeout=20):
    wait_until(lambda: info(c).get("master_link_status") == "up", timeout=timeout, message="master_link_status:up")


def wait_online(master, count, timeout=20):
    def online():
        i = info(master)
        return sum(1 for k, v in i.items() if k.startswith("slave") and isinstance(v, dict) and v.get("state") == "online") == count
    wait_until(online, timeout=timeout, message=f"{count} online replicas")


def wait_offsets_equal(master, replica, timeout=10):
    wait_until(lambda: info(replica).get("slave_repl_offset") == info(master)["master_repl_offset"],
               timeout=timeout, message="replica offset to reach the master's")


@pytest.fixture
def trio(nodes):
    """A Vigil master with two Vigil replicas, streaming."""
    fast = ("--repl-diskless-sync-delay", "0")
    m, a, b = nodes(*fast), nodes(*fast), nodes(*fast)
    cm, ca, cb = m.client(), a.client(), b.client()
    for c in (ca, cb):
        c.execute_command("REPLICAOF", "127.0.0.1", m.port)
    for c in (ca, cb):
        wait_link_up(c)
    wait_online(cm, 2)
    cm.set("seed", "1")
    wait_offsets_equal(cm, ca)
    wait_offsets_equal(cm, cb)
    yield (m, cm), (a, ca), (b, cb)
    for n in (m, a, b):
        if n.proc.poll() is None:
            n.proc.send_signal(signal.SIGCONT)
    for c in (cm, ca, cb):
        c.close()


class Writer(threading.Thread):
    """SETs w:<i> on the master until refused; records the acknowledged ones."""

    def __init__(self, node):
        super().__init__(daemon=True)
        self.client = node.client()
        self.acked = []
        self.error = None
        self.stopping = threading.Event()

    def run(self):
        i = 0
        while not self.stopping.is_set():
            try:
                self.client.set(f"w:{i}", i)
            except redis.RedisError as e:
                self.error = e
                return
            self.acked.append(i)
            i += 1

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)
        assert not self.is_alive()
        self.client.close()


def check_handover(old, new, cold, cnew):
    wait_until(lambda: info(cnew)["role"] == "master", timeout=20, message="the target to be promoted")
    wait_until(lambda: info(cold)["role"] == "slave" and info(cold)["master_link_status"] == "up",
               timeout=20, message="the old master to follow the new one")
    wait_until(lambda: failover_state(cold) == "no-failover", timeout=20, message="failover to finish")
    assert info(cold)["master_port"] == new.port
    assert cnew.info("stats")["sync_partial_ok"] >= 1
    assert cnew.info("stats")["sync_full"] == 0


def test_failover_to_a_replica_hands_over_partially_and_loses_no_acknowledged_write(trio):
    (m, cm), (a, ca), (b, cb) = trio
    writer = Writer(m)
    writer.start()
    wait_until(lambda: len(writer.acked) > 200, timeout=20, message="writes to flow")
    assert cm.execute_command("FAILOVER", "TO", "127.0.0.1", a.port) == b"OK"
    check_handover(m, a, cm, ca)
    # Writes held during the failover are refused by the now read-only old master.
    wait_until(lambda: writer.error is not None, timeout=20, message="the writer to be refused")
    writer.stop()
    assert isinstance(writer.error, redis.ReadOnlyError)
    assert "FAILOVER requested to 127.0.0.1:%d." % a.port in m.output()
    assert "Failover request received for replid" in a.output()
    # Every acknowledged write is on the new master.
    acked = writer.acked
    values = ca.mget([f"w:{i}" for i in acked])
    assert values == [str(i).encode() for i in acked]
    # The new master's writes reach the old one.
    ca.set("after", "1")
    wait_until(lambda: cm.get("after") == b"1", timeout=10, message="old master to follow")
    # The other replica re-pointed at the new master continues partially too.
    before = ca.info("stats")["sync_partial_ok"]
    cb.execute_command("REPLICAOF", "127.0.0.1", a.port)
    wait_until(lambda: info(cb).get("master_port") == a.port and info(cb)["master_link_status"] == "up",
               timeout=20, message="other replica to follow the new master")
    assert ca.info("stats")["sync_partial_ok"] == before + 1
    assert ca.info("stats")["sync_full"] == 0
    wait_offsets_equal(ca, cb)
    assert cb.mget([f"w:{i}" for i in acked]) == values


def test_failover_without_target_picks_a_synced_replica(trio):
    (m, cm), (a, ca), (b, cb) = trio
    cm.set("k", "v")
    assert cm.execute_command("FAILOVER") == b"OK"
    wait_until(lambda: info(cm)["role"] == "slave", timeout=20, message="the master to demote itself")
    port = info(cm)["master_port"]
    assert port in (a.port, b.port)
    new = ca if port == a.port else cb
    new_node = a if port == a.port else b
    check_handover(m, new_node, cm, new)
    assert new.get("k") == b"v"


def test_failover_timeout_aborts_when_the_replica_does_not_catch_up(trio):
    (m, cm), (a, ca), (b, cb) = trio
    a.proc.send_signal(signal.SIGSTOP)
    b.proc.send_signal(signal.SIGSTOP)
    try:
        assert cm.execute_command("FAILOVER", "TO", "127.0.0.1", a.port, "TIMEOUT", 500) == b"OK"
        assert failover_state(cm) == "waiting-for-sync"
        wait_until(lambda: failover_state(cm) == "no-failover", timeout=10, message="the timeout to abort")
    finally:
        a.proc.send_signal(signal.SIGCONT)
        b.proc.send_signal(signal.SIGCONT)
    assert info(cm)["role"] == "master"
    assert cm.set("writable", "1")  # unpaused
    assert "aborted: Replica never caught up before timeout" in m.output()


def test_failover_abort_cancels_and_releases_held_writes(trio):
    (m, cm), (a, ca), (b, cb) = trio
    a.proc.send_signal(signal.SIGSTOP)
    b.proc.send_signal(signal.SIGSTOP)
    try:
        assert cm.execute_command("FAILOVER") == b"OK"
        assert failover_state(cm) == "waiting-for-sync"
        with pytest.raises(redis.ResponseError, match="FAILOVER already in progress."):
            cm.execute_command("FAILOVER")
        held = Writer(m)
        held.start()
        # The write is held (paused), not refused.
        with pytest.raises(TimeoutError):
            wait_until(lambda: held.acked or held.error, timeout=0.5, message="held write")
        assert cm.execute_command("FAILOVER", "ABORT") == b"OK"
        wait_until(lambda: len(held.acked) > 0, timeout=10, message="held write released")
        held.stop()
        assert held.error is None
        assert failover_state(cm) == "no-failover"
        assert info(cm)["role"] == "master"
        assert "aborted: Failover manually aborted" in m.output()
    finally:
        a.proc.send_signal(signal.SIGCONT)
        b.proc.send_signal(signal.SIGCONT)


def test_failover_force_fails_over_at_the_timeout(trio):
    (m, cm), (a, ca), (b, cb) = trio
    a.proc.send_signal(signal.SIGSTOP)
    try:
        assert cm.execute_command("FAILOVER", "TO", "127.0.0.1", a.port, "FORCE", "TIMEOUT", 300) == b"OK"
        wait_until(lambda: failover_state(cm) == "failover-in-progress", timeout=10, message="forced hand-over")
        assert info(cm)["role"] == "slave"
    finally:
        a.proc.send_signal(signal.SIGCONT)
    wait_until(lambda: info(ca)["role"] == "master", timeout=20, message="the target to be promoted")
    wait_until(lambda: failover_state(cm) == "no-failover" and info(cm)["master_link_status"] == "up",
               timeout=20, message="the old master to follow")
    assert "time out exceeded, failing over." in m.output()


def test_failover_errors(trio, nodes):
    (m, cm), (a, ca), (b, cb) = trio
    def err(c, *args):
        with pytest.raises(redis.ResponseError) as e:
            c.execute_command("FAILOVER", *args)
        return str(e.value)
    assert err(cm, "ABORT") == "No failover in progress."
    assert err(cm, "ABORT", "FORCE") == "syntax error"
    assert err(cm, "BOGUS") == "syntax error"
    assert err(cm, "TO", "127.0.0.1") == "syntax error"
    assert err(cm, "TIMEOUT", 0) == "FAILOVER timeout must be greater than 0"
    assert err(cm, "TIMEOUT", "x") == "value is not an integer or out of range"
    assert err(cm, "TO", "127.0.0.1", a.port, "FORCE") == \
        "FAILOVER with force option requires both a timeout and target HOST and IP."
    assert err(cm, "TO", "127.0.0.1", 1) == "FAILOVER target HOST and PORT is not a replica."
    assert err(ca, "TO", "127.0.0.1", 1) == "FAILOVER is not valid when server is a replica."
    lone = nodes().client()
    assert err(lone, "TO", "127.0.0.1", a.port) == "FAILOVER requires connected replicas."
    lone.close()
    assert failover_state(cm) == "no-failover"
    # PSYNC FAILOVER with a foreign replid is refused.
    with pytest.raises(redis.ResponseError, match="PSYNC FAILOVER replid must match my replid."):
        ca.execute_command("PSYNC", "0" * 40, 1, "FAILOVER")
