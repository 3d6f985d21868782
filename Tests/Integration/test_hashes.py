"""Hash commands of vigil-server against Redis 7.0 behaviour: HSET … HSCAN,
error texts, and exact RESP2/RESP3 reply shapes (read from a raw socket where
redis-py would hide them)."""
import pytest
import redis

from rawresp import Raw, WRONGTYPE, encode, error_text


# --- fields -----------------------------------------------------------------------

def test_hset_sets_many_pairs_and_counts_only_new_fields(r):
    assert r.hset("h", mapping={"a": "1", "b": "2"}) == 2
    assert r.hset("h", mapping={"b": "3", "c": "4"}) == 1
    assert r.hgetall("h") == {b"a": b"1", b"b": b"3", b"c": b"4"}


@pytest.mark.parametrize("cmd", ["HSET", "HMSET"])
def test_hset_with_an_odd_field_value_list_is_an_arity_error(r, cmd):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(cmd, "h", "a", "1", "b")
    assert error_text(e) == f"wrong number of arguments for '{cmd.lower()}' command"
    assert r.exists("h") == 0


def test_hmset_answers_ok(r, raw2):
    assert raw2.call("HMSET", "h", "a", "1", "b", "2") == b"+OK\r\n"
    assert r.hmget("h", "a", "b", "nope") == [b"1", b"2", None]
    assert r.hmget("missing", "a", "b") == [None, None]


def test_hsetnx_sets_only_a_new_field(r):
    assert r.hsetnx("h", "a", "1") == 1
    assert r.hsetnx("h", "a", "2") == 0
    assert r.hget("h", "a") == b"1"
    assert r.hget("h", "nope") is None
    assert r.hget("missing", "a") is None


def test_hdel_counts_removed_fields_and_deletes_an_emptied_hash(r):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    assert r.hdel("h", "a", "a", "zz") == 1
    assert r.hdel("missing", "a") == 0
    assert r.hdel("h", "b", "c") == 2
    assert r.exists("h") == 0


def test_hexists_hlen_hstrlen(r):
    r.hset("h", mapping={"a": "hello", "n": "12345"})
    assert r.hexists("h", "a") is True
    assert r.hexists("h", "z") is False
    assert r.hexists("missing", "a") is False
    assert r.hlen("h") == 2
    assert r.hlen("missing") == 0
    assert r.hstrlen("h", "a") == 5
    assert r.hstrlen("h", "n") == 5
    assert r.hstrlen("h", "z") == 0
    assert r.hstrlen("missing", "a") == 0


def test_binary_fields_and_values_round_trip(r):
    field, value = b"\x00\xff\r\n", b"\x01\x02\x00"
    r.hset("h", field, value)
    assert r.hget("h", field) == value
    assert r.hgetall("h") == {field: value}


# --- whole hash -------------------------------------------------------------------

def test_hkeys_hvals_hgetall_agree(r):
    data = {f"f{i}".encode(): f"v{i}".encode() for i in range(300)}
    r.hset("h", mapping=data)
    keys = r.hkeys("h")
    vals = r.hvals("h")
    assert sorted(keys) == sorted(data)
    assert [data[k] for k in keys] == vals          # same iteration order
    assert r.hgetall("h") == data
    assert r.hkeys("missing") == []
    assert r.hvals("missing") == []
    assert r.hgetall("missing") == {}


def test_hgetall_is_a_flat_array_in_resp2_and_a_map_in_resp3(r, raw2, raw3):
    r.hset("h", "a", "1")
    assert raw2.call("HGETALL", "h") == b"*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HGETALL", "h") == b"%1\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HGETALL", "missing") == b"%0\r\n"
    assert raw3.call("HKEYS", "h") == b"*1\r\n$1\r\na\r\n"
    assert raw3.call("HVALS", "missing") == b"*0\r\n"
    assert raw3.call("HGET", "h", "zz") == b"_\r\n"


def test_resp3_client_reads_hgetall_as_a_dict(r3):
    r3.hset("h", mapping={"a": "1", "b": "2"})
    assert r3.hgetall("h") == {b"a": b"1", b"b": b"2"}


# --- increments -------------------------------------------------------------------

def test_hincrby_adds_to_a_field_and_creates_missing_ones(r):
    assert r.hincrby("h", "n", 5) == 5
    assert r.hincrby("h", "n", -7) == -2
    assert r.hget("h", "n") == b"-2"
    r.hset("h", "big", "9223372036854775806")
    assert r.hincrby("h", "big", 1) == 9223372036854775807


