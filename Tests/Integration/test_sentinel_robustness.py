"""Bad input never crashes a Vigil sentinel nor makes it fail over unsafely:
malformed hellos (to the sentinel and through monitored nodes), a fake
sentinel answering is-master-down-by-addr with garbage or lies, a replica
claiming to be a master, hellos reusing another sentinel's id, corrupt
sentinel.conf files, and garbage RESP / nonsense commands on the sentinel's
port. After each, the sentinel answers PING and the master is unchanged."""
import os
import socket
import subprocess
import time

import pytest
import redis

from sentinels import MASTER, FakeSentinel, assert_never, count_events, pairs
from vigil import binary, wait_until

FAILOVER_EVENTS = ("+odown", "+try-failover", "+elected-leader", "+promoted-slave", "+switch-master")


def failover_events(sentinels):
    return [(e, p) for s in sentinels for _t, e, p in s.events() if e in FAILOVER_EVENTS]


def assert_healthy(cluster, master):
    for s in cluster.live_sentinels():
        assert s.call("PING") is True
        assert s.master_addr() == master.address
    assert master.info()["role"] == "master"
    assert failover_events(cluster.live_sentinels()) == []


def malformed_hellos(master_port, some_id):
    good_tail = f"{MASTER},127.0.0.1,{master_port},0"
    return [
        b"", b"garbage", b"," * 7, b"," * 100, b"\xff\xfe\x00\x01" * 64, b"x" * 1_000_000,
        f"127.0.0.1,26379,{some_id},0,{good_tail},extra".encode(),            # 9 tokens
        f"127.0.0.1,0,{some_id},0,{good_tail}".encode(),                      # port 0
        f"127.0.0.1,70000,{some_id},0,{good_tail}".encode(),                  # port out of range
        f"127.0.0.1,-1,{some_id},0,{good_tail}".encode(),
        f"127.0.0.1,26379,{'z' * 40},0,{good_tail}".encode(),                 # not hex
        f"127.0.0.1,26379,{some_id[:39]},0,{good_tail}".encode(),             # 39 digits
        f"127.0.0.1,26379,{some_id.upper()},0,{good_tail}".encode(),
        f"127.0.0.1,26379,{some_id},-5,{good_tail}".encode(),                 # negative epoch
        f"127.0.0.1,26379,{some_id},99999999999999999999999,{good_tail}".encode(),  # overflow
        f"127.0.0.1,26379,{some_id},0,{MASTER},127.0.0.1,{master_port},18446744073709551616".encode(),
        f"127.0.0.1,26379,{some_id},0,{MASTER},127.0.0.1,notaport,0".encode(),
        f"127.0.0.1,26379,{some_id},0,,127.0.0.1,{master_port},0".encode(),   # empty name
        f",26379,{some_id},0,{good_tail}".encode(),                           # empty ip
        f"127.0.0.1 evil,26379,{some_id},0,{good_tail}".encode(),
        f"127.0.0.1,26379,{some_id},0,{MASTER},,{master_port},0".encode(),
        f"127.0.0.1,2 6379,{some_id},0,{good_tail}".encode(),
    ]


