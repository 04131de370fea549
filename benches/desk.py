#!/usr/bin/env python3
"""Support-desk benchmarks for `get -` (batch) and `export`, run through benches/desk.sh.

1. Batch of N usernames against one moto server: wall time vs N / (configured user_read
   rate), and vs a shell loop of `aws cognito-idp admin-get-user` on the same endpoint
   (timed for AWS_RUNS calls and scaled to N). The same batch against a counting stub
   checks it sends exactly N AdminGetUser.
2. Export rate and peak RSS at 10k and 100k users from a stub ListUsers server that builds
   pages on the fly (moto's ListUsers scans the whole pool per page, so at 100k it measures
   moto, not us), with a page latency like real Cognito's, over 1 and 16 streams.
3. `export --where` (issue 25): wall time, CPU time and peak RSS with and without an
   expression no part of which ListUsers can serve (every user streams through the filter),
   at 10k, 50k and 100k users, at the ListUsers ceiling (user_list = 30, AWS's quota).
4. `export --with-groups` (issue 25): 10,000 users in 50 groups; every request counted at
   the stub and compared with groups x pages + the export's own, and the wall time with the
   floor the configured rates allow (each category's requests spaced 1/rate apart).

CASES=batch,export,where,groups picks the families (default: all); SKIP_BATCH=1 and
SKIP_EXPORT=1 still work. WHERE_USERS=10000,50000,100000 and WHERE_RUNS=1 size case 3.

Nothing here talks to anything but 127.0.0.1; dummy credentials, instance metadata disabled.
"""
import json
import os
import re
import statistics
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
CASES = set(os.environ.get("CASES", "batch,export,where,groups").split(","))
WHERE_USERS = [int(n) for n in os.environ.get("WHERE_USERS", "10000,50000,100000").split(",")]
WHERE_RUNS = int(os.environ.get("WHERE_RUNS", "1"))
# ListUsers' quota (UserList: 30 rps, not adjustable) and UserPoolRead's (15 rps): "Quotas in
# Amazon Cognito", the highest rates the config accepts.
CEILING = {"user_list": 30, "user_pool_read": 15}
# Default rates of `[rate_limits]` (src/ratelimit.rs) for the categories --with-groups uses.
DEFAULT_RATES = {"user_list": 5, "user_pool_read": 5}
GROUP_RATES = os.environ.get("GROUP_RATES", "ceiling,default").split(",")
# Nothing ListUsers can filter by (a custom attribute, a suffix): every user is read.
WHERE_SOME = 'custom:tier ~ "^gold" and email endswith ".org"'
# The same work on every user, and every user written: the filter's cost with no fewer writes.
WHERE_ALL = 'custom:tier ~ "^(gold|silver|bronze)" and email contains "@"'

ENV = isolated_env()


def run(cmd, stdin, config):
    """Runs cmd with `--config config`; returns (seconds, stdout bytes, stderr text, code)."""
    args = list(cmd)
    args[1:1] = ["--config", config]
    start = time.perf_counter()
    proc = subprocess.run(args, env=ENV, input=stdin.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    return elapsed, proc.stdout, proc.stderr.decode(errors="replace"), proc.returncode


def measured_run(cmd, config, keep=False):
    """Runs cmd with `--config config`, counting stdout's lines (kept when `keep`); reads the
    child's peak RSS from /proc and its CPU time with wait4 (communicate would reap it).
    Returns a dict: seconds, rss (MiB), cpu (user + system s), lines, out (bytes when kept),
    err (text)."""
    args = list(cmd)
    args[1:1] = ["--config", config]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = 0
    kept = []
    err_chunks = []
    t = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    t.start()
    peak = [0]
    sampler = threading.Thread(target=sample_hwm, args=(proc, peak))
    sampler.start()
    for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):
        lines += chunk.count(b"\n")
        if keep:
            kept.append(chunk)
    t.join()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    err = err_chunks[0].decode(errors="replace")
    if code != 0:
        sys.exit(f"export failed ({code}): {err[-500:]}")
    return {"seconds": elapsed, "rss": peak[0] / 1024, "cpu": usage.ru_utime + usage.ru_stime,
            "lines": lines, "out": b"".join(kept), "err": err}


