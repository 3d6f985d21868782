"""List commands of vigil-server against Redis 7.0 behaviour: LPUSH … RPOPLPUSH,
the blocking BLPOP/BRPOP/BLMOVE/BRPOPLPUSH, error texts, and exact RESP2/RESP3
reply shapes (read from a raw socket where redis-py would hide them)."""
import socket
import threading
import time

import pytest
import redis

from rawresp import Raw, WRONGTYPE, encode, error_text

from vigil import wait_until


# --- pushes, pops, length -------------------------------------------------

def test_lpush_prepends_each_argument_in_turn_and_rpush_appends(r):
    assert r.lpush("l", "a", "b", "c") == 3
    assert r.lrange("l", 0, -1) == [b"c", b"b", b"a"]
    assert r.rpush("l", "x", "y") == 5
    assert r.lrange("l", 0, -1) == [b"c", b"b", b"a", b"x", b"y"]
    assert r.llen("l") == 5
    assert r.llen("missing") == 0


def test_pushx_only_pushes_onto_an_existing_list(r):
    assert r.lpushx("l", "a") == 0
    assert r.rpushx("l", "a", "b") == 0
    assert r.exists("l") == 0
    r.rpush("l", "m")
    assert r.lpushx("l", "a", "b") == 3
    assert r.rpushx("l", "z") == 4
    assert r.lrange("l", 0, -1) == [b"b", b"a", b"m", b"z"]


def test_pop_without_count_answers_an_element_or_null(r, raw2, raw3):
    r.rpush("l", "a", "b", "c")
    assert r.lpop("l") == b"a"
    assert r.rpop("l") == b"c"
    assert r.rpop("l") == b"b"
    assert r.exists("l") == 0
    assert raw2.call("LPOP", "l") == b"$-1\r\n"
    assert raw3.call("RPOP", "l") == b"_\r\n"


def test_pop_with_count_answers_an_array(r, raw2):
    r.rpush("l", *"abcde")
    assert r.lpop("l", 2) == [b"a", b"b"]
    assert r.rpop("l", 2) == [b"e", b"d"]
    assert r.lpop("l", 10) == [b"c"]
    assert r.exists("l") == 0
    r.rpush("l", "a")
    assert raw2.call("LPOP", "l", "0") == b"*0\r\n"
    assert r.llen("l") == 1


def test_pop_with_count_on_a_missing_key_is_the_null_array(raw2, raw3):
    assert raw2.call("LPOP", "missing", "1") == b"*-1\r\n"
    assert raw2.call("RPOP", "missing", "0") == b"*-1\r\n"
    assert raw3.call("LPOP", "missing", "3") == b"_\r\n"


@pytest.mark.parametrize("count", ["-1", "abc", "1.5", "99999999999999999999"])
def test_pop_count_must_be_a_positive_integer(r, count):
    r.rpush("l", "a")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("LPOP", "l", count)
    assert error_text(e) == "value is out of range, must be positive"
    assert r.llen("l") == 1


def test_pop_with_too_many_arguments_is_an_arity_error(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("RPOP", "l", "1", "2")
    assert error_text(e) == "wrong number of arguments for 'rpop' command"


# --- index access -----------------------------------------------------------

@pytest.mark.parametrize("start,stop,expected", [
    (0, -1, "abcde"), (1, 3, "bcd"), (-2, -1, "de"), (-100, 1, "ab"), (3, 100, "de"),
    (4, 2, ""), (5, 10, ""), (-1, -2, ""), (0, 0, "a"),
    (-9223372036854775808, 9223372036854775807, "abcde"),
])
def test_lrange_clamps_like_redis(r, start, stop, expected):
    r.rpush("l", *"abcde")
    assert r.lrange("l", start, stop) == [c.encode() for c in expected]


def test_lrange_of_a_missing_key_is_empty_and_indices_must_be_integers(r):
    assert r.lrange("missing", 0, -1) == []
    with pytest.raises(redis.ResponseError) as e:
        r.lrange("missing", "a", 1)
    assert error_text(e) == "value is not an integer or out of range"


def test_lindex_counts_from_either_end(r):
    r.rpush("l", *"abc")
    assert r.lindex("l", 0) == b"a"
    assert r.lindex("l", -1) == b"c"
    assert r.lindex("l", 3) is None
    assert r.lindex("l", -4) is None
    assert r.lindex("missing", 0) is None
    assert r.lindex("missing", "notanumber") is None     # the key is looked up first
    with pytest.raises(redis.ResponseError, match="value is not an integer or out of range"):
        r.lindex("l", "x")


def test_lset_replaces_and_reports_missing_key_or_bad_index(r):
    r.rpush("l", *"abc")
    assert r.lset("l", -1, "z") is True
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"z"]
    with pytest.raises(redis.ResponseError) as e:
        r.lset("missing", 0, "x")
    assert error_text(e) == "no such key"
    with pytest.raises(redis.ResponseError) as e:
        r.lset("l", 3, "x")
    assert error_text(e) == "index out of range"
    with pytest.raises(redis.ResponseError) as e:
        r.lset("l", "x", "x")
    assert error_text(e) == "value is not an integer or out of range"


