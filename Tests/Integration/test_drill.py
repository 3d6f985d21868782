"""vigil-drill end to end: every scenario once against its own Vigil cluster
(debug binaries from VIGIL_BIN_DIR, short timers), checking the exit status
and the JSON report; and the SVG timeline rendered to PNG with rsvg-convert.

Each scenario runs once per module (cached), sequentially, on ports the drill
picks itself; the whole module takes about a minute.
"""
import json
import os
import shutil
import struct
import subprocess
import zlib

import pytest

from vigil import BIN_DIR

DRILL = os.path.join(BIN_DIR, "vigil-drill")
SHORT = ["--down-after", "500", "--warmup", "500", "--tail", "500"]
SCENARIOS = ["kill-master", "pause-master", "kill-replica", "lose-sentinels", "switchover"]


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    """Runs a scenario once (JSON output) and returns (process, report, svg path)."""
    base = tmp_path_factory.mktemp("drill")
    results = {}

    def run(scenario):
        if scenario not in results:
            proc = subprocess.run([DRILL, scenario, "--json", "--bin", BIN_DIR, "--dir", str(base)] + SHORT,
                                  capture_output=True, text=True, timeout=180)
            report = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
            results[scenario] = (proc, report, os.path.join(base, f"drill-{scenario}.svg"))
        return results[scenario]

    return run


def check(drill, scenario):
    proc, report, svg = drill(scenario)
    assert report is not None, proc.stderr[-3000:]
    failed = [c for c in report["checks"] if c["outcome"] == "fail"]
    assert proc.returncode == 0 and report["passed"], (failed, proc.stderr[-3000:])
    assert report["scenario"] == scenario and report["backend"] == "vigil"
    final = report["final"]
    assert final["converged"]
    for node in final["nodes"]:
        assert node["alive"]
        if node["address"] == final["master"]:
            assert node["role"] == "master"
        else:
            assert node["role"] == "replica" and node["follows"] == final["master"] and node["link_up"], node
    assert all(s["master"] == final["master"] for s in final["sentinels"])
    assert report["writes"]["acknowledged"] > 100
    assert os.path.getsize(svg) > 2000 and report["svg"] == svg
    return report


def events(report):
    return [e["text"].split(" ")[0] for e in report["timeline"] if e["kind"] == "sentinel"]


def test_kill_master_fails_over_without_losing_acknowledged_writes(drill):
    r = check(drill, "kill-master")
    assert r["final"]["master"] != r["cluster"]["original_master"]
    assert {"+sdown", "+odown", "+switch-master"} <= set(events(r))
    assert r["writes"]["lost"] == 0 and r["writes"]["checked"] == r["writes"]["acknowledged"]
    fault = r["faults"][0]
    assert fault["writes_resumed"] and 0 < fault["unavailable_ms"] < 10000
    assert "replica of " + r["final"]["master"] in r["old_master"]
    assert [e for e in r["timeline"] if e["kind"] == "fault"][0]["t_ms"] == 0


def test_pause_master_converges_after_the_split_brain(drill):
    r = check(drill, "pause-master")
    assert r["final"]["master"] != r["cluster"]["original_master"]
    split = r["split_brain_writes"]
    assert split is not None and split["acknowledged"] > 0
    assert "resumed (SIGCONT)" in r["old_master"] and "replica of" in r["old_master"]
    assert any(e["kind"] == "recovery" and e["text"].startswith("SIGCONT") for e in r["timeline"])


def test_kill_replica_keeps_the_master_and_reports_the_resync(drill):
    r = check(drill, "kill-replica")
    assert r["final"]["master"] == r["cluster"]["original_master"]
    assert r["writes"]["lost"] == 0
    assert r["resync"] is not None and ("full resync" in r["resync"] or "partial resync" in r["resync"])
    assert "+switch-master" not in events(r)


def test_lose_sentinels_fails_over_with_a_majority_and_not_with_a_minority(drill):
    r = check(drill, "lose-sentinels")
    outcomes = {c["title"]: c["outcome"] for c in r["checks"]}
    assert outcomes["the sentinels fail over"] == "pass"
    assert outcomes["no failover with 2 of 3 sentinels dead"] == "pass"
    assert len(r["faults"]) == 2


def test_switchover_loses_no_acknowledged_write(drill):
    r = check(drill, "switchover")
    assert r["final"]["master"] != r["cluster"]["original_master"]
    assert r["writes"]["lost"] == 0
    assert "+switch-master" in events(r)


def test_usage_errors_exit_2():
    proc = subprocess.run([DRILL, "explode"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "unknown scenario 'explode'" in proc.stderr


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG: (width, height, rows of (r, g, b))."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            idat += body
    bpp = 4 if colour == 6 else 3
    raw, stride, rows, prev, i = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert (librsvg2-bin) is not installed")
def test_svg_timeline_renders_to_a_png_with_bars_and_the_fault(drill, tmp_path):
    _, report, svg = drill("kill-master")
    assert report is not None
    png = tmp_path / "kill-master.png"
    subprocess.run(["rsvg-convert", "-o", str(png), svg], check=True, timeout=60)
    width, height, rows = png_pixels(str(png))
    assert (width, height) == (1100, 548)
    pixels = [p for row in rows for p in row]
    bars = sum(1 for p in pixels if p == (31, 119, 180))          # writes per 100 ms
    fault = sum(1 for p in pixels if p == (214, 39, 40))          # the fault marker and its label
    ink = sum(1 for p in pixels if p != (255, 255, 255))
    assert bars > 5000, bars
    assert fault > 100, fault
    assert ink > 0.1 * width * height, ink