def sample_hwm(proc, peak):
    """Polls the child's VmHWM (the kernel's high-water mark of its resident set, in KiB) until
    it exits. Not wait4's ru_maxrss: Linux carries that across exec, so it holds this Python
    process's size from the fork before the exec (30+ MiB once a run's output is kept)."""
    path = f"/proc/{proc.pid}/status"
    while proc.returncode is None:
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
        except (OSError, ValueError):
            return  # reaped: /proc/PID is gone
        time.sleep(0.05)


def peak_rss_run(cmd, config):
    """measured_run's wall time, peak RSS (MiB) and line count."""
    r = measured_run(cmd, config)
    return r["seconds"], r["rss"], r["lines"]


def write_config(dir, user_list=USER_LIST, user_read=USER_READ, user_pool_read=None):
    path = os.path.join(dir, f"config-{user_list}-{user_read}-{user_pool_read}.toml")
    with open(path, "w") as f:
        f.write(f"[rate_limits]\nuser_list = {user_list}\nuser_read = {user_read}\n")
        if user_pool_read is not None:
            f.write(f"user_pool_read = {user_pool_read}\n")
    return path


class Stub(BaseHTTPRequestHandler):
    """ListUsers / DescribeUserPool / AdminGetUser / ListGroups / ListUsersInGroup for a
    synthetic pool of `users` users, in the service model's JSON shapes (PaginationToken for
    ListUsers, NextToken for the group operations)."""

    users = 0
    latency = 0.0
    counts = {}
    # The users carry custom:tier and varied email domains (case 3).
    rich = False
    # Group name -> member indexes, in order (case 4); empty: the pool has no groups.
    groups = {}
    # Every ListUsers Filter sent that is not one of the export's sub shards.
    other_filters = set()
    # Operation -> [first request's arrival, last request's arrival] (perf_counter).
    spans = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        op = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        with Stub.lock:
            Stub.counts[op] = Stub.counts.get(op, 0) + 1
            # When each operation's requests came: the phases of a run, as the stub saw them.
            span = Stub.spans.setdefault(op, [time.perf_counter(), 0.0])
            span[1] = time.perf_counter()
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
        elif op == "ListGroups":
            out = self.list_groups(body)
        elif op == "ListUsersInGroup":
            out = self.list_users_in_group(body)
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
        if body.get("Filter") and not m:
            with Stub.lock:
                Stub.other_filters.add(body["Filter"])
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

    def list_groups(self, body):
        """ListGroups: GroupType items, NextToken an index into the group list."""
        names = list(Stub.groups)
        start, limit = int(body.get("NextToken") or 0), int(body.get("Limit", 60))
        page = [{"GroupName": g, "UserPoolId": body["UserPoolId"], "Description": f"bench {g}",
                 "Precedence": n, "CreationDate": 1.7e9, "LastModifiedDate": 1.7e9}
                for n, g in enumerate(names[start:start + limit], start)]
        out = {"Groups": page}
        if start + limit < len(names):
            out["NextToken"] = str(start + limit)
        return out

    def list_users_in_group(self, body):
        """ListUsersInGroup: UserType items of one group, NextToken an index into its members."""
        members = Stub.groups[body["GroupName"]]
        start, limit = int(body.get("NextToken") or 0), int(body.get("Limit", 60))
        out = {"Users": [user(i) for i in members[start:start + limit]]}
        if start + limit < len(members):
            out["NextToken"] = str(start + limit)
        return out


TIERS = ("gold", "silver", "bronze", "gold-plus")
DOMAINS = ("example.com", "example.org", "mail.example.net", "members.org")


def email(i):
    if Stub.rich:
        return f"u{i:06d}@{DOMAINS[(i // 4) % len(DOMAINS)]}"
    return f"u{i:06d}@example.com"