@pytest.mark.parametrize("stored,increment,message", [
    ("9223372036854775807", "1", "increment or decrement would overflow"),
    ("-9223372036854775808", "-1", "increment or decrement would overflow"),
    ("1.5", "1", "hash value is not an integer"),
    ("abc", "1", "hash value is not an integer"),
    (" 1", "1", "hash value is not an integer"),
    ("1", "x", "value is not an integer or out of range"),
    ("1", "1.0", "value is not an integer or out of range"),
])
def test_hincrby_errors(r, stored, increment, message):
    r.hset("h", "f", stored)
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HINCRBY", "h", "f", increment)
    assert error_text(e) == message
    assert r.hget("h", "f") == stored.encode()


@pytest.mark.parametrize("stored,increment,result", [
    (None, "10.5", b"10.5"),
    ("10.5", "0.1", b"10.6"),
    ("5", "3.0e3", b"3005"),
    ("1", "-1", b"0"),
    ("0.1", "0.1", b"0.2"),
    ("0x10", "1", b"17"),
    ("1e2", "1", b"101"),
    (None, "1e10", b"10000000000"),
])
def test_hincrbyfloat_prints_like_redis(r, raw2, stored, increment, result):
    if stored is not None:
        r.hset("h", "f", stored)
    assert raw2.call("HINCRBYFLOAT", "h", "f", increment) == b"$%d\r\n%s\r\n" % (len(result), result)
    assert r.hget("h", "f") == result


@pytest.mark.parametrize("stored,increment,message", [
    ("abc", "1", "hash value is not a float"),
    ("", "1", "hash value is not a float"),
    ("1", "x", "value is not a valid float"),
    ("1", "nan", "value is not a valid float"),
    ("1", "inf", "value is NaN or Infinity"),
])
def test_hincrbyfloat_errors(r, stored, increment, message):
    r.hset("h", "f", stored)
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HINCRBYFLOAT", "h", "f", increment)
    assert error_text(e) == message
    assert r.hget("h", "f") == stored.encode()


def test_increment_errors_leave_a_missing_key_missing(r):
    with pytest.raises(redis.ResponseError):
        r.execute_command("HINCRBY", "h", "f", "x")
    with pytest.raises(redis.ResponseError):
        r.execute_command("HINCRBYFLOAT", "h", "f", "inf")
    assert r.exists("h") == 0


# --- random fields ----------------------------------------------------------------

def test_hrandfield_without_count_answers_one_field(r, raw2, raw3):
    r.hset("h", mapping={"a": "1", "b": "2"})
    assert r.hrandfield("h") in (b"a", b"b")
    assert r.hrandfield("missing") is None
    assert raw2.call("HRANDFIELD", "missing") == b"$-1\r\n"
    assert raw3.call("HRANDFIELD", "missing") == b"_\r\n"


def test_hrandfield_positive_count_answers_distinct_fields(r):
    data = {f"f{i}".encode(): f"v{i}".encode() for i in range(50)}
    r.hset("h", mapping=data)
    for count in (1, 5, 25, 49):
        got = r.hrandfield("h", count)
        assert len(got) == count
        assert len(set(got)) == count
        assert set(got) <= set(data)
    assert sorted(r.hrandfield("h", 50)) == sorted(data)
    assert sorted(r.hrandfield("h", 1000)) == sorted(data)
    assert r.hrandfield("h", 0) == []
    assert r.hrandfield("missing", 3) == []


def test_hrandfield_negative_count_may_repeat(r):
    r.hset("h", mapping={"a": "1", "b": "2"})
    got = r.hrandfield("h", -100)
    assert len(got) == 100
    assert set(got) == {b"a", b"b"}                   # 2^-99 chance of a false failure


def test_hrandfield_withvalues_shapes(r, raw2, raw3):
    r.hset("h", "a", "1")
    assert raw2.call("HRANDFIELD", "h", "2", "WITHVALUES") == b"*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HRANDFIELD", "h", "2", "WITHVALUES") == b"*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw2.call("HRANDFIELD", "h", "-2", "withvalues") == b"*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HRANDFIELD", "h", "-1", "WITHVALUES") == b"*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HRANDFIELD", "h", "0", "WITHVALUES") == b"*0\r\n"
    assert raw3.call("HRANDFIELD", "missing", "3") == b"*0\r\n"
    assert r.hrandfield("h", 3, withvalues=True) == [b"a", b"1"]


