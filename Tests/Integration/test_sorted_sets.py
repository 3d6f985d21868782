"""Sorted set commands of vigil-server against Redis 7.0 behaviour: ZADD …
ZSCAN, the blocking BZPOPMIN/BZPOPMAX/BZMPOP, ZRANGE's 6.2 options and their
error texts, set algebra with WEIGHTS/AGGREGATE, and exact RESP2/RESP3 reply
shapes (scores as RESP3 doubles, WITHSCORES as pairs in RESP3), read from a raw
socket where redis-py would hide them."""
import socket
import threading

import pytest
import redis

from rawresp import Raw, WRONGTYPE, encode, error_text

from vigil import wait_until


def fails(r, *args):
    """The error text a command answers."""
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


def bulk(s):
    s = s if isinstance(s, bytes) else str(s).encode()
    return b"$%d\r\n%s\r\n" % (len(s), s)


@pytest.fixture
def z5(r):
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})


# --- ZADD and ZINCRBY -------------------------------------------------------------

def test_zadd_adds_and_updates_and_counts_only_additions(r):
    assert r.zadd("z", {"a": 1, "b": 2}) == 2
    assert r.zadd("z", {"a": 5, "c": 3}) == 1
    assert r.zrange("z", 0, -1, withscores=True) == [(b"b", 2.0), (b"c", 3.0), (b"a", 5.0)]
    assert r.type("z") == b"zset"


@pytest.mark.parametrize("flags, pairs, reply, after", [
    (["NX"], ["10", "a", "20", "new"], 1, {b"a": 1, b"b": 5, b"new": 20}),
    (["XX"], ["10", "a", "20", "new"], 0, {b"a": 10, b"b": 5}),
    (["XX", "CH"], ["10", "a", "20", "new"], 1, {b"a": 10, b"b": 5}),
    (["CH"], ["1", "a", "6", "b", "7", "c"], 2, {b"a": 1, b"b": 6, b"c": 7}),
    (["GT", "CH"], ["0", "a", "6", "b", "7", "c"], 2, {b"a": 1, b"b": 6, b"c": 7}),
    (["LT", "CH"], ["0", "a", "6", "b", "7", "c"], 2, {b"a": 0, b"b": 5, b"c": 7}),
    (["XX", "GT", "CH"], ["0", "a", "9", "b", "7", "c"], 1, {b"a": 1, b"b": 9}),
    (["xx", "lt"], ["0", "a", "9", "b"], 0, {b"a": 0, b"b": 5}),
])
def test_zadd_flags(r, flags, pairs, reply, after):
    r.zadd("z", {"a": 1, "b": 5})
    assert r.execute_command("ZADD", "z", *flags, *pairs) == reply
    assert dict(r.zrange("z", 0, -1, withscores=True)) == after


def test_zadd_incr_replies_the_new_score_or_null_when_a_flag_stops_it(r, raw2, raw3):
    assert raw2.call("ZADD", "z", "INCR", "1.5", "a") == bulk("1.5")
    assert raw3.call("ZADD", "z", "INCR", "1", "a") == b",2.5\r\n"
    assert raw2.call("ZADD", "z", "NX", "INCR", "1", "a") == b"$-1\r\n"
    assert raw3.call("ZADD", "z", "NX", "INCR", "1", "a") == b"_\r\n"
    assert raw2.call("ZADD", "z", "GT", "INCR", "-1", "a") == b"$-1\r\n"
    assert raw2.call("ZADD", "z", "LT", "INCR", "-1", "a") == bulk("1.5")
    assert raw2.call("ZADD", "missing", "XX", "INCR", "1", "a") == b"$-1\r\n"
    assert r.exists("missing") == 0
    assert raw2.call("ZADD", "missing", "XX", "1", "a") == b":0\r\n"


def test_zadd_incr_to_nan_is_refused_and_changes_nothing(r):
    r.zadd("z", {"a": float("inf")})
    assert fails(r, "ZADD", "z", "INCR", "-inf", "a") == "resulting score is not a number (NaN)"
    assert fails(r, "ZINCRBY", "z", "-inf", "a") == "resulting score is not a number (NaN)"
    assert r.zscore("z", "a") == float("inf")


@pytest.mark.parametrize("args, message", [
    (("XX", "NX", "1", "a"), "XX and NX options at the same time are not compatible"),
    (("GT", "LT", "1", "a"), "GT, LT, and/or NX options at the same time are not compatible"),
    (("GT", "NX", "1", "a"), "GT, LT, and/or NX options at the same time are not compatible"),
    (("LT", "NX", "1", "a"), "GT, LT, and/or NX options at the same time are not compatible"),
    (("INCR", "1", "a", "2", "b"), "INCR option supports a single increment-element pair"),
    (("XX", "NX", "INCR", "1", "a", "2", "b"), "XX and NX options at the same time are not compatible"),
    (("1", "a", "2"), "syntax error"),
    (("NX", "CH", "1"), "syntax error"),
    (("x", "a"), "value is not a valid float"),
    (("nan", "a"), "value is not a valid float"),
    (("1", "a", "x", "b"), "value is not a valid float"),
])
def test_zadd_errors_in_redis_order(r, args, message):
    assert fails(r, "ZADD", "z", *args) == message
    assert r.exists("z") == 0