@pytest.mark.parametrize("start,stop,expected", [
    (1, -1, "bcde"), (0, 1, "ab"), (-2, -1, "de"), (2, 2, "c"), (0, 100, "abcde"),
])
def test_ltrim_keeps_the_range(r, start, stop, expected):
    r.rpush("l", *"abcde")
    assert r.ltrim("l", start, stop) is True
    assert r.lrange("l", 0, -1) == [c.encode() for c in expected]


def test_ltrim_to_an_empty_range_deletes_the_key(r):
    r.rpush("l", *"abc")
    assert r.ltrim("l", 5, 10) is True
    assert r.exists("l") == 0
    assert r.ltrim("missing", 0, 1) is True


# --- search -----------------------------------------------------------------

@pytest.mark.parametrize("count,expected_removed,rest", [
    (0, 3, "bcd"), (1, 1, "bcada"), (2, 2, "bcda"), (-1, 1, "abcad"), (-2, 2, "abcd"), (10, 3, "bcd"),
])
def test_lrem_removes_matches_from_head_or_tail(r, count, expected_removed, rest):
    r.rpush("l", *"abcada")
    assert r.lrem("l", count, "a") == expected_removed
    assert r.lrange("l", 0, -1) == [c.encode() for c in rest]


def test_lrem_without_matches_and_of_everything(r):
    r.rpush("l", "a", "a")
    assert r.lrem("l", 0, "zz") == 0
    assert r.lrem("missing", 0, "a") == 0
    assert r.lrem("l", 0, "a") == 2
    assert r.exists("l") == 0


def test_linsert_before_and_after_the_first_pivot(r):
    r.rpush("l", "a", "b", "a")
    assert r.linsert("l", "BEFORE", "a", "x") == 4
    assert r.linsert("l", "after", "b", "y") == 5
    assert r.lrange("l", 0, -1) == [b"x", b"a", b"b", b"y", b"a"]
    assert r.linsert("l", "before", "nope", "z") == -1
    assert r.linsert("missing", "before", "a", "z") == 0
    assert r.exists("missing") == 0
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("LINSERT", "l", "middle", "a", "z")
    assert error_text(e) == "syntax error"


def test_lpos_finds_indices_with_rank_count_and_maxlen(r, raw2):
    r.rpush("l", *"abcabc")
    assert r.lpos("l", "a") == 0
    assert r.lpos("l", "c") == 2
    assert r.lpos("l", "a", rank=2) == 3
    assert r.lpos("l", "a", rank=-1) == 3
    assert r.lpos("l", "a", rank=-2) == 0
    assert r.lpos("l", "a", rank=3) is None
    assert r.lpos("l", "a", count=0) == [0, 3]
    assert r.lpos("l", "a", count=1) == [0]
    assert r.lpos("l", "a", rank=-1, count=0) == [3, 0]
    assert r.lpos("l", "z", count=0) == []
    assert r.lpos("l", "a", rank=2, maxlen=3) is None
    assert r.lpos("l", "a", rank=2, maxlen=4) == 3
    assert r.lpos("l", "c", maxlen=2) is None
    assert r.lpos("missing", "a") is None
    assert r.lpos("missing", "a", count=2) == []
    assert raw2.call("LPOS", "l", "z") == b"$-1\r\n"
    assert raw2.call("LPOS", "missing", "z", "COUNT", "0") == b"*0\r\n"


