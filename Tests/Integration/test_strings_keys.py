"""String, generic key and expiry commands of vigil-server against Redis 7.0
behaviour: GET … SETRANGE, DEL … SWAPDB, EXPIRE … PERSIST, OBJECT; error
texts, WATCH invalidation by FLUSHDB/FLUSHALL/SWAPDB, and exact RESP2/RESP3
reply shapes (read from a raw socket where redis-py would hide them).

Every expectation here was checked against redis-server 7.0.15."""
import threading
import time

import pytest
import redis

from rawresp import Raw, WRONGTYPE, encode, error_text
from test_lists import wait_blocked
from vigil import wait_until

NOT_INTEGER = "value is not an integer or out of range"
NOT_FLOAT = "value is not a valid float"
SYNTAX = "syntax error"
INT_RANGE = "value is out of range, value must between -2147483648 and 2147483647"


@pytest.fixture
def db1(node, r):
    """A client on database 1 (the `r` fixture has flushed every database)."""
    c = node.client(db=1)
    yield c
    c.close()


def raises(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return error_text(e)


# --- GET / SET ----------------------------------------------------------------------

def test_get_returns_the_value_or_null_and_refuses_other_types(r):
    assert r.get("k") is None
    assert r.set("k", b"v\x00\r\n") is True
    assert r.get("k") == b"v\x00\r\n"
    r.rpush("l", "a")
    assert raises(r, "GET", "l") == WRONGTYPE


def test_missing_values_are_the_null_bulk_in_resp2_and_null_in_resp3(raw2, raw3):
    for cmd in (("GET", "k"), ("GETDEL", "k"), ("GETEX", "k"), ("GETSET", "k", "v")):
        assert raw2.call(*cmd) == b"$-1\r\n"
    raw2.call("DEL", "k")
    for cmd in (("GET", "k"), ("GETDEL", "k"), ("GETEX", "k"), ("GETSET", "k", "v")):
        assert raw3.call(*cmd) == b"_\r\n"
    assert raw2.call("SET", "k", "v", "NX") == b"$-1\r\n"
    assert raw3.call("SET", "k", "v", "NX") == b"_\r\n"
    assert raw2.call("MGET", "k", "nope") == b"*2\r\n$1\r\nv\r\n$-1\r\n"
    assert raw3.call("MGET", "k", "nope") == b"*2\r\n$1\r\nv\r\n_\r\n"


def test_set_replaces_any_type_and_drops_the_ttl(r):
    r.rpush("k", "a")
    assert r.set("k", "v") is True
    assert r.type("k") == b"string"
    r.expire("k", 100)
    r.set("k", "w")
    assert r.ttl("k") == -1


@pytest.mark.parametrize("option,value,low,high", [
    ("EX", 100, 99_000, 100_000),
    ("PX", 100_000, 99_000, 100_000),
    ("EXAT", "now+100", 99_000, 100_000),
    ("PXAT", "nowms+100000", 99_000, 100_000),
])
def test_set_expiry_options_set_the_ttl(r, option, value, low, high):
    if value == "now+100":
        value = int(time.time()) + 100
    elif value == "nowms+100000":
        value = int(time.time() * 1000) + 100_000
    assert r.execute_command("SET", "k", "v", option, value) is True
    assert low - 1500 <= r.pttl("k") <= high


def test_set_keepttl_keeps_the_ttl(r):
    r.set("k", "v", ex=100)
    assert r.execute_command("SET", "k", "w", "KEEPTTL") is True
    assert 90 <= r.ttl("k") <= 100
    assert r.get("k") == b"w"


def test_set_repeating_the_same_expiry_keeps_the_last_value(r):
    assert r.execute_command("SET", "k", "v", "EX", 100, "EX", 200) is True
    assert 190 <= r.ttl("k") <= 200


def test_set_with_an_absolute_time_in_the_past_leaves_no_key(r):
    assert r.execute_command("SET", "k", "v", "EXAT", 1) is True
    assert r.get("k") is None
    assert r.exists("k") == 0


def test_set_nx_and_xx_conditions(r):
    assert r.set("k", "1", xx=True) is None
    assert r.exists("k") == 0
    assert r.set("k", "1", nx=True) is True
    assert r.set("k", "2", nx=True) is None
    assert r.set("k", "3", xx=True) is True
    assert r.get("k") == b"3"


def test_set_get_returns_the_old_value_even_when_nx_refuses(r, raw2):
    assert raw2.call("SET", "k", "1", "GET") == b"$-1\r\n"
    assert raw2.call("SET", "k", "2", "GET") == b"$1\r\n1\r\n"
    assert raw2.call("SET", "k", "3", "NX", "GET") == b"$1\r\n2\r\n"
    assert r.get("k") == b"2"
    assert raw2.call("SET", "new", "x", "NX", "GET") == b"$-1\r\n"
    assert r.get("new") == b"x"
    assert raw2.call("SET", "absent", "x", "XX", "GET") == b"$-1\r\n"
    assert r.exists("absent") == 0


def test_set_get_on_another_type_is_wrongtype_and_changes_nothing(r):
    r.rpush("l", "a")
    assert raises(r, "SET", "l", "v", "GET") == WRONGTYPE
    assert raises(r, "SET", "l", "v", "NX", "GET") == WRONGTYPE
    assert r.lrange("l", 0, -1) == [b"a"]


@pytest.mark.parametrize("options", [
    ("NX", "XX"), ("XX", "NX"), ("EX", 10, "PX", 10), ("KEEPTTL", "EX", 10), ("PX", 100, "KEEPTTL"),
    ("EX",), ("PXAT",), ("FOO",), ("PERSIST",), ("EXAT", 10, "PXAT", 10000),
])
def test_set_option_conflicts_are_syntax_errors(r, options):
    assert raises(r, "SET", "k", "v", *options) == SYNTAX
    assert r.exists("k") == 0


@pytest.mark.parametrize("option,value", [
    ("EX", 0), ("EX", -1), ("PX", 0), ("EXAT", 0), ("PXAT", -5),
    ("EX", 9223372036854775807), ("EX", 9223372036854775), ("PX", 9223372036854775807),
])
def test_set_invalid_expire_times(r, option, value):
    assert raises(r, "SET", "k", "v", option, value) == "invalid expire time in 'set' command"
    assert r.exists("k") == 0


def test_set_expire_value_must_be_an_integer(r):
    assert raises(r, "SET", "k", "v", "EX", "abc") == NOT_INTEGER
    assert raises(r, "SET", "k", "v", "PX", "1.5") == NOT_INTEGER


def test_setnx(r):
    assert r.setnx("k", "1") is True
    assert r.setnx("k", "2") is False
    assert r.get("k") == b"1"


def test_setex_and_psetex(r):
    assert r.setex("k", 100, "v") is True
    assert 99 <= r.ttl("k") <= 100
    assert r.psetex("p", 100_000, "v") is True
    assert 98_000 <= r.pttl("p") <= 100_000
    assert raises(r, "SETEX", "k", 0, "v") == "invalid expire time in 'setex' command"
    assert raises(r, "PSETEX", "k", -1, "v") == "invalid expire time in 'psetex' command"
    assert raises(r, "SETEX", "k", "abc", "v") == NOT_INTEGER


def test_getset_returns_the_old_value_and_drops_the_ttl(r):
    assert r.getset("k", "1") is None
    r.expire("k", 100)
    assert r.getset("k", "2") == b"1"
    assert r.ttl("k") == -1
    r.rpush("l", "a")
    assert raises(r, "GETSET", "l", "v") == WRONGTYPE
    assert r.type("l") == b"list"


def test_getdel(r):
    r.set("k", "v")
    assert r.getdel("k") == b"v"
    assert r.exists("k") == 0
    assert r.getdel("k") is None
    r.rpush("l", "a")
    assert raises(r, "GETDEL", "l") == WRONGTYPE


def test_getex_sets_or_removes_the_ttl(r):
    r.set("k", "v")
    assert r.execute_command("GETEX", "k", "EX", 100) == b"v"
    assert 99 <= r.ttl("k") <= 100
    assert r.execute_command("GETEX", "k", "PX", 50_000) == b"v"
    assert 49 <= r.ttl("k") <= 50
    assert r.execute_command("GETEX", "k", "EXAT", int(time.time()) + 200) == b"v"
    assert 198 <= r.ttl("k") <= 200
    assert r.execute_command("GETEX", "k") == b"v"
    assert r.ttl("k") > 0
    assert r.execute_command("GETEX", "k", "PERSIST") == b"v"
    assert r.ttl("k") == -1


def test_getex_with_an_absolute_time_in_the_past_deletes_the_key(r):
    r.set("k", "v")
    assert r.execute_command("GETEX", "k", "PXAT", 1) == b"v"
    assert r.exists("k") == 0


def test_getex_errors(r):
    r.set("k", "v")
    assert raises(r, "GETEX", "k", "EX", 0) == "invalid expire time in 'getex' command"
    assert raises(r, "GETEX", "k", "EX", "abc") == NOT_INTEGER
    assert raises(r, "GETEX", "k", "PERSIST", "EX", 10) == SYNTAX
    assert raises(r, "GETEX", "k", "EX", 10, "PX", 10) == SYNTAX
    assert raises(r, "GETEX", "k", "KEEPTTL") == SYNTAX
    assert raises(r, "GETEX", "k", "NX") == SYNTAX
    assert raises(r, "GETEX", "k", "EX") == SYNTAX
    # A missing key answers null before the expire value is looked at.
    assert r.execute_command("GETEX", "missing", "EX", "abc") is None
    r.rpush("l", "a")
    assert raises(r, "GETEX", "l") == WRONGTYPE


# --- MGET / MSET / MSETNX ----------------------------------------------------------

def test_mget_reads_other_types_as_null(r):
    r.set("a", "1")
    r.rpush("l", "x")
    assert r.mget("a", "l", "missing", "a") == [b"1", None, None, b"1"]


def test_mset_sets_all_and_drops_ttls(r):
    r.set("a", "0", ex=100)
    assert r.mset({"a": "1", "b": "2"}) is True
    assert r.mget("a", "b") == [b"1", b"2"]
    assert r.ttl("a") == -1
    assert raises(r, "MSET", "a", "1", "b") == "wrong number of arguments for 'mset' command"


def test_msetnx_sets_all_or_nothing(r):
    assert r.msetnx({"a": "1", "b": "2"}) is True
    assert r.msetnx({"c": "3", "a": "x"}) is False
    assert r.exists("c") == 0
    assert r.get("a") == b"1"
    assert raises(r, "MSETNX", "a", "1", "b") == "wrong number of arguments for 'msetnx' command"


# --- counters -----------------------------------------------------------------------

def test_incr_family_counts_from_zero_and_keeps_the_ttl(r):
    assert r.incr("n") == 1
    assert r.incrby("n", 10) == 11
    assert r.decr("n") == 10
    assert r.decrby("n", 20) == -10
    assert r.decr("m") == -1
    r.expire("n", 100)
    r.incr("n")
    assert r.ttl("n") > 0
    assert r.get("n") == b"-9"


@pytest.mark.parametrize("text", ["00", "-0", "+1", " 1", "1 ", "1.5", "", "abc", "99999999999999999999"])
def test_incr_refuses_non_canonical_integers(r, text):
    r.set("n", text)
    assert raises(r, "INCR", "n") == NOT_INTEGER
    assert r.get("n") == text.encode()


def test_incr_overflow_and_argument_errors(r):
    r.set("n", 9223372036854775807)
    assert raises(r, "INCR", "n") == "increment or decrement would overflow"
    r.set("n", -9223372036854775808)
    assert raises(r, "DECR", "n") == "increment or decrement would overflow"
    assert raises(r, "INCRBY", "n", "x") == NOT_INTEGER
    assert raises(r, "DECRBY", "n", -9223372036854775808) == "decrement would overflow"
    r.rpush("l", "a")
    assert raises(r, "INCR", "l") == WRONGTYPE


def test_incrbyfloat_uses_long_double_and_prints_like_redis(r, raw2):
    assert r.incrbyfloat("f", 0.1) == 0.1
    assert raw2.call("INCRBYFLOAT", "f", "0.2") == b"$3\r\n0.3\r\n"
    assert raw2.call("INCRBYFLOAT", "g", "0x10") == b"$2\r\n16\r\n"
    assert raw2.call("INCRBYFLOAT", "g", "3.0e3") == b"$4\r\n3016\r\n"
    assert raw2.call("INCRBYFLOAT", "g", "5.0e-3") == b"$22\r\n3016.00499999999999989\r\n"
    assert raw2.call("INCRBYFLOAT", "z", "-0.0") == b"$1\r\n0\r\n"
    assert raw2.call("INCRBYFLOAT", "y", "10000000000000000000000") == b"$23\r\n10000000000000000000000\r\n"
    assert raw2.call("INCRBYFLOAT", "x", "1.23456789012345678901") == b"$19\r\n1.23456789012345679\r\n"
    r.set("i", "10")
    r.expire("i", 100)
    assert raw2.call("INCRBYFLOAT", "i", "-1.5") == b"$3\r\n8.5\r\n"
    assert r.ttl("i") > 0


@pytest.mark.parametrize("increment", ["1e5000", "1e-5000", " 1", "1 ", "abc", "nan", ""])
def test_incrbyfloat_refuses_invalid_floats(r, increment):
    assert raises(r, "INCRBYFLOAT", "f", increment) == NOT_FLOAT
    assert r.exists("f") == 0


def test_incrbyfloat_refuses_nan_or_infinity(r):
    assert raises(r, "INCRBYFLOAT", "f", "inf") == "increment would produce NaN or Infinity"
    r.set("f", "inf")
    assert raises(r, "INCRBYFLOAT", "f", "-inf") == "increment would produce NaN or Infinity"
    r.set("s", " 1")
    assert raises(r, "INCRBYFLOAT", "s", 1) == NOT_FLOAT
    r.rpush("l", "a")
    assert raises(r, "INCRBYFLOAT", "l", 1) == WRONGTYPE


# --- APPEND / STRLEN / GETRANGE / SETRANGE ----------------------------------------

def test_append_and_strlen(r):
    assert r.append("k", "hello") == 5
    r.expire("k", 100)
    assert r.append("k", " world") == 11
    assert r.get("k") == b"hello world"
    assert r.ttl("k") > 0
    assert r.strlen("k") == 11
    assert r.strlen("missing") == 0
    r.rpush("l", "a")
    assert raises(r, "APPEND", "l", "x") == WRONGTYPE
    assert raises(r, "STRLEN", "l") == WRONGTYPE


@pytest.mark.parametrize("start,end,expected", [
    (0, -1, b"hello"), (1, 3, b"ell"), (-3, -1, b"llo"), (-1, -5, b""), (10, 20, b""),
    (-100, 100, b"hello"), (3, 1, b""), (0, 0, b"h"), (-9223372036854775808, 9223372036854775807, b"hello"),
])
def test_getrange(r, start, end, expected):
    r.set("s", "hello")
    assert r.getrange("s", start, end) == expected
    assert r.execute_command("SUBSTR", "s", start, end) == expected


def test_getrange_of_missing_or_empty_is_the_empty_bulk(r, raw2):
    assert raw2.call("GETRANGE", "missing", 0, 1) == b"$0\r\n\r\n"
    r.set("e", "")
    assert raw2.call("GETRANGE", "e", 0, -1) == b"$0\r\n\r\n"
    assert raises(r, "GETRANGE", "e", "a", 1) == NOT_INTEGER
    r.rpush("l", "a")
    assert raises(r, "GETRANGE", "l", 0, 1) == WRONGTYPE


def test_setrange_pads_with_zero_bytes_and_keeps_the_ttl(r):
    assert r.setrange("k", 3, "ab") == 5
    assert r.get("k") == b"\x00\x00\x00ab"
    r.expire("k", 100)
    assert r.setrange("k", 1, "XYZW") == 5
    assert r.get("k") == b"\x00XYZW"
    assert r.ttl("k") > 0
    assert r.setrange("k", 0, "") == 5
    assert r.setrange("missing", 100, "") == 0
    assert r.exists("missing") == 0


def test_setrange_errors(r):
    r.set("k", "v")
    assert raises(r, "SETRANGE", "k", -1, "x") == "offset is out of range"
    assert raises(r, "SETRANGE", "missing", -1, "") == "offset is out of range"
    big = "string exceeds maximum allowed size (proto-max-bulk-len)"
    assert raises(r, "SETRANGE", "k", 536870912, "x") == big
    assert raises(r, "SETRANGE", "k", 9223372036854775807, "x") == big
    assert raises(r, "SETRANGE", "k", "x", "x") == NOT_INTEGER
    r.rpush("l", "a")
    assert raises(r, "SETRANGE", "l", 0, "x") == WRONGTYPE
    assert raises(r, "SETRANGE", "l", 0, "") == WRONGTYPE


# --- DEL / EXISTS / TYPE / RENAME ---------------------------------------------------

@pytest.mark.parametrize("cmd", ["DEL", "UNLINK"])
def test_del_counts_keys_deleted_once(r, cmd):
    r.mset({"a": "1", "b": "2"})
    assert r.execute_command(cmd, "a", "a", "b", "missing") == 2
    assert r.exists("a", "b") == 0


def test_exists_counts_repeated_arguments(r):
    r.mset({"a": "1", "b": "2"})
    assert r.exists("a", "a", "b", "missing") == 3


def test_type_names_every_type_as_a_status(r, raw2, raw3):
    r.set("s", "v")
    r.rpush("l", "a")
    r.hset("h", "f", "v")
    r.sadd("st", "m")
    r.zadd("z", {"m": 1})
    for key, name in [("s", "string"), ("l", "list"), ("h", "hash"), ("st", "set"), ("z", "zset"), ("none", "none")]:
        assert raw2.call("TYPE", key) == b"+%s\r\n" % name.encode()
        assert raw3.call("TYPE", key) == b"+%s\r\n" % name.encode()


def test_rename_moves_the_value_and_its_ttl(r):
    r.set("a", "1", ex=100)
    r.set("b", "old")
    assert r.rename("a", "b") is True
    assert r.get("b") == b"1"
    assert 99 <= r.ttl("b") <= 100
    assert r.exists("a") == 0
    r.set("c", "x", ex=100)
    r.set("d", "y")
    r.rename("d", "c")
    assert r.ttl("c") == -1


def test_rename_errors_and_same_name(r):
    assert raises(r, "RENAME", "missing", "x") == "no such key"
    assert raises(r, "RENAME", "missing", "missing") == "no such key"
    assert raises(r, "RENAMENX", "missing", "x") == "no such key"
    r.set("a", "1")
    assert r.rename("a", "a") is True
    assert r.renamenx("a", "a") is False
    assert r.get("a") == b"1"


def test_renamenx_refuses_an_existing_destination(r):
    r.mset({"a": "1", "b": "2"})
    assert r.renamenx("a", "b") is False
    assert r.renamenx("a", "c") is True
    assert r.mget("a", "b", "c") == [None, b"2", b"1"]


# --- COPY / MOVE --------------------------------------------------------------------

def test_copy_is_independent_of_its_source(r):
    r.rpush("l", "a", "b")
    r.expire("l", 100)
    assert r.copy("l", "c") is True
    r.rpush("c", "x")
    assert r.lrange("l", 0, -1) == [b"a", b"b"]
    assert r.lrange("c", 0, -1) == [b"a", b"b", b"x"]
    assert r.ttl("c") > 0


def test_copy_respects_replace(r):
    r.set("a", "1")
    r.set("b", "2")
    assert r.copy("a", "b") is False
    assert r.copy("a", "b", replace=True) is True
    assert r.get("b") == b"1"
    assert r.copy("missing", "b") is False


def test_copy_to_another_database(r, db1):
    r.set("a", "1")
    assert r.copy("a", "a", destination_db=1) is True
    assert db1.get("a") == b"1"
    assert r.copy("a", "a", destination_db=1) is False
    assert r.execute_command("COPY", "a", "a", "DB", 1, "REPLACE") == 1


def test_copy_errors(r):
    r.set("a", "1")
    assert raises(r, "COPY", "a", "a") == "source and destination objects are the same"
    assert raises(r, "COPY", "a", "a", "DB", 0) == "source and destination objects are the same"
    assert raises(r, "COPY", "a", "b", "DB", 16) == "DB index is out of range"
    assert raises(r, "COPY", "a", "b", "DB", -1) == "DB index is out of range"
    assert raises(r, "COPY", "a", "b", "DB", "x") == NOT_INTEGER
    assert raises(r, "COPY", "a", "b", "DB") == SYNTAX
    assert raises(r, "COPY", "a", "b", "FOO") == SYNTAX
    assert r.execute_command("COPY", "a", "b", "REPLACE", "REPLACE") == 1


def test_move_carries_the_value_and_ttl(r, db1):
    r.set("a", "1", ex=100)
    assert r.move("a", 1) is True
    assert r.exists("a") == 0
    assert db1.get("a") == b"1"
    assert db1.ttl("a") > 0
    r.set("a", "2")
    assert r.move("a", 1) is False
    assert r.get("a") == b"2"
    assert r.move("missing", 1) is False


def test_move_errors(r):
    assert raises(r, "MOVE", "a", 0) == "source and destination objects are the same"
    assert raises(r, "MOVE", "a", 16) == "DB index is out of range"
    assert raises(r, "MOVE", "a", "x") == NOT_INTEGER
    assert raises(r, "MOVE", "a", 4294967296) == INT_RANGE
    assert raises(r, "COPY", "a", "b", "DB", -4294967296) == INT_RANGE


# --- KEYS / SCAN / RANDOMKEY / DBSIZE -----------------------------------------------

def test_keys_matches_a_glob(r):
    r.mset({"a": "1", "ab": "2", "b": "3", "a?": "4"})
    assert sorted(r.keys("a*")) == [b"a", b"a?", b"ab"]
    assert sorted(r.keys("*")) == [b"a", b"a?", b"ab", b"b"]
    assert r.keys("a\\?") == [b"a?"]
    assert r.keys("zz*") == []


def test_scan_visits_every_key(r):
    r.mset({f"k{i}": i for i in range(300)})
    seen, cursor = set(), 0
    while True:
        cursor, keys = r.scan(cursor, count=25)
        seen.update(keys)
        if cursor == 0:
            break
    assert seen == {f"k{i}".encode() for i in range(300)}


def test_scan_filters_by_match_and_type(r):
    r.mset({"s1": "1", "s2": "2"})
    r.rpush("l1", "a")
    assert sorted(r.scan_iter(match="s*", count=1000)) == [b"s1", b"s2"]
    assert sorted(r.scan_iter(_type="LIST", count=1000)) == [b"l1"]
    assert sorted(r.scan_iter(_type="string", count=1000)) == [b"s1", b"s2"]
    assert list(r.scan_iter(_type="nosuchtype", count=1000)) == []


def test_scan_reply_shape_and_cursor_parsing(r, raw2):
    r.set("a", "1")
    assert raw2.call("SCAN", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
    assert raw2.call("SCAN", "") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
    assert raw2.call("SCAN", "+0", "COUNT", 10) == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
    assert raw2.call("SCAN", "-1").startswith(b"*2\r\n")
    assert raw2.call("SCAN", "18446744073709551615").startswith(b"*2\r\n")


@pytest.mark.parametrize("args,message", [
    (("abc",), "invalid cursor"), ((" 0",), "invalid cursor"), (("0x10",), "invalid cursor"),
    (("18446744073709551616",), "invalid cursor"), (("-",), "invalid cursor"),
    (("0", "COUNT", 0), SYNTAX), (("0", "COUNT", -1), SYNTAX), (("0", "COUNT", "x"), NOT_INTEGER),
    (("0", "MATCH"), SYNTAX), (("0", "FOO", "bar"), SYNTAX),
])
def test_scan_errors(r, args, message):
    assert raises(r, "SCAN", *args) == message


def test_randomkey_and_dbsize(r, raw2):
    assert r.randomkey() is None
    assert raw2.call("RANDOMKEY") == b"$-1\r\n"
    assert r.dbsize() == 0
    r.mset({"a": "1", "b": "2"})
    assert r.randomkey() in (b"a", b"b")
    assert r.dbsize() == 2


# --- FLUSHDB / FLUSHALL / SWAPDB ----------------------------------------------------

def test_flushdb_empties_only_the_current_database(r, db1):
    r.set("a", "1")
    db1.set("b", "2")
    assert r.flushdb() is True
    assert r.dbsize() == 0
    assert db1.dbsize() == 1
    assert r.execute_command("FLUSHDB", "ASYNC") is True
    assert r.execute_command("FLUSHDB", "sync") is True
    assert raises(r, "FLUSHDB", "FOO") == SYNTAX
    assert raises(r, "FLUSHDB", "ASYNC", "SYNC") == SYNTAX


def test_flushall_empties_every_database(r, db1):
    r.set("a", "1")
    db1.set("b", "2")
    assert r.execute_command("FLUSHALL", "SYNC") is True
    assert r.dbsize() == 0
    assert db1.dbsize() == 0
    assert raises(r, "FLUSHALL", "FOO") == SYNTAX


def watch_then(raw, key, action):
    """WATCHes `key` on `raw`, runs `action`, and returns the raw EXEC reply."""
    assert raw.call("WATCH", key) == b"+OK\r\n"
    action()
    assert raw.call("MULTI") == b"+OK\r\n"
    assert raw.call("PING") == b"+QUEUED\r\n"
    return raw.call("EXEC")


ABORTED = b"*-1\r\n"
EXECUTED = b"*1\r\n+PONG\r\n"


def test_flushdb_and_flushall_invalidate_watches_of_existing_keys(r, raw2):
    r.set("k", "v")
    assert watch_then(raw2, "k", r.flushdb) == ABORTED
    r.set("k", "v")
    assert watch_then(raw2, "k", r.flushall) == ABORTED


def test_flushes_do_not_touch_watched_keys_that_did_not_exist(r, raw2):
    r.set("other", "v")
    assert watch_then(raw2, "k", r.flushdb) == EXECUTED
    r.set("other", "v")
    assert watch_then(raw2, "k", r.flushall) == EXECUTED


def test_swapdb_exchanges_databases(r, db1):
    r.set("a", "0")
    db1.set("b", "1")
    assert r.swapdb(0, 1) is True
    assert r.keys() == [b"b"]
    assert db1.keys() == [b"a"]
    assert r.swapdb(1, 1) is True


def test_swapdb_invalidates_watches_of_keys_existing_in_either_database(r, db1, raw2):
    r.set("k", "v")
    assert watch_then(raw2, "k", lambda: r.swapdb(0, 1)) == ABORTED
    # Now "k" lives in db 1 only; watching it in db 0 (where it is missing) is still touched.
    assert watch_then(raw2, "k", lambda: r.swapdb(0, 1)) == ABORTED
    assert watch_then(raw2, "nothing", lambda: r.swapdb(0, 1)) == EXECUTED


def test_swapdb_errors(r):
    assert raises(r, "SWAPDB", "a", 1) == "invalid first DB index"
    assert raises(r, "SWAPDB", 0, "b") == "invalid second DB index"
    assert raises(r, "SWAPDB", 0, 4294967296) == "invalid second DB index"
    assert raises(r, "SWAPDB", 0, 16) == "DB index is out of range"
    assert raises(r, "SWAPDB", -1, 0) == "DB index is out of range"


def test_swapdb_serves_clients_blocked_on_keys_it_brings_in(r, node, db1):
    waiter = node.client()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", waiter.blpop(["q"], timeout=5)))
    t.start()
    wait_blocked(r)
    db1.rpush("q", "hello")
    r.swapdb(0, 1)
    t.join(timeout=5)
    assert not t.is_alive()
    assert result["v"] == (b"q", b"hello")
    waiter.close()


# --- EXPIRE family, TTL family, PERSIST -----------------------------------------------

def test_ttl_and_pttl_of_missing_and_persistent_keys(r):
    assert r.ttl("missing") == -2
    assert r.pttl("missing") == -2
    assert r.execute_command("EXPIRETIME", "missing") == -2
    assert r.execute_command("PEXPIRETIME", "missing") == -2
    r.set("k", "v")
    assert r.ttl("k") == -1
    assert r.pttl("k") == -1
    assert r.execute_command("EXPIRETIME", "k") == -1
    assert r.execute_command("PEXPIRETIME", "k") == -1


def test_expire_variants_set_the_same_kind_of_deadline(r):
    now = int(time.time())
    r.mset({"a": "1", "b": "1", "c": "1", "d": "1"})
    assert r.expire("a", 100) is True
    assert r.pexpire("b", 100_000) is True
    assert r.expireat("c", now + 100) is True
    assert r.pexpireat("d", (now + 100) * 1000) is True
    for key in "abcd":
        assert 98 <= r.ttl(key) <= 101
    assert r.execute_command("PEXPIRETIME", "d") == (now + 100) * 1000
    assert r.execute_command("EXPIRETIME", "d") == now + 100
    assert r.expire("missing", 100) is False


def test_ttl_rounds_to_the_nearest_second(r):
    r.set("k", "v")
    r.pexpire("k", 1600)
    assert r.ttl("k") == 2
    r.pexpire("k", 1400)
    assert r.ttl("k") == 1


def test_expire_in_the_past_deletes_the_key(r):
    r.mset({"a": "1", "b": "1", "c": "1"})
    assert r.expire("a", -1) is True
    assert r.pexpireat("b", 1) is True
    assert r.expire("c", 0) is True
    assert r.exists("a", "b", "c") == 0


def test_expire_conditions(r):
    r.set("k", "v")
    assert r.expire("k", 100, xx=True) is False
    assert r.expire("k", 100, gt=True) is False      # no TTL counts as infinite
    assert r.expire("k", 100, nx=True) is True
    assert r.expire("k", 200, nx=True) is False
    assert r.expire("k", 50, gt=True) is False
    assert r.expire("k", 200, gt=True) is True
    assert r.expire("k", 300, lt=True) is False
    assert r.expire("k", 150, lt=True) is True
    assert r.expire("k", 120, xx=True) is True
    assert 118 <= r.ttl("k") <= 120
    r.set("p", "v")
    assert r.expire("p", 100, lt=True) is True       # LT applies to a key without TTL


@pytest.mark.parametrize("args,message", [
    (("NX", "XX"), "NX and XX, GT or LT options at the same time are not compatible"),
    (("NX", "GT"), "NX and XX, GT or LT options at the same time are not compatible"),
    (("LT", "NX"), "NX and XX, GT or LT options at the same time are not compatible"),
    (("GT", "LT"), "GT and LT options at the same time are not compatible"),
    (("FOO",), "Unsupported option FOO"),
])
def test_expire_option_errors(r, args, message):
    r.set("k", "v")
    assert raises(r, "EXPIRE", "k", 100, *args) == message
    assert raises(r, "EXPIRE", "k", "abc", *args) == message   # options are checked first


@pytest.mark.parametrize("cmd,value", [
    ("EXPIRE", 9223372036854776), ("EXPIRE", -9223372036854776),
    ("PEXPIRE", 9223372036854775807), ("PEXPIRE", 9223372036854775000),
    ("EXPIREAT", 9223372036854776),
])
def test_expire_overflow_is_an_invalid_expire_time(r, cmd, value):
    r.set("k", "v")
    assert raises(r, cmd, "k", value) == f"invalid expire time in '{cmd.lower()}' command"
    assert r.ttl("k") == -1


def test_pexpireat_accepts_the_largest_time(r):
    r.set("k", "v")
    assert r.pexpireat("k", 9223372036854775807) is True
    assert r.execute_command("PEXPIRETIME", "k") == 9223372036854775807
    assert r.execute_command("EXPIRETIME", "k") == 9223372036854776


def test_expire_argument_must_be_an_integer(r):
    r.set("k", "v")
    assert raises(r, "EXPIRE", "k", "1.5") == NOT_INTEGER
    assert raises(r, "EXPIRE", "missing", "abc") == NOT_INTEGER


def test_persist(r):
    r.set("k", "v", ex=100)
    assert r.persist("k") is True
    assert r.ttl("k") == -1
    assert r.persist("k") is False
    assert r.persist("missing") is False


def test_keys_expire(r):
    r.set("k", "v", px=50)
    r.set("p", "v")
    wait_until(lambda: r.get("k") is None, timeout=5, message="k to expire")
    assert r.exists("k") == 0
    assert r.keys("*") == [b"p"]


# --- OBJECT ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,encoding", [
    ("12345", b"int"), ("-9223372036854775808", b"int"), ("007", b"embstr"), ("1.5", b"embstr"),
    ("x" * 44, b"embstr"), ("x" * 45, b"raw"), ("", b"embstr"),
])
def test_object_encoding_of_strings(r, value, encoding):
    r.set("k", value)
    assert r.object("encoding", "k") == encoding


