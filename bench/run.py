"""`make bench`: load-test opengov-food against a floor, on realistic data.

1. Prepares PostgreSQL database `opengov_food_bench` (100,000 cocktails; 1,000
   users owning 100,000 items; plus items for the update scenario).
2. Starts our server as production would (ENV=production, granian, --workers)
   and the floor (bench/floor.py, the least Litestar can do for each request).
3. Drives each scenario with wrk (from another process) at fixed concurrency
   for a fixed time, after a warm-up, and prints requests/s, p50, p99, errors
   and the ratio ours/floor; writes bench/results/latest.json and latest.png.

Load generator: wrk (Debian package `wrk`; `make bench` installs it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "opengov_food_bench"
SECRET = "bench-secret-key-" + "x" * 40
PASSWORD = "bench-password-1"

sys.path.insert(0, str(ROOT / "src"))


def db_url(name: str = DB) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def prepare(rows: int, users: int, db: str = DB) -> None:
    """Fresh database with generated but realistic-looking data, analysed."""
    from adapters.postgres import migrate
    from adapters.security import Argon2Hasher

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db}"')
    asyncio.run(migrate(db_url(db), ROOT / "sql" / "postgres"))
    password_hash = asyncio.run(Argon2Hasher().hash(PASSWORD))
    words = ["gin", "rum", "lime", "mint", "sour", "fizz", "royal", "smash", "mule", "punch", "collins", "julep",
             "negroni", "spritz", "daisy", "flip", "sling", "cobbler", "toddy", "highball"]  # fmt: skip
    with psycopg.connect(db_url(db), autocommit=True) as conn:
        conn.execute(
            """INSERT INTO opengov_food.users (email, full_name, hashed_password, is_superuser)
               SELECT 'bench' || n || '@example.gov', 'Bench ' || n, %s, n = 1 FROM generate_series(1, %s) n""",
            (password_hash, users),
        )
        conn.execute(
            """INSERT INTO opengov_food.items (title, description, owner_id, search_text, created_at, updated_at)
               SELECT 'Inspection ' || n, 'Routine visit number ' || n, 2 + (n %% (%s - 1)),
                      'inspection ' || n || E'\\n' || 'routine visit number ' || n,
                      now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval
               FROM generate_series(1, %s) n""",
            (users, rows),
        )
        # Items of the superuser (user 1) for the status-update scenario: one per request.
        conn.execute(
            """INSERT INTO opengov_food.items (title, owner_id, search_text)
               SELECT 'Update target ' || n, 1, 'update target ' || n FROM generate_series(1, %s) n""",
            (60000 if db == DB else 0,),
        )
        conn.execute(
            """INSERT INTO opengov_food.cocktails (name, name_key, description, ingredient_names, ingredient_measures,
                   ingredient_keys, category, category_key, glass, glass_key, alcoholic, search_text)
               SELECT initcap(w1) || ' ' || initcap(w2) || ' ' || n, w1 || ' ' || w2 || ' ' || lpad(n::text, 6, '0'),
                      'A ' || w1 || ' and ' || w2 || ' drink',
                      ARRAY[initcap(i1), initcap(i2), 'Simple syrup'], ARRAY['4.5 cl', '2 cl', '1 cl'],
                      ARRAY[i1, i2, 'simple syrup'], 'Cocktail', 'cocktail', 'Coupe glass', 'coupe glass', n %% 9 <> 0,
                      w1 || ' ' || w2 || ' ' || lpad(n::text, 6, '0') || E'\\n' || 'a ' || w1 || ' and ' || w2 || ' drink'
               FROM (SELECT n, (%s::text[])[1 + n %% 20] AS w1, (%s::text[])[1 + (n / 20) %% 20] AS w2,
                            'spirit ' || (n %% 40) AS i1, 'juice ' || (n %% 25) AS i2
                     FROM generate_series(1, %s) n) g""",
            (words, words, rows),
        )
        conn.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(kind: str, port: int, workers: int, db: str = DB) -> subprocess.Popen:
    env = {
        **os.environ,
        "ENV": "production",
        "DATABASE_URL": db_url(db),
        "SECRET_KEY": SECRET,
        "SQL_DIR": str(ROOT / "sql"),
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_PER_MINUTE": "0",
        "LOGIN_RATE_LIMIT_PER_MINUTE": "100000000",
        "LOGIN_MAX_FAILURES": "100000000",
        "DB_POOL_MAX_SIZE": "20",
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT / "bench"),
    }
    if kind == "ours":
        command = [sys.executable, "-m", "entrypoints.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(workers), "--log-level", "warning", "floor:create_app"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT / "bench")
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{kind} server did not start: {process.stderr.read() if process.stderr else ''}")


def token_for(base: str, email: str) -> str:
    response = httpx.post(f"{base}/api/v1/users/login/access-token", data={"username": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["access_token"]


LUA_REQUEST = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "{content_type}"
{headers}
"""
LUA_UPDATE = """
local first, last = {first}, {last}
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
request = function()
  -- Each request names its own item (threads interleave), still at version 1.
  local id = first + n * 2 + tid
  n = n + 1
  if id > last then id = last end
  return wrk.format("PATCH", "/api/v1/items/" .. id, {{
    ["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json", ["If-Match"] = '"1"'
  }}, '{{"status": "in_progress"}}')
end
"""
LUA_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("JSON %d %d %f %f %f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.mean, errors, summary.errors.status))
end
"""


def wrk(url: str, script: str, *, connections: int, duration: int, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + LUA_REPORT)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", handle.name, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(handle.name)
    match = re.search(r"JSON (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", output)
    requests, micros, p50, p99, mean, socket_errors, status_errors = match.groups()
    seconds = int(micros) / 1e6
    return {
        "rps": round(int(requests) / seconds, 1),
        "p50_ms": round(float(p50) / 1000, 2),
        "p99_ms": round(float(p99) / 1000, 2),
        "errors": int(socket_errors) + int(status_errors),
        "requests": int(requests),
    }


def scenario_scripts(base: str, tokens: dict[str, str], targets: dict[str, int]) -> dict[str, tuple[str, str]]:
    auth = f'wrk.headers["Authorization"] = "Bearer {tokens["user"]}"'

    def get(path: str, *, authed: bool = True) -> tuple[str, str]:
        return base + path, LUA_REQUEST.format(method="GET", body="nil", content_type="application/json", headers=auth if authed else "")

    login_body = json.dumps(f"username=bench2%40example.gov&password={PASSWORD}")
    create_body = json.dumps('{"title": "Benchmark inspection", "description": "created by wrk"}')
    return {
        "health": get("/health", authed=False),
        "login": (base + "/api/v1/users/login/access-token",
                  LUA_REQUEST.format(method="POST", body=login_body, content_type="application/x-www-form-urlencoded", headers="")),
        "me": get("/api/v1/users/me"),
        "item": get(f"/api/v1/items/{targets['item']}"),
        "list_items": get("/api/v1/items/?limit=20"),
        "create_item": (base + "/api/v1/items/",
                        LUA_REQUEST.format(method="POST", body=create_body, content_type="application/json",
                                           headers=f'wrk.headers["Authorization"] = "Bearer {tokens["creator"]}"')),
        "update_status": (base + "/", LUA_UPDATE.format(first=targets["update_first"], last=targets["update_last"], token=tokens["admin"])),
        "name_search": get("/api/v1/cocktails?q=royal%20smash%2000123"),
        "two_ingredients": get("/api/v1/cocktails?ingredient=spirit%2017&ingredient=juice%2017"),
        "deep_page": get(f"/api/v1/cocktails?cursor={quote(targets['cursor'])}&limit=20"),
    }  # fmt: skip


def run_all(args: argparse.Namespace) -> dict:
    from core.catalog import encode_cursor

    with psycopg.connect(db_url()) as conn:
        item = conn.execute("SELECT id FROM opengov_food.items WHERE owner_id = 2 ORDER BY id LIMIT 1").fetchone()[0]
        first_update = conn.execute("SELECT min(id) FROM opengov_food.items WHERE owner_id = 1").fetchone()[0]
        deep_key = conn.execute("SELECT name_key FROM opengov_food.cocktails ORDER BY name_key OFFSET %s LIMIT 1",
                                (int(args.rows * 0.9),)).fetchone()[0]  # fmt: skip
    with psycopg.connect(db_url(), autocommit=True) as conn:
        # The update scenario moves each of user 1's items once: start every run from version 1.
        conn.execute("UPDATE opengov_food.items SET status = 'pending', version = 1 WHERE owner_id = 1 AND version <> 1")
        # Items made by the create scenario (user 3) go, so every run lists and counts the same rows.
        conn.execute("DELETE FROM opengov_food.items WHERE owner_id = 3 AND title = 'Benchmark inspection'")
    results: dict[str, dict] = {}
    for kind in ("floor", "ours"):
        port = free_port()
        server = start(kind, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            tokens = {
                "user": token_for(base, "bench2@example.gov"),
                "admin": token_for(base, "bench1@example.gov"),
                # Items created by the benchmark go to another user, so lists stay the same size.
                "creator": token_for(base, "bench3@example.gov"),
            }
            cursor = encode_cursor(deep_key, 0) if kind == "ours" else deep_key
            offset = 0 if kind == "floor" else 30000
            last = first_update + offset + 29999
            targets = {"item": item, "update_first": first_update + offset, "update_last": last, "cursor": cursor}
            scripts = scenario_scripts(base, tokens, targets)
            for name, (url, script) in scripts.items():
                if args.only and name not in args.only:
                    continue
                if name != "update_status":
                    wrk(url, script, connections=args.connections, duration=2)  # warm-up
                results.setdefault(name, {})[kind] = wrk(url, script, connections=args.connections, duration=args.duration)
                print(f"  {kind:5} {name:16} {results[name][kind]}", flush=True)
            if not args.only or "login_storm" in args.only:
                storm = subprocess.Popen(
                    ["wrk", "-t1", "-c8", f"-d{args.duration + 4}s", "-s", _write(scripts["login"][1]), scripts["login"][0]],
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(2)
                results.setdefault("reads_during_login_storm", {})[kind] = wrk(
                    scripts["item"][0], scripts["item"][1], connections=args.connections, duration=args.duration
                )
                storm.wait()
                print(f"  {kind:5} {'login storm reads':16} {results['reads_during_login_storm'][kind]}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    for name, pair in results.items():
        if "ours" in pair and "floor" in pair and pair["floor"]["rps"]:
            pair["ratio"] = round(pair["ours"]["rps"] / pair["floor"]["rps"], 3)
    return results


GROWTH_SCENARIOS = ("list_items", "name_search", "two_ingredients", "deep_page")


def growth(args: argparse.Namespace) -> dict:
    """Our list and search scenarios on databases of 1,000, 10,000 and ``--rows``
    rows (cocktails and items alike; 100 items per user throughout), side by side."""
    from core.catalog import encode_cursor

    sizes = sorted({1_000, 10_000, args.rows})
    results: dict[str, dict] = {name: {} for name in GROWTH_SCENARIOS}
    for size in sizes:
        db = DB if size == args.rows else f"{DB}_{size}"
        if db != DB:
            print(f"preparing {size} rows for the growth runs ...", flush=True)
            prepare(size, max(size // 100, 2), db)
        with psycopg.connect(db_url(db)) as conn:
            deep_key = conn.execute("SELECT name_key FROM opengov_food.cocktails ORDER BY name_key OFFSET %s LIMIT 1",
                                    (int(size * 0.9),)).fetchone()[0]  # fmt: skip
        port = free_port()
        server = start("ours", port, args.workers, db)
        base = f"http://127.0.0.1:{port}"
        try:
            tokens = {"user": token_for(base, "bench2@example.gov"), "admin": "", "creator": ""}
            targets = {"item": 0, "update_first": 0, "update_last": 0, "cursor": encode_cursor(deep_key, 0)}
            scripts = scenario_scripts(base, tokens, targets)
            for name in GROWTH_SCENARIOS:
                url, script = scripts[name]
                wrk(url, script, connections=args.connections, duration=2)
                results[name][str(size)] = wrk(url, script, connections=args.connections, duration=args.duration)
                print(f"  ours  {name:16} {size:>7} rows {results[name][str(size)]}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=15)
        if db != DB:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return results


def growth_table(results: dict) -> str:
    sizes = list(next(iter(results.values())))
    head = "".join(f"{s + ' rows':>22}" for s in sizes)
    lines = [f"{'cost growth (ours)':26}{head}", f"{'':26}" + "".join(f"{'req/s  p50  p99 ms':>22}" for _ in sizes)]
    for name, by_size in results.items():
        cells = "".join(f"{r['rps']:>9} {r['p50_ms']:>5} {r['p99_ms']:>6}" for r in by_size.values())
        lines.append(f"{name:26}{cells}")
    return "\n".join(lines)


def _write(script: str) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    handle.write(script)
    handle.close()
    return handle.name


def table(results: dict) -> str:
    lines = [f"{'scenario':26} {'ours req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'err':>5} {'floor req/s':>11} {'p99 ms':>7} {'ratio':>6}"]
    for name, pair in results.items():
        ours, floor = pair.get("ours", {}), pair.get("floor", {})
        lines.append(
            f"{name:26} {ours.get('rps', 0):>10} {ours.get('p50_ms', 0):>7} {ours.get('p99_ms', 0):>7} {ours.get('errors', 0):>5} "
            f"{floor.get('rps', 0):>11} {floor.get('p99_ms', 0):>7} {pair.get('ratio', 0):>6}"
        )
    return "\n".join(lines)


def chart(results: dict, path: Path, grown: dict | None = None) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = list(results)
    ours = [results[n].get("ours", {}).get("rps", 0) for n in names]
    floor = [results[n].get("floor", {}).get("rps", 0) for n in names]
    if grown:
        fig, (ax, growth_ax) = plt.subplots(1, 2, figsize=(16, 5), gridspec_kw={"width_ratios": [2, 1]})
        for name, by_size in grown.items():
            sizes = [int(s) for s in by_size]
            growth_ax.plot(sizes, [r["p50_ms"] for r in by_size.values()], marker="o", label=name)
        growth_ax.set_xscale("log")
        growth_ax.set_xlabel("rows")
        growth_ax.set_ylabel("p50 latency, ms (32 connections)")
        growth_ax.set_title("cost growth (opengov-food)")
        growth_ax.set_ylim(bottom=0)
        growth_ax.legend()
    else:
        fig, ax = plt.subplots(figsize=(11, 5))
    positions = range(len(names))
    ax.bar([p - 0.2 for p in positions], floor, width=0.4, label="floor")
    ax.bar([p + 0.2 for p in positions], ours, width=0.4, label="opengov-food")
    ax.set_xticks(list(positions), names, rotation=30, ha="right")
    ax.set_ylabel("requests / second")
    ax.set_title("opengov-food vs floor (wrk, 1 worker)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument("--reuse", action="store_true", help="keep the prepared database")
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    parser.add_argument("--no-growth", action="store_true", help="skip the cost-growth runs at 1,000 and 10,000 rows")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does this)")
    if not args.reuse:
        print(f"preparing {args.rows} cocktails, {args.rows} items over {args.users} users ...", flush=True)
        prepare(args.rows, args.users)
    results = run_all(args)
    grown = {} if args.no_growth or args.only else growth(args)
    report = {
        "load_generator": "wrk",
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "rows": args.rows,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scenarios": results,
        "growth": grown,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    print(table(results))
    if grown:
        print(growth_table(grown))
    if chart(results, RESULTS / "latest.png", grown):
        print(f"chart: {RESULTS / 'latest.png'}")


if __name__ == "__main__":
    main()