def test_zadd_checks_scores_before_the_key_type(r):
    r.set("str", "x")
    assert fails(r, "ZADD", "str", "x", "a") == "value is not a valid float"
    assert fails(r, "ZADD", "str", "1", "a") == WRONGTYPE


def test_zincrby_creates_and_increments(r, raw2, raw3):
    assert raw2.call("ZINCRBY", "z", "2", "a") == bulk("2")
    assert raw3.call("ZINCRBY", "z", "0.5", "a") == b",2.5\r\n"
    assert fails(r, "ZINCRBY", "z", "x", "a") == "value is not a valid float"
    assert fails(r, "ZINCRBY", "z", "nx", "a") == "syntax error"   # flags are parsed, as in Redis


def test_scores_keep_full_precision_and_infinities(r, raw2, raw3):
    r.zadd("z", {"a": 0.1, "b": float("inf"), "c": float("-inf"), "d": 1e20, "e": -0.0})
    assert raw2.call("ZSCORE", "z", "a") == bulk("0.10000000000000001")
    assert raw3.call("ZSCORE", "z", "a") == b",0.10000000000000001\r\n"
    assert raw2.call("ZSCORE", "z", "b") == bulk("inf")
    assert raw3.call("ZSCORE", "z", "c") == b",-inf\r\n"
    assert raw2.call("ZSCORE", "z", "d") == bulk("1e+20")
    assert raw2.call("ZSCORE", "z", "e") == bulk("0")


# --- Single-member reads ----------------------------------------------------------

def test_zscore_zmscore_zcard_and_ranks(r, raw2, raw3, z5):
    assert r.zscore("z", "c") == 3.0
    assert raw2.call("ZSCORE", "z", "x") == b"$-1\r\n"
    assert raw3.call("ZSCORE", "missing", "x") == b"_\r\n"
    assert raw2.call("ZMSCORE", "z", "a", "x") == b"*2\r\n" + bulk("1") + b"$-1\r\n"
    assert raw3.call("ZMSCORE", "z", "a", "x") == b"*2\r\n,1\r\n_\r\n"
    assert raw2.call("ZMSCORE", "missing", "a") == b"*1\r\n$-1\r\n"
    assert r.zcard("z") == 5
    assert r.zcard("missing") == 0
    assert r.zrank("z", "a") == 0
    assert r.zrevrank("z", "a") == 4
    assert r.zrank("z", "x") is None
    assert r.zrevrank("missing", "x") is None
    assert fails(r, "ZRANK", "z", "a", "WITHSCORE") == "wrong number of arguments for 'zrank' command"


def test_zrem_counts_and_deletes_an_emptied_sorted_set(r, z5):
    assert r.zrem("z", "a", "x", "a") == 1
    assert r.zrem("missing", "a") == 0
    assert r.zrem("z", "b", "c", "d", "e") == 4
    assert r.exists("z") == 0


@pytest.mark.parametrize("min_, max_, expected", [
    ("-inf", "+inf", 5), ("2", "4", 3), ("(2", "4", 2), ("2", "(4", 2), ("(2", "(4", 1),
    ("(1", "(1", 0), ("1", "(1", 0), ("4", "2", 0), ("-inf", "inf", 5), ("  3", "3", 1), ("(", "1e400", 5),
])
def test_zcount_score_bounds(r, z5, min_, max_, expected):
    assert r.zcount("z", min_, max_) == expected


@pytest.mark.parametrize("min_, max_", [("x", "1"), ("1", "nan"), ("(nan", "1"), ("((1", "2"), ("1x", "2")])
def test_score_bounds_that_are_not_floats(r, z5, min_, max_):
    assert fails(r, "ZCOUNT", "z", min_, max_) == "min or max is not a float"
    assert fails(r, "ZCOUNT", "missing", min_, max_) == "min or max is not a float"


@pytest.mark.parametrize("min_, max_, expected", [
    ("-", "+", 5), ("[b", "[d", 3), ("(b", "[d", 2), ("[b", "(d", 2), ("+", "-", 0), ("(", "+", 5),
    ("[", "[", 0), ("[c", "+", 3), ("-", "(c", 2),
])
def test_zlexcount_lex_bounds(r, min_, max_, expected):
    r.zadd("z", {m: 0 for m in "abcde"})
    assert r.zlexcount("z", min_, max_) == expected


def test_lex_ranges_over_mixed_scores_walk_in_score_order_like_redis(r):
    # Lex ranges assume equal scores; with mixed ones Redis (small sorted set)
    # starts at the first member >= min in score order and takes while <= max.
    r.zadd("z", {"b": 1, "z": 2, "c": 3})
    assert r.zrangebylex("z", "[a", "[d") == [b"b"]
    assert r.zrangebylex("z", "[a", "[d", start=2, num=1) == [b"c"]
    assert r.zrevrangebylex("z", "[d", "[a") == [b"c", b"z", b"b"]   # reverse checks only min
    assert r.zlexcount("z", "[a", "[d") == 1
    assert r.zremrangebylex("z", "[a", "[d") == 1
    assert r.zrange("z", 0, -1) == [b"z", b"c"]


@pytest.mark.parametrize("min_, max_", [("a", "+"), ("-", "c"), ("+a", "+"), ("-", "-x"), ("", "+")])
def test_lex_bounds_that_are_not_valid(r, min_, max_):
    r.zadd("z", {"a": 0})
    assert fails(r, "ZLEXCOUNT", "z", min_, max_) == "min or max not valid string range item"
    assert fails(r, "ZRANGEBYLEX", "missing", min_, max_) == "min or max not valid string range item"


