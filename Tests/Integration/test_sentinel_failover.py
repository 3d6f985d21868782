"""Vigil sentinels failing over Vigil nodes, end to end: discovery, exactly one
failover when the master dies, clients following it through redis-py's
Sentinel support, a restarted old master converted at once, the majority
rule (no failover without enough live sentinels), and a restarted sentinel
keeping its identity and epochs from its rewritten config file."""
import threading
import time

import pytest
import redis
import redis.sentinel

from sentinels import MASTER, assert_never, count_events, pairs
from vigil import wait_until


def request_failover(sentinel, timeout=10):
    """SENTINEL FAILOVER, retried while the sentinel has no fresh INFO from a
    replica yet (NOGOODSLAVE, as in Redis, right after discovery or a restart)."""
    def attempt():
        try:
            return sentinel.call("SENTINEL", "FAILOVER", MASTER) == "OK"
        except redis.ResponseError as e:
            if str(e).startswith("NOGOODSLAVE"):
                return False
            raise
    wait_until(attempt, timeout=timeout, interval=0.1, message="SENTINEL FAILOVER to be accepted")


class SentinelWriter(threading.Thread):
    """INCRs one key through redis-py's Sentinel master_for until stopped,
    recording when each acknowledged write returned."""

    def __init__(self, cluster, key="counter"):
        super().__init__(daemon=True)
        self.master = cluster.redis_py_sentinel().master_for(MASTER, socket_timeout=0.5)
        self.key = key
        self.acked = []          # monotonic times of acknowledged INCRs
        self.errors = 0
        self.last_value = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.last_value = self.master.incr(self.key)
                self.acked.append(time.monotonic())
            except (redis.ConnectionError, redis.TimeoutError, redis.ReadOnlyError,
                    redis.sentinel.MasterNotFoundError):
                self.errors += 1
                time.sleep(0.02)

    def longest_gap(self):
        return max((b - a for a, b in zip(self.acked, self.acked[1:])), default=0.0)

    def wait_for_writes(self, n=20, timeout=10):
        start = len(self.acked)
        wait_until(lambda: len(self.acked) >= start + n, timeout=timeout, message=f"{n} more acknowledged writes")

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)


def test_master_crash_fails_over_once_and_clients_follow(sentinel_cluster, record_property):
    # 3 sentinels, one started as `vigil-server sentinel.conf --sentinel`.
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2, via_server=(2,))
    for s in c.sentinels:
        m = s.master()
        assert int(m["num-slaves"]) == 2 and int(m["num-other-sentinels"]) == 2
        assert {(r["ip"], int(r["port"])) for r in s.replicas()} == {n.address for n in c.nodes[1:]}
        assert {int(p["port"]) for p in s.sentinels()} == {o.port for o in c.sentinels if o is not s}
    old = c.master
    assert c.master_addrs() == {old.address}

    writer = SentinelWriter(c)
    writer.start()
    try:
        writer.wait_for_writes()
        old.kill()
        new = c.wait_new_master(old.port, timeout=20)
        c.wait_followers(new, timeout=20)
        writer.wait_for_writes(timeout=10)
        gap = writer.longest_gap()
        print(f"longest write gap across the failover: {gap:.3f}s")
        record_property("write_gap_seconds", round(gap, 3))
        assert gap < 5.0

        # Exactly one election and one promotion over the whole group; the
        # leader finishes.
        wait_until(lambda: count_events(c.sentinels, "+failover-end") == 1, timeout=20, message="+failover-end")
        assert count_events(c.sentinels, "+elected-leader") == 1
        assert count_events(c.sentinels, "+promoted-slave") == 1
        # Vigil: the leader announces the new master at promotion, before reconfiguring the rest.
        (leader,) = [s for s in c.sentinels if s.count("+elected-leader") == 1]
        names = [e for _t, e, _p in leader.events()]
        assert names.index("+promoted-slave") < names.index("+switch-master") < names.index("+slave-reconf-sent") \
            < names.index("+failover-end")
        assert new.info()["role"] == "master"
        assert c.master_addrs() == {new.address}

        # The old master restarted with its original config file (no
        # replicaof in it) comes up as a master and is converted at once.
        assert "replicaof" not in open(old.config_path).read()
        started = time.monotonic()
        old.start()
        c.wait_followers(new, nodes=[old], timeout=10)
        converted_after = time.monotonic() - started
        print(f"old master converted {converted_after:.3f}s after its restart")
        record_property("old_master_converted_seconds", round(converted_after, 3))
        assert converted_after < 4.0
        assert count_events(c.sentinels, "+convert-to-slave") >= 1
        writer.wait_for_writes()
    finally:
        writer.stop()
    assert int(new.client().get("counter")) >= writer.last_value

    # Still one failover, every sentinel agrees, sees 2 replicas again.
    assert count_events(c.sentinels, "+promoted-slave") == 1
    assert count_events(c.sentinels, "+switch-master") == 3
    assert c.master_addrs() == {new.address}
    wait_until(lambda: all(int(s.master()["num-slaves"]) == 2 for s in c.sentinels), message="2 replicas each")
    assert new.info()["connected_slaves"] == 2


