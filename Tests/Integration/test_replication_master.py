"""A real redis-server 7.0 replicating from a Vigil master.

Each test starts a Vigil master (the `nodes` fixture) and one or more real
`redis-server` replicas (`--replicaof` the master, no persistence, own temp
dir), and checks what the replica holds against the master key by key:
full sync, the live stream (MULTI/EXEC, expiries, several databases),
partial resynchronization after the link is killed, WAIT and
min-replicas-to-write. Every process is killed at the end; every wait is bounded.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import redis

from vigil import wait_until

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisReplica:
    """A real redis-server replicating from 127.0.0.1:`master_port`."""

    def __init__(self, master_port):
        self.workdir = tempfile.mkdtemp(prefix="vigil-redis-replica-")
        self.port = free_port()
        self.log_path = os.path.join(self.workdir, "redis.log")
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
             "--replicaof", "127.0.0.1", str(master_port), "--save", "", "--appendonly", "no",
             "--dir", self.workdir, "--logfile", self.log_path, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=self.workdir)
        self.client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=10, decode_responses=False)
        wait_until(self._ready, timeout=10, message="redis-server replica to start")

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"redis-server exited: {self.output()}")
        return self.client.ping()

    def output(self):
        try:
            return open(self.log_path, "rb").read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def link_up(self):
        return self.client.info("replication").get("master_link_status") == "up"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture
def replicas():
    started = []

    def start(master_port):
        rep = RedisReplica(master_port)
        started.append(rep)
        return rep

    yield start
    for rep in started:
        rep.stop()


def stats(c):
    info = c.info("stats")
    return info["sync_full"], info["sync_partial_ok"], info["sync_partial_err"]


def online_replicas(c):
    info = c.info("replication")
    return sum(1 for k, v in info.items() if k.startswith("slave") and isinstance(v, dict) and v.get("state") == "online")


def wait_online(master, rep, count=1):
    wait_until(lambda: rep.link_up() and online_replicas(master) >= count, timeout=20,
               message=f"replica online (replica log: {rep.output()[-2000:]})")


def dump_db(c):
    """{key: (type, value, has_ttl)} of the selected database."""
    out = {}
    for key in c.scan_iter(count=1000):
        kind = c.type(key)
        if kind == b"string":
            value = c.get(key)
        elif kind == b"list":
            value = c.lrange(key, 0, -1)
        elif kind == b"hash":
            value = c.hgetall(key)
        elif kind == b"set":
            value = c.smembers(key)
        elif kind == b"zset":
            value = c.zrange(key, 0, -1, withscores=True)
        elif kind == b"none":
            continue  # expired between SCAN and TYPE
        else:
            value = None
        out[key] = (kind, value, c.pttl(key) >= 0)
    return out


def db_client(port, db):
    return redis.Redis(host="127.0.0.1", port=port, db=db, socket_timeout=10)


def assert_same(master_port, replica_port, dbs=(0,)):
    for db in dbs:
        m, r = db_client(master_port, db), db_client(replica_port, db)
        dm, dr = dump_db(m), dump_db(r)
        assert set(dm) == set(dr), f"db {db}: keys differ: only master {set(dm) - set(dr)}, only replica {set(dr) - set(dm)}"
        for key in dm:
            assert dm[key] == dr[key], f"db {db} key {key!r}: master {dm[key]} replica {dr[key]}"


def raw_command(port, *args):
    """Sends one command and returns a bulk string reply's bytes, unparsed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
        data = b""
        while b"\r\n" not in data:
            data += s.recv(65536)
        header, rest = data.split(b"\r\n", 1)
        assert header.startswith(b"$"), header
        length = int(header[1:])
        while len(rest) < length + 2:
            rest += s.recv(65536)
        return rest[:length]


