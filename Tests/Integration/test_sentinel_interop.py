"""Vigil's sentinel among real Redis 7.0 processes: Vigil sentinels failing
over real redis-server nodes; a Vigil sentinel in one group with two real
redis-sentinels, failing over together; and clients (redis-py's Sentinel
support, redis-cli) getting the same replies from a Vigil sentinel as from a
real one — same field names for MASTER / REPLICAS / SENTINELS entries."""
import json
import subprocess

import pytest
import redis

from sentinels import HAVE_REDIS, HAVE_REDIS_SENTINEL, MASTER, count_events, pairs
from vigil import binary, wait_until

pytestmark = pytest.mark.skipif(not (HAVE_REDIS and HAVE_REDIS_SENTINEL),
                                reason="redis-server / redis-sentinel not installed (scripts/test installs them)")


def test_vigil_sentinels_fail_over_real_redis_servers(sentinel_cluster):
    c = sentinel_cluster(node_kind="redis", replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2)
    old = c.master
    old.client().set("k", "before")
    wait_until(lambda: all(n.client().get("k") == "before" for n in c.nodes[1:]), message="replication of k")
    old.kill()
    new = c.wait_new_master(old.port)
    c.wait_followers(new)
    assert new.kind == "redis" and new.info()["role"] == "master"
    assert new.client().get("k") == "before"
    wait_until(lambda: count_events(c.sentinels, "+failover-end") == 1, timeout=20, message="+failover-end")
    assert count_events(c.sentinels, "+promoted-slave") == 1
    # The restarted real redis-server is converted too.
    old.start()
    c.wait_followers(new, nodes=[old], timeout=10)
    new.client().set("k", "after")
    wait_until(lambda: old.client().get("k") == "after", message="the old master to replicate")


def test_mixed_group_of_vigil_and_redis_sentinels_fails_over_together(sentinel_cluster):
    # Two real redis-sentinels and one Vigil sentinel monitoring Vigil nodes.
    # A split vote makes a real sentinel wait 2 × failover-timeout: keep it short.
    c = sentinel_cluster(replicas=2, sentinel_kinds=("redis", "vigil", "redis"), quorum=2, failover_timeout=5000)
    vigil_sentinel = c.sentinels[1]
    ids = {s.myid() for s in c.sentinels}
    assert len(ids) == 3
    for s in c.sentinels:
        assert {p["runid"] for p in s.sentinels()} == ids - {s.myid()}
    old = c.master
    old.kill()
    new = c.wait_new_master(old.port, timeout=30)
    c.wait_followers(new, timeout=20)
    assert count_events(c.sentinels, "+promoted-slave") == 1
    assert count_events(c.sentinels, "+elected-leader") == 1
    # Every sentinel, whoever led, ends up with the same master and config epoch.
    wait_until(lambda: len({s.master()["config-epoch"] for s in c.sentinels}) == 1, message="one config epoch")
    assert c.master_addrs() == {new.address}
    assert vigil_sentinel.master_addr() == new.address
    old.start()
    c.wait_followers(new, nodes=[old], timeout=15)

    # Both kinds lead a failover the others follow: a real redis-sentinel's
    # SENTINEL FAILOVER (Redis's forced failover of Vigil nodes), then the
    # Vigil sentinel's (its switchover), each observed by the other kind.
    for leader in (c.sentinels[0], vigil_sentinel):
        previous = c.master
        wait_until(lambda: all(r.get("master-link-status") == "ok" for r in leader.replicas()
                               if "s_down" not in r["flags"]), message="fresh replica INFO at the leader")
        wait_until(lambda: leader.call("SENTINEL", "FAILOVER", MASTER) in ("OK", True), timeout=10,
                   message=f"SENTINEL FAILOVER on the {leader.kind} sentinel")
        promoted = c.wait_new_master(previous.port, timeout=20)
        c.wait_followers(promoted, timeout=20)
        wait_until(lambda: len({s.master()["config-epoch"] for s in c.sentinels}) == 1, message="one config epoch")
        wait_until(lambda: all(s.master()["flags"] == "master" for s in c.sentinels), timeout=20,
                   message="every failover to end")
    assert count_events(c.sentinels, "+promoted-slave") == 3


def redis_cli(port, *args):
    p = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, timeout=10)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode()


def flat_keys(text):
    """The keys of redis-cli's printing of a flat field list (every other line)."""
    return set(text.splitlines()[0::2])


