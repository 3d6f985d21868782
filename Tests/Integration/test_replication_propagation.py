"""Non-deterministic and relative writes reach replicas deterministically:
a real redis-server 7.0 replica of a Vigil master ends with exactly the
master's data after SPOP, INCRBYFLOAT, HINCRBYFLOAT, served blocking pops,
relative expiries, GETDEL/GETEX, expired keys and MULTI/EXEC."""
import os
import shutil
import socket
import subprocess
import tempfile
import threading

import pytest
import redis

from vigil import wait_until

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (scripts/test installs it)")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def redis_replica_of(request):
    started = []

    def start(master_port):
        d = tempfile.mkdtemp(prefix="redis-replica-")
        port = free_port()
        p = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", d,
                              "--replicaof", "127.0.0.1", str(master_port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(p)
        c = redis.Redis(port=port, protocol=2)
        wait_until(lambda: c.ping(), message="redis replica up")
        return c

    yield start
    for p in started:
        p.kill()
        p.wait()


def dataset(c):
    out = {}
    for db in (0, 1):
        c.execute_command("SELECT", db)
        for k in c.keys("*"):
            t = c.type(k)
            v = {b"string": lambda: c.get(k), b"list": lambda: c.lrange(k, 0, -1),
                 b"set": lambda: sorted(c.smembers(k)), b"hash": lambda: sorted(c.hgetall(k).items()),
                 b"zset": lambda: c.zrange(k, 0, -1, withscores=True)}[t]()
            out[(db, k)] = (t, v, c.pttl(k) > 0)
    c.execute_command("SELECT", 0)
    return out


def test_rewritten_writes_leave_the_replica_identical(nodes, redis_replica_of):
    master = nodes()
    m = master.client()
    replica = redis_replica_of(master.port)
    wait_until(lambda: replica.info("replication")["master_link_status"] == "up", timeout=20, message="link up")

    m.sadd("s", *range(100))
    m.spop("s")
    m.spop("s", 7)
    m.set("f", "1.5")
    m.incrbyfloat("f", 0.1)
    m.hset("h", "x", "1")
    m.hincrbyfloat("h", "x", 2.25)
    m.set("rel", "v", ex=1000)
    m.setex("rel2", 500, "v")
    m.set("e", "v")
    m.expire("e", 300)
    m.set("gone", "v")
    m.expire("gone", -1)
    m.set("gd", "v")
    m.getdel("gd")
    m.set("gx", "v")
    m.getex("gx", px=123456)
    m.set("short", "v", px=50)
    wait_until(lambda: m.get("short") is None, message="short key expired")  # the master's DEL reaches the replica
    m.rpush("q", "a", "b", "c")
    assert m.blpop(["q"], timeout=1) == (b"q", b"a")
    m.zadd("z", {"a": 1, "b": 2})
    m.bzpopmin(["z"], timeout=1)
    popped = []
    waiter = master.client()
    t = threading.Thread(target=lambda: popped.append(waiter.brpop(["later"], timeout=5)))
    t.start()
    wait_until(lambda: m.info("clients")["blocked_clients"] == 1, message="client blocked")
    m.rpush("later", "x", "y")
    t.join(5)
    assert popped == [(b"later", b"y")]
    p = m.pipeline(transaction=True)
    p.execute_command("SELECT", 1).set("in-db1", "1").incr("in-db1").spop("s")
    p.execute()

    offset = lambda: m.info("replication")["master_repl_offset"]
    wait_until(lambda: replica.info("replication")["slave_repl_offset"] == offset(), timeout=20,
               message="replica caught up")
    assert dataset(replica) == dataset(m)
