"""Starts moto's server (the same app `moto_server` runs) on 127.0.0.1:PORT, and reads bulk
commands from stdin so a test can fill a pool with thousands of users in a second instead of
a minute and a half of AdminCreateUser requests. The users are created by moto's own
AdminCreateUser code (its backend), exactly as the HTTP call would; only the HTTP and JSON
round trip is skipped. Everything the test then reads goes over HTTP as usual.

Commands, one JSON object per line on stdin, one JSON answer per line on stdout:
  {"op": "create_users", "pool": ID, "users": [{"Username": U, "Attributes": [{"Name", "Value"}],
   "Password": P (optional, permanent), "Enabled": false (optional)}]}
  -> {"ok": true, "subs": {username: sub}}  or  {"ok": false, "error": "..."}
The server stops when stdin closes (the test's Emulator is dropped) or on SIGTERM.
"""
import json
import sys

from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer


def backend_for(pool_id):
    region = pool_id.split("_", 1)[0]
    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]


def create_users(command):
    pool_id = command["pool"]
    backend = backend_for(pool_id)
    subs = {}
    for user in command["users"]:
        created = backend.admin_create_user(
            pool_id,
            user["Username"],
            "SUPPRESS",
            "Temp-Passw0rd!",
            user.get("Attributes", []),
        )
        if user.get("Password"):
            backend.admin_set_user_password(pool_id, user["Username"], user["Password"], True)
        if user.get("Enabled") is False:
            backend.admin_disable_user(pool_id, user["Username"])
        subs[user["Username"]] = next(
            (a["Value"] for a in created.attributes if a["Name"] == "sub"), None
        )
    return {"ok": True, "subs": subs}


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            command = json.loads(line)
            if command.get("op") == "create_users":
                answer = create_users(command)
            else:
                answer = {"ok": False, "error": f"unknown op {command.get('op')!r}"}
        except Exception as e:  # the test reads the message; the server keeps running
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    server.stop()


if __name__ == "__main__":
    main()
