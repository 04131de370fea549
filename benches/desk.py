#!/usr/bin/env python3
"""Support-desk benchmarks for `get -` (batch) and `export`, run through benches/desk.sh.

1. Batch of N usernames against one moto server: wall time vs N / (configured user_read
   rate), and vs a shell loop of `aws cognito-idp admin-get-user` on the same endpoint
   (timed for AWS_RUNS calls and scaled to N). The same batch against a counting stub
   checks it sends exactly N AdminGetUser.
2. Export rate and peak RSS at 10k and 100k users from a stub ListUsers server that builds
   pages on the fly (moto's ListUsers scans the whole pool per page, so at 100k it measures
   moto, not us), with a page latency like real Cognito's, over 1 and 16 streams.

Nothing here talks to anything but 127.0.0.1; dummy credentials, instance metadata disabled.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from benchlib import ROOT, Moto, free_port, isolated_env  # noqa: E402
BINARY = os.environ.get("COGNITO_TUI_BIN", os.path.join(ROOT, "target", "release", "cognito-tui"))
AWS = os.environ.get("AWS_BIN", os.path.join(ROOT, ".ci", "work", "bench-venv", "bin", "aws"))
N = int(os.environ.get("N", "500"))
USER_READ = int(os.environ.get("USER_READ", "50"))
USER_LIST = int(os.environ.get("USER_LIST", "30"))
AWS_RUNS = int(os.environ.get("AWS_RUNS", "20"))
LATENCY_MS = float(os.environ.get("LATENCY_MS", "80"))

ENV = isolated_env()


def run(cmd, stdin, config):
    """Runs cmd with `--config config`; returns (seconds, stdout bytes, stderr text, code)."""
    args = list(cmd)
    args[1:1] = ["--config", config]
    start = time.perf_counter()
    proc = subprocess.run(args, env=ENV, input=stdin.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    return elapsed, proc.stdout, proc.stderr.decode(errors="replace"), proc.returncode


def peak_rss_run(cmd, config):
    """Like run, but reads the child's peak RSS with wait4 (communicate would reap it)."""
    args = list(cmd)
    args[1:1] = ["--config", config]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = 0
    err_chunks = []
    t = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    t.start()
    for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):
        lines += chunk.count(b"\n")
    t.join()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"export failed ({code}): {err_chunks[0].decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, lines


def write_config(dir, user_list=USER_LIST, user_read=USER_READ):
    path = os.path.join(dir, f"config-{user_list}-{user_read}.toml")
    with open(path, "w") as f:
        f.write(f"[rate_limits]\nuser_list = {user_list}\nuser_read = {user_read}\n")
    return path