def test_malformed_hellos_are_ignored_everywhere(sentinel_cluster):
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",) * 2, quorum=2)
    s0, s1 = c.sentinels
    master, replica = c.master, c.nodes[1]
    stranger = os.urandom(20).hex()
    payloads = malformed_hellos(master.port, stranger)
    before = [x.count("-invalid-hello") for x in c.sentinels]
    for payload in payloads:
        assert s0.call("PUBLISH", "__sentinel__:hello", payload) == 1
    # Through the monitored nodes: every sentinel's pub/sub link receives them.
    for node in (master, replica):
        cl = node.client(decode_responses=False)
        for payload in payloads:
            cl.publish("__sentinel__:hello", payload)
        cl.close()
    n = len(payloads)
    # s0: direct + master + replica (+ the master's copy propagated to the replica).
    wait_until(lambda: s0.count("-invalid-hello") >= before[0] + 3 * n and s1.count("-invalid-hello") >= before[1] + 2 * n,
               timeout=10, message="every malformed hello to be seen and rejected")
    # A valid hello for a master nobody monitors is ignored too.
    other = f"127.0.0.1,26379,{stranger},0,othermaster,127.0.0.1,{master.port},0"
    assert s0.call("PUBLISH", "__sentinel__:hello", other) == 1
    # Other channels are refused by a sentinel, as by Redis.
    with pytest.raises(redis.ResponseError, match="Only HELLO messages"):
        s0.call("PUBLISH", "news", "x")

    for s in c.sentinels:
        assert [p["runid"] for p in s.sentinels()] == [o.myid() for o in c.sentinels if o is not s]
        assert not any(stranger in p for _t, _e, p in s.events() if _e != "-invalid-hello")
        assert int(s.master()["config-epoch"]) == 0
    assert_healthy(c, master)
    # Peers still hear each other's real hellos.
    peer = s0.sentinels()[0]
    wait_until(lambda: int(s0.sentinels()[0]["last-hello-message"]) < 2500, message="a fresh hello from the peer")
    assert peer["runid"] == s1.myid()


# is-master-down-by-addr replies that are not [integer, bulk, integer] or are out of range.
GARBAGE_REPLIES = [
    b"+OK\r\n", b"-ERR nope\r\n", b":1\r\n", b"$-1\r\n", b"*-1\r\n", b"*0\r\n",
    b"*3\r\n$1\r\n1\r\n$1\r\n*\r\n$1\r\n0\r\n",      # bulk strings instead of integers
    b"*3\r\n:1\r\n:7\r\n:0\r\n",                    # integer leader
    b"*3\r\n:1\r\n+*\r\n:0\r\n",                    # status leader
    b"*2\r\n:1\r\n$1\r\n*\r\n",
    b"*4\r\n:1\r\n$1\r\n*\r\n:0\r\n:0\r\n",
    b"*3\r\n:1\r\n$1\r\n*\r\n:-1\r\n",              # negative epoch
    b"*3\r\n:1\r\n$100\r\n" + b"x" * 100 + b"\r\n:0\r\n",   # leader too long
    b"*3\r\n*1\r\n:1\r\n$1\r\n*\r\n:0\r\n",         # nested array
    b"*3\r\n:99999999999999999999999\r\n$1\r\n*\r\n:0\r\n",  # integer overflow: protocol error
    b"!!! not resp at all\r\n",                     # protocol error: the link is dropped
]


def test_fake_sentinel_garbage_and_lies_cause_no_failover(sentinel_cluster):
    # One real sentinel with quorum 2, plus a fake "sentinel" that only talks.
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",), quorum=2, debug={"ask_period": 250})
    real = c.sentinels[0]
    master = c.master

    mode = {"answer": "lie-down"}

    def answer(words, n):
        if mode["answer"] == "garbage":
            return GARBAGE_REPLIES[n % len(GARBAGE_REPLIES)]
        # "Down, and I vote for myself" in the asker's epoch.
        return [1, fake.run_id, int(words[4]) if words[4].isdigit() else 0]

    fake = FakeSentinel(master.port, answer, targets=[real])
    sentinel_cluster.fakes.append(fake)
    wait_until(lambda: [p["runid"] for p in real.sentinels()] == [fake.run_id], message="the fake to be discovered")
    wait_until(lambda: "disconnected" not in real.sentinels()[0]["flags"], message="a link to the fake")

    # 1. The master is up: the fake's "down" claims are never acted upon.
    assert_never(lambda: failover_events([real]), duration=2.5, message="failover events")
    assert real.master_addr() == master.address

    # 2. The master stops answering; the only other "sentinel" answers garbage:
    #    no ODOWN (1 of quorum 2), whatever the replies.
    mode["answer"] = "garbage"
    fake.questions.clear()
    master.pause()
    try:
        wait_until(lambda: any(e == "+sdown" and p.startswith("master ") for _t, e, p in real.events()),
                   message="+sdown of the master")
        deadline = time.monotonic() + 15
        while len(fake.questions) < len(GARBAGE_REPLIES) + 2:
            assert time.monotonic() < deadline, f"only {len(fake.questions)} questions asked"
            assert failover_events([real]) == []
            time.sleep(0.1)
        assert real.call("PING") is True
        assert real.master_addr() == master.address

        # 3. The fake says "down" and votes for itself: ODOWN and an attempt,
        #    but this sentinel is not elected, so it promotes nothing.
        mode["answer"] = "lie-down"
        wait_until(lambda: real.count("+try-failover") >= 1, timeout=10, message="+try-failover")
        assert_never(lambda: real.count("+elected-leader") or real.count("+promoted-slave")
                     or real.count("+switch-master") or real.master_addr() != master.address,
                     duration=3.0, message="a promotion without being elected")
    finally:
        master.resume()
    wait_until(lambda: any(e == "-sdown" and p.startswith("master ") for _t, e, p in real.events()),
               message="-sdown of the master")
    assert real.call("PING") is True
    assert real.master_addr() == master.address
    assert c.nodes[1].follows(master.port)