def populate(c):
    """One of every type, with and without TTLs, in databases 0, 1 and 5."""
    p = c.pipeline(transaction=False)
    p.set("str", "hello")
    p.set("int", 12345)
    p.set("big", "x" * 50_000)
    p.set("ttl-str", "soon", ex=1000)
    p.rpush("list", *[f"e{i}" for i in range(200)])
    p.rpush("ttl-list", "a", "b")
    p.pexpire("ttl-list", 900_000)
    p.hset("hash", mapping={f"f{i}": f"v{i}" for i in range(100)})
    p.hset("small-hash", mapping={"a": "1"})
    p.sadd("set", *[f"m{i}" for i in range(150)])
    p.sadd("intset", *range(50))
    p.zadd("zset", {f"z{i}": i * 1.5 for i in range(120)})
    p.zadd("zset-inf", {"lo": float("-inf"), "hi": float("inf"), "mid": 0.25})
    p.expire("zset", 5000)
    p.execute()
    for db in (1, 5):
        d = db_client(c.connection_pool.connection_kwargs["port"], db)
        d.set(f"db{db}-str", f"in {db}")
        d.hset(f"db{db}-hash", "k", "v")
        d.set(f"db{db}-ttl", "x", px=800_000)


DISK = ("--repl-diskless-sync", "no")
DISKLESS = ("--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0")


@pytest.mark.parametrize("mode", [DISK, DISKLESS], ids=["disk", "diskless"])
def test_full_sync_then_stream_then_partial_resync(nodes, replicas, mode):
    master = nodes(*mode)
    m = master.client()
    populate(m)
    m.set("will-expire", "x", px=400)  # expires on the master, DEL is propagated

    rep = replicas(master.port)
    wait_online(m, rep)
    assert stats(m)[0] == 1
    assert m.wait(1, 5000) == 1
    assert_same(master.port, rep.port, dbs=(0, 1, 5))

    # The live stream: plain writes, MULTI/EXEC, several databases, expiries.
    m.set("after", "1")
    m.incrbyfloat("float", 1.5)
    m.lpush("list", "head")
    m.spop("set")
    p = m.pipeline(transaction=True)
    p.incr("counter")
    p.hset("hash", "new", "field")
    p.zincrby("zset", 2, "z3")
    p.execute()
    d2 = db_client(master.port, 2)
    d2.set("db2", "two")
    d2.rpush("db2-list", 1, 2, 3)
    m.expire("str", 1000)
    m.persist("ttl-str")
    m.set("short", "gone", px=200)
    m.delete("int")
    wait_until(lambda: m.exists("short") == 0 and m.exists("will-expire") == 0, timeout=5, message="expiry on master")
    # Expired keys are removed on the replica only by the master's DELs.
    wait_until(lambda: rep.client.exists("short") == 0, timeout=5, message="expiry propagated")
    assert m.wait(1, 5000) == 1
    assert_same(master.port, rep.port, dbs=(0, 1, 2, 5))

    # Partial resynchronization after the link is killed.
    full, partial_ok, _ = stats(m)
    assert m.client_kill_filter(_type="replica") == 1
    wait_until(lambda: stats(m)[1] > partial_ok, timeout=20, message="partial resync")
    wait_online(m, rep)
    m.set("after-partial", "yes")
    db_client(master.port, 5).sadd("db5-set", "a", "b")
    assert m.wait(1, 5000) == 1
    assert_same(master.port, rep.port, dbs=(0, 1, 2, 5))
    assert stats(m)[0] == full, "no new full sync"
    assert "Partial resynchronization request from" in master.output()
    assert "Successful partial resynchronization with master" in rep.output()


@pytest.mark.parametrize("mode", [DISK, DISKLESS], ids=["disk", "diskless"])
def test_writes_during_snapshot_transfer_reach_the_replica(nodes, replicas, mode):
    master = nodes(*mode)
    m = master.client()
    p = m.pipeline(transaction=False)
    for i in range(20_000):
        p.set(f"key:{i}", "v" * 200)
    p.execute()
    rep = replicas(master.port)
    # Write while the replica syncs: these go through the buffered stream.
    for i in range(2_000):
        m.incr("during")
        m.hset("during-hash", f"f{i % 50}", i)
    wait_online(m, rep)
    assert m.wait(1, 10000) == 1
    assert rep.client.get("during") == b"2000"
    assert rep.client.dbsize() == m.dbsize()
    assert_same(master.port, rep.port)