def redis_py_views(port):
    """What redis-py's Sentinel commands return from the sentinel at `port`."""
    r = redis.Redis(port=port, protocol=2, decode_responses=True, socket_timeout=5)
    try:
        return {
            "masters": r.sentinel_masters(),
            "master": r.sentinel_master(MASTER),
            "slaves": r.sentinel_slaves(MASTER),
            "sentinels": r.sentinel_sentinels(MASTER),
            "addr": r.sentinel_get_master_addr_by_name(MASTER),
            "ckquorum": r.sentinel_ckquorum(MASTER),
        }
    finally:
        r.close()


def reply_or_error(sentinel, args):
    try:
        return repr(sentinel.call(*args))
    except redis.ResponseError as e:
        return f"error: {e}"


def assert_same_replies(vigil, real, master_port):
    """Requests that change nothing get the same reply (errors word for word)."""
    mp = str(master_port)
    requests = [
        ("SENTINEL", "MASTER", "nosuch"), ("SENTINEL", "REPLICAS", "nosuch"), ("SENTINEL", "SENTINELS", "nosuch"),
        ("SENTINEL", "FAILOVER", "nosuch"), ("SENTINEL", "REMOVE", "nosuch"), ("SENTINEL", "CKQUORUM", "nosuch"),
        ("SENTINEL", "RESET", "nomatch*"), ("SENTINEL", "INFO-CACHE", "nosuch"), ("SENTINEL", "INFO-CACHE"),
        ("SENTINEL", "SET", "nosuch", "quorum", "2"), ("SENTINEL", "SET", MASTER, "quorum", "0"),
        ("SENTINEL", "SET", MASTER, "nosuch", "1"), ("SENTINEL", "SET", MASTER, "quorum"),
        ("SENTINEL", "SET", MASTER, "down-after-milliseconds", "-5"), ("SENTINEL", "SET", MASTER, "down-after-milliseconds", "abc"),
        ("SENTINEL", "DEBUG", "INFO-PERIOD", "0"), ("SENTINEL", "DEBUG", "INFO-PERIOD", "abc"),
        ("SENTINEL", "DEBUG", "NOSUCH", "5"), ("SENTINEL", "DEBUG", "INFO-PERIOD"),
        ("SENTINEL", "MONITOR", "other", "127.0.0.1", "x", "2"), ("SENTINEL", "MONITOR", "other", "127.0.0.1", "6379", "x"),
        ("SENTINEL", "MONITOR", "other", "127.0.0.1", "6379", "0"), ("SENTINEL", "MONITOR", "other", "bad host", "6379", "2"),
        ("SENTINEL", "CONFIG", "SET", "announce-port", "99999"), ("SENTINEL", "CONFIG", "SET", "nosuch", "1"),
        ("SENTINEL", "CONFIG", "GET"), ("SENTINEL", "CONFIG", "BOGUS", "x"), ("SENTINEL", "CONFIG", "GET", "resolve-hostnames"),
        ("SENTINEL", "SIMULATE-FAILURE", "bogus"), ("SENTINEL", "NOSUCH"), ("SENTINEL",), ("SENTINEL", "MASTER"),
        ("SENTINEL", "MYID", "x"), ("SENTINEL", "GET-MASTER-ADDR-BY-NAME"), ("SENTINEL", "PENDING-SCRIPTS"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", mp, "0", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", "99999", "0", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", mp, "-1", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "x", "y", "z", "w"), ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1"),
        ("PUBLISH", "news", "x"), ("PUBLISH", "__sentinel__:hello"), ("ROLE", "extra"), ("GET", "k"), ("FLUSHALL",),
    ]
    differences = [(args, reply_or_error(vigil, args), reply_or_error(real, args)) for args in requests]
    differences = [d for d in differences if d[1] != d[2]]
    assert differences == []


