"""A Vigil replica of a REAL redis-server 7.0 master: full sync (diskless
"$EOF:" and disk-based "$len" transfers), the live stream (databases,
transactions, expiry by the master's DELs), partial resync after the master
link is killed, read-only and stale-data refusals, REPLCONF ACK (WAIT on the
real master), and promotion of one replica with its sibling re-pointed and
resyncing partially. Every wait is bounded; every process is killed."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest
import redis

from vigil import Node, wait_until

REDIS_SERVER = "/usr/bin/redis-server"

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server 7.0 not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealRedis:
    """A real redis-server on a free port in its own temp dir."""

    def __init__(self, *args):
        self.dir = tempfile.mkdtemp(prefix="vigil-real-redis-")
        self.port = free_port()
        self.log_path = os.path.join(self.dir, "redis.log")
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--dir", self.dir, "--logfile", self.log_path, "--repl-diskless-sync-delay", "0", *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(lambda: self.client().ping(), timeout=10, message="redis-server to start")

    def client(self, **kw):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=10, protocol=2, **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def info(c, section="replication"):
    return c.info(section)


def stats(c):
    return c.info("stats")


def link_up(c):
    return info(c).get("master_link_status") == "up"


def wait_link_up(c, timeout=20):
    wait_until(lambda: link_up(c), timeout=timeout, message="master_link_status:up")


def wait_offsets_equal(master, replica, timeout=10):
    """The replica has applied everything the master produced."""
    def same():
        m = info(master)["master_repl_offset"]
        return info(replica).get("slave_repl_offset") == m
    wait_until(same, timeout=timeout, message="replica offset to reach the master's")


@pytest.fixture
def real_master():
    m = RealRedis()
    yield m
    m.stop()


@pytest.fixture
def replica(real_master, nodes):
    n = nodes()
    c = n.client()
    assert c.execute_command("REPLICAOF", "127.0.0.1", real_master.port) in (True, b"OK")
    wait_link_up(c)
    yield n, c
    c.close()


def fill(m):
    m.set("s", "plain")
    m.set("n", 12345)
    m.set("big", "x" * 100000)
    m.rpush("l", *[f"e{i}" for i in range(300)])
    m.sadd("ints", *range(50))
    m.hset("h", mapping={f"f{i}": f"v{i}" for i in range(200)})
    m.zadd("z", {f"m{i}": i * 1.5 for i in range(200)})
    m.set("ttl", "v", px=600000)
    m.execute_command("SELECT", 3)
    m.set("db3", "three")
    m.execute_command("SELECT", 0)


def check_filled(c):
    assert c.get("s") == b"plain"
    assert c.get("n") == b"12345"
    assert c.get("big") == b"x" * 100000
    assert c.llen("l") == 300 and c.lindex("l", 299) == b"e299"
    assert c.scard("ints") == 50
    assert c.hget("h", "f199") == b"v199"
    assert c.zscore("z", "m10") == 15.0
    assert 0 < c.pttl("ttl") <= 600000
    c.execute_command("SELECT", 3)
    assert c.get("db3") == b"three"
    c.execute_command("SELECT", 0)


@pytest.mark.parametrize("diskless", ["yes", "no"])
def test_full_sync_from_real_master_loads_every_type(nodes, diskless):
    m = RealRedis("--repl-diskless-sync", diskless)
    try:
        mc = m.client()
        fill(mc)
        n = nodes()
        c = n.client()
        c.set("stale", "old data is replaced")
        assert c.execute_command("SLAVEOF", "127.0.0.1", m.port) in (True, b"OK")
        wait_link_up(c)
        check_filled(c)
        assert c.get("stale") is None
        i = info(c)
        assert i["role"] == "slave" and i["master_host"] == "127.0.0.1" and i["master_port"] == m.port
        assert i["master_sync_in_progress"] == 0 and i["slave_read_only"] == 1
        assert i["master_replid"] == info(mc)["master_replid"]
        wait_offsets_equal(mc, c)
        role = c.execute_command("ROLE")
        assert role[0] == b"slave" and role[1] == b"127.0.0.1" and role[2] == m.port and role[3] == b"connected"
        assert info(mc)["connected_slaves"] == 1
        assert stats(mc)["sync_full"] == 1
        log = n.output()
        assert "Full resync from master:" in log and "MASTER <-> REPLICA sync: Finished with success" in log
        mode = "streamed RDB from master with EOF" if diskless == "yes" else "bytes from master"
        assert mode in log
    finally:
        m.stop()


def test_live_stream_applies_writes_transactions_and_master_expiry(real_master, replica):
    _, c = replica
    m = real_master.client()
    m.set("k", "v1")
    m.incr("counter")
    m.execute_command("SELECT", 5)
    m.set("in5", "five")
    m.execute_command("SELECT", 0)
    pipe = m.pipeline(transaction=True)
    pipe.set("tx1", "a").rpush("txl", "x", "y").incr("counter")
    pipe.execute()
    m.set("short", "gone soon", px=200)
    wait_offsets_equal(m, c)
    assert c.get("k") == b"v1" and c.get("counter") == b"2"
    assert c.get("tx1") == b"a" and c.lrange("txl", 0, -1) == [b"x", b"y"]
    c.execute_command("SELECT", 5)
    assert c.get("in5") == b"five"
    c.execute_command("SELECT", 0)
    # Logically expired keys read as absent on the replica even before the master's DEL.
    wait_until(lambda: c.get("short") is None, timeout=5, message="short to read as expired")
    m.get("short")  # the master expires it on access and propagates DEL
    wait_offsets_equal(m, c)
    assert c.exists("short") == 0


def test_wait_on_real_master_is_answered_by_replica_acks(real_master, replica):
    m = real_master.client()
    m.set("w", "1")
    assert m.execute_command("WAIT", 1, 5000) == 1
    wait_until(lambda: info(m)["slave0"]["offset"] == info(m)["master_repl_offset"], timeout=5,
               message="the master to see our ACK")


def test_partial_resync_after_master_link_is_killed(real_master, replica):
    n, c = replica
    m = real_master.client()
    m.set("before", "1")
    wait_offsets_equal(m, c)
    partial_before = stats(m)["sync_partial_ok"]
    assert c.execute_command("CLIENT", "KILL", "TYPE", "master") == 1
    m.set("during", "2")
    wait_until(lambda: stats(m)["sync_partial_ok"] == partial_before + 1, timeout=10,
               message="a partial resync on the real master")
    wait_link_up(c)
    wait_offsets_equal(m, c)
    assert c.get("during") == b"2"
    assert stats(m)["sync_full"] == 1
    log = n.output()
    assert "Caching the disconnected master state." in log
    assert "Trying a partial resynchronization (request" in log
    assert "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization." in log


def test_replica_refuses_writes_unless_replica_read_only_is_off(real_master, replica):
    _, c = replica
    with pytest.raises(redis.exceptions.ReadOnlyError, match="You can't write against a read only replica."):
        c.set("x", "1")
    with pytest.raises(redis.exceptions.ResponseError):
        c.execute_command("MULTI")
        c.execute_command("SET", "x", "1")
    c.execute_command("DISCARD")
    assert c.get("x") is None  # reads are fine
    c.config_set("replica-read-only", "no")
    assert c.set("local", "only here")
    assert c.get("local") == b"only here"
    m = real_master.client()
    m.set("after", "1")
    wait_offsets_equal(m, c)  # a local write is not part of the stream
    assert m.get("local") is None


def test_stale_data_refused_while_link_down_when_configured(nodes):
    n = nodes()
    c = n.client()
    c.config_set("replica-serve-stale-data", "no")
    c.execute_command("REPLICAOF", "127.0.0.1", free_port())  # nobody listens there
    with pytest.raises(redis.exceptions.ResponseError, match="Link with MASTER is down and replica-serve-stale-data is set to .no."):
        c.get("k")
    assert c.ping()  # stale-flagged commands still work
    i = info(c)
    assert i["master_link_status"] == "down" and i["master_link_down_since_seconds"] == -1
    assert c.execute_command("ROLE")[3] in (b"connect", b"connecting")
    c.execute_command("REPLICAOF", "NO", "ONE")
    assert c.get("k") is None


def test_replicaof_same_master_and_bad_port(real_master, replica):
    n, c = replica
    assert c.execute_command("REPLICAOF", "127.0.0.1", real_master.port) in (b"OK Already connected to specified master", False)
    raw = socket.create_connection(("127.0.0.1", n.port), timeout=5)
    raw.sendall(f"REPLICAOF 127.0.0.1 {real_master.port}\r\n".encode())
    assert raw.recv(100) == b"+OK Already connected to specified master\r\n"
    raw.close()
    with pytest.raises(redis.exceptions.ResponseError, match="Invalid master port"):
        c.execute_command("REPLICAOF", "127.0.0.1", "70000")
    h = c.execute_command("HELLO", "2")
    if isinstance(h, list):
        h = dict(zip(h[::2], h[1::2]))
    h = {(k.decode() if isinstance(k, bytes) else k): v for k, v in h.items()}
    assert h["role"] in (b"replica", "replica")


def test_promoted_replica_takes_its_sibling_with_a_partial_resync(real_master, nodes):
    m = real_master.client()
    fill(m)
    a, b = nodes(), nodes()
    ca, cb = a.client(), b.client()
    for c in (ca, cb):
        c.execute_command("REPLICAOF", "127.0.0.1", real_master.port)
    for c in (ca, cb):
        wait_link_up(c)
    m.set("last", "from real master")
    wait_offsets_equal(m, ca)
    wait_offsets_equal(m, cb)
    old_id = info(ca)["master_replid"]

    assert ca.execute_command("REPLICAOF", "NO", "ONE") in (True, b"OK")
    ia = info(ca)
    assert ia["role"] == "master" and ia["master_replid2"] == old_id
    assert ia["master_replid"] != old_id
    assert ca.set("promoted", "yes")  # writable now

    assert cb.execute_command("REPLICAOF", "127.0.0.1", a.port) in (True, b"OK")
    wait_link_up(cb)
    wait_until(lambda: cb.get("promoted") == b"yes", timeout=10, message="the sibling to follow the new master")
    assert stats(ca)["sync_partial_ok"] == 1
    assert stats(ca)["sync_full"] == 0
    check_filled(cb)
    assert "Master replication ID changed to" in b.output()
    role = ca.execute_command("ROLE")
    assert role[0] == b"master" and role[2][0][1] == str(b.port).encode()


def test_replicaof_from_the_config_connects_at_start_up_and_rewrite_persists_runtime_changes(real_master, nodes):
    real_master.client().set("boot", "1")
    n = nodes("--replicaof", "127.0.0.1", str(real_master.port))
    c = n.client()
    wait_link_up(c)
    assert c.get("boot") == b"1"
    m = nodes(config_text="# empty\n")
    cm = m.client()
    cm.execute_command("REPLICAOF", "127.0.0.1", real_master.port)
    wait_link_up(cm)
    assert cm.config_rewrite()
    text = open(os.path.join(m.workdir, "node.conf")).read()
    assert f"replicaof 127.0.0.1 {real_master.port}" in text
    cm.execute_command("REPLICAOF", "NO", "ONE")
    assert cm.config_rewrite()
    assert f"replicaof 127.0.0.1" not in open(os.path.join(m.workdir, "node.conf")).read()


def test_chained_replica_receives_the_stream_proxied_by_its_master(real_master, replica, nodes):
    a, ca = replica
    b = nodes()
    cb = b.client()
    cb.execute_command("REPLICAOF", "127.0.0.1", a.port)
    wait_link_up(cb)
    m = real_master.client()
    m.set("chained", "through a")
    m.execute_command("SELECT", 2)
    m.rpush("l2", 1, 2, 3)
    m.execute_command("SELECT", 0)
    wait_offsets_equal(m, ca)
    wait_until(lambda: info(cb).get("slave_repl_offset") == info(ca)["master_repl_offset"], timeout=10,
               message="the sub-replica to catch up")
    assert cb.get("chained") == b"through a"
    cb.execute_command("SELECT", 2)
    assert cb.lrange("l2", 0, -1) == [b"1", b"2", b"3"]
    assert info(cb)["master_replid"] == info(m)["master_replid"]


def test_demoted_master_resyncs_partially_with_its_promoted_replica(nodes):
    old, new = nodes(), nodes()
    co, cn = old.client(), new.client()
    co.set("k", "v")
    cn.execute_command("REPLICAOF", "127.0.0.1", old.port)
    wait_link_up(cn)
    co.rpush("l", "a", "b")
    wait_offsets_equal(co, cn)
    cn.execute_command("REPLICAOF", "NO", "ONE")
    co.execute_command("REPLICAOF", "127.0.0.1", new.port)
    wait_link_up(co)
    assert stats(cn)["sync_partial_ok"] == 1 and stats(cn)["sync_full"] == 0
    assert "Before turning into a replica, using my own master parameters to synthesize a cached master" in old.output()
    cn.set("from-new", "1")
    wait_until(lambda: co.get("from-new") == b"1", timeout=10, message="the demoted master to follow")
    assert co.lrange("l", 0, -1) == [b"a", b"b"]


class FakeMaster:
    """Answers the handshake like a master, then sends `payload` after +FULLRESYNC, once per connection."""

    def __init__(self, payload):
        self.payload = payload
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            try:
                conn.settimeout(5)
                buf, answered = b"", 0
                while b"PSYNC" not in buf:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
                    replies = [b"+PONG\r\n", b"+OK\r\n", b"+OK\r\n"]  # PING, listening-port, capa
                    seen = min(3, buf.count(b"PING") + buf.count(b"REPLCONF"))
                    if seen > answered:
                        conn.sendall(b"".join(replies[answered:seen]))
                        answered = seen
                conn.sendall(b"+FULLRESYNC " + b"a" * 40 + b" 0\r\n")
                conn.sendall(b"\n" + self.payload)
                time.sleep(0.2)
            except OSError:
                pass
            finally:
                conn.close()

    def stop(self):
        self.server.close()


def test_corrupt_snapshot_keeps_old_data_logs_why_and_retries(nodes):
    fake = FakeMaster(b"$12\r\nREDIS0010XXX")
    try:
        n = nodes("--repl-diskless-load", "disabled")
        c = n.client()
        c.set("precious", "kept")
        c.execute_command("REPLICAOF", "127.0.0.1", fake.port)
        wait_until(lambda: fake.connections >= 2, timeout=15, message="a retry after the failed load")
        wait_until(lambda: "Failed trying to load the MASTER synchronization DB" in n.output(), timeout=5,
                   message="the failure to be logged")
        assert "MASTER <-> REPLICA sync: receiving 12 bytes from master to disk" in n.output()
        assert c.get("precious") == b"kept"
        assert info(c)["master_link_status"] == "down"
        c.execute_command("REPLICAOF", "NO", "ONE")
        assert c.get("precious") == b"kept"
    finally:
        fake.stop()


def test_silent_master_times_out_and_the_link_resumes_partially(real_master, nodes):
    n = nodes("--repl-timeout", "2")
    c = n.client()
    c.execute_command("REPLICAOF", "127.0.0.1", real_master.port)
    wait_link_up(c)
    m = real_master.client()
    m.set("x", "1")
    wait_offsets_equal(m, c)
    real_master.proc.send_signal(signal.SIGSTOP)
    try:
        wait_until(lambda: "MASTER timeout: no data nor PING received..." in n.output(), timeout=10,
                   message="the replica to detect the silent master")
        assert info(c)["master_link_status"] == "down"
    finally:
        real_master.proc.send_signal(signal.SIGCONT)
    wait_link_up(c)
    assert stats(m)["sync_partial_ok"] >= 1


def test_big_snapshot_is_loaded_on_a_helper_thread(real_master, nodes):
    m = real_master.client()
    blobs = {f"blob{i}": os.urandom(512 * 1024) for i in range(12)}  # ~6 MB, incompressible
    m.mset(blobs)
    n = nodes()
    c = n.client()
    c.execute_command("REPLICAOF", "127.0.0.1", real_master.port)
    wait_link_up(c, timeout=30)
    assert c.dbsize() == 12
    assert all(c.get(k) == v for k, v in blobs.items())
    m.set("after-big", "1")
    wait_until(lambda: c.get("after-big") == b"1", timeout=10, message="the stream after a big snapshot")