def test_object_encoding_of_aggregates_follows_the_thresholds(r):
    r.rpush("l", "a")
    assert r.object("encoding", "l") == b"quicklist"
    r.hset("h", "f", "v")
    assert r.object("encoding", "h") == b"listpack"
    r.hset("h", "big", "x" * 65)
    assert r.object("encoding", "h") == b"hashtable"
    r.sadd("s", 1, 2, -3)
    assert r.object("encoding", "s") == b"intset"
    r.sadd("s2", "a")
    assert r.object("encoding", "s2") == b"hashtable"
    r.sadd("s", "x")
    assert r.object("encoding", "s") == b"hashtable"
    r.zadd("z", {"m": 1})
    assert r.object("encoding", "z") == b"listpack"
    r.zadd("z", {"y" * 65: 2})
    assert r.object("encoding", "z") == b"skiplist"


def test_object_encoding_reads_the_configured_thresholds(r):
    r.config_set("hash-max-listpack-entries", 2)
    r.config_set("set-max-intset-entries", 2)
    r.config_set("zset-max-listpack-entries", 2)
    try:
        r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
        assert r.object("encoding", "h") == b"hashtable"
        r.sadd("s", 1, 2, 3)
        assert r.object("encoding", "s") == b"hashtable"
        r.zadd("z", {"a": 1, "b": 2, "c": 3})
        assert r.object("encoding", "z") == b"skiplist"
    finally:
        r.config_set("hash-max-listpack-entries", 512)
        r.config_set("set-max-intset-entries", 512)
        r.config_set("zset-max-listpack-entries", 128)