@pytest.mark.parametrize("mode", [DISK, ("--repl-diskless-sync-delay", "1")], ids=["disk", "diskless-delayed"])
def test_two_replicas_share_one_snapshot(nodes, replicas, mode):
    master = nodes(*mode)
    m = master.client()
    populate(m)
    a = replicas(master.port)
    b = replicas(master.port)
    wait_online(m, a, count=2)
    wait_online(m, b, count=2)
    if mode == DISK:
        assert master.output().count("Starting BGSAVE for SYNC with target: disk") in (1, 2)
    else:
        # Both arrived within the delay: one snapshot streamed to both.
        assert master.output().count("Starting BGSAVE for SYNC with target: replicas sockets") == 1
    assert stats(m)[0] == 2
    m.set("both", "yes")
    assert m.wait(2, 5000) == 2
    assert_same(master.port, a.port, dbs=(0, 1, 5))
    assert_same(master.port, b.port, dbs=(0, 1, 5))
    info = m.info("replication")
    assert info["connected_slaves"] == 2
    assert {info["slave0"]["port"], info["slave1"]["port"]} == {a.port, b.port}


def test_info_lists_replica_like_redis(nodes, replicas):
    master = nodes(*DISK)
    m = master.client()
    rep = replicas(master.port)
    wait_online(m, rep)
    m.set("k", "v")
    written = m.info("replication")["master_repl_offset"]
    assert m.wait(1, 5000) == 1
    raw = raw_command(master.port, b"INFO", b"replication").decode()
    lines = [l for l in raw.split("\r\n") if l and not l.startswith("#")]
    assert lines[0] == "role:master"
    assert lines[1] == "connected_slaves:1"
    assert lines[2].startswith(f"slave0:ip=127.0.0.1,port={rep.port},state=online,offset=")
    assert lines[2].split(",")[-1].startswith("lag=")
    offset = int(lines[2].split("offset=")[1].split(",")[0])
    # The replica acknowledged the write (WAIT's GETACK itself comes after it).
    assert written <= offset <= m.info("replication")["master_repl_offset"]
    assert "flags=S" in raw_command(master.port, b"CLIENT", b"LIST", b"TYPE", b"replica").decode()


def test_wait_counts_acknowledging_replicas(nodes, replicas):
    master = nodes(*DISK)
    m = master.client()
    assert m.wait(0, 0) == 0
    assert m.wait(1, 100) == 0  # no replica: times out with 0
    rep = replicas(master.port)
    wait_online(m, rep)
    m.set("x", "1")
    assert m.wait(1, 5000) == 1
    started = time.monotonic()
    assert m.wait(2, 300) == 1  # only one replica exists: the timeout answers the count
    assert time.monotonic() - started >= 0.25
    with pytest.raises(redis.ResponseError, match="timeout is negative"):
        m.wait(1, -1)


def test_min_replicas_to_write_refuses_without_replicas(nodes, replicas):
    master = nodes(*DISK)
    m = master.client()
    m.config_set("min-replicas-to-write", 1)
    m.config_set("min-replicas-max-lag", 10)
    with pytest.raises(redis.ResponseError, match="^NOREPLICAS Not enough good replicas to write.$"):
        m.set("k", "v")
    rep = replicas(master.port)
    wait_online(m, rep)
    wait_until(lambda: m.info("replication").get("min_slaves_good_slaves") == 1, timeout=5,
               message="good replica counted")
    assert m.set("k", "v")
    assert m.get("k") == b"v"  # reads are never refused
    rep.stop()
    wait_until(lambda: m.info("replication")["connected_slaves"] == 0, timeout=10, message="replica gone")
    with pytest.raises(redis.ResponseError, match="^NOREPLICAS Not enough good replicas to write.$"):
        m.set("k", "again")
    m.config_set("min-replicas-to-write", 0)
    assert m.set("k", "again")