@pytest.mark.parametrize("args,message", [
    (["RANK", "0"], "RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                    "or use negative to start from the end of the list"),
    (["RANK", "x"], "value is not an integer or out of range"),
    (["COUNT", "-1"], "COUNT can't be negative"),
    (["COUNT", "x"], "COUNT can't be negative"),
    (["MAXLEN", "-1"], "MAXLEN can't be negative"),
    (["RANK"], "syntax error"),
    (["FOO", "1"], "syntax error"),
])
def test_lpos_option_errors(r, args, message):
    r.rpush("l", "a")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("LPOS", "l", "a", *args)
    assert error_text(e) == message


# --- moves ------------------------------------------------------------------

@pytest.mark.parametrize("src_end,dst_end,moved,src_rest,dst_rest", [
    ("LEFT", "LEFT", b"a", "bc", "axy"),
    ("LEFT", "RIGHT", b"a", "bc", "xya"),
    ("RIGHT", "LEFT", b"c", "ab", "cxy"),
    ("RIGHT", "RIGHT", b"c", "ab", "xyc"),
])
def test_lmove_between_ends(r, src_end, dst_end, moved, src_rest, dst_rest):
    r.rpush("src", *"abc")
    r.rpush("dst", *"xy")
    assert r.lmove("src", "dst", src_end, dst_end) == moved
    assert r.lrange("src", 0, -1) == [c.encode() for c in src_rest]
    assert r.lrange("dst", 0, -1) == [c.encode() for c in dst_rest]


def test_lmove_onto_the_same_key_rotates_and_keeps_the_ttl(r):
    r.rpush("l", *"abc")
    assert r.lmove("l", "l", "LEFT", "RIGHT") == b"a"
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a"]
    assert r.rpoplpush("l", "l") == b"a"
    assert r.lrange("l", 0, -1) == [b"a", b"b", b"c"]
    r.delete("one")
    r.rpush("one", "x")
    r.expire("one", 100)
    assert r.lmove("one", "one", "RIGHT", "LEFT") == b"x"
    assert r.lrange("one", 0, -1) == [b"x"]
    assert r.ttl("one") > 0


def test_lmove_creates_the_destination_and_deletes_an_emptied_source(r):
    r.rpush("src", "only")
    assert r.rpoplpush("src", "dst") == b"only"
    assert r.exists("src") == 0
    assert r.lrange("dst", 0, -1) == [b"only"]


def test_lmove_from_a_missing_source_is_null_whatever_the_destination(r, raw2):
    r.set("str", "v")
    assert r.lmove("missing", "str", "LEFT", "LEFT") is None
    assert raw2.call("RPOPLPUSH", "missing", "dst") == b"$-1\r\n"


def test_lmove_to_a_wrong_type_destination_pops_nothing(r):
    r.rpush("src", "a", "b")
    r.set("str", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.lmove("src", "str", "LEFT", "LEFT")
    assert error_text(e) == WRONGTYPE
    with pytest.raises(redis.ResponseError):
        r.rpoplpush("src", "str")
    assert r.lrange("src", 0, -1) == [b"a", b"b"]
    assert r.get("str") == b"v"


def test_lmove_direction_must_be_left_or_right(r):
    r.rpush("src", "a")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("LMOVE", "src", "dst", "UP", "LEFT")
    assert error_text(e) == "syntax error"
    assert r.llen("src") == 1


# --- wrong types --------------------------------------------------------------

@pytest.mark.parametrize("cmd", [
    ["LPUSH", "str", "a"], ["RPUSH", "str", "a"], ["LPUSHX", "str", "a"], ["RPUSHX", "str", "a"],
    ["LPOP", "str"], ["RPOP", "str", "0"], ["LLEN", "str"], ["LRANGE", "str", "0", "1"],
    ["LINDEX", "str", "0"], ["LSET", "str", "0", "a"], ["LREM", "str", "0", "a"],
    ["LTRIM", "str", "0", "1"], ["LINSERT", "str", "BEFORE", "a", "b"], ["LPOS", "str", "a"],
    ["LMOVE", "str", "dst", "LEFT", "LEFT"], ["RPOPLPUSH", "str", "dst"],
    ["BLPOP", "str", "0.01"], ["BRPOP", "missing", "str", "0.01"],
    ["BLMOVE", "str", "dst", "LEFT", "LEFT", "0.01"], ["BRPOPLPUSH", "str", "dst", "0.01"],
])
def test_list_commands_refuse_other_types(r, cmd):
    r.set("str", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*cmd)
    assert error_text(e) == WRONGTYPE
    assert r.get("str") == b"v"


# --- blocking pops ------------------------------------------------------------

def test_blpop_pops_at_once_from_the_first_non_empty_key(r):
    r.rpush("b", "b1", "b2")
    r.rpush("c", "c1")
    assert r.blpop(["a", "b", "c"], timeout=1) == (b"b", b"b1")
    assert r.brpop(["a", "c", "b"], timeout=1) == (b"c", b"c1")
    assert r.exists("c") == 0


def test_blpop_times_out_with_null_after_the_timeout(r, raw2):
    start = time.monotonic()
    assert r.blpop(["empty"], timeout=0.1) is None
    assert time.monotonic() - start >= 0.1
    assert raw2.call("BRPOP", "empty", "0.05") == b"*-1\r\n"


def test_blocking_move_times_out_with_the_null_array_as_redis_7_0(raw2, raw3):
    assert raw2.call("BLMOVE", "empty", "dst", "LEFT", "RIGHT", "0.05") == b"*-1\r\n"
    assert raw2.call("BRPOPLPUSH", "empty", "dst", "0.05") == b"*-1\r\n"
    assert raw3.call("BLPOP", "empty", "0.05") == b"_\r\n"


def wait_blocked(r, n=1):
    wait_until(lambda: r.info("clients")["blocked_clients"] >= n, timeout=5, message="a blocked client")


def test_blpop_is_served_by_a_push_from_another_client(r, node):
    waiter = node.client()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", waiter.blpop(["q1", "q2"], timeout=5)))
    t.start()
    wait_blocked(r)
    assert r.rpush("q2", "hello", "world") == 2
    t.join(timeout=5)
    assert not t.is_alive()
    assert result["v"] == (b"q2", b"hello")
    assert r.lrange("q2", 0, -1) == [b"world"]
    waiter.close()


def test_blocked_clients_are_served_in_the_order_they_blocked(r, node):
    results = []
    clients = [node.client() for _ in range(2)]
    threads = []
    for i, c in enumerate(clients):
        t = threading.Thread(target=lambda c=c, i=i: results.append((i, c.brpop(["q"], timeout=5))))
        t.start()
        threads.append(t)
        wait_blocked(r, i + 1)
    r.rpush("q", "x", "y")
    for t in threads:
        t.join(timeout=5)
    assert sorted(results) == [(0, (b"q", b"y")), (1, (b"q", b"x"))]
    for c in clients:
        c.close()


def test_blmove_is_served_by_a_push_and_moves_the_element(r, node):
    waiter = node.client()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault(
        "v", waiter.blmove("src", "dst", timeout=5, src="RIGHT", dest="LEFT")))
    t.start()
    wait_blocked(r)
    r.rpush("src", "a", "b")
    t.join(timeout=5)
    assert result["v"] == b"b"
    assert r.lrange("src", 0, -1) == [b"a"]
    assert r.lrange("dst", 0, -1) == [b"b"]
    waiter.close()


def test_brpoplpush_is_served_by_a_push(r, node):
    waiter = node.client()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", waiter.brpoplpush("src", "dst", timeout=5)))
    t.start()
    wait_blocked(r)
    r.lpush("src", "e")
    t.join(timeout=5)
    assert result["v"] == b"e"
    assert r.lrange("dst", 0, -1) == [b"e"]
    waiter.close()


def test_a_blocked_pop_keeps_waiting_when_its_key_becomes_another_type(r, node):
    waiter = node.client()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", waiter.blpop(["k"], timeout=5)))
    t.start()
    wait_blocked(r)
    r.set("k", "string")
    r.ping()                                   # the wake-up ran before this round trip
    assert r.info("clients")["blocked_clients"] == 1
    r.delete("k")
    r.rpush("k", "finally")
    t.join(timeout=5)
    assert result["v"] == (b"k", b"finally")
    waiter.close()


@pytest.mark.parametrize("timeout,message", [
    ("-1", "timeout is negative"),
    ("abc", "timeout is not a float or out of range"),
    ("nan", "timeout is not a float or out of range"),
])
def test_blocking_timeout_must_be_a_non_negative_float(r, timeout, message):
    for cmd in (["BLPOP", "k", timeout], ["BRPOP", "k", timeout],
                ["BLMOVE", "k", "d", "LEFT", "LEFT", timeout], ["BRPOPLPUSH", "k", "d", timeout]):
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command(*cmd)
        assert error_text(e) == message


def test_blmove_checks_directions_before_the_timeout(r):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("BLMOVE", "k", "d", "UP", "LEFT", "x")
    assert error_text(e) == "syntax error"


def test_blocking_pops_inside_multi_answer_null_at_once(r, raw2):
    start = time.monotonic()
    p = r.pipeline(transaction=True)
    p.blpop(["empty"], timeout=0)
    p.brpop(["empty"], timeout=0)
    p.blmove("empty", "dst", timeout=0)
    p.brpoplpush("empty", "dst", timeout=0)
    assert p.execute() == [None, None, None, None]
    assert time.monotonic() - start < 2
    assert raw2.call("MULTI") == b"+OK\r\n"
    assert raw2.call("BLPOP", "empty", "0") == b"+QUEUED\r\n"
    assert raw2.call("BRPOPLPUSH", "empty", "dst", "0") == b"+QUEUED\r\n"
    assert raw2.call("EXEC") == b"*2\r\n*-1\r\n$-1\r\n"


def test_blocking_pops_inside_multi_serve_available_data(r):
    r.rpush("l", "a")
    p = r.pipeline(transaction=True)
    p.blpop(["l"], timeout=0)
    p.blpop(["l"], timeout=0)
    assert p.execute() == [(b"l", b"a"), None]


# --- reply shapes in RESP3 ------------------------------------------------------

def test_resp3_shapes_of_list_replies(r, raw3):
    r.rpush("l", "a", "b")
    assert raw3.call("LRANGE", "l", "0", "-1") == b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert raw3.call("LPOS", "l", "b", "COUNT", "0") == b"*1\r\n:1\r\n"
    assert raw3.call("LPOS", "l", "z") == b"_\r\n"
    assert raw3.call("LINDEX", "l", "9") == b"_\r\n"
    assert raw3.call("BLPOP", "l", "0") == b"*2\r\n$1\r\nl\r\n$1\r\na\r\n"


def test_resp3_client_sees_the_same_values(r3):
    assert r3.rpush("l", "a", "b", "c") == 3
    assert r3.lpop("l", 2) == [b"a", b"b"]
    assert r3.lpop("missing", 2) is None
    assert r3.blpop(["l"], timeout=1) in ((b"l", b"c"), [b"l", b"c"])


# --- large lists ----------------------------------------------------------------

def test_index_access_on_a_large_list_does_not_scan_or_copy_it(r):
    n = 500_000
    batch = 10_000
    p = r.pipeline(transaction=False)
    for start in range(0, n, batch):
        p.rpush("big", *range(start, start + batch))
    p.execute()
    assert r.llen("big") == n
    mid = n // 2
    start = time.monotonic()
    p = r.pipeline(transaction=False)
    for i in range(2_000):
        p.lindex("big", mid + i)
        p.lset("big", mid + i, b"x")
        p.lpush("big", b"h")
        p.lpop("big")
        p.rpush("big", b"t")
        p.rpop("big")
        p.linsert("big", "AFTER", "0", b"y")
        p.lrem("big", 1, b"y")
    out = p.execute()
    elapsed = time.monotonic() - start
    assert out[0] == str(mid).encode()
    assert out[6:8] == [n + 1, 1]
    # O(1) per call: well under a second even in a debug build; an O(n) copy
    # or scan per call would take minutes.
    assert elapsed < 20, elapsed
    assert r.llen("big") == n
    assert len(r.lpos("big", "x", count=0)) == 2_000
    assert r.lpos("big", "x", rank=-1) == mid + 1_999
    assert r.lpos("big", str(n - 1)) == n - 1
    assert r.lindex("big", mid - 1) == str(mid - 1).encode()
    assert r.lrange("big", -2, -1) == [str(n - 2).encode(), str(n - 1).encode()]
    assert r.lrem("big", -1, str(n - 1)) == 1
    assert r.llen("big") == n - 1
