"""Fuzzing the live server with random and mutated RESP: every connection
either gets replies or a protocol error and is closed; the server never
crashes, keeps serving other clients, and its memory does not run away."""
import random
import socket

import pytest

SEEDS = range(int(__import__("os").environ.get("VIGIL_FUZZ_SEEDS", "40")))

VALID = [
    b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
    b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
    b"*4\r\n$5\r\nLPUSH\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n",
    b"*4\r\n$4\r\nZADD\r\n$1\r\nz\r\n$3\r\n1.5\r\n$1\r\nm\r\n",
    b"*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n",
    b"*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nEXEC\r\n",
    b"PING\r\n",
    b'SET "a b" \'c\'\r\n',
    b"*3\r\n$6\r\nEXPIRE\r\n$1\r\nk\r\n$20\r\n99999999999999999999\r\n",
]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        pos = rng.randrange(len(data) + 1)
        if op < 0.3 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op < 0.6:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op < 0.8 and data:
            del data[pos:pos + rng.randint(1, 8)]
        else:
            data[pos:pos] = rng.choice([b"\r\n", b"*", b"$", b"-1", b"999999999", b"*-5", b"$0\r\n"])
    return bytes(data)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_and_mutated_frames_never_hurt_the_server(node, seed):
    rng = random.Random(seed)
    healthy = node.client()
    rss_before = int(healthy.info("memory")["used_memory_rss"])
    for _ in range(25):
        payload = b"".join(mutate(rng, rng.choice(VALID)) if rng.random() < 0.8 else
                           bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
                           for _ in range(rng.randint(1, 5)))
        s = socket.create_connection(("127.0.0.1", node.port), timeout=2)
        try:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
        except OSError:
            pass  # reset by the server after a protocol error is fine
        finally:
            s.close()
    assert healthy.ping()
    healthy.execute_command("SELECT", 0)
    rss_after = int(healthy.info("memory")["used_memory_rss"])
    assert rss_after - rss_before < 64 * 1024 * 1024
