"""What the benchmark scripts share: an environment that reaches nothing but 127.0.0.1,
free ports, a raw Cognito call, and moto started through the tests' launcher
(tests/common/moto_launch.py) so a pool fills with thousands of users in seconds, by moto's
own AdminCreateUser code, while everything measured still goes over HTTP.

Import from a script in benches/ with
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "common"))
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MOTO = os.environ.get("MOTO_SERVER", os.path.join(ROOT, ".ci", "work", "venv", "bin", "moto_server"))
LAUNCHER = os.path.join(ROOT, "tests", "common", "moto_launch.py")


def isolated_env(**extra):
    """This process's environment with dummy credentials, no instance-metadata probe and no
    AWS profile, config or endpoint of this machine; `extra` is added on top."""
    env = dict(os.environ)
    env.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_PAGER="",
    )
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "RUST_LOG", "TMUX"):
        env.pop(var, None)
    env.update(extra)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc=None, what="server"):
    """Waits up to 30 s for 127.0.0.1:port to accept; exits (killing `proc`) if it never does."""
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            sys.exit(f"{what} exited ({proc.returncode}) before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    if proc is not None:
        proc.kill()
    sys.exit(f"{what}: nothing listens on {port}")


def cognito(url, operation, body):
    """One Cognito JSON call (signature not checked by the emulators)."""
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        },
    )
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read() or b"{}")


class Moto:
    """moto's server on 127.0.0.1 (the app `moto_server` runs), from its venv's Python through
    the tests' launcher; a context manager that stops it."""

    def __init__(self):
        if not os.access(MOTO, os.X_OK):
            sys.exit(f"no moto_server at {MOTO} (bash .ci/run installs it, or set MOTO_SERVER)")
        python = os.path.join(os.path.dirname(MOTO), "python")
        port = free_port()
        self.proc = subprocess.Popen(
            [python, LAUNCHER, "127.0.0.1", str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        wait_listening(port, self.proc, "moto")
        self.url = f"http://127.0.0.1:{port}"

    def create_pool(self, name):
        return cognito(self.url, "CreateUserPool", {"PoolName": name})["UserPool"]["Id"]

    def create_users(self, pool, users):
        """Bulk-creates `users` ([{"Username", "Attributes": [{"Name", "Value"}]}]) in `pool`."""
        self.proc.stdin.write(json.dumps({"op": "create_users", "pool": pool, "users": users}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline() or '{"ok": false, "error": "moto exited"}')
        if not answer.get("ok"):
            sys.exit(f"bulk create failed: {answer.get('error')}")
        return answer["subs"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # The launcher stops its server when stdin closes.
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