# --- ZRANGE and friends ---------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("0", "-1"), [b"a", b"b", b"c", b"d", b"e"]),
    (("1", "2"), [b"b", b"c"]),
    (("-2", "-1"), [b"d", b"e"]),
    (("-100", "100"), [b"a", b"b", b"c", b"d", b"e"]),
    (("3", "1"), []),
    (("5", "10"), []),
    (("0", "-1", "REV"), [b"e", b"d", b"c", b"b", b"a"]),
    (("0", "1", "rev"), [b"e", b"d"]),
    (("(1", "3", "BYSCORE"), [b"b", b"c"]),
    (("3", "(1", "BYSCORE", "REV"), [b"c", b"b"]),
    (("-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"), [b"b", b"c"]),
    (("+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"), [b"d", b"c"]),
    (("-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"), [b"b", b"c", b"d", b"e"]),
    (("-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"), []),
    (("-inf", "+inf", "BYSCORE", "LIMIT", "1", "0"), []),
    (("-inf", "+inf", "BYSCORE", "LIMIT", "9", "1"), []),
    (("[b", "(d", "BYLEX"), [b"b", b"c"]),
    (("(d", "[b", "BYLEX", "REV"), [b"c", b"b"]),
    (("-", "+", "BYLEX", "LIMIT", "3", "5"), [b"d", b"e"]),
    (("0", "-1", "LIMIT", "5", "-1"), [b"a", b"b", b"c", b"d", b"e"]),   # a count of -1 is "no LIMIT"
])
def test_zrange_selections(r, z5, args, expected):
    assert r.execute_command("ZRANGE", "z", *args) == expected


