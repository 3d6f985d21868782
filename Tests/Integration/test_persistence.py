"""RDB persistence: SAVE/BGSAVE/restart, DEBUG RELOAD, a corrupt file stops
start-up untouched, dumps cross between Vigil and a real redis-server 7.0,
INFO persistence and BGSAVE/SHUTDOWN details as Redis 7.0, stale temp files.
(Loading a large file in the background: test_persistence_loading.py; crash
safety: test_persistence_crash.py.)"""
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
import redis

from vigil import Node, binary, wait_until


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
    # A small file loads before serving: the server exits without ever reporting a port.
    p = subprocess.Popen([binary(), "--port", "0", "--bind", "127.0.0.1", "--dir", d, "--save", ""],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=d)
    try:
        out, _ = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 1
    assert b"truncated" in out and b"left untouched" in out
    assert b"port=" not in out
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


def fill_many(c, n, prefix="k"):
    p = c.pipeline(transaction=False)
    for i in range(n):
        p.set(f"{prefix}:{i}", f"value-{i}")
        if i % 5000 == 4999:
            p.execute()
    p.execute()


def temp_files(d):
    return sorted(f for f in os.listdir(d) if f.startswith("temp-") and f.endswith(".rdb"))


def test_info_persistence_counts_saves_and_times_like_redis(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    c = nodes(workdir=d).client()
    info = c.info("persistence")
    assert info["rdb_saves"] == 0 and info["rdb_last_bgsave_time_sec"] == -1
    for field in ("current_cow_peak", "current_cow_size", "current_cow_size_age", "current_fork_perc",
                  "current_save_keys_processed", "current_save_keys_total", "rdb_last_cow_size",
                  "rdb_last_load_keys_expired", "rdb_last_load_keys_loaded", "aof_rewrites",
                  "module_fork_in_progress"):
        assert field in info, field
    c.set("a", "1")
    assert info_changes(c) == 1
    assert c.save()
    assert info_changes(c) == 0
    c.set("b", "2")
    c.bgsave()
    wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, message="bgsave done")
    info = c.info("persistence")
    assert info["rdb_saves"] == 2
    assert info["rdb_last_bgsave_status"] == "ok"
    assert info["rdb_last_bgsave_time_sec"] >= 0
    assert info["rdb_current_bgsave_time_sec"] == -1
    assert info["rdb_changes_since_last_save"] == 0
    assert info["rdb_last_save_time"] == int(c.lastsave().timestamp())


def info_changes(c):
    return c.info("persistence")["rdb_changes_since_last_save"]


def raw_lines(port, payload, count):
    """Sends raw RESP and returns the first `count` reply lines (simple replies only)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(payload)
        data = b""
        while data.count(b"\r\n") < count:
            chunk = s.recv(65536)
            assert chunk, "connection closed"
            data += chunk
    return data.split(b"\r\n")[:count]


def test_bgsave_while_one_runs_is_an_error_even_with_schedule(nodes):
    n = nodes()
    c = n.client()
    fill_many(c, 50_000)
    # One batch: the three commands run back to back while the first save is still writing.
    replies = raw_lines(n.port, b"BGSAVE\r\nBGSAVE SCHEDULE\r\nBGSAVE\r\n", 3)
    assert replies == [b"+Background saving started",
                       b"-ERR Background save already in progress",
                       b"-ERR Background save already in progress"]
    with pytest.raises(redis.ResponseError, match="syntax"):
        c.execute_command("BGSAVE", "NOW")
    wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, message="bgsave done")
    assert raw_lines(n.port, b"BGSAVE SCHEDULE\r\n", 1) == [b"+Background saving started"]


def test_bgsave_reports_progress_and_copy_on_write(nodes):
    c = nodes().client()
    fill_many(c, 100_000)
    p = c.pipeline(transaction=False)
    p.execute_command("BGSAVE")
    p.info("persistence")
    for i in range(2000):   # writes after the snapshot copy its segments
        p.set(f"k:{i * 37 % 100_000}", "changed")
    p.info("persistence")
    replies = p.execute()
    during = replies[1]
    assert during["rdb_bgsave_in_progress"] == 1
    assert during["current_save_keys_total"] == 100_000
    assert 0 <= during["current_save_keys_processed"] <= 100_000
    wait_until(lambda: c.info("persistence")["rdb_bgsave_in_progress"] == 0, message="bgsave done")
    assert c.info("persistence")["rdb_last_cow_size"] > 0


def send_raw(port, payload):
    """Sends raw RESP and returns whatever arrives until the server closes the
    connection (SHUTDOWN; redis-py would retry the closed connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(payload)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def test_shutdown_during_bgsave_cancels_it_and_saves_the_newer_data(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    n = nodes(workdir=d)
    c = n.client()
    fill_many(c, 100_000)
    # One batch: the save is still writing when SHUTDOWN SAVE runs.
    replies = send_raw(n.port, b"BGSAVE\r\nSET written-after-bgsave yes\r\nSHUTDOWN SAVE\r\n")
    assert replies == b"+Background saving started\r\n+OK\r\n"
    assert n.proc.wait(timeout=30) == 0
    assert "Cancelling it" in n.output()
    assert temp_files(d) == []
    c2 = nodes(workdir=d).client()
    wait_until(lambda: c2.info("persistence")["loading"] == 0, message="loaded")
    assert c2.get("written-after-bgsave") == b"yes"
    assert c2.dbsize() == 100_001


def test_shutdown_nosave_and_force(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    n = nodes(workdir=d)
    c = n.client()
    c.set("k", "v")
    assert send_raw(n.port, b"SHUTDOWN NOSAVE\r\n") == b""
    assert n.proc.wait(timeout=10) == 0
    assert not os.path.exists(os.path.join(d, "dump.rdb"))
    # A save that cannot be written (a directory is in the way): SHUTDOWN
    # refuses to exit, SHUTDOWN FORCE exits anyway.
    n = nodes(workdir=d)
    c = n.client()
    c.set("k", "v")
    os.makedirs(os.path.join(d, "dump.rdb", "in-the-way"))
    with pytest.raises(redis.ResponseError, match="Errors trying to SHUTDOWN"):
        c.execute_command("SHUTDOWN", "SAVE")
    assert c.ping()
    assert send_raw(n.port, b"SHUTDOWN SAVE FORCE\r\n") == b""
    assert n.proc.wait(timeout=10) == 0
    assert "Exit anyway" in n.output()


def test_startup_removes_temp_files_of_dead_processes_only(nodes):
    d = tempfile.mkdtemp(prefix="vigil-rdb-")
    dead = subprocess.Popen(["true"])
    dead.wait()
    live = os.getpid()
    names = [f"temp-{dead.pid}.rdb", f"temp-{dead.pid}-7.rdb", f"temp-{live}-1.rdb", "temp-notapid.rdb"]
    for name in names:
        open(os.path.join(d, name), "wb").write(b"partial")
    n = nodes(workdir=d)
    assert temp_files(d) == sorted([f"temp-{live}-1.rdb", "temp-notapid.rdb"])
    assert f"Removed stale temp RDB file temp-{dead.pid}-7.rdb" in n.output()