def test_clients_see_the_same_replies_from_vigil_and_redis_sentinels(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil", "redis", "vigil"), quorum=2)
    vigil, real = c.sentinels[0], c.sentinels[1]
    # Both have fresh INFO from every replica (replica fields filled in).
    for s in (vigil, real):
        wait_until(lambda: all(r.get("master-link-status") == "ok" and r.get("role-reported") == "slave"
                               and "master-host" in r for r in s.replicas()), message="replica INFO")

    # Same field names, entry by entry (raw RESP2 flat lists).
    def raw_keys(s):
        master = pairs(s.call("SENTINEL", "MASTER", MASTER))
        masters = [pairs(m) for m in s.call("SENTINEL", "MASTERS")]
        return (set(master), [set(m) for m in masters], [set(r) for r in s.replicas()], [set(p) for p in s.sentinels()])
    v_master, v_masters, v_replicas, v_sentinels = raw_keys(vigil)
    r_master, r_masters, r_replicas, r_sentinels = raw_keys(real)
    assert v_master == r_master
    assert v_masters == r_masters == [r_master]
    assert v_replicas == r_replicas and len(v_replicas) == 2
    assert v_sentinels == r_sentinels and len(v_sentinels) == 2
    assert vigil.master()["flags"] == real.master()["flags"] == "master"
    assert sorted(r["flags"] for r in vigil.replicas()) == sorted(r["flags"] for r in real.replicas())

    # redis-cli, unchanged.
    for sub in ("masters", "master", "replicas", "sentinels"):
        args = ["SENTINEL", sub] + ([] if sub == "masters" else [MASTER])
        v_text, r_text = redis_cli(vigil.port, *args), redis_cli(real.port, *args)
        if sub in ("master", "masters"):
            assert flat_keys(v_text) == flat_keys(r_text), sub
        else:
            assert len(v_text.splitlines()) == len(r_text.splitlines()), sub
    for args in (["SENTINEL", "get-master-addr-by-name", MASTER], ["SENTINEL", "ckquorum", MASTER]):
        assert redis_cli(vigil.port, *args) == redis_cli(real.port, *args)
    assert redis_cli(vigil.port, "SENTINEL", "get-master-addr-by-name", MASTER).split() == ["127.0.0.1", str(c.master.port)]
    assert len(redis_cli(vigil.port, "SENTINEL", "myid").strip()) == 40
    assert redis_cli(vigil.port, "SENTINEL", "get-master-addr-by-name", "nosuch").strip() == \
        redis_cli(real.port, "SENTINEL", "get-master-addr-by-name", "nosuch").strip()
    assert redis_cli(vigil.port, "SENTINEL", "master", "nosuch") == redis_cli(real.port, "SENTINEL", "master", "nosuch")

    # INFO-CACHE: [name, [[ms, info-text] for the master and each replica]].
    def info_cache_shape(s):
        reply = s.call("SENTINEL", "INFO-CACHE", MASTER)
        assert len(reply) == 2 and reply[0] == MASTER
        entries = reply[1]
        assert all(isinstance(ms, int) and ms >= 0 and "# Replication" in text for ms, text in entries)
        return len(entries)
    assert info_cache_shape(vigil) == info_cache_shape(real) == 3
    assert "# Replication" in redis_cli(vigil.port, "SENTINEL", "info-cache", MASTER)

    # redis-py: the parsed views have the same keys; the Sentinel client works.
    v_views, r_views = redis_py_views(vigil.port), redis_py_views(real.port)
    assert set(v_views["masters"]) == set(r_views["masters"]) == {MASTER}
    assert set(v_views["masters"][MASTER]) == set(r_views["masters"][MASTER])
    assert set(v_views["master"]) == set(r_views["master"])
    assert [set(x) for x in v_views["slaves"]] == [set(x) for x in r_views["slaves"]]
    assert [set(x) for x in v_views["sentinels"]] == [set(x) for x in r_views["sentinels"]]
    assert v_views["addr"] == r_views["addr"] == ("127.0.0.1", c.master.port)
    assert v_views["ckquorum"] == r_views["ckquorum"]  # redis-py's bool_ok: False for "OK 3 usable …" from both
    assert v_views["master"]["is_master"] and not v_views["master"]["is_odown"]

    import redis.sentinel
    client = redis.sentinel.Sentinel([vigil.address], socket_timeout=0.5)
    assert client.discover_master(MASTER) == ("127.0.0.1", c.master.port)
    assert sorted(client.discover_slaves(MASTER)) == sorted(n.address for n in c.nodes[1:])
    m = client.master_for(MASTER, socket_timeout=0.5)
    m.set("seen-by", "vigil-sentinel")
    replica = client.slave_for(MASTER, socket_timeout=0.5, decode_responses=True)
    wait_until(lambda: replica.get("seen-by") == "vigil-sentinel", message="the write to reach a replica")
    # INFO and ROLE as a sentinel answers them.
    info = vigil.client().info("sentinel")
    assert info["sentinel_masters"] == 1 and info["master0"]["name"] == MASTER
    assert info["master0"]["status"] == "ok" and info["master0"]["slaves"] == 2 and info["master0"]["sentinels"] == 3
    assert vigil.call("ROLE") == ["sentinel", [MASTER]] == real.call("ROLE")

    # Error replies (and odd-but-valid requests) answered as a real sentinel answers them.
    assert_same_replies(vigil, real, c.master.port)

    # Vigil's `sentinel status` works against a real redis-sentinel (no EVENTS there).
    p = subprocess.run([binary("sentinel"), "status", "-p", str(real.port), "--json"], capture_output=True, timeout=20)
    assert p.returncode == 0, p.stderr
    (status,) = json.loads(p.stdout)["masters"]
    assert status["address"] == f"127.0.0.1:{c.master.port}" and status["events"] == []
    assert len(status["replicas"]) == 2 and len(status["sentinels"]) == 2