def test_replica_claiming_to_be_master_is_converted_back(sentinel_cluster):
    c = sentinel_cluster(replicas=2, sentinel_kinds=("vigil",) * 2, quorum=2, debug={"publish_period": 500})
    master, liar = c.master, c.nodes[1]
    liar.client().execute_command("REPLICAOF", "NO", "ONE")
    assert liar.info()["role"] == "master"
    wait_until(lambda: any(r["role-reported"] == "master" for r in c.sentinels[0].replicas()), timeout=5,
               message="the sentinel to see the lie")
    c.wait_followers(master, nodes=[liar], timeout=10)
    assert count_events(c.sentinels, "+convert-to-slave") >= 1
    assert_healthy(c, master)
    assert all(int(s.master()["num-slaves"]) == 2 for s in c.sentinels)


def test_hellos_reusing_a_sentinel_id_do_not_stick(sentinel_cluster):
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",) * 2, quorum=2, debug={"publish_period": 500})
    a, b = c.sentinels
    master = c.master
    b_id, a_id = b.myid(), a.myid()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]  # bound, never listening: connections are refused
    try:
        tail = f"0,{MASTER},127.0.0.1,{master.port},0"
        # b's id from another address, sent to a (and through the master).
        a.call("PUBLISH", "__sentinel__:hello", f"127.0.0.1,{closed_port},{b_id},{tail}")
        master.client().publish("__sentinel__:hello", f"127.0.0.1,{closed_port},{b_id},{tail}")
        # a's own id from elsewhere, to a: its own hellos are ignored.
        a.call("PUBLISH", "__sentinel__:hello", f"127.0.0.1,{closed_port},{a_id},{tail}")
        # Another id at b's address.
        impostor = os.urandom(20).hex()
        a.call("PUBLISH", "__sentinel__:hello", f"127.0.0.1,{b.port},{impostor},{tail}")
        assert a.call("PING") is True
        # b's own hellos (every 500 ms) put it back where it is.
        wait_until(lambda: [(p["runid"], int(p["port"])) for p in a.sentinels()] == [(b_id, b.port)]
                   and "disconnected" not in a.sentinels()[0]["flags"], timeout=10,
                   message="a to know b at its real address again")
        assert [(p["runid"], int(p["port"])) for p in b.sentinels()] == [(a_id, a.port)]
        assert a.count("+sentinel-address-switch") >= 1
        assert_healthy(c, master)
    finally:
        closed.close()


CORRUPT_CONFIGS = [
    ("unknown directive", "sentinel monitor m 127.0.0.1 6379 2\nsentinel frobnicate m 1\n", 2),
    ("unknown top-level directive", "bind 127.0.0.1\nfrobnicate yes\n", 2),
    ("bad number", "sentinel monitor m 127.0.0.1 6379 2\nsentinel down-after-milliseconds m 10x\n", 2),
    ("bad quorum", "sentinel monitor m 127.0.0.1 6379 zero\n", 1),
    ("bad port", "sentinel monitor m 127.0.0.1 6379 2\nsentinel known-replica m 127.0.0.1 99999\n", 2),
    ("bad run id", "sentinel monitor m 127.0.0.1 6379 2\nsentinel known-sentinel m 127.0.0.1 26379 nothex\n", 2),
    ("master not monitored", "sentinel down-after-milliseconds m 1000\n", 1),
]


