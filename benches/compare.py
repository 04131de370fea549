#!/usr/bin/env python3
"""Times the real cognito-tui binary against `aws cognito-idp admin-get-user` and a bare curl
POST of the same request, all against one moto server on 127.0.0.1, alternating, and prints
medians and the median of per-run ratios. Run through benches/compare.sh, which builds the
release binary and installs moto and awscli into .ci/work first.

Nothing here talks to anything but 127.0.0.1; dummy credentials, instance metadata disabled.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
from benchlib import ROOT, Moto, cognito, isolated_env  # noqa: E402
VENV = os.path.join(ROOT, ".ci", "work", "bench-venv")
BINARY = os.environ.get("COGNITO_TUI_BIN", os.path.join(ROOT, "target", "release", "cognito-tui"))
RUNS = int(os.environ.get("RUNS", "15"))

ENV = isolated_env()


def timed(cmd):
    start = time.perf_counter()
    out = subprocess.run(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({out.returncode}): {out.stderr.decode()[-500:]}")
    return elapsed


def main():
    with Moto() as moto:
        url = moto.url
        pool = moto.create_pool("bench")
        cognito(url, "AdminCreateUser", {
            "UserPoolId": pool, "Username": "alice", "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}],
        })
        ours = [BINARY, "get", "--pool", pool, "alice", "--endpoint-url", url, "-o", "json"]
        aws = [os.path.join(VENV, "bin", "aws"), "cognito-idp", "admin-get-user",
               "--user-pool-id", pool, "--username", "alice", "--endpoint-url", url]
        body = json.dumps({"UserPoolId": pool, "Username": "alice"})
        curl = [shutil.which("curl") or "curl", "-sf", "-X", "POST", url + "/",
                "-H", "Content-Type: application/x-amz-json-1.1",
                "-H", "X-Amz-Target: AWSCognitoIdentityProviderService.AdminGetUser",
                "-H", "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
                "-d", body, "-o", os.devnull]
        for cmd in (ours, aws, curl):  # warm caches once
            timed(cmd)
        t_ours, t_aws, t_curl = [], [], []
        for _ in range(RUNS):
            t_ours.append(timed(ours))
            t_aws.append(timed(aws))
            t_curl.append(timed(curl))
        ratio_cli = statistics.median(a / o for a, o in zip(t_aws, t_ours))
        ratio_curl = statistics.median(o / c for o, c in zip(t_ours, t_curl))
        ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms"
        print(f"runs: {RUNS} of each, alternating, against moto at {url}")
        print(f"cognito-tui get          median {ms(t_ours)}")
        print(f"aws cognito-idp (awscli) median {ms(t_aws)}")
        print(f"curl POST                median {ms(t_curl)}")
        print(f"aws / cognito-tui        median ratio {ratio_cli:.1f}x  (goal >= 30x)")
        print(f"cognito-tui / curl       median ratio {ratio_curl:.2f}x  (goal <= 2x)")
        size = os.path.getsize(BINARY)
        print(f"release binary           {size / 1e6:.1f} MB ({size} bytes)  (goal <= 15 MB)")




# --- Terminal figures: first frame, bytes per keystroke, resident memory -----------------

import fcntl
import pty
import select
import struct
import termios
import threading


class Pty:
    """The binary in a real pseudo-terminal of the given size; output is read continuously."""

    def __init__(self, args, cols=80, rows=24, env=None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        run_env = dict(ENV)
        run_env.update(env or {})
        run_env["TERM"] = "xterm-256color"
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=run_env,
                                     start_new_session=True)
        os.close(slave)
        self.buf = bytearray()
        self.lock = threading.Lock()
        self.first = {}
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            try:
                r, _, _ = select.select([self.master], [], [], 0.05)
                if r:
                    data = os.read(self.master, 65536)
                    if not data:
                        return
                    with self.lock:
                        self.buf.extend(data)
            except OSError:
                return

    def wait_for(self, needle, timeout=10.0):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                if needle in self.buf:
                    return time.perf_counter()
            time.sleep(0.001)
        raise TimeoutError(f"{needle!r} never appeared")

    def quiet(self, settle=0.3, timeout=5.0):
        """Waits until no output for `settle` seconds; returns the byte count so far."""
        deadline = time.perf_counter() + timeout
        last = -1
        while time.perf_counter() < deadline:
            with self.lock:
                n = len(self.buf)
            if n == last:
                return n
            last = n
            time.sleep(settle)
        return last

    def send(self, data):
        os.write(self.master, data)

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def close(self):
        try:
            self.send(b"q")
            self.proc.wait(timeout=3)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def hanging_listener():
    """A loopback socket that accepts and never answers: a credential source that hangs."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


def tui_figures(runs=RUNS):
    footer = b"help"  # the footer's last word (nothing above it says "help"): the frame is complete
    hang = hanging_listener()
    slow_env = {
        # No credentials in the environment; instance metadata points at a local socket
        # that never answers, as IMDS does off EC2.
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
        "AWS_EC2_METADATA_DISABLED": "false",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT": f"http://127.0.0.1:{hang.getsockname()[1]}",
    }
    first_frames = []
    for _ in range(runs):
        t = Pty([BINARY, "--pool", "us-east-1_Bench1", "--endpoint-url", "http://127.0.0.1:9"], env=slow_env)
        first_frames.append(t.wait_for(footer) - t.start)
        t.close()
    hang.close()

    move_bytes, key_bytes, idle_rss = [], [], []
    for _ in range(max(3, runs // 3)):
        t = Pty([BINARY, "--demo", "--lookup", "alice"])
        t.wait_for(b"alice@acme.example")
        time.sleep(0.5)
        idle_rss.append(t.rss_kb())
        t.send(b"\t")  # into the attributes pane: a focus change, not a cursor move
        for key in (b"j", b"j", b"k", b"\t", b"j", b"k"):  # ... then the groups pane too
            before = t.quiet()
            t.send(key)
            time.sleep(0.05)
            if key != b"\t":
                move_bytes.append(t.quiet() - before)
        before = t.quiet()
        t.send(b"/")
        t.quiet()
        for ch in b"bob@ac":
            before = t.quiet()
            t.send(bytes([ch]))
            time.sleep(0.05)
            key_bytes.append(t.quiet() - before)
        t.send(b"\x1b")
        t.close()
    print(f"first frame, credentials hanging  median {statistics.median(first_frames) * 1000:.1f} ms "
          f"(max {max(first_frames) * 1000:.1f} ms over {runs})  (goal <= 100 ms)")
    print(f"bytes per cursor move in a pane   median {statistics.median(move_bytes):.0f} B "
          f"(max {max(move_bytes)})  (goal <= 512 B)")
    print(f"bytes per keystroke in lookup bar median {statistics.median(key_bytes):.0f} B "
          f"(max {max(key_bytes)})  (goal <= 512 B)")
    print(f"resident memory, idle with a user  median {statistics.median(idle_rss) / 1024:.1f} MB  (goal <= 15 MB)")


if __name__ == "__main__":
    if "--tui-only" not in sys.argv:
        main()
    if "--get-only" not in sys.argv:
        tui_figures()