def test_object_refcount_idletime_freq(r):
    r.set("small", "100")
    r.set("big", "100000")
    r.set("s", "abc")
    assert r.object("refcount", "small") == 2147483647
    assert r.object("refcount", "big") == 1
    assert r.object("refcount", "s") == 1
    assert r.object("idletime", "s") == 0
    assert raises(r, "OBJECT", "FREQ", "s") == (
        "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.")


def test_object_of_a_missing_key_is_null(raw2, raw3):
    for sub in ("ENCODING", "REFCOUNT", "IDLETIME", "FREQ"):
        assert raw2.call("OBJECT", sub, "missing") == b"$-1\r\n"
        assert raw3.call("OBJECT", sub, "missing") == b"_\r\n"


def test_object_errors_and_help(r, raw2):
    assert raises(r, "OBJECT", "FOO", "k") == "unknown subcommand 'FOO'. Try OBJECT HELP."
    assert raises(r, "OBJECT", "ENCODING") == "wrong number of arguments for 'object|encoding' command"
    assert raises(r, "OBJECT", "encoding", "a", "b") == "wrong number of arguments for 'object|encoding' command"
    assert raises(r, "OBJECT", "HELP", "x") == "wrong number of arguments for 'object|help' command"
    assert raises(r, "OBJECT") == "wrong number of arguments for 'object' command"
    help_reply = raw2.call("OBJECT", "HELP")
    assert help_reply.startswith(b"*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                                 b"+ENCODING <key>\r\n")
    assert help_reply.endswith(b"+HELP\r\n+    Prints this help.\r\n")


# --- argument counts ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("GET",), ("GET", "a", "b"), ("SET", "a"), ("SETNX", "a"), ("SETEX", "a", 1), ("PSETEX", "a", 1),
    ("GETSET", "a"), ("GETDEL",), ("GETEX",), ("MGET",), ("MSET", "a"), ("MSETNX", "a"),
    ("INCR",), ("DECR", "a", "b"), ("INCRBY", "a"), ("DECRBY", "a"), ("INCRBYFLOAT", "a"),
    ("APPEND", "a"), ("STRLEN",), ("GETRANGE", "a", 0), ("SUBSTR", "a", 0), ("SETRANGE", "a", 0),
    ("DEL",), ("UNLINK",), ("EXISTS",), ("TYPE",), ("RENAME", "a"), ("RENAMENX", "a"), ("COPY", "a"),
    ("MOVE", "a"), ("KEYS",), ("SCAN",), ("RANDOMKEY", "x"), ("DBSIZE", "x"), ("SWAPDB", 0),
    ("EXPIRE", "a"), ("PEXPIRE", "a"), ("EXPIREAT", "a"), ("PEXPIREAT", "a"), ("TTL",), ("PTTL",),
    ("EXPIRETIME",), ("PEXPIRETIME",), ("PERSIST",),
])
def test_wrong_argument_counts(r, args):
    assert raises(r, *args) == f"wrong number of arguments for '{args[0].lower()}' command"


@pytest.mark.parametrize("args,keys", [
    (("MSET", "a", "1", "b", "2"), [b"a", b"b"]),
    (("RENAME", "a", "b"), [b"a", b"b"]),
    (("COPY", "a", "b", "DB", "1"), [b"a", b"b"]),
    (("SET", "a", "1", "EX", "5"), [b"a"]),
    (("MGET", "a", "b", "c"), [b"a", b"b", b"c"]),
])
def test_key_positions_as_command_getkeys_reports_them(raw2, args, keys):
    expected = b"*%d\r\n" % len(keys) + b"".join(b"$%d\r\n%s\r\n" % (len(k), k) for k in keys)
    assert raw2.call("COMMAND", "GETKEYS", *args) == expected
