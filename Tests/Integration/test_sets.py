"""Set commands of vigil-server against Redis 7.0 behaviour: SADD … SSCAN,
SINTERCARD, the STORE forms, error texts in Redis's order of checks, and exact
RESP2/RESP3 reply shapes (read from a raw socket where redis-py hides them)."""
import socket

import pytest
import redis

from rawresp import Raw, WRONGTYPE, encode, error_text


def fails(r, *args):
    """The error text a command answers."""
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return error_text(e)


# --- SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS ---------------------

def test_sadd_counts_only_new_members(r):
    assert r.sadd("s", "a", "b", "a") == 2
    assert r.sadd("s", "b", "c") == 1
    assert r.scard("s") == 3
    assert r.smembers("s") == {b"a", b"b", b"c"}
    assert r.type("s") == b"set"


def test_srem_counts_removed_members_and_deletes_an_emptied_set(r):
    r.sadd("s", "a", "b", "c")
    assert r.srem("s", "a", "x", "a") == 1
    assert r.srem("missing", "a") == 0
    assert r.srem("s", "b", "c") == 2
    assert r.exists("s") == 0


def test_membership_queries(r):
    r.sadd("s", "a", "b")
    assert r.sismember("s", "a") == 1
    assert r.sismember("s", "x") == 0
    assert r.sismember("missing", "a") == 0
    assert r.execute_command("SMISMEMBER", "s", "a", "x", "b") == [1, 0, 1]
    assert r.execute_command("SMISMEMBER", "missing", "a") == [0]
    assert r.scard("missing") == 0


def test_members_are_binary_safe(r):
    r.sadd("s", b"\x00\xff", b"", b"a b\r\n")
    assert r.smembers("s") == {b"\x00\xff", b"", b"a b\r\n"}
    assert r.sismember("s", b"") == 1


def test_smembers_is_a_set_in_resp3_and_an_array_in_resp2(r, raw2, raw3):
    r.sadd("s", "only")
    assert raw2.call("SMEMBERS", "s") == b"*1\r\n$4\r\nonly\r\n"
    assert raw3.call("SMEMBERS", "s") == b"~1\r\n$4\r\nonly\r\n"
    assert raw2.call("SMEMBERS", "missing") == b"*0\r\n"
    assert raw3.call("SMEMBERS", "missing") == b"~0\r\n"
    assert raw3.call("SMISMEMBER", "s", "only", "x") == b"*2\r\n:1\r\n:0\r\n"
    assert raw3.call("SISMEMBER", "s", "only") == b":1\r\n"


@pytest.mark.parametrize("args", [
    ("SADD", "str", "a"), ("SREM", "str", "a"), ("SMEMBERS", "str"), ("SISMEMBER", "str", "a"),
    ("SMISMEMBER", "str", "a"), ("SCARD", "str"), ("SPOP", "str"), ("SPOP", "str", "0"),
    ("SRANDMEMBER", "str"), ("SRANDMEMBER", "str", "0"), ("SMOVE", "str", "d", "a"),
    ("SINTER", "str"), ("SUNION", "str"), ("SDIFF", "str"), ("SINTERSTORE", "d", "str"),
    ("SUNIONSTORE", "d", "str"), ("SDIFFSTORE", "d", "str"), ("SINTERCARD", "1", "str"),
    ("SSCAN", "str", "0"),
])
def test_set_commands_refuse_other_types(r, args):
    r.set("str", "x")
    assert fails(r, *args) == WRONGTYPE


@pytest.mark.parametrize("args", [
    ("SADD", "s"), ("SREM", "s"), ("SMEMBERS",), ("SMEMBERS", "s", "t"), ("SISMEMBER", "s"),
    ("SMISMEMBER", "s"), ("SCARD",), ("SPOP",), ("SRANDMEMBER",), ("SMOVE", "a", "b"),
    ("SINTER",), ("SINTERSTORE", "d"), ("SINTERCARD", "1"), ("SSCAN", "s"),
])
def test_arity_errors_name_the_command(r, args):
    assert fails(r, *args) == f"wrong number of arguments for '{args[0].lower()}' command"


# --- SPOP, SRANDMEMBER --------------------------------------------------------

def test_spop_without_count_removes_one_member_and_deletes_the_emptied_set(r, raw2, raw3):
    r.sadd("s", "a", "b")
    first = r.spop("s")
    assert first in (b"a", b"b")
    assert r.smembers("s") == {b"a", b"b"} - {first}
    r.spop("s")
    assert r.exists("s") == 0
    assert raw2.call("SPOP", "missing") == b"$-1\r\n"
    assert raw3.call("SPOP", "missing") == b"_\r\n"


def test_spop_with_count_removes_distinct_members(r):
    r.sadd("s", *range(10))
    popped = r.spop("s", 4)
    assert len(popped) == 4 and len(set(popped)) == 4
    assert r.scard("s") == 6
    assert not (set(popped) & r.smembers("s"))
    rest = r.spop("s", 100)
    assert len(rest) == 6
    assert r.exists("s") == 0