@pytest.mark.parametrize("args, message", [
    (("0", "-1", "LIMIT", "0", "1"), "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
    (("0", "-1", "WITHSCORES", "LIMIT", "0", "1"),
     "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
    (("-", "+", "BYLEX", "WITHSCORES"), "syntax error, WITHSCORES not supported in combination with BYLEX"),
    (("0", "-1", "BYSCORE", "BYLEX"), "syntax error"),
    (("0", "-1", "BYSCORE", "BYSCORE"), "syntax error"),
    (("0", "-1", "REV", "REV"), "syntax error"),
    (("0", "-1", "BYSCORE", "LIMIT", "0"), "syntax error"),
    (("0", "-1", "BYSCORE", "LIMIT", "x", "1"), "value is not an integer or out of range"),
    (("0", "-1", "FOO"), "syntax error"),
    (("a", "b"), "value is not an integer or out of range"),
    (("a", "b", "BYSCORE"), "min or max is not a float"),
    (("a", "b", "BYLEX"), "min or max not valid string range item"),
])
def test_zrange_errors(r, z5, args, message):
    assert fails(r, "ZRANGE", "z", *args) == message
    assert fails(r, "ZRANGE", "missing", *args) == message


def test_older_range_commands(r, z5):
    assert r.zrevrange("z", 0, 1) == [b"e", b"d"]
    assert r.zrangebyscore("z", "(1", 3) == [b"b", b"c"]
    assert r.zrangebyscore("z", "-inf", "+inf", start=1, num=2) == [b"b", b"c"]
    assert r.zrevrangebyscore("z", 3, "(1") == [b"c", b"b"]
    assert r.zrangebylex("z", "-", "(c") == [b"a", b"b"]
    assert r.zrevrangebylex("z", "+", "-", start=0, num=2) == [b"e", b"d"]


def test_withscores_may_be_repeated_and_mixed_with_limit(raw2, z5):
    assert raw2.call("ZRANGEBYSCORE", "z", "1", "3", "WITHSCORES", "LIMIT", "1", "1", "WITHSCORES") == (
        b"*2\r\n" + bulk("b") + bulk("2"))


@pytest.mark.parametrize("args, message", [
    (("ZREVRANGE", "z", "0", "1", "BYSCORE"), "syntax error"),
    (("ZREVRANGE", "z", "0", "1", "REV"), "syntax error"),
    (("ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"),
     "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"),
    (("ZRANGEBYSCORE", "z", "1", "3", "REV"), "syntax error"),
    (("ZRANGEBYSCORE", "z", "1", "3", "LIMIT", "1"), "syntax error"),
    (("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"), "syntax error, WITHSCORES not supported in combination with BYLEX"),
    (("ZRANGEBYLEX", "z", "-", "+", "BYSCORE"), "syntax error"),
    (("ZRANGEBYLEX", "z", "a", "+"), "min or max not valid string range item"),
    (("ZREVRANGEBYSCORE", "z", "x", "1"), "min or max is not a float"),
])
def test_older_range_command_errors(r, z5, args, message):
    assert fails(r, *args) == message


def test_withscores_is_flat_in_resp2_and_pairs_in_resp3(r, raw2, raw3):
    r.zadd("z", {"a": 1, "b": 2.5})
    flat = b"*4\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2.5")
    pairs = b"*2\r\n*2\r\n" + bulk("a") + b",1\r\n*2\r\n" + bulk("b") + b",2.5\r\n"
    for args in [("ZRANGE", "z", "0", "-1", "WITHSCORES"),
                 ("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "WITHSCORES"),
                 ("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"),
                 ("ZUNION", "1", "z", "WITHSCORES"),
                 ("ZINTER", "1", "z", "WITHSCORES"),
                 ("ZDIFF", "1", "z", "WITHSCORES")]:
        assert raw2.call(*args) == flat, args
        assert raw3.call(*args) == pairs, args
    rev_flat = b"*4\r\n" + bulk("b") + bulk("2.5") + bulk("a") + bulk("1")
    assert raw2.call("ZREVRANGE", "z", "0", "-1", "WITHSCORES") == rev_flat
    assert raw3.call("ZREVRANGE", "z", "0", "0", "WITHSCORES") == b"*1\r\n*2\r\n" + bulk("b") + b",2.5\r\n"
    assert raw3.call("ZRANGE", "z", "0", "-1") == b"*2\r\n" + bulk("a") + bulk("b")
    assert raw3.call("ZRANGE", "missing", "0", "-1", "WITHSCORES") == b"*0\r\n"


def test_zrange_withscores_through_redis_py_in_both_protocols(r, r3):
    r.zadd("z", {"a": 1, "b": 2})
    assert [tuple(p) for p in r.zrange("z", 0, -1, withscores=True)] == [(b"a", 1.0), (b"b", 2.0)]
    assert [tuple(p) for p in r3.zrange("z", 0, -1, withscores=True)] == [(b"a", 1.0), (b"b", 2.0)]
    assert r3.zscore("z", "b") == 2.0


def test_zrangestore_stores_the_selection(r, z5):
    r.set("dst", "old", ex=100)
    assert r.zrangestore("dst", "z", 1, 2) == 2
    assert r.zrange("dst", 0, -1, withscores=True) == [(b"b", 2.0), (b"c", 3.0)]
    assert r.ttl("dst") == -1
    assert r.execute_command("ZRANGESTORE", "dst", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "1") == 1
    assert r.zrange("dst", 0, -1) == [b"b"]
    assert r.execute_command("ZRANGESTORE", "dst", "z", "[c", "-", "BYLEX", "REV") == 3
    assert r.zrange("dst", 0, -1) == [b"a", b"b", b"c"]


def test_zrangestore_of_nothing_deletes_the_destination(r, z5):
    r.zadd("dst", {"x": 1})
    assert r.zrangestore("dst", "z", 10, 20) == 0
    assert r.exists("dst") == 0
    r.zadd("dst", {"x": 1})
    assert r.zrangestore("dst", "missing", 0, -1) == 0
    assert r.exists("dst") == 0


def test_zrangestore_errors(r, z5):
    r.set("str", "x")
    assert fails(r, "ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES") == "syntax error"
    assert fails(r, "ZRANGESTORE", "dst", "str", "0", "-1") == WRONGTYPE
    assert r.zrangestore("str", "z", 0, 0) == 1          # the destination's type does not matter
    assert r.type("str") == b"zset"


def test_equal_scores_order_by_member_bytes(r):
    r.zadd("z", {"b": 1, "a": 1, "ab": 1, "B": 1, "\xff": 1, "": 1})
    assert r.zrange("z", 0, -1) == [b"", b"B", b"a", b"ab", b"b", b"\xc3\xbf"]


# --- ZPOPMIN / ZPOPMAX / ZMPOP --------------------------------------------------------

def test_zpop_reply_shapes(r, raw2, raw3, z5):
    assert raw2.call("ZPOPMIN", "z") == b"*2\r\n" + bulk("a") + bulk("1")
    assert raw3.call("ZPOPMIN", "z") == b"*2\r\n" + bulk("b") + b",2\r\n"
    assert raw2.call("ZPOPMAX", "z", "1") == b"*2\r\n" + bulk("e") + bulk("5")
    assert raw3.call("ZPOPMAX", "z", "1") == b"*1\r\n*2\r\n" + bulk("d") + b",4\r\n"
    assert raw3.call("ZPOPMIN", "z", "0") == b"*0\r\n"
    assert raw3.call("ZPOPMIN", "z", "5") == b"*1\r\n*2\r\n" + bulk("c") + b",3\r\n"
    assert r.exists("z") == 0
    assert raw2.call("ZPOPMIN", "missing") == b"*0\r\n"
    assert raw3.call("ZPOPMAX", "missing", "2") == b"*0\r\n"


def test_zpop_with_count_takes_from_the_right_end(r, z5):
    assert r.zpopmin("z", 2) == [(b"a", 1.0), (b"b", 2.0)]
    assert r.zpopmax("z", 2) == [(b"e", 5.0), (b"d", 4.0)]
    assert r.zrange("z", 0, -1) == [b"c"]


def test_zpop_errors(r):
    r.set("str", "x")
    assert fails(r, "ZPOPMIN", "z", "-1") == "value is out of range, must be positive"
    assert fails(r, "ZPOPMIN", "z", "x") == "value is out of range, must be positive"
    assert fails(r, "ZPOPMIN", "z", "1", "2") == "syntax error"
    assert fails(r, "ZPOPMAX", "str", "0") == WRONGTYPE


def test_zmpop(r, raw2, raw3, z5):
    assert raw2.call("ZMPOP", "2", "missing", "z", "MIN") == (
        b"*2\r\n" + bulk("z") + b"*1\r\n*2\r\n" + bulk("a") + bulk("1"))
    assert raw3.call("ZMPOP", "1", "z", "MAX", "COUNT", "2") == (
        b"*2\r\n" + bulk("z") + b"*2\r\n*2\r\n" + bulk("e") + b",5\r\n*2\r\n" + bulk("d") + b",4\r\n")
    assert raw2.call("ZMPOP", "1", "missing", "MIN") == b"*-1\r\n"
    assert raw3.call("ZMPOP", "1", "missing", "MIN") == b"_\r\n"


@pytest.mark.parametrize("args, message", [
    (("0", "z", "MIN"), "numkeys should be greater than 0"),
    (("x", "z", "MIN"), "numkeys should be greater than 0"),
    (("2", "z", "MIN"), "syntax error"),
    (("1", "z", "FOO"), "syntax error"),
    (("1", "z", "MIN", "COUNT", "0"), "count should be greater than 0"),
    (("1", "z", "MIN", "COUNT", "x"), "count should be greater than 0"),
    (("1", "z", "MIN", "COUNT", "1", "COUNT", "2"), "syntax error"),
])
def test_zmpop_errors(r, z5, args, message):
    assert fails(r, "ZMPOP", *args) == message


# --- Blocking pops -------------------------------------------------------------------------

def blocked_clients(r):
    return r.info("clients")["blocked_clients"]


def test_bzpopmin_pops_at_once_from_the_first_non_empty_key(r, raw2, raw3):
    r.zadd("z2", {"a": 1, "b": 2})
    assert raw2.call("BZPOPMIN", "missing", "z2", "0") == b"*3\r\n" + bulk("z2") + bulk("a") + bulk("1")
    assert raw3.call("BZPOPMAX", "z2", "0") == b"*3\r\n" + bulk("z2") + bulk("b") + b",2\r\n"
    assert r.exists("z2") == 0


def test_bzpopmin_is_served_by_a_zadd_from_another_client(node, r):
    result = {}
    blocker = node.client()

    def wait():
        result["value"] = blocker.execute_command("BZPOPMIN", "z1", "z2", "5")

    t = threading.Thread(target=wait)
    t.start()
    wait_until(lambda: blocked_clients(r) == 1, message="BZPOPMIN to block")
    r.zadd("z2", {"x": 7, "y": 9})
    t.join(10)
    assert tuple(result["value"]) == (b"z2", b"x", 7.0)
    assert r.zrange("z2", 0, -1) == [b"y"]
    blocker.close()


def test_a_blocked_bzpopmin_ignores_a_key_that_becomes_another_type(node, r):
    result = {}
    blocker = node.client()

    def wait():
        result["value"] = blocker.execute_command("BZPOPMIN", "z1", "z2", "5")

    t = threading.Thread(target=wait)
    t.start()
    wait_until(lambda: blocked_clients(r) == 1, message="BZPOPMIN to block")
    r.set("z1", "a string")
    assert r.zadd("probe", {"x": 1}) == 1          # a round trip after the SET: the wake-up has run
    assert blocked_clients(r) == 1
    assert "value" not in result
    r.zadd("z2", {"m": 3})
    t.join(10)
    assert tuple(result["value"]) == (b"z2", b"m", 3.0)
    blocker.close()


def test_bzpopmax_is_served_in_resp3_with_a_double(node, r):
    result = {}
    blocker = Raw(node, protocol=3)

    def wait():
        result["value"] = blocker.call("BZPOPMAX", "z", "0")

    t = threading.Thread(target=wait)
    t.start()
    wait_until(lambda: blocked_clients(r) == 1, message="BZPOPMAX to block")
    r.zadd("z", {"lo": 1, "hi": 2.5})
    t.join(10)
    assert result["value"] == b"*3\r\n" + bulk("z") + bulk("hi") + b",2.5\r\n"
    blocker.close()


def test_bzmpop_is_served_by_a_zadd(node, r):
    result = {}
    blocker = node.client()

    def wait():
        result["value"] = blocker.execute_command("BZMPOP", "5", "2", "a", "b", "MAX", "COUNT", "10")

    t = threading.Thread(target=wait)
    t.start()
    wait_until(lambda: blocked_clients(r) == 1, message="BZMPOP to block")
    r.zadd("b", {"x": 1, "y": 2})
    t.join(10)
    assert result["value"] == [b"b", [[b"y", b"2"], [b"x", b"1"]]]
    assert r.exists("b") == 0
    blocker.close()


def test_blocking_pops_time_out_with_the_null_array(raw2, raw3):
    assert raw2.call("BZPOPMIN", "missing", "0.05") == b"*-1\r\n"
    assert raw3.call("BZPOPMAX", "missing", "0.05") == b"_\r\n"
    assert raw2.call("BZMPOP", "0.05", "1", "missing", "MIN") == b"*-1\r\n"


def test_blocking_pops_inside_multi_answer_null_at_once(r):
    p = r.pipeline(transaction=True)
    p.execute_command("BZPOPMIN", "missing", "0")
    p.execute_command("BZMPOP", "0", "1", "missing", "MIN")
    assert p.execute() == [None, None]


def test_blocking_pop_errors(r):
    r.set("str", "x")
    assert fails(r, "BZPOPMIN", "z", "-1") == "timeout is negative"
    assert fails(r, "BZPOPMIN", "z", "x") == "timeout is not a float or out of range"
    assert fails(r, "BZPOPMAX", "missing", "str", "0") == WRONGTYPE
    assert fails(r, "BZMPOP", "-1", "1", "z", "MIN") == "timeout is negative"
    assert fails(r, "BZMPOP", "0", "0", "z", "MIN") == "numkeys should be greater than 0"


# --- ZREMRANGEBY* -------------------------------------------------------------------------

@pytest.mark.parametrize("command, args, removed, rest", [
    ("ZREMRANGEBYRANK", ("1", "2"), 2, [b"a", b"d", b"e"]),
    ("ZREMRANGEBYRANK", ("-2", "-1"), 2, [b"a", b"b", b"c"]),
    ("ZREMRANGEBYRANK", ("3", "1"), 0, [b"a", b"b", b"c", b"d", b"e"]),
    ("ZREMRANGEBYSCORE", ("(1", "3"), 2, [b"a", b"d", b"e"]),
    ("ZREMRANGEBYSCORE", ("-inf", "(3"), 2, [b"c", b"d", b"e"]),
    ("ZREMRANGEBYLEX", ("[b", "(d"), 2, [b"a", b"d", b"e"]),
    ("ZREMRANGEBYLEX", ("-", "+"), 5, []),
])
def test_zremrange(r, command, args, removed, rest):
    r.zadd("z", {m: s for s, m in enumerate("abcde", start=1)} if command != "ZREMRANGEBYLEX"
           else {m: 0 for m in "abcde"})
    assert r.execute_command(command, "z", *args) == removed
    assert r.zrange("z", 0, -1) == rest
    if not rest:
        assert r.exists("z") == 0


def test_zremrange_errors_and_missing_key(r):
    r.set("str", "x")
    assert r.zremrangebyrank("missing", 0, -1) == 0
    assert fails(r, "ZREMRANGEBYRANK", "missing", "x", "1") == "value is not an integer or out of range"
    assert fails(r, "ZREMRANGEBYSCORE", "missing", "x", "1") == "min or max is not a float"
    assert fails(r, "ZREMRANGEBYLEX", "missing", "x", "+") == "min or max not valid string range item"
    assert fails(r, "ZREMRANGEBYRANK", "str", "0", "1") == WRONGTYPE
    assert fails(r, "ZREMRANGEBYSCORE", "str", "0", "1") == WRONGTYPE


# --- Set algebra -------------------------------------------------------------------------

@pytest.fixture
def algebra(r):
    r.zadd("z1", {"a": 1, "b": 2, "c": 3})
    r.zadd("z2", {"b": 10, "c": 20, "d": 30})
    r.sadd("s", "c", "d", "e")


def scores(r, key):
    return r.zrange(key, 0, -1, withscores=True)


def test_zunionstore_and_zinterstore(r, algebra):
    assert r.zunionstore("out", ["z1", "z2"]) == 4
    assert scores(r, "out") == [(b"a", 1), (b"b", 12), (b"c", 23), (b"d", 30)]
    assert r.zinterstore("out", {"z1": 2, "z2": 3}) == 2
    assert scores(r, "out") == [(b"b", 34), (b"c", 66)]
    assert r.zunionstore("out", ["z1", "z2", "s"], aggregate="MAX") == 5
    assert scores(r, "out") == [(b"a", 1), (b"e", 1), (b"b", 10), (b"c", 20), (b"d", 30)]
    assert r.zinterstore("out", ["z1", "z2", "s"], aggregate="min") == 1
    assert scores(r, "out") == [(b"c", 1)]
    assert r.zunionstore("out", {"s": 2.5}) == 3
    assert scores(r, "out") == [(b"c", 2.5), (b"d", 2.5), (b"e", 2.5)]


def test_repeated_options_take_the_last(r, algebra):
    r.execute_command("ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "1", "WEIGHTS", "2", "2",
                      "AGGREGATE", "MAX", "AGGREGATE", "SUM")
    assert scores(r, "out") == [(b"a", 2), (b"b", 24), (b"c", 46), (b"d", 60)]


def test_infinities_sum_to_zero_and_zero_weight_times_inf_is_zero(r):
    r.zadd("i1", {"a": float("inf")})
    r.zadd("i2", {"a": float("-inf")})
    assert r.zunionstore("out", ["i1", "i2"]) == 1
    assert scores(r, "out") == [(b"a", 0.0)]
    r.zinterstore("out", ["i1", "i2"])
    assert scores(r, "out") == [(b"a", 0.0)]
    r.zunionstore("out", {"i1": 0, "i2": 0})
    assert scores(r, "out") == [(b"a", 0.0)]
    r.zunionstore("out", {"i1": 1, "i2": 1}, aggregate="MAX")
    assert scores(r, "out") == [(b"a", float("inf"))]


def test_empty_algebra_results_delete_the_destination(r, algebra):
    r.zadd("out", {"x": 1})
    assert r.zinterstore("out", ["z1", "missing"]) == 0
    assert r.exists("out") == 0
    r.zadd("out", {"x": 1})
    assert r.zdiffstore("out", ["z1", "z1"]) == 0
    assert r.exists("out") == 0
    assert r.zunionstore("out", ["missing"]) == 0


def test_zunion_zinter_zdiff_zdiffstore(r, algebra):
    assert r.zunion(["z1", "z2"], withscores=True) == [(b"a", 1), (b"b", 12), (b"c", 23), (b"d", 30)]
    assert r.zinter(["z1", "z2"]) == [b"b", b"c"]
    assert r.execute_command("ZDIFF", "2", "z1", "z2", "WITHSCORES") in ([b"a", b"1"], [[b"a", 1.0]])
    assert r.zdiff(["z2", "s"]) == [b"b"]
    assert r.zdiff(["missing", "z1"]) == []
    assert r.zdiffstore("out", ["z1", "z2"]) == 1
    assert scores(r, "out") == [(b"a", 1)]
    assert r.execute_command("ZUNION", "1", "missing") == []


def test_zintercard(r, algebra):
    assert r.execute_command("ZINTERCARD", "2", "z1", "z2") == 2
    assert r.execute_command("ZINTERCARD", "3", "z1", "z2", "s") == 1
    assert r.execute_command("ZINTERCARD", "1", "z1", "LIMIT", "2") == 2
    assert r.execute_command("ZINTERCARD", "1", "z1", "LIMIT", "0") == 3
    assert r.execute_command("ZINTERCARD", "2", "z1", "missing") == 0


@pytest.mark.parametrize("args, message", [
    (("ZUNIONSTORE", "out", "0", "z1"), "at least 1 input key is needed for 'zunionstore' command"),
    (("ZINTERSTORE", "out", "-1", "z1"), "at least 1 input key is needed for 'zinterstore' command"),
    (("ZDIFFSTORE", "out", "0", "z1"), "at least 1 input key is needed for 'zdiffstore' command"),
    (("ZUNION", "0", "z1"), "at least 1 input key is needed for 'zunion' command"),
    (("ZINTER", "0", "z1"), "at least 1 input key is needed for 'zinter' command"),
    (("ZDIFF", "0", "z1"), "at least 1 input key is needed for 'zdiff' command"),
    (("ZINTERCARD", "0", "z1"), "at least 1 input key is needed for 'zintercard' command"),
    (("ZUNIONSTORE", "out", "x", "z1"), "value is not an integer or out of range"),
    (("ZUNIONSTORE", "out", "3", "z1", "z2"), "syntax error"),
    (("ZUNIONSTORE", "out", "9999999999999999", "z1"), "syntax error"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1"), "syntax error"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "x"), "weight value is not a float"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "nan", "1"), "weight value is not a float"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "AGGREGATE", "foo"), "syntax error"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "AGGREGATE"), "syntax error"),
    (("ZUNIONSTORE", "out", "2", "z1", "z2", "WITHSCORES"), "syntax error"),
    (("ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "2"), "syntax error"),
    (("ZDIFF", "2", "z1", "z2", "AGGREGATE", "SUM"), "syntax error"),
    (("ZINTERCARD", "1", "z1", "WITHSCORES"), "syntax error"),
    (("ZINTERCARD", "1", "z1", "WEIGHTS", "1"), "syntax error"),
    (("ZINTERCARD", "1", "z1", "LIMIT", "-1"), "LIMIT can't be negative"),
    (("ZINTERCARD", "1", "z1", "LIMIT", "x"), "LIMIT can't be negative"),
    (("ZINTERCARD", "2", "z1"), "syntax error"),
    (("ZUNION", "1", "z1", "LIMIT", "1"), "syntax error"),
])
def test_algebra_errors(r, algebra, args, message):
    assert fails(r, *args) == message


def test_algebra_type_checks_every_key_before_the_options(r, algebra):
    r.set("str", "x")
    assert fails(r, "ZUNIONSTORE", "out", "2", "z1", "str", "WEIGHTS", "x") == WRONGTYPE
    assert fails(r, "ZINTERSTORE", "out", "2", "missing", "str") == WRONGTYPE
    assert fails(r, "ZINTERCARD", "2", "missing", "str") == WRONGTYPE
    assert fails(r, "ZDIFF", "2", "missing", "str") == WRONGTYPE


# --- ZRANDMEMBER ------------------------------------------------------------------------------

def test_zrandmember(r, raw2, raw3):
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert r.zrandmember("z") in (b"a", b"b", b"c")
    two = r.zrandmember("z", 2)
    assert len(two) == 2 and len(set(two)) == 2
    everything = r.zrandmember("z", 10, withscores=True)
    assert sorted(zip(everything[::2], everything[1::2])) == [(b"a", b"1"), (b"b", b"2"), (b"c", b"3")]
    many = r.zrandmember("z", -20)
    assert len(many) == 20 and set(many) <= {b"a", b"b", b"c"}
    assert raw2.call("ZRANDMEMBER", "missing") == b"$-1\r\n"
    assert raw3.call("ZRANDMEMBER", "missing") == b"_\r\n"
    assert raw2.call("ZRANDMEMBER", "missing", "3") == b"*0\r\n"
    assert raw2.call("ZRANDMEMBER", "z", "0") == b"*0\r\n"
    r.zadd("one", {"x": 1.5})
    assert raw2.call("ZRANDMEMBER", "one", "-2", "WITHSCORES") == (
        b"*4\r\n" + bulk("x") + bulk("1.5") + bulk("x") + bulk("1.5"))
    assert raw3.call("ZRANDMEMBER", "one", "-2", "WITHSCORES") == (
        b"*2\r\n*2\r\n" + bulk("x") + b",1.5\r\n*2\r\n" + bulk("x") + b",1.5\r\n")


@pytest.mark.parametrize("args, message", [
    (("x",), "value is not an integer or out of range"),
    (("-9223372036854775808",), "value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
    (("1", "foo"), "syntax error"),
    (("1", "WITHSCORES", "x"), "syntax error"),
    (("4611686018427387904", "WITHSCORES"), "value is out of range"),
    (("-4611686018427387904", "WITHSCORES"), "value is out of range"),
])
def test_zrandmember_errors_come_before_the_key_lookup(r, args, message):
    r.set("str", "x")
    assert fails(r, "ZRANDMEMBER", "missing", *args) == message
    assert fails(r, "ZRANDMEMBER", "str", *args) == message


# --- ZSCAN ------------------------------------------------------------------------------------

def test_zscan_returns_every_member_with_its_score(r):
    r.zadd("z", {f"m{i}": i / 4 for i in range(600)})
    seen = dict(r.zscan_iter("z", count=40))
    assert len(seen) == 600
    assert seen[b"m5"] == 1.25


def test_zscan_shape_match_and_errors(r, raw2, raw3):
    r.zadd("z", {"apple": 0.1, "banana": 2})
    reply = b"*2\r\n" + bulk("0") + b"*2\r\n" + bulk("apple") + bulk("0.10000000000000001")
    assert raw2.call("ZSCAN", "z", "0", "MATCH", "a*") == reply
    assert raw3.call("ZSCAN", "z", "0", "MATCH", "a*") == reply     # scores stay bulk strings in RESP3
    assert raw2.call("ZSCAN", "missing", "0", "BOGUS") == b"*2\r\n" + bulk("0") + b"*0\r\n"
    assert fails(r, "ZSCAN", "z", "x") == "invalid cursor"
    assert fails(r, "ZSCAN", "z", "0", "COUNT", "0") == "syntax error"
    assert fails(r, "ZSCAN", "z", "0", "FOO") == "syntax error"


# --- Types and arity --------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("ZADD", "str", "1", "a"), ("ZINCRBY", "str", "1", "a"), ("ZREM", "str", "a"), ("ZSCORE", "str", "a"),
    ("ZMSCORE", "str", "a"), ("ZCARD", "str"), ("ZCOUNT", "str", "0", "1"), ("ZLEXCOUNT", "str", "-", "+"),
    ("ZRANGE", "str", "0", "-1"), ("ZREVRANGE", "str", "0", "-1"), ("ZRANGEBYSCORE", "str", "0", "1"),
    ("ZREVRANGEBYSCORE", "str", "1", "0"), ("ZRANGEBYLEX", "str", "-", "+"), ("ZREVRANGEBYLEX", "str", "+", "-"),
    ("ZRANK", "str", "a"), ("ZREVRANK", "str", "a"), ("ZPOPMIN", "str"), ("ZPOPMAX", "str", "2"),
    ("BZPOPMIN", "str", "0"), ("ZMPOP", "1", "str", "MIN"), ("ZRANDMEMBER", "str"), ("ZRANDMEMBER", "str", "1"),
    ("ZSCAN", "str", "0"), ("ZUNION", "1", "str"), ("ZRANGESTORE", "d", "str", "0", "1"),
])
def test_sorted_set_commands_refuse_other_types(r, args):
    r.set("str", "x")
    assert fails(r, *args) == WRONGTYPE


@pytest.mark.parametrize("args", [
    ("ZADD", "z", "1"), ("ZINCRBY", "z", "1"), ("ZREM", "z"), ("ZSCORE", "z"), ("ZMSCORE", "z"), ("ZCARD",),
    ("ZCOUNT", "z", "0"), ("ZRANGE", "z", "0"), ("ZRANGESTORE", "d", "z", "0"), ("ZRANK", "z"),
    ("ZPOPMIN",), ("BZPOPMIN", "z"), ("ZREMRANGEBYRANK", "z", "0"), ("ZUNIONSTORE", "d", "1"),
    ("ZUNION", "1"), ("ZMPOP", "1", "z"), ("BZMPOP", "0", "1", "z"), ("ZRANDMEMBER",), ("ZSCAN", "z"),
    ("ZINTERCARD", "1"),
])
def test_arity_errors_name_the_command(r, args):
    assert fails(r, *args) == f"wrong number of arguments for '{args[0].lower()}' command"


# --- A large sorted set ------------------------------------------------------------------------

def test_ranges_on_a_large_sorted_set(r):
    n = 20000
    p = r.pipeline(transaction=False)
    for start in range(0, n, 1000):
        p.zadd("big", {f"m{i:06d}": i for i in range(start, start + 1000)})
    p.execute()
    assert r.zcard("big") == n
    assert r.zrange("big", 0, 2) == [b"m000000", b"m000001", b"m000002"]
    assert r.zrange("big", -1, -1, withscores=True) == [(b"m019999", 19999.0)]
    assert r.zrangebyscore("big", "(10000", "+inf", start=5, num=2) == [b"m010006", b"m010007"]
    assert r.zrevrangebyscore("big", "+inf", "-inf", start=100, num=1) == [b"m019899"]
    assert r.zrank("big", "m012345") == 12345
    assert r.zcount("big", 100, "(200") == 100
    assert r.zremrangebyrank("big", 0, 9999) == 10000
    assert r.zrange("big", 0, 0) == [b"m010000"]
    assert r.zremrangebyscore("big", "-inf", 15000) == 5001
    assert r.zcard("big") == 4999