def test_failover_needs_a_majority_of_the_sentinels(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2)
    s0, s1, s2 = c.sentinels

    # One of three down: the other two still fail over.
    s0.kill()
    first = c.master
    started = time.monotonic()
    first.kill()
    second = c.wait_new_master(first.port)
    took = time.monotonic() - started
    c.wait_followers(second)
    assert count_events(c.sentinels, "+promoted-slave") == 1

    # Two of three down: the last one sees the master die but never fails over.
    s1.kill()
    promoted_before = count_events([s2], "+promoted-slave")
    switched_before = count_events([s2], "+switch-master")
    second.kill()
    wait_until(lambda: any(e == "+sdown" and p.startswith("master ") and str(second.port) in p
                           for _t, e, p in s2.events()), message="+sdown of the master")
    assert_never(lambda: count_events([s2], "+promoted-slave") != promoted_before
                 or count_events([s2], "+switch-master") != switched_before
                 or s2.master_addr() != second.address,
                 duration=max(3 * took, 6.0), message="a failover without a majority")
    assert s2.call("PING")


def test_quorum_one_still_needs_a_majority_to_be_elected(sentinel_cluster):
    # Quorum 1: the lone sentinel reaches ODOWN and tries, but the election
    # needs 2 of the 3 known sentinels.
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",) * 3, quorum=1)
    s0, s1, s2 = c.sentinels
    s0.kill()
    s1.kill()
    master = c.master
    master.kill()
    wait_until(lambda: s2.count("+try-failover") >= 1, timeout=10, message="+try-failover")
    assert_never(lambda: s2.count("+elected-leader") or s2.count("+promoted-slave") or s2.count("+switch-master")
                 or s2.master_addr() != master.address,
                 duration=6.0, message="a failover without a majority")
    assert s2.count("+odown") >= 1


def test_restarted_sentinel_keeps_its_id_epochs_and_known_instances(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2)
    s = c.sentinels[0]
    old = c.master
    request_failover(s)
    new = c.wait_new_master(old.port)
    c.wait_followers(new)
    wait_until(lambda: all(int(x.master()["num-slaves"]) == 2 and x.master()["flags"] == "master"
                           for x in c.sentinels), message="the switchover to settle")
    myid = s.myid()
    config_epoch = int(s.master()["config-epoch"])
    assert config_epoch >= 1

    s.kill()
    lines = s.config_lines()
    assert f"sentinel myid {myid}" in lines
    epochs = [int(l.split()[2]) for l in lines if l.startswith("sentinel current-epoch ")]
    assert epochs and epochs[0] >= config_epoch
    assert f"sentinel config-epoch {MASTER} {config_epoch}" in lines
    assert f"sentinel monitor {MASTER} 127.0.0.1 {new.port} 2" in lines
    known_replicas = {int(l.split()[4]) for l in lines if l.startswith(f"sentinel known-replica {MASTER} ")}
    assert known_replicas == {n.port for n in c.nodes if n is not new}
    known_sentinels = {l.split()[5] for l in lines if l.startswith(f"sentinel known-sentinel {MASTER} ")}
    assert known_sentinels == {x.myid() for x in c.sentinels if x is not s}

    s.start()
    assert s.myid() == myid
    m = s.master()
    # Known before any INFO or hello arrives: read from the file.
    assert int(m["config-epoch"]) == config_epoch
    assert int(m["num-slaves"]) == 2 and int(m["num-other-sentinels"]) == 2
    assert s.master_addr() == new.address
    restarted = [int(l.split()[2]) for l in s.config_lines() if l.startswith("sentinel current-epoch ")]
    assert restarted and restarted[0] >= epochs[0]
    # The others still know it under the same id and address.
    for other in c.sentinels[1:]:
        peers = {p["runid"]: int(p["port"]) for p in other.sentinels()}
        assert peers.get(myid) == s.port
    # And it still works: once it has INFO from the replicas again (until
    # then, as in Redis, NOGOODSLAVE), a second failover is led and followed.
    request_failover(s)
    third = c.wait_new_master(new.port)
    c.wait_followers(third)
    assert int(s.master()["config-epoch"]) > config_epoch
    assert pairs(s.call("SENTINEL", "MASTER", MASTER))["name"] == MASTER


def test_sentinels_authenticate_to_password_protected_nodes(sentinel_cluster):
    # requirepass/masterauth on every node, `sentinel auth-pass` on every sentinel.
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 2, quorum=2, password="s3cret")
    old = c.master
    with pytest.raises(redis.AuthenticationError):
        old.client(password=None).ping()
    old.kill()
    new = c.wait_new_master(old.port)
    c.wait_followers(new)
    old.start()
    c.wait_followers(new, nodes=[old], timeout=10)
    m = c.redis_py_sentinel().master_for(MASTER, socket_timeout=0.5)
    assert m.set("k", "v")
    assert new.client().get("k") == "v"