def user(i):
    sub = f"{i % 16:x}{i:07x}-0000-4000-8000-{i:012x}"
    attributes = [{"Name": "sub", "Value": sub}, {"Name": "email", "Value": email(i)}]
    if Stub.rich:
        attributes.append({"Name": "custom:tier", "Value": TIERS[i % len(TIERS)]})
    return {
        "Username": f"user{i:06d}",
        "Attributes": attributes,
        "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9, "Enabled": True, "UserStatus": "CONFIRMED",
    }


def start_stub(users, latency_ms, rich=False, groups=None):
    Stub.users, Stub.latency, Stub.counts = users, latency_ms / 1000, {}
    Stub.rich, Stub.groups, Stub.other_filters, Stub.spans = rich, groups or {}, set(), {}
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


def shard_pages(users, page=60):
    """ListUsers requests of an unfiltered 16-stream export of `users` stub users: each sub
    shard (i % 16) paged at 60, an empty shard still one request."""
    return sum(max(1, -(-len(range(k, users, 16)) // page)) for k in range(16))


def export_cmd(url, *extra):
    return [BINARY, "export", "--pool", "us-east-1_Stub", "--endpoint-url", url, "--region", "us-east-1",
            *extra]


def where_expected(users, expression):
    """How many stub users `expression` keeps, worked out here from the stub's own data."""
    if expression == WHERE_SOME:
        return sum(1 for i in range(users) if re.match("^gold", TIERS[i % 4]) and email(i).endswith(".org"))
    return users


def bench_where(tmp):
    config = write_config(tmp, user_list=CEILING["user_list"])
    print(f"export --where: stub pool with custom:tier, {LATENCY_MS:.0f} ms per page, 16 streams, "
          f"user_list = {CEILING['user_list']}/s (the ListUsers ceiling); {WHERE_RUNS} run(s) each, alternating")
    print(f"  where  = {WHERE_SOME}\n  all    = {WHERE_ALL}  (keeps every user)")
    cases = (("none", None), ("where", WHERE_SOME), ("all", WHERE_ALL))
    for users in WHERE_USERS:
        Stub.rich = True
        expected = {label: where_expected(users, e) if e else users for label, e in cases}
        runs = {label: [] for label, _ in cases}
        for _ in range(WHERE_RUNS):
            for label, expression in cases:
                server, url = start_stub(users, LATENCY_MS, rich=True)
                try:
                    extra = ["--where", expression] if expression else []
                    r = measured_run(export_cmd(url, *extra), config)
                finally:
                    server.shutdown()
                if r["lines"] != expected[label]:
                    sys.exit(f"--where {expression}: wrote {r['lines']}, expected {expected[label]}")
                if Stub.other_filters:
                    sys.exit(f"a server-side filter was sent: {Stub.other_filters}")
                r["requests"] = Stub.counts.get("ListUsers", 0)
                runs[label].append(r)
        report_where(users, runs)


def report_where(users, runs):
    med = lambda label, key: statistics.median(r[key] for r in runs[label])
    floor = (shard_pages(users) - 1) / CEILING["user_list"]
    base = med("none", "seconds")
    print(f"  {users:>7} users, {runs['none'][0]['requests']} ListUsers each run, rate floor {floor:.1f} s:")
    for label in runs:
        wall, cpu, rss = med(label, "seconds"), med(label, "cpu"), max(r["rss"] for r in runs[label])
        print(f"    {label:<5} {wall:6.1f} s ({100 * (wall / base - 1):+5.1f}% vs none), "
              f"CPU {cpu:5.2f} s ({1e6 * cpu / users:5.1f} us/user), peak RSS {rss:5.1f} MiB, "
              f"{runs[label][0]['lines']} written")


def group_table(users=10_000, groups=50):
    """Group name -> member indexes: user i is in group i % 50, and every 4th user also in
    one of the first 10 groups, so group sizes (and page counts) differ."""
    names = [f"group-{g:02d}" for g in range(groups)]
    table = {name: [] for name in names}
    for i in range(users):
        table[names[i % groups]].append(i)
        extra = names[(i // 4) % 10]
        if i % 4 == 0 and extra != names[i % groups]:
            table[extra].append(i)
    return table


def check_groups(out, table):
    """Every exported user's Groups key against the table (the stub's data, not ours), in
    ListGroups' order as README promises."""
    want = {}
    for name, members in table.items():
        for i in members:
            want.setdefault(f"user{i:06d}", []).append(name)
    wrong = 0
    for line in out.splitlines():
        u = json.loads(line)
        wrong += u.get("Groups") != want.get(u["Username"], [])
    return wrong


def bench_groups(tmp):
    users, table = 10_000, group_table()
    group_pages = sum(max(1, -(-len(m) // 60)) for m in table.values())
    list_groups = max(1, -(-len(table) // 60))
    own = 1 + shard_pages(users)  # DescribeUserPool + ListUsers
    memberships = sum(len(m) for m in table.values())
    print(f"export --with-groups: {users} users in {len(table)} groups ({memberships} memberships), "
          f"{LATENCY_MS:.0f} ms per request, 16 streams")
    for name in GROUP_RATES:
        rates = CEILING if name == "ceiling" else DEFAULT_RATES
        config = write_config(tmp, user_list=rates["user_list"], user_pool_read=rates["user_pool_read"])
        for label, extra in (("without", []), ("with", ["--with-groups"])):
            server, url = start_stub(users, LATENCY_MS, groups=table)
            try:
                r = measured_run(export_cmd(url, *extra), config, keep=True)
            finally:
                server.shutdown()
            r["counts"], r["spans"] = dict(Stub.counts), dict(Stub.spans)
            if r["lines"] != users:
                sys.exit(f"--with-groups: wrote {r['lines']} of {users}")
            report_groups(name, rates, label, r, table, own, list_groups, group_pages)


def report_groups(name, rates, label, r, table, own, list_groups, group_pages):
    c = r["counts"]
    pool_read = c.get("DescribeUserPool", 0) + c.get("ListGroups", 0)
    user_list = c.get("ListUsers", 0) + c.get("ListUsersInGroup", 0)
    floor = (pool_read - 1) / rates["user_pool_read"] + (user_list - 1) / rates["user_list"]
    expected = own + (list_groups + group_pages if label == "with" else 0)
    total = sum(c.values())
    wrong = check_groups(r["out"], table) if label == "with" else 0
    print(f"  {name} rates (user_list {rates['user_list']}/s, user_pool_read {rates['user_pool_read']}/s), "
          f"{label} --with-groups: {total} requests (expected {expected}: "
          f"{dict(sorted(c.items()))}), {r['seconds']:.1f} s vs rate floor {floor:.1f} s = "
          f"{r['seconds'] / floor:.2f}x, CPU {r['cpu']:.2f} s, peak RSS {r['rss']:.1f} MiB"
          + (f", {wrong} users with wrong Groups" if label == "with" else ""))
    spans = r["spans"]
    for op, rate in (("ListUsersInGroup", "user_list"), ("ListUsers", "user_list")):
        if op in spans:
            first, last = spans[op]
            print(f"    {op}: {c[op]} requests arrived over {last - first:.1f} s "
                  f"(spaced at the rate: {(c[op] - 1) / rates[rate]:.1f} s)")
    if total != expected or wrong:
        sys.exit(f"--with-groups: {total} requests for {expected} expected, {wrong} users with wrong Groups")


def main():
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"no binary at {BINARY}")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"binary: {BINARY}")
        if "batch" in CASES and os.environ.get("SKIP_BATCH") != "1":
            bench_batch(tmp)
        if "export" in CASES and os.environ.get("SKIP_EXPORT") != "1":
            bench_export(tmp)
        if "where" in CASES:
            bench_where(tmp)
        if "groups" in CASES:
            bench_groups(tmp)


if __name__ == "__main__":
    main()