def test_spop_with_count_replies_a_set_in_resp3(r, raw2, raw3):
    r.sadd("s", "a")
    assert raw2.call("SPOP", "missing", "2") == b"*0\r\n"
    assert raw3.call("SPOP", "missing", "2") == b"~0\r\n"
    assert raw3.call("SPOP", "s", "0") == b"~0\r\n"
    assert r.scard("s") == 1
    assert raw3.call("SPOP", "s", "5") == b"~1\r\n$1\r\na\r\n"


@pytest.mark.parametrize("count", ["-1", "x", "-9223372036854775808"])
def test_spop_count_must_be_a_non_negative_integer(r, count):
    r.sadd("s", "a")
    assert fails(r, "SPOP", "s", count) == "value is out of range, must be positive"
    assert fails(r, "SPOP", "missing", count) == "value is out of range, must be positive"


def test_spop_with_extra_arguments_is_a_syntax_error(r):
    assert fails(r, "SPOP", "s", "1", "2") == "syntax error"


def test_srandmember_positive_count_gives_distinct_members_negative_allows_repeats(r):
    r.sadd("s", "a", "b", "c")
    two = r.srandmember("s", 2)
    assert len(two) == 2 and len(set(two)) == 2 and set(two) <= {b"a", b"b", b"c"}
    assert sorted(r.srandmember("s", 10)) == [b"a", b"b", b"c"]
    many = r.srandmember("s", -50)
    assert len(many) == 50 and set(many) <= {b"a", b"b", b"c"}
    r.delete("s")
    r.sadd("one", "x")
    assert r.srandmember("one", -3) == [b"x", b"x", b"x"]
    assert r.scard("one") == 1


def test_srandmember_reply_shapes(r, raw2, raw3):
    r.sadd("s", "a")
    assert raw2.call("SRANDMEMBER", "s") == b"$1\r\na\r\n"
    assert raw2.call("SRANDMEMBER", "missing") == b"$-1\r\n"
    assert raw3.call("SRANDMEMBER", "missing") == b"_\r\n"
    assert raw3.call("SRANDMEMBER", "s", "5") == b"*1\r\n$1\r\na\r\n"
    assert raw3.call("SRANDMEMBER", "s", "0") == b"*0\r\n"
    assert raw3.call("SRANDMEMBER", "missing", "3") == b"*0\r\n"