@pytest.mark.parametrize("what,text,line", CORRUPT_CONFIGS, ids=[c[0] for c in CORRUPT_CONFIGS])
def test_corrupt_sentinel_conf_stops_start_up_naming_file_and_line(what, text, line, tmp_path):
    path = tmp_path / "sentinel.conf"
    path.write_text("# a sentinel config with one mistake\n" + text)
    line += 1  # the comment line
    for cmd in ([binary("sentinel"), str(path), "--port", "0"],
                [binary("vigil-server"), str(path), "--sentinel", "--port", "0"]):
        p = subprocess.run(cmd, capture_output=True, timeout=20, cwd=tmp_path)
        out = (p.stdout + p.stderr).decode()
        assert p.returncode != 0, out
        assert str(path) in out, out
        assert f"line {line}" in out, out
        # The file is left as it was (nothing persisted from a failed start).
        assert path.read_text() == "# a sentinel config with one mistake\n" + text


RAW_GARBAGE = [
    b"*-5\r\n", b"$99999999999999\r\n", b"*99999999999\r\n", b"*1\r\n$3\r\nfoo",
    b"\x00\xff\xfe" * 1000 + b"\r\n", b"x" * 100_000, b"*2\r\n$8\r\nsentinel\r\n$-5\r\n",
    b"*1\r\n:5\r\n", b"*3\r\n$8\r\nSENTINEL\r\n$6\r\nEVENTS\r\n$0\r\n\r\n", b"*1\r\n*1\r\n$4\r\nPING\r\n",
    b"\r\n\r\n\r\n", b"*2\r\n$5\r\nHELLO\r\n$1\r\n9\r\n",
]


def send_raw(port, data):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        try:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
            while conn.recv(65536):
                pass
        except OSError:
            pass  # the sentinel may close on a protocol error


