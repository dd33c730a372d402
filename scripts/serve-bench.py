#!/usr/bin/env python3
"""Timings of the workbench (docs/performance.md, "The workbench"). A benchmark, never a test.

Starts `hubs serve` (give the release binary) on a copy of the shipped project and measures, on
loopback: a slider move (POST /api/score with a new weight each time) and an edited buffer
re-checked (POST /api/check with a new text each time), 200 of each, by the server's own
Server-Timing and by the round trip seen by the client; the page's first load (the page, its
stylesheet and script, the project and the first score, one after another, as the browser asks
for them), 20 times; and, when wrk is installed, 50 connections on the score endpoint for 10 s.

Usage: scripts/serve-bench.py .build/release/hubs
"""
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(hubs, project):
    p = subprocess.Popen([hubs, "serve", "--port", "0", "--root", project], stdout=subprocess.PIPE, text=True)
    text = ""
    while "Ctrl-C" not in text:
        line = p.stdout.readline()
        if not line:
            sys.exit("no URL from hubs serve")
        text += line
    m = re.search(r"127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+)", text)
    return p, int(m.group(1)), m.group(2)


def main():
    hubs = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/hubs"))
    project = tempfile.mkdtemp(prefix="hubs-serve-bench-")
    for sub in ["policies", "scenarios"]:
        shutil.copytree(os.path.join(ROOT, sub), os.path.join(project, sub))
    server, port, token = start(hubs, project)
    host = f"127.0.0.1:{port}"
    headers = {"Host": host, "Cookie": f"hubs-token-{port}={token}", "Origin": f"http://{host}",
               "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port)

    def ask(method, path, body=None):
        t = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        wall = (time.perf_counter() - t) * 1000
        timing = r.getheader("Server-Timing") or "app;dur=nan"
        return r.status, data, float(timing.split("dur=")[1]), wall

    def summary(name, samples):
        server_ms = [s for s, _ in samples]
        wall_ms = [w for _, w in samples]
        print(f"{name}: server median {statistics.median(server_ms):.2f} ms (p95 {sorted(server_ms)[int(len(server_ms) * .95)]:.2f}),"
              f" round trip median {statistics.median(wall_ms):.2f} ms, n={len(samples)}")

    ask("POST", "/api/score", "{}")  # warm: the files parsed once
    slider = []
    for i in range(200):
        # A new weight each time (0.01 apart), so that none is answered from the kept answers.
        status, _, s, w = ask("POST", "/api/score", json.dumps({"weights": {"security": 20 + i * 0.01}}))
        assert status == 200, status
        slider.append((s, w))
    summary("slider move -> re-scored JSON (POST /api/score, a new weight each time)", slider)
    again = []
    for i in range(200):
        status, _, s, w = ask("POST", "/api/score", json.dumps({"weights": {"security": 20 + (i % 20) * 0.01}}))
        again.append((s, w))
    summary("a weight asked for again (answered from the kept answers)", again)

    text = open(os.path.join(project, "scenarios/baseline.yaml"), encoding="utf-8").read()
    check = []
    for i in range(200):
        body = json.dumps({"buffers": {"scenarios/baseline.yaml": text + f"\n# edit {i}\n"}})
        status, _, s, w = ask("POST", "/api/check", body)
        assert status == 200, status
        check.append((s, w))
    summary("edited buffer re-checked (POST /api/check)", check)

    loads = []
    for _ in range(20):
        fresh = http.client.HTTPConnection("127.0.0.1", port)
        t = time.perf_counter()
        for method, path, body in [("GET", "/", None), ("GET", "/workbench.css", None), ("GET", "/workbench.js", None),
                                   ("GET", "/api/project", None), ("POST", "/api/score", "{}")]:
            fresh.request(method, path, body=body, headers=headers)
            fresh.getresponse().read()
        loads.append((time.perf_counter() - t) * 1000)
        fresh.close()
    print(f"first load (page, CSS, script, project, first score; one connection): median {statistics.median(loads):.1f} ms,"
          f" max {max(loads):.1f} ms, n={len(loads)}")

    wrk = shutil.which("wrk")
    if wrk:
        # Twice: every request the same view (answered from the kept answers after the first), and
        # every request a new weight (0.001 apart: each one scored afresh).
        for name, request in [("the same view", None),
                              ("a new weight each request", "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                               "  local body = string.format('{\"weights\": {\"security\": %.3f}}', 20 + (counter % 20000) * 0.001)\n"
                               "  return wrk.format(nil, nil, nil, body)\nend\n")]:
            lua = os.path.join(project, "score.lua")
            with open(lua, "w") as f:
                f.write('wrk.method = "POST"\nwrk.body = \'{"weights": {"security": 40}}\'\n')
                for k, v in headers.items():
                    f.write(f'wrk.headers["{k}"] = "{v}"\n')
                if request:
                    f.write(request)
                f.write("done = function(summary, latency, requests)\n"
                        "  io.write(string.format('errors: connect %d, read %d, write %d, status %d, timeout %d\\n',"
                        " summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,"
                        " summary.errors.timeout))\nend\n")
            print(f"wrk -t2 -c50 -d10s --latency (POST /api/score, {name}):")
            r = subprocess.run([wrk, "-t2", "-c50", "-d10s", "--timeout", "5s", "--latency", "-s", lua, f"http://{host}/api/score"],
                               capture_output=True, text=True)
            print(r.stdout)
    else:
        print("wrk not installed (apt-get install wrk): no load test")
    conn.close()
    server.send_signal(signal.SIGINT)
    server.wait(timeout=15)
    shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