def test_srandmember_count_errors(r):
    r.sadd("s", "a")
    assert fails(r, "SRANDMEMBER", "s", "x") == "value is not an integer or out of range"
    assert fails(r, "SRANDMEMBER", "s", "-9223372036854775808") == (
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    assert fails(r, "SRANDMEMBER", "s", "1", "2") == "syntax error"


# --- SMOVE ---------------------------------------------------------------------

def test_smove_moves_a_member_and_creates_the_destination(r):
    r.sadd("src", "a", "b")
    assert r.smove("src", "dst", "a") == 1
    assert r.smembers("src") == {b"b"}
    assert r.smembers("dst") == {b"a"}
    assert r.smove("src", "dst", "zz") == 0
    assert r.smove("src", "dst", "b") == 1
    assert r.exists("src") == 0


def test_smove_checks_in_redis_order(r):
    r.set("str", "x")
    r.sadd("s", "a")
    assert r.smove("missing", "str", "a") == 0      # a missing source answers 0 first
    assert fails(r, "SMOVE", "s", "str", "a") == WRONGTYPE
    assert fails(r, "SMOVE", "s", "str", "zz") == WRONGTYPE
    assert fails(r, "SMOVE", "str", "s", "a") == WRONGTYPE
    assert r.smove("s", "s", "a") == 1
    assert r.smove("s", "s", "zz") == 0
    assert r.smembers("s") == {b"a"}


# --- SINTER, SUNION, SDIFF and the STORE forms -----------------------------------

@pytest.fixture
def three_sets(r):
    r.sadd("s1", "a", "b", "c", "d")
    r.sadd("s2", "c", "d", "e")
    r.sadd("s3", "d", "e", "f")


def test_set_algebra(r, three_sets):
    assert r.sinter("s1", "s2") == {b"c", b"d"}
    assert r.sinter("s1", "s2", "s3") == {b"d"}
    assert r.sinter("s1", "missing") == set()
    assert r.sunion("s1", "s3", "missing") == {b"a", b"b", b"c", b"d", b"e", b"f"}
    assert r.sdiff("s1", "s2") == {b"a", b"b"}
    assert r.sdiff("s1", "s2", "s3", "missing") == {b"a", b"b"}
    assert r.sdiff("missing", "s1") == set()
    assert r.sdiff("s1") == {b"a", b"b", b"c", b"d"}
    assert r.sunion("s1") == {b"a", b"b", b"c", b"d"}


def test_set_algebra_replies_sets_in_resp3(r, raw3, three_sets):
    assert raw3.call("SINTER", "s1", "s3") == b"~1\r\n$1\r\nd\r\n"
    assert raw3.call("SUNION", "missing") == b"~0\r\n"
    assert raw3.call("SDIFF", "s3", "s1", "s2") == b"~1\r\n$1\r\nf\r\n"


def test_store_forms_replace_the_destination_and_drop_its_ttl(r, three_sets):
    r.set("dst", "a string", ex=100)
    assert r.sinterstore("dst", "s1", "s2") == 2
    assert r.smembers("dst") == {b"c", b"d"}
    assert r.ttl("dst") == -1
    assert r.sunionstore("dst", "s2", "s3") == 4
    assert r.smembers("dst") == {b"c", b"d", b"e", b"f"}
    assert r.sdiffstore("dst", "s1", "s3") == 3
    assert r.smembers("dst") == {b"a", b"b", b"c"}
    assert r.sunionstore("s1", "s1", "s3") == 6          # a source may be the destination
    assert r.scard("s1") == 6


@pytest.mark.parametrize("command, sources", [
    ("SINTERSTORE", ("s", "missing")),
    ("SDIFFSTORE", ("s", "s")),
    ("SUNIONSTORE", ("missing",)),
])
def test_store_of_an_empty_result_deletes_the_destination(r, command, sources):
    r.sadd("dst", "old")
    r.sadd("s", "a")
    assert r.execute_command(command, "dst", *sources) == 0
    assert r.exists("dst") == 0


def test_every_key_is_type_checked_even_after_a_missing_one(r):
    r.set("str", "x")
    r.sadd("s", "a")
    assert fails(r, "SINTER", "missing", "str") == WRONGTYPE
    assert fails(r, "SINTERSTORE", "d", "missing", "str") == WRONGTYPE
    assert fails(r, "SDIFF", "missing", "str") == WRONGTYPE
    assert fails(r, "SUNION", "s", "str") == WRONGTYPE
    assert fails(r, "SINTERCARD", "2", "missing", "str") == WRONGTYPE


def test_sintercard_counts_the_intersection_up_to_the_limit(r, three_sets):
    assert r.execute_command("SINTERCARD", "2", "s1", "s2") == 2
    assert r.execute_command("SINTERCARD", "1", "s1", "LIMIT", "3") == 3
    assert r.execute_command("SINTERCARD", "1", "s1", "LIMIT", "0") == 4
    assert r.execute_command("SINTERCARD", "1", "s1", "limit", "1", "LIMIT", "2") == 2
    assert r.execute_command("SINTERCARD", "2", "s1", "missing") == 0


@pytest.mark.parametrize("args, message", [
    (("0", "s"), "numkeys should be greater than 0"),
    (("-1", "s"), "numkeys should be greater than 0"),
    (("x", "s"), "numkeys should be greater than 0"),
    (("2", "s"), "Number of keys can't be greater than number of args"),
    (("1", "s", "LIMIT"), "syntax error"),
    (("1", "s", "LIMIT", "-1"), "LIMIT can't be negative"),
    (("1", "s", "LIMIT", "x"), "LIMIT can't be negative"),
    (("1", "s", "FOO", "1"), "syntax error"),
    (("1", "s", "other"), "syntax error"),
])
def test_sintercard_errors(r, args, message):
    r.sadd("s", "a")
    assert fails(r, "SINTERCARD", *args) == message


# --- SSCAN -------------------------------------------------------------------------

def test_sscan_returns_every_member_across_calls(r):
    members = {f"m{i}".encode() for i in range(1000)}
    r.sadd("s", *members)
    seen = set()
    cursor = 0
    calls = 0
    while True:
        cursor, batch = r.sscan("s", cursor, count=50)
        seen.update(batch)
        calls += 1
        if cursor == 0:
            break
    assert seen == members
    assert calls > 1


def test_sscan_match_filters_members(r):
    r.sadd("s", "apple", "avocado", "banana")
    found = set(r.sscan_iter("s", match="a*"))
    assert found == {b"apple", b"avocado"}


def test_sscan_reply_shape_and_missing_key(r, raw2, raw3):
    r.sadd("s", "a")
    assert raw2.call("SSCAN", "s", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
    assert raw3.call("SSCAN", "s", "0") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"
    # A missing key answers before the options are even looked at.
    assert raw2.call("SSCAN", "missing", "0", "BOGUS") == b"*2\r\n$1\r\n0\r\n*0\r\n"


@pytest.mark.parametrize("args, message", [
    (("x",), "invalid cursor"),
    (("18446744073709551616",), "invalid cursor"),
    (("0", "COUNT", "0"), "syntax error"),
    (("0", "COUNT", "x"), "value is not an integer or out of range"),
    (("0", "MATCH"), "syntax error"),
    (("0", "TYPE", "string"), "syntax error"),
    (("0", "FOO", "bar"), "syntax error"),
])
def test_sscan_errors(r, args, message):
    r.sadd("s", "a")
    assert fails(r, "SSCAN", "s", *args) == message


def test_sscan_accepts_a_signed_cursor_like_strtoul(r):
    r.sadd("s", "a")
    for cursor in ("-1", "+0", "18446744073709551615"):
        next_cursor, batch = r.execute_command("SSCAN", "s", cursor)
        assert isinstance(batch, list)
