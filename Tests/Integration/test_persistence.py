"""RDB persistence: SAVE/BGSAVE/restart, DEBUG RELOAD, a corrupt file stops
start-up untouched, and dumps cross between Vigil and a real redis-server 7.0."""
import os
import shutil
import subprocess
import tempfile

import pytest
import redis

from vigil import Node, wait_until


def fill(c):
    c.set("s", "plain")
    c.set("n", 12345)
    c.set("big", "abc" * 10000)
    c.set("ttl", "x", px=600000)
    c.rpush("l", *[f"e{i}" for i in range(300)])
    c.sadd("ints", *range(50))
    c.sadd("strs", *[f"m{i}" for i in range(200)])
    c.hset("h", mapping={f"f{i}": f"v{i}" for i in range(200)})
    c.hset("hsmall", mapping={"a": "1"})
    c.zadd("z", {f"z{i}": i * 1.5 for i in range(200)})
    c.zadd("zsmall", {"a": 1, "b": -2.5})
    c.select(2) if hasattr(c, "select") else c.execute_command("SELECT", 2)
    c.execute_command("SELECT", 2)
    c.set("db2key", "in db 2")
    c.execute_command("SELECT", 0)


def dump(c):
    """Every key of db 0 and db 2 with its type, value and TTL bucket."""
    out = {}
    for db in (0, 2):
        c.execute_command("SELECT", db)
        for k in c.keys("*"):
            t = c.type(k)
            if t == b"string":
                v = c.get(k)
            elif t == b"list":
                v = c.lrange(k, 0, -1)
            elif t == b"set":
                v = sorted(c.smembers(k))
            elif t == b"hash":
                v = sorted(c.hgetall(k).items())
            else:
                v = c.zrange(k, 0, -1, withscores=True)
            ttl = c.pttl(k)
            out[(db, k)] = (t, v, ttl > 0)
    c.execute_command("SELECT", 0)
    return out


def test_save_and_restart_loads_everything(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    n = nodes(workdir=d)
    c = n.client()
    fill(c)
    before = dump(c)
    assert c.save()
    n.stop()
    n2 = nodes(workdir=d)
    assert dump(n2.client()) == before


def test_bgsave_and_lastsave(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    n = nodes(workdir=d)
    c = n.client()
    fill(c)
    t0 = c.lastsave()
    c.bgsave()
    wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0 and
               c.info("persistence")["rdb_changes_since_last_save"] == 0, message="bgsave done")
    assert os.path.exists(os.path.join(d, "dump.rdb"))
    assert c.lastsave() >= t0


def test_debug_reload_keeps_dataset(r):
    fill(r)
    before = dump(r)
    assert r.execute_command("DEBUG", "RELOAD") == b"OK"
    assert dump(r) == before


def test_corrupt_file_stops_startup_and_is_left_untouched():
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    path = os.path.join(d, "dump.rdb")
    data = b"REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00\x00\x03key\x05val"  # truncated
    open(path, "wb").write(data)
    with pytest.raises((RuntimeError, TimeoutError), match="truncated"):
        Node(workdir=d)
    assert open(path, "rb").read() == data


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed (scripts/test installs it)")
def test_redis_loads_a_vigil_dump(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    n = nodes(workdir=d)
    c = n.client()
    fill(c)
    before = dump(c)
    c.save()
    sock = os.path.join(d, "redis.sock")
    p = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", sock, "--dir", d,
                          "--dbfilename", "dump.rdb", "--save", ""], stdout=subprocess.DEVNULL)
    try:
        rc = redis.Redis(unix_socket_path=sock)
        wait_until(lambda: rc.ping(), message="redis-server up")
        assert dump(rc) == before
    finally:
        p.kill(); p.wait()


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed (scripts/test installs it)")
def test_vigil_loads_a_redis_dump(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    sock = os.path.join(d, "redis.sock")
    p = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", sock, "--dir", d,
                          "--dbfilename", "dump.rdb", "--save", ""], stdout=subprocess.DEVNULL)
    try:
        rc = redis.Redis(unix_socket_path=sock)
        wait_until(lambda: rc.ping(), message="redis-server up")
        fill(rc)
        rc.rpush("biglist", *[f"x{i}" * 20 for i in range(20000)])  # quicklist with several nodes
        rc.hset("bighash", mapping={f"f{i}": "v" * 100 for i in range(300)})  # hashtable encoding
        before = dump(rc)
        rc.save()
    finally:
        p.kill(); p.wait()
    n = nodes(workdir=d)
    assert dump(n.client()) == before