def test_redis_cli_replica_mode_receives_snapshot_and_stream(nodes):
    """redis-cli --replica uses the legacy SYNC (no +FULLRESYNC, no ACK timeouts)."""
    master = nodes("--repl-diskless-sync-delay", "0")
    m = master.client()
    m.set("pre", "1")
    out_path = os.path.join(master.workdir, "cli.out")
    err_path = os.path.join(master.workdir, "cli.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        cli = subprocess.Popen(["stdbuf", "-oL", "redis-cli", "-p", str(master.port), "--replica"], stdout=out, stderr=err)
        try:
            wait_until(lambda: b"Logging commands from master" in open(err_path, "rb").read(), timeout=10,
                       message="redis-cli sync done")
            m.set("streamed", "value")
            db_client(master.port, 3).rpush("in-db-3", "x")
            wait_until(lambda: b'"rpush","in-db-3","x"' in open(out_path, "rb").read().lower(), timeout=10,
                       message="commands logged by redis-cli")
            text = open(out_path, "rb").read().lower()
            assert b'"set","streamed","value"' in text
            assert b'"select","3"' in text
            assert stats(m)[0] == 1
        finally:
            cli.kill()
            cli.wait(timeout=10)


def test_silent_replica_is_disconnected_after_repl_timeout(nodes, replicas):
    master = nodes(*DISK, "--repl-timeout", "2")
    m = master.client()
    rep = replicas(master.port)
    wait_online(m, rep)
    rep.proc.send_signal(signal.SIGSTOP)
    try:
        wait_until(lambda: m.info("replication")["connected_slaves"] == 0, timeout=10, message="timeout disconnect")
        assert "Disconnecting timedout replica (streaming sync): 127.0.0.1:%d" % rep.port in master.output()
    finally:
        rep.proc.send_signal(signal.SIGCONT)
    # It comes back and continues where it was.
    wait_online(m, rep)


def test_replica_over_output_buffer_limit_is_disconnected(nodes, replicas):
    master = nodes(*DISK)
    m = master.client()
    m.config_set("client-output-buffer-limit", "replica 1mb 0 0")
    rep = replicas(master.port)
    wait_online(m, rep)
    rep.proc.send_signal(signal.SIGSTOP)
    try:
        value = "x" * 100_000
        for i in range(300):  # 30 MB: more than the socket buffers and the 1 MB limit
            m.set(f"big:{i % 10}", value)
            if m.info("replication")["connected_slaves"] == 0:
                break
        wait_until(lambda: m.info("replication")["connected_slaves"] == 0, timeout=10, message="limit disconnect")
        assert "scheduled to be closed ASAP for overcoming of output buffer limits" in master.output()
    finally:
        rep.proc.send_signal(signal.SIGCONT)


def test_backlog_size_follows_config_and_backlog_expires_without_replicas(nodes, replicas):
    master = nodes(*DISK)
    m = master.client()
    rep = replicas(master.port)
    wait_online(m, rep)
    info = m.info("replication")
    assert info["repl_backlog_active"] == 1
    assert info["repl_backlog_size"] == 1048576
    m.config_set("repl-backlog-size", "20000")
    assert m.info("replication")["repl_backlog_size"] == 20000
    m.config_set("repl-backlog-size", "1")  # clamped to the 16 KB minimum, as Redis
    assert m.info("replication")["repl_backlog_size"] == 16384
    replid = info["master_replid"]
    m.config_set("repl-backlog-ttl", 1)
    rep.stop()
    wait_until(lambda: m.info("replication")["repl_backlog_active"] == 0, timeout=10, message="backlog freed")
    assert "Replication backlog freed after 1 seconds without connected replicas." in master.output()
    assert m.info("replication")["master_replid"] != replid