def test_garbage_resp_and_nonsense_commands_leave_the_sentinel_serving(sentinel_cluster):
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",) * 2, quorum=2)
    s = c.sentinels[0]
    master = c.master
    for data in RAW_GARBAGE:
        send_raw(s.port, data)
        assert s.call("PING") is True, data
    mp = str(master.port)
    nonsense = [
        ("SENTINEL", "EVENTS", MASTER, "-1"), ("SENTINEL", "EVENTS", MASTER, "99999999999999999999"),
        ("SENTINEL", "EVENTS", "nosuch"), ("SENTINEL", "EVENTS", MASTER, "1", "extra"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", "99999", "0", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", mp, "-1", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", mp, "99999999999999999999", "*"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "x", "y", "z", "w"),
        ("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", mp),
        ("SENTINEL", "DEBUG", "INFO-PERIOD", "0"), ("SENTINEL", "DEBUG", "INFO-PERIOD", "-1"),
        ("SENTINEL", "DEBUG", "INFO-PERIOD", "abc"), ("SENTINEL", "DEBUG", "NOSUCH", "5"),
        ("SENTINEL", "DEBUG", "INFO-PERIOD"),
        # Periods so large the timer arithmetic would overflow (a crash in Swift).
        ("SENTINEL", "DEBUG", "INFO-PERIOD", "9223372036854775807"), ("SENTINEL", "DEBUG", "PING-PERIOD", "9223372036854775807"),
        ("SENTINEL", "DEBUG", "PUBLISH-PERIOD", "9223372036854775807"), ("SENTINEL", "DEBUG", "ASK-PERIOD", "4611686018427387904"),
        ("SENTINEL", "DEBUG", "PING-PERIOD", "2147483648"), ("SENTINEL", "DEBUG", "ASK-PERIOD", "1", "INFO-PERIOD", "-1"),
        ("SENTINEL", "SET", MASTER, "quorum", "0"), ("SENTINEL", "SET", MASTER, "quorum", "-3"),
        ("SENTINEL", "SET", MASTER, "down-after-milliseconds", "-5"), ("SENTINEL", "SET", MASTER, "nosuch", "1"),
        ("SENTINEL", "SET", MASTER, "quorum"), ("SENTINEL", "SET", "nosuch", "quorum", "2"),
        ("SENTINEL", "MONITOR", "other", "127.0.0.1", "0", "2"), ("SENTINEL", "MONITOR", "other", "127.0.0.1", "99999", "2"),
        ("SENTINEL", "MONITOR", "other", "127.0.0.1", "6379", "0"), ("SENTINEL", "MONITOR", "other", "bad host", "6379", "2"),
        ("SENTINEL", "MONITOR", MASTER, "127.0.0.1", mp, "2"),
        ("SENTINEL", "CONFIG", "SET", "announce-port", "99999"), ("SENTINEL", "CONFIG", "SET", "nosuch", "1"),
        ("SENTINEL", "CONFIG", "GET"), ("SENTINEL", "CONFIG", "BOGUS", "x"),
        ("SENTINEL", "RESET", "nomatch["), ("SENTINEL", "RESET", "\\"),
        ("SENTINEL", "FAILOVER", "nosuch"), ("SENTINEL", "SIMULATE-FAILURE", "bogus"),
        ("SENTINEL", "CKQUORUM", "nosuch"), ("SENTINEL", "INFO-CACHE", "nosuch"), ("SENTINEL", "REMOVE", "nosuch"),
        ("SENTINEL", "MASTER"), ("SENTINEL", "REPLICAS", "nosuch"), ("SENTINEL", "NOSUCH"), ("SENTINEL",),
        ("PUBLISH", "news", "x"), ("PUBLISH", "__sentinel__:hello"), ("INFO", "nosuchsection"), ("ROLE", "extra"),
        ("GET", "k"), ("SET", "k", "v"), ("FLUSHALL",), ("DEBUG", "SEGFAULT"), ("SHUTDOWN", "BOGUS"),
    ]
    for args in nonsense:
        try:
            s.call(*args)
        except redis.ResponseError:
            pass
        assert s.call("PING") is True, args
    m = s.master()
    assert int(m["quorum"]) == 2 and int(m["down-after-milliseconds"]) == 1000
    assert [pairs(x)["name"] for x in s.call("SENTINEL", "MASTERS")] == [MASTER]
    # RESP3 clients work too, and the connection is still fine for the other sentinel.
    r3 = redis.Redis(port=s.port, protocol=3, decode_responses=True, socket_timeout=5)
    assert r3.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER) == ["127.0.0.1", str(master.port)]
    assert r3.execute_command("SENTINEL", "MASTER", MASTER)["name"] == MASTER
    r3.close()
    assert pairs(s.call("SENTINEL", "DEBUG"))["INFO-PERIOD"] == "1000"
    assert pairs(s.call("SENTINEL", "DEBUG"))["ASK-PERIOD"] == "1000"
    assert_healthy(c, master)
    # Nothing it accepted broke it: it still fails the master over.
    master.kill()
    new = c.wait_new_master(master.port)
    c.wait_followers(new)
    assert all(x.alive() for x in c.sentinels)


def test_hello_with_the_largest_epoch_does_not_crash_a_later_failover(sentinel_cluster):
    c = sentinel_cluster(replicas=1, sentinel_kinds=("vigil",), quorum=1)
    s = c.sentinels[0]
    stranger = os.urandom(20).hex()
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    try:
        hello = f"127.0.0.1,{free.getsockname()[1]},{stranger},18446744073709551615,{MASTER},127.0.0.1,{c.master.port},0"
        assert s.call("PUBLISH", "__sentinel__:hello", hello) == 1
        # Epochs above Int64.max cannot travel in is-master-down-by-addr: the hello is refused.
        assert_never(lambda: s.count("+new-epoch") >= 1 or s.count("+sentinel") >= 1, duration=0.5,
                     message="the oversized epoch was adopted")
        c.master.kill()
        wait_until(lambda: not s.alive() or s.count("+sdown") >= 1, message="+sdown")
        assert_never(lambda: not s.alive(), duration=3.0, message="the sentinel died")
        assert s.call("PING") is True
    finally:
        free.close()
