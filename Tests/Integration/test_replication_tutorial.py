"""The classic replication tutorial, with three Vigil nodes: a common config
plus one small config per port that `include`s it; SLAVEOF two nodes to the
first; the master lists both replicas online; writes reach both; a replica
killed and restarted without replicaof comes back as a master and, after
SLAVEOF again, holds everything (also what was written while it was down);
the master killed leaves the replicas as replicas with the link down; the
master restarted from its snapshot brings the links back up by themselves.

The steps share one module-scoped set of nodes and run in file order."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile

import pytest
import redis

from vigil import binary, wait_until

COMMON = """# common.conf — shared by every node of the tutorial
bind 127.0.0.1
protected-mode no
save ""
dbfilename dump.rdb
repl-diskless-sync-delay 0
repl-timeout 60
loglevel notice
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TutorialNode:
    """vigil-server started with just its per-port config file, restartable on the same port."""

    def __init__(self, root, port):
        self.port = port
        self.dir = os.path.join(root, str(port))
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(root, f"{port}.conf")
        with open(self.conf, "w") as f:
            f.write(f"include {os.path.join(root, 'common.conf')}\nport {port}\ndir {self.dir}\n")
        self.proc = None
        self.start()

    def start(self):
        log = open(os.path.join(self.dir, "stdout.log"), "ab")
        self.proc = subprocess.Popen([binary(), self.conf], stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)
        log.close()
        wait_until(self._ping, timeout=20, message=f"vigil-server on port {self.port}")

    def _ping(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"vigil-server exited with {self.proc.returncode}: {self.output()}")
        return self.client().ping()

    def output(self):
        with open(os.path.join(self.dir, "stdout.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=10, protocol=2)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def trio():
    root = tempfile.mkdtemp(prefix="vigil-tutorial-")
    with open(os.path.join(root, "common.conf"), "w") as f:
        f.write(COMMON)
    started = []
    try:
        for _ in range(3):
            started.append(TutorialNode(root, free_port()))
        yield started
    finally:
        for n in started:
            n.kill()
        shutil.rmtree(root, ignore_errors=True)


def repl(node):
    return node.client().info("replication")


def online_replica_ports(master):
    i = repl(master)
    return sorted(v["port"] for k, v in i.items() if k.startswith("slave") and isinstance(v, dict) and v["state"] == "online")


def test_slaveof_makes_two_replicas_online_on_the_master(trio):
    master, r1, r2 = trio
    assert repl(master)["role"] == "master"
    for r in (r1, r2):
        assert r.client().execute_command("SLAVEOF", "127.0.0.1", master.port) in (True, b"OK")
    wait_until(lambda: online_replica_ports(master) == sorted([r1.port, r2.port]), timeout=20,
               message="both replicas online on the master")
    i = repl(master)
    assert i["connected_slaves"] == 2
    for r in (r1, r2):
        ri = repl(r)
        assert ri["role"] == "slave" and ri["master_port"] == master.port
        wait_until(lambda: repl(r)["master_link_status"] == "up", timeout=10, message="link up")


def test_writes_on_the_master_are_readable_on_both_replicas(trio):
    master, r1, r2 = trio
    m = master.client()
    m.set("greeting", "hello")
    m.rpush("list", "a", "b", "c")
    m.hset("user:1", mapping={"name": "ada", "lang": "swift"})
    for r in (r1, r2):
        c = r.client()
        wait_until(lambda: c.get("greeting") == b"hello" and c.hget("user:1", "lang") == b"swift",
                   timeout=10, message="writes to reach the replica")
        assert c.lrange("list", 0, -1) == [b"a", b"b", b"c"]
        with pytest.raises(redis.exceptions.ReadOnlyError):
            c.set("greeting", "nope")


def test_restarted_replica_is_a_master_until_slaveof_again(trio):
    master, r1, _ = trio
    r1.kill()
    m = master.client()
    m.set("written-while-down", "yes")
    m.incrby("counter", 7)
    wait_until(lambda: online_replica_ports(master) == [trio[2].port], timeout=20,
               message="the master to notice the dead replica")
    r1.start()  # its config has no replicaof: a master again, with no data (no save)
    c = r1.client()
    assert repl(r1)["role"] == "master"
    assert c.get("greeting") is None
    assert c.execute_command("SLAVEOF", "127.0.0.1", master.port) in (True, b"OK")
    wait_until(lambda: repl(r1)["master_link_status"] == "up", timeout=20, message="link up again")
    assert c.get("written-while-down") == b"yes"
    assert c.get("counter") == b"7"
    assert c.get("greeting") == b"hello"
    wait_until(lambda: online_replica_ports(master) == sorted([r1.port, trio[2].port]), timeout=10,
               message="both replicas online again")


def test_killed_master_leaves_replicas_as_replicas_with_link_down(trio):
    master, r1, r2 = trio
    m = master.client()
    m.set("saved", "before the crash")
    wait_until(lambda: all(r.client().get("saved") == b"before the crash" for r in (r1, r2)), timeout=10,
               message="the last write to reach both replicas")
    assert m.save()
    master.kill()
    for r in (r1, r2):
        wait_until(lambda: repl(r)["master_link_status"] == "down", timeout=10, message="link down")
        i = repl(r)
        assert i["role"] == "slave"
        assert i["master_link_down_since_seconds"] >= 0
        assert r.client().get("saved") == b"before the crash"  # stale data is served by default


def test_restarted_master_brings_the_links_back_up(trio):
    master, r1, r2 = trio
    master.start()
    assert master.client().get("saved") == b"before the crash"  # from its snapshot
    for r in (r1, r2):
        wait_until(lambda: repl(r)["master_link_status"] == "up", timeout=20, message="link back up")
    master.client().set("after-restart", "1")
    for r in (r1, r2):
        c = r.client()
        wait_until(lambda: c.get("after-restart") == b"1", timeout=10, message="new writes to flow")
        assert c.get("saved") == b"before the crash"
    assert online_replica_ports(master) == sorted([r1.port, r2.port])
