#!/usr/bin/env python3
"""Timings of `hubs lsp` (docs/performance.md, "The language server"). A benchmark, never a test.

Runs the server on the repository and measures, from the client's side of the pipe: the shipped
policy edited (a different comment each time) until its diagnostics are published, 100 times;
and a completion request in the baseline scenario, 200 times.

Usage: scripts/lsp-bench.py .build/release/hubs
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
hubs = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/hubs"))
p = subprocess.Popen([hubs, "lsp", "--root", ROOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(obj):
    body = json.dumps(obj).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def receive():
    length = None
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def until(pred):
    while True:
        m = receive()
        if pred(m):
            return m


uri = lambda rel: "file://" + os.path.join(ROOT, rel)
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://" + ROOT, "capabilities": {}}})
until(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
policy = open(os.path.join(ROOT, "policies/uk-return-hubs.yaml"), encoding="utf-8").read()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri("policies/uk-return-hubs.yaml"), "languageId": "yaml", "version": 1, "text": policy}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
edits = []
for i in range(100):
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri("policies/uk-return-hubs.yaml"), "version": i + 2}, "contentChanges": [{"text": policy + f"\n# edit {i}\n"}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    edits.append((time.perf_counter() - t) * 1000)
completions = []
for i in range(200):
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "id": 100 + i, "method": "textDocument/completion", "params": {"textDocument": {"uri": uri("scenarios/baseline.yaml")}, "position": {"line": 60, "character": 8}}})
    until(lambda m: m.get("id") == 100 + i)
    completions.append((time.perf_counter() - t) * 1000)
send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
until(lambda m: m.get("id") == 9)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=10)
print(f"edited policy re-checked with its scenario, to published diagnostics: median {statistics.median(edits):.2f} ms (p95 {sorted(edits)[94]:.2f}), n=100")
print(f"completion: median {statistics.median(completions):.2f} ms (p95 {sorted(completions)[189]:.2f}), n=200")
print(f"exit status {p.returncode}")