class Stub(BaseHTTPRequestHandler):
    """ListUsers / DescribeUserPool / AdminGetUser for a synthetic pool of `users` users."""

    users = 0
    latency = 0.0
    counts = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        op = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        with Stub.lock:
            Stub.counts[op] = Stub.counts.get(op, 0) + 1
        if Stub.latency:
            time.sleep(Stub.latency)
        if op == "ListUsers":
            out = self.list_users(body)
        elif op == "DescribeUserPool":
            out = {"UserPool": {"Id": body["UserPoolId"], "Name": "stub", "EstimatedNumberOfUsers": Stub.users}}
        elif op == "AdminGetUser":
            i = int(body["Username"][4:])
            u = user(i)
            out = {"Username": u["Username"], "UserAttributes": u["Attributes"], "Enabled": True,
                   "UserStatus": "CONFIRMED", "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9}
        else:
            self.send_response(400)
            self.end_headers()
            return
        data = json.dumps(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def list_users(self, body):
        limit = int(body.get("Limit", 60))
        start = int(body.get("PaginationToken") or 0)
        m = re.match(r'sub \^= "([0-9a-f])"', body.get("Filter", ""))
        step, first = (16, int(m.group(1), 16)) if m else (1, 0)
        i = max(start, first)
        if m and (i - first) % 16:
            i += 16 - (i - first) % 16
        page = []
        while i < Stub.users and len(page) < limit:
            page.append(user(i))
            i += step
        out = {"Users": page}
        if i < Stub.users:
            out["PaginationToken"] = str(i)
        return out


def user(i):
    sub = f"{i % 16:x}{i:07x}-0000-4000-8000-{i:012x}"
    return {
        "Username": f"user{i:06d}",
        "Attributes": [{"Name": "sub", "Value": sub}, {"Name": "email", "Value": f"u{i:06d}@example.com"}],
        "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9, "Enabled": True, "UserStatus": "CONFIRMED",
    }


def start_stub(users, latency_ms):
    Stub.users, Stub.latency, Stub.counts = users, latency_ms / 1000, {}
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Stub)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def bench_batch(tmp):
    with Moto() as moto:
        url = moto.url
        pool = moto.create_pool("bench")
        moto.create_users(pool, [
            {"Username": f"user{i:06d}", "Attributes": [{"Name": "email", "Value": f"u{i:06d}@example.com"}]}
            for i in range(N)])
        config = write_config(tmp)
        names = "".join(f"user{i:06d}\n" for i in range(N))
        ours = [BINARY, "get", "-", "--pool", pool, "--endpoint-url", url, "--region", "us-east-1", "-o", "json"]
        t_ours, out, err, code = run(ours, names, config)
        if code != 0 or out.count(b'"Result":"found"') != N:
            sys.exit(f"batch failed ({code}): {err[-500:]}")
        floor = N / USER_READ
        aws = [AWS, "cognito-idp", "admin-get-user", "--user-pool-id", pool, "--endpoint-url", url, "--username"]
        start = time.perf_counter()
        for i in range(AWS_RUNS):
            r = subprocess.run(aws + [f"user{i:06d}"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if r.returncode != 0:
                sys.exit(f"aws failed: {r.stderr.decode()[-300:]}")
        per_call = (time.perf_counter() - start) / AWS_RUNS
        print(f"batch: {N} usernames at user_read = {USER_READ}/s against moto")
        print(f"  cognito-tui get -        {t_ours:.2f} s  (floor N/rate = {floor:.2f} s, {100 * (t_ours / floor - 1):+.1f}%)")
        print(f"  aws admin-get-user loop  {per_call * 1000:.0f} ms per call over {AWS_RUNS} calls -> {per_call * N:.1f} s for {N}")
        print(f"  loop / cognito-tui       {per_call * N / t_ours:.1f}x")

    server, url = start_stub(N, 0)
    try:
        t, out, err, code = run([BINARY, "get", "-", "--pool", "us-east-1_Stub", "--endpoint-url", url,
                                    "--region", "us-east-1", "-o", "json"], names, config)
        print(f"  against a counting stub: {Stub.counts.get('AdminGetUser', 0)} AdminGetUser for {N} queries "
              f"(other requests: {sum(v for k, v in Stub.counts.items() if k != 'AdminGetUser')}), {t:.2f} s")
    finally:
        server.shutdown()


def bench_export(tmp):
    config = write_config(tmp)
    ideal = 60 * USER_LIST
    print(f"export: stub pool, {LATENCY_MS:.0f} ms per page, user_list = {USER_LIST}/s "
          f"(ideal {ideal} users/s)")
    for users in (10_000, 100_000):
        for streams in (1, 16):
            server, url = start_stub(users, LATENCY_MS)
            try:
                t, rss, lines = peak_rss_run([BINARY, "export", "--pool", "us-east-1_Stub", "--endpoint-url", url,
                                              "--region", "us-east-1", "--streams", str(streams)], config)
            finally:
                server.shutdown()
            if lines != users:
                sys.exit(f"exported {lines} of {users}")
            rate = users / t
            print(f"  {users:>7} users, {streams:>2} stream(s): {t:6.1f} s, {rate:6.0f} users/s "
                  f"({100 * rate / ideal:.0f}% of ideal), peak RSS {rss:.1f} MiB, "
                  f"{Stub.counts.get('ListUsers', 0)} ListUsers")


def main():
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"no binary at {BINARY}")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"binary: {BINARY}")
        if os.environ.get("SKIP_BATCH") != "1":
            bench_batch(tmp)
        if os.environ.get("SKIP_EXPORT") != "1":
            bench_export(tmp)


if __name__ == "__main__":
    main()
