"""Connection, protocol and server-level behaviour of vigil-server, driven by
redis-py and by raw sockets (for malformed input and inline commands)."""
import socket
import threading
import time

import pytest
import redis

from vigil import wait_until


def raw(node, payload, read_until=b"\r\n", timeout=5):
    s = socket.create_connection(("127.0.0.1", node.port), timeout=timeout)
    s.sendall(payload)
    data = b""
    deadline = time.monotonic() + timeout
    while read_until not in data and time.monotonic() < deadline:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return data


def test_ping_echo_and_inline_commands(r, node):
    assert r.ping() is True
    assert r.echo(b"hello") == b"hello"
    assert raw(node, b"PING\r\n") == b"+PONG\r\n"
    assert raw(node, b"ping\n") == b"+PONG\r\n"
    assert raw(node, b'echo "a b\\x41"\r\n', read_until=b"\r\n", timeout=5).startswith(b"$4\r\na bA\r\n")


def test_pipelining_answers_in_order(r):
    p = r.pipeline(transaction=False)
    for i in range(500):
        p.set(f"k{i}", i)
        p.get(f"k{i}")
    out = p.execute()
    assert out[1::2] == [str(i).encode() for i in range(500)]


@pytest.mark.parametrize("payload,error", [
    (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length"),
    (b"*1\r\n$99999999999\r\n", b"-ERR Protocol error: invalid bulk length"),
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length"),
    (b"*1\r\nx\r\n", b"-ERR Protocol error: expected '$', got 'x'"),
    (b'set "unbalanced\r\n', b"-ERR Protocol error: unbalanced quotes in request"),
])
def test_protocol_errors_close_only_that_client(r, node, payload, error):
    other = node.client()
    other.set("survivor", "yes")
    reply = raw(node, payload)
    assert reply.startswith(error), reply
    assert other.get("survivor") == b"yes"


def test_huge_multibulk_count_does_not_allocate(node):
    before = int(node.client().info("memory")["used_memory_rss"])
    # An authenticated client may announce up to 1024*1024 args; nothing is reserved for them.
    s = socket.create_connection(("127.0.0.1", node.port))
    header = b"*1048576\r\n$3\r\nset\r\n"
    s.sendall(header)
    observer = node.client()
    wait_until(lambda: any(c.get("qbuf") == str(len(header)) for c in observer.client_list()),
               message="the partial frame to be buffered by the server")
    after = int(observer.info("memory")["used_memory_rss"])
    s.close()
    assert after - before < 64 * 1024 * 1024


def test_unknown_command_and_arity_errors(r):
    with pytest.raises(redis.ResponseError, match="unknown command 'NOSUCH', with args beginning with: 'a'"):
        r.execute_command("NOSUCH", "a")
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'get' command"):
        r.execute_command("GET")


def test_select_and_databases(r):
    r.set("k", "db0")
    r.execute_command("SELECT", 3)
    assert r.get("k") is None
    with pytest.raises(redis.ResponseError, match="DB index is out of range"):
        r.execute_command("SELECT", 16)


def test_resp3_hello_and_types(node):
    c = node.client(protocol=3)
    c.flushall()
    hello = c.execute_command("HELLO", 3)
    assert hello[b"proto"] == 3 and hello[b"server"] == b"redis"
    c.hset("h", mapping={"a": 1, "b": 2})
    assert c.hgetall("h") == {b"a": b"1", b"b": b"2"}
    with pytest.raises(redis.ResponseError, match="NOPROTO"):
        c.execute_command("HELLO", 4)


def test_resp3_raw_null_and_double(node):
    reply = raw(node, b"HELLO 3\r\nGET nokey\r\n", read_until=b"_\r\n")
    assert reply.endswith(b"_\r\n")


def test_auth_and_requirepass(nodes):
    n = nodes("--requirepass", "s3cret")
    c = n.client()
    with pytest.raises(redis.AuthenticationError):
        c.get("k")
    good = n.client(password="s3cret")
    assert good.set("k", "v")
    with pytest.raises(redis.AuthenticationError):
        n.client(password="wrong").ping()
    assert raw(n, b"*1\r\n$4\r\nPING\r\n") == b"-NOAUTH Authentication required.\r\n"
    # Unauthenticated clients get Redis's stricter limits.
    assert raw(n, b"*100\r\n").startswith(b"-ERR Protocol error: unauthenticated multibulk length")


def test_multi_exec_discard_and_execabort(r):
    p = r.pipeline(transaction=True)
    p.set("a", 1).incr("a").get("a")
    assert p.execute() == [True, 2, b"2"]
    r.execute_command("MULTI")
    r.execute_command("SET", "x", "1")
    assert r.execute_command("DISCARD") == b"OK"
    assert r.get("x") is None
    r.execute_command("MULTI")
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCMD")
    with pytest.raises(redis.exceptions.ExecAbortError):
        r.execute_command("EXEC")
    with pytest.raises(redis.ResponseError, match="EXEC without MULTI"):
        r.execute_command("EXEC")


def test_exec_runtime_errors_do_not_abort_others(r):
    r.set("s", "str")
    p = r.pipeline(transaction=True)
    p.incr("s").set("t", "ok")
    res = p.execute(raise_on_error=False)
    assert isinstance(res[0], redis.ResponseError) and res[1] is True


def test_watch_invalidated_by_other_client(r, node):
    r.set("w", 1)
    other = node.client()
    with r.pipeline() as p:
        p.watch("w")
        other.set("w", 2)
        p.multi()
        p.set("w", 3)
        with pytest.raises(redis.WatchError):
            p.execute()
    assert r.get("w") == b"2"
    with r.pipeline() as p:
        p.watch("w")
        p.multi()
        p.set("w", 4)
        assert p.execute() == [True]


def test_pubsub_messages_and_patterns(r, node):
    sub = node.client().pubsub()
    sub.subscribe("news")
    sub.psubscribe("n*")
    wait_until(lambda: r.pubsub_numsub("news") == [(b"news", 1)])
    assert r.publish("news", "hello") == 2
    got = []
    wait_until(lambda: got.extend(filter(None, [sub.get_message(timeout=0.1)])) or
               len([m for m in got if m["type"] in ("message", "pmessage")]) == 2)
    kinds = sorted(m["type"] for m in got if m["type"] in ("message", "pmessage"))
    assert kinds == ["message", "pmessage"]
    assert r.execute_command("PUBSUB", "NUMPAT") == 1
    assert b"news" in r.execute_command("PUBSUB", "CHANNELS")
    sub.close()


def test_subscribed_resp2_context_rejects_other_commands(node):
    reply = raw(node, b"SUBSCRIBE c\r\nGET k\r\n", read_until=b"allowed in this context")
    assert b"only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed" in reply


def test_client_commands(r, node):
    r.client_setname("tester")
    assert r.client_getname() == "tester" or r.client_getname() == b"tester"
    clients = r.client_list()
    assert any(c["name"] == "tester" for c in clients)
    victim = node.client()
    victim.ping()
    vid = victim.client_id()
    assert r.client_kill_filter(_id=vid) == 1
    with pytest.raises(redis.ResponseError, match="Client names cannot contain spaces"):
        r.client_setname("bad name")


def test_client_pause_write_holds_writes_until_unpause(r, node):
    r.execute_command("CLIENT", "PAUSE", 5000, "WRITE")
    writer = node.client()
    done = []
    t = threading.Thread(target=lambda: done.append(writer.set("p", 1)))
    t.start()
    assert r.get("p") is None  # reads still served
    time.sleep(0.1)  # a negative check: give a wrongly unpaused write the time to land
    assert not done
    r.execute_command("CLIENT", "UNPAUSE")
    t.join(5)
    assert done == [True]


def test_client_reply_off_and_skip(node):
    reply = raw(node, b"CLIENT REPLY OFF\r\nSET a 1\r\nCLIENT REPLY ON\r\n", read_until=b"+OK\r\n")
    assert reply == b"+OK\r\n"
    reply = raw(node, b"CLIENT REPLY SKIP\r\nSET a 1\r\nPING\r\n", read_until=b"PONG\r\n")
    assert reply == b"+PONG\r\n"


def test_info_sections_and_fields(r):
    info = r.info()
    assert len(info["run_id"]) == 40
    assert info["role"] == "master"
    for field in ("connected_clients", "used_memory", "total_commands_processed", "rdb_changes_since_last_save"):
        assert field in info
    r.set("k", "v")
    assert r.info("keyspace")["db0"]["keys"] == 1
    assert "cmdstat_set" in r.info("commandstats")


def test_config_get_set(r):
    assert r.config_get("maxclients") == {"maxclients": "10000"}
    r.config_set("maxclients", 500)
    assert r.config_get("maxclients") == {"maxclients": "500"}
    with pytest.raises(redis.ResponseError, match="CONFIG SET failed"):
        r.config_set("maxclients", "lots")
    with pytest.raises(redis.ResponseError, match="can't set immutable config"):
        r.config_set("databases", 4)
    assert "save" in r.config_get("*")


def test_command_introspection(r, node):
    assert int(raw(node, b"COMMAND COUNT\r\n")[1:-2]) > 150
    reply = raw(node, b"COMMAND INFO get\r\n", read_until=b"@string")
    assert reply.startswith(b"*1\r\n*10\r\n$3\r\nget\r\n:2\r\n")
    assert [k if isinstance(k, str) else k.decode() for k in r.command_getkeys("MSET", "a", "1", "b", "2")] == ["a", "b"]


def test_time_and_lastsave(r):
    sec, usec = r.execute_command("TIME")
    assert abs(int(sec) - time.time()) < 5 and 0 <= int(usec) < 1_000_000
    assert r.lastsave()


def test_monitor_streams_commands(r, node):
    m = socket.create_connection(("127.0.0.1", node.port), timeout=5)
    m.sendall(b"MONITOR\r\n")
    assert m.recv(100) == b"+OK\r\n"
    r.set("mon", "itor")
    data = b""
    deadline = time.monotonic() + 5
    while b'"mon" "itor"' not in data and time.monotonic() < deadline:
        data += m.recv(4096)
    m.close()
    assert b'"SET" "mon" "itor"' in data  # arguments as the client sent them, like Redis


def test_quit_and_reset(node):
    assert raw(node, b"QUIT\r\n") == b"+OK\r\n"
    assert raw(node, b"SELECT 2\r\nRESET\r\n", read_until=b"RESET\r\n").endswith(b"+RESET\r\n")


def test_output_buffer_limit_disconnects_slow_reader(nodes):
    n = nodes("--client-output-buffer-limit", "normal", "1mb", "0", "0")
    c = n.client()
    c.set("big", "x" * 100000)
    s = socket.create_connection(("127.0.0.1", n.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET big\r\n" * 400)  # ~40 MB of replies, never read
    wait_until(lambda: len(c.client_list()) == 1, timeout=10, message="slow client to be disconnected")
    s.close()
    assert c.ping()


def test_maxclients(nodes):
    n = nodes("--maxclients", "2")
    a, b = n.client(), n.client()
    a.ping(); b.ping()
    with pytest.raises(redis.ConnectionError, match="max number of clients reached"):
        n.client().ping()


def test_idle_timeout_closes_clients(nodes):
    n = nodes("--timeout", "1")
    s = socket.create_connection(("127.0.0.1", n.port), timeout=5)
    s.sendall(b"PING\r\n")
    assert s.recv(100) == b"+PONG\r\n"
    assert s.recv(100) == b""  # closed by the server after ~1 s idle
    s.close()


def test_config_set_port_moves_the_listener(nodes):
    n = nodes()
    c = n.client()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    new_port = probe.getsockname()[1]
    probe.close()
    assert c.config_set("port", new_port)
    moved = redis.Redis(host="127.0.0.1", port=new_port, protocol=2)
    assert moved.ping()
    assert moved.config_get("port") == {"port": str(new_port)}
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", n.port), timeout=1)
    assert c.ping()  # the existing connection stays
