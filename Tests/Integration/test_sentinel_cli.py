"""The `sentinel` operator verbs against a live cluster: `status` (text and
--json) before and after a failover, its failure on a closed port,
`failover` as a zero-loss switchover under a concurrent writer, `ckquorum`
and `reset`."""
import json
import socket
import subprocess
import threading
import time

import redis
import redis.sentinel

from sentinels import MASTER, count_events
from vigil import binary, wait_until


def sentinel_cli(*args, timeout=20):
    p = subprocess.run([binary("sentinel"), *args], capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def status(sentinel, *extra):
    code, out, err = sentinel_cli("status", "-p", str(sentinel.port), *extra)
    assert code == 0, err
    return out


def test_status_shows_the_cluster_before_and_after_a_failover(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2)
    s = c.sentinels[0]
    old = c.master
    wait_until(lambda: all(r["master-link-status"] == "ok" for r in s.replicas()), message="replica INFO")

    text = status(s)
    assert f"127.0.0.1:{old.port}" in text
    assert "Master mymaster" in text and s.myid() in text
    assert "Replicas (2)" in text and "Sentinels (2)" in text and "2 others" in text
    for n in c.nodes[1:]:
        assert f"127.0.0.1:{n.port}" in text
    for other in c.sentinels[1:]:
        assert f"127.0.0.1:{other.port}" in text
    assert "Last failover" not in text

    doc = json.loads(status(s, "--json"))
    assert doc["sentinel"]["myid"] == s.myid() and doc["sentinel"]["tilt"] is False
    assert doc["sentinel"]["address"].endswith(f":{s.port}")
    (m,) = doc["masters"]
    assert m["name"] == MASTER and m["address"] == f"127.0.0.1:{old.port}"
    assert m["state"] == "ok" and m["flags"] == ["master"] and m["quorum"] == 2
    assert m["numOtherSentinels"] == 2 and m["ckquorum"]["ok"] is True
    assert sorted(r["address"] for r in m["replicas"]) == sorted(f"127.0.0.1:{n.port}" for n in c.nodes[1:])
    for r in m["replicas"]:
        assert set(r) >= {"address", "flags", "masterLinkStatus", "replOffset", "lagBytes", "priority", "lastOkPingReplyMs"}
        assert r["masterLinkStatus"] == "ok" and isinstance(r["replOffset"], int)
    assert sorted(x["runid"] for x in m["sentinels"]) == sorted(o.myid() for o in c.sentinels[1:])
    assert all(set(e) == {"unixMs", "event", "payload"} for e in m["events"])
    assert any(e["event"] == "+slave" for e in m["events"])

    old.kill()
    new = c.wait_new_master(old.port)
    c.wait_followers(new)
    wait_until(lambda: count_events(c.sentinels, "+failover-end") == 1, timeout=20, message="+failover-end")

    text = status(s)
    assert f"127.0.0.1:{new.port}" in text.split("Replicas")[0]
    assert "Last failover" in text and "+switch-master" in text, text
    doc = json.loads(status(s, "--json"))
    (m,) = doc["masters"]
    assert m["address"] == f"127.0.0.1:{new.port}" and m["configEpoch"] >= 1
    switches = [e for e in m["events"] if e["event"] == "+switch-master"]
    assert len(switches) == 1
    assert switches[0]["payload"] == f"{MASTER} 127.0.0.1 {old.port} 127.0.0.1 {new.port}"
    times = [e["unixMs"] for e in m["events"]]
    assert times == sorted(times)
    # The dead old master is listed as a replica that is down.
    dead = [r for r in m["replicas"] if r["address"] == f"127.0.0.1:{old.port}"]
    assert len(dead) == 1

    # One master only, selected by name; an unknown one is exit code 3.
    code, out, err = sentinel_cli("status", MASTER, "-p", str(s.port), "--json")
    assert code == 0, err
    assert [x["name"] for x in json.loads(out)["masters"]] == [MASTER]
    code, out, err = sentinel_cli("status", "nosuch", "-p", str(s.port))
    assert code == 3 and "No such master" in err and out == ""
    # Usage errors are exit code 2, before any connection.
    code, out, err = sentinel_cli("status", "-p", "notaport")
    assert code == 2 and err.strip()


def test_status_of_an_unreachable_sentinel_fails_with_a_message():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening
        for extra in ((), ("--json",)):
            code, out, err = sentinel_cli("status", "-p", str(port), *extra)
            assert code == 1
            assert out == ""
            assert str(port) in err and err.strip()


class IncrWriter(threading.Thread):
    """INCRs one key through redis-py's Sentinel client; counts acknowledgments."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.client = cluster.redis_py_sentinel().master_for(MASTER, socket_timeout=0.5)
        self.acked = 0
        self.errors = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.client.incr("acked")
                self.acked += 1
            except (redis.ConnectionError, redis.TimeoutError, redis.ReadOnlyError,
                    redis.sentinel.MasterNotFoundError):
                self.errors += 1
                time.sleep(0.01)


def test_failover_verb_switches_over_without_losing_acknowledged_writes(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 3, quorum=2)
    s = c.sentinels[1]
    old = c.master
    code, out, err = sentinel_cli("ckquorum", MASTER, "-p", str(s.port))
    assert code == 0, err
    assert out.startswith("OK 3 usable Sentinels")

    writer = IncrWriter(c)
    writer.start()
    try:
        wait_until(lambda: writer.acked >= 200, message="writes before the switchover")
        # The sentinel needs fresh INFO from a replica; retry as for NOGOODSLAVE.
        def failover():
            code, out, err = sentinel_cli("failover", MASTER, "-p", str(s.port))
            if code != 0:
                assert "NOGOODSLAVE" in err, err
                return False
            assert out.strip() == "OK"
            return True
        wait_until(failover, timeout=10, interval=0.2, message="sentinel failover to be accepted")
        new = c.wait_new_master(old.port)
        c.wait_followers(new)  # the old master too: re-pointed by the switchover itself
        before = writer.acked
        wait_until(lambda: writer.acked >= before + 200, timeout=10, message="writes after the switchover")
    finally:
        writer.stopping.set()
        writer.join(timeout=10)
    final = int(new.client().get("acked"))
    print(f"acknowledged {writer.acked} INCRs, final value {final}, {writer.errors} errors")
    assert final >= writer.acked
    assert old.follows(new.port)
    assert count_events(c.sentinels, "+promoted-slave") == 1
    assert s.count("+failover-state-pause-master") == 1
    wait_until(lambda: s.count("+failover-end") == 1, timeout=20, message="+failover-end")

    code, out, err = sentinel_cli("ckquorum", MASTER, "-p", str(s.port))
    assert code == 0 and out.startswith("OK"), err
    code, out, err = sentinel_cli("ckquorum", "nosuch", "-p", str(s.port))
    assert code == 3 and "No such master" in err
    code, out, err = sentinel_cli("failover", "nosuch", "-p", str(s.port))
    assert code == 3 and "No such master" in err
    code, out, err = sentinel_cli("failover", MASTER, "-p", str(s.port), "--json")
    # A second switchover right away is refused or accepted; either way the reply is JSON or an error.
    if code == 0:
        assert json.loads(out)["ok"] is True
    else:
        assert err.strip()


def test_reset_verb_forgets_and_rediscovers(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 2, quorum=2, debug={"publish_period": 500})
    s = c.sentinels[0]
    code, out, err = sentinel_cli("reset", "my*", "-p", str(s.port))
    assert code == 0, err
    assert out.strip() == "1"
    code, out, err = sentinel_cli("reset", "nomatch*", "-p", str(s.port))
    assert code == 0 and out.strip() == "0"
    c.wait_discovery(timeout=10)
    assert s.master_addr() == c.master.address