@pytest.mark.parametrize("args,message", [
    (["x"], "value is not an integer or out of range"),
    (["1", "WITHVALUE"], "syntax error"),
    (["1", "WITHVALUES", "x"], "syntax error"),
    (["-9223372036854775808"], "value is out of range, value must between "
                               "-9223372036854775807 and 9223372036854775807"),
    (["-4611686018427387904", "WITHVALUES"], "value is out of range"),
    (["4611686018427387904", "WITHVALUES"], "value is out of range"),
])
def test_hrandfield_argument_errors(r, args, message):
    r.hset("h", "a", "1")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HRANDFIELD", "h", *args)
    assert error_text(e) == message


# --- scan -------------------------------------------------------------------------

def full_scan(r, key, **kw):
    cursor, seen, calls = 0, {}, 0
    while True:
        cursor, items = r.hscan(key, cursor, **kw)
        seen.update(items)
        calls += 1
        if cursor == 0:
            return seen, calls


def test_hscan_returns_every_field_of_a_large_hash(r):
    data = {f"field:{i}".encode(): str(i).encode() for i in range(2_000)}
    r.hset("h", mapping=data)
    seen, calls = full_scan(r, "h", count=100)
    assert seen == data
    assert calls > 1


def test_hscan_match_filters_fields(r):
    data = {f"{p}:{i}".encode(): b"v" for p in ("user", "item") for i in range(500)}
    r.hset("h", mapping=data)
    seen, _ = full_scan(r, "h", match="user:*")
    assert set(seen) == {k for k in data if k.startswith(b"user:")}


def test_hscan_of_a_small_hash_answers_everything_at_once(r, raw2, raw3):
    r.hset("h", mapping={"a": "1", "b": "2", "c": "3"})
    cursor, items = r.hscan("h", 0, count=1)
    assert cursor == 0
    assert items == {b"a": b"1", b"b": b"2", b"c": b"3"}
    r.delete("h")
    r.hset("h", "a", "1")
    assert raw2.call("HSCAN", "h", "0") == b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    assert raw3.call("HSCAN", "h", "0", "MATCH", "a") == b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"


def test_hscan_of_a_missing_key_is_an_empty_scan_whatever_the_options(raw2):
    assert raw2.call("HSCAN", "missing", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert raw2.call("HSCAN", "missing", "0", "COUNT", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"


@pytest.mark.parametrize("args,message", [
    (["x"], "invalid cursor"),
    ([" 1"], "invalid cursor"),
    (["18446744073709551616"], "invalid cursor"),
    (["+"], "invalid cursor"),
    (["1x"], "invalid cursor"),
    (["0", "COUNT", "0"], "syntax error"),
    (["0", "COUNT", "-1"], "syntax error"),
    (["0", "COUNT", "x"], "value is not an integer or out of range"),
    (["0", "MATCH"], "syntax error"),
    (["0", "TYPE", "string"], "syntax error"),
    (["0", "NOVALUES"], "syntax error"),
])
def test_hscan_argument_errors(r, args, message):
    r.hset("h", "a", "1")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("HSCAN", "h", *args)
    assert error_text(e) == message


@pytest.mark.parametrize("cursor", [b"-1", b"+0", b"18446744073709551615", b"", b"0\x00x", b"-0", b"007"])
def test_hscan_accepts_cursors_as_strtoul_does(r, cursor):
    r.hset("h", "a", "1")
    assert r.execute_command("HSCAN", "h", cursor) == (0, {b"a": b"1"})


# --- wrong types ------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [
    ["HSET", "str", "a", "1"], ["HMSET", "str", "a", "1"], ["HSETNX", "str", "a", "1"],
    ["HGET", "str", "a"], ["HMGET", "str", "a"], ["HDEL", "str", "a"], ["HEXISTS", "str", "a"],
    ["HLEN", "str"], ["HKEYS", "str"], ["HVALS", "str"], ["HGETALL", "str"],
    ["HINCRBY", "str", "a", "1"], ["HINCRBYFLOAT", "str", "a", "1"], ["HSTRLEN", "str", "a"],
    ["HRANDFIELD", "str"], ["HRANDFIELD", "str", "2", "WITHVALUES"], ["HSCAN", "str", "0"],
])
def test_hash_commands_refuse_other_types(r, cmd):
    r.set("str", "v")
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*cmd)
    assert error_text(e) == WRONGTYPE
    assert r.get("str") == b"v"
