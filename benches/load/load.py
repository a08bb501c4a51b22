"""The deadline-week load of issue 19, against a running qpr (one node, or nginx before three).

Started by benches/load/run.sh, which starts the servers and passes:

  load.py --base URL --setup URL --data-dirs DIR[,DIR…] --secretariat-link LINK [sizes]

- `--base`: where the clients go (the node, or nginx); `--setup`: where the setup goes (a node
  itself: nginx limits logins per address, and the setup logs 200 people in from one address).
- Setup: the Secretariat member sets a password from LINK, logs in and makes an API token; a
  cycle opens with a draft per Party; a focal point is named per Party (`--focal` clients are
  spread over those reports), each sets a password from the mailed link (read from the
  nodes' mail outbox folders), logs in and makes a token.
- Load, for `--duration` seconds:
  * focal points (`--focal`, 190): each has its own answer of its Party's draft and autosaves it
    every `--autosave-every` seconds (10) as editor.js does: the whole draft on the revision
    last read, the draft read again after a save the server merged;
  * Secretariat members (`--secretariat`, 10), signed in with a session each: the status
    board, a report's review page, the board's JSON;
  * public readers (`--readers`, 200): the home page, the report list, the published report
    page, a Party's page, the measure search page and its API.
- Checks: every request answered 2xx (any other answer or a broken connection is an error),
  no save conflict, and no lost save: afterwards each client's last acknowledged value is its
  answer in the draft. Prints p50/p99 per route and exits 1 on any error or lost save.

Only the standard library and `requests` (the api-fuzz virtualenv has it).
"""

import argparse
import glob
import random
import re
import sys
import threading
import time
from collections import defaultdict

import requests

PASSWORD = "a long passphrase for the load test"
YEAR = 2028
# Free-text answers without conditions, one per client of a report.
FIELDS = ["gi_consultation_process", "gi_executive_summary", "g1_ccs_gdp_share_disaggregated",
          "g1_ccs_employment_share_disaggregated", "g1_ccs_public_budget_by_domain"]


class Stats:
    """Latencies by route and the errors, shared by every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = []
        self.conflicts = 0
        # Idempotent requests sent again after the server closed their kept-alive connection
        # unanswered (see `timed`).
        self.resent = 0

    def record(self, route, seconds, error=None):
        with self.lock:
            self.latencies[route].append(seconds)
            if error is not None:
                self.errors.append(f"{route}: {error}")


def timed(stats, session, route, method, url, ok=(200,), **kwargs):
    """One request, timed under `route`; an error when the status is not in `ok`.

    As browsers do, a GET or PUT (idempotent) whose kept-alive connection the server closed
    without answering (it closes connections idle for its header timeout, 10 s: the race with a
    client that reuses the connection at that very moment) is sent once more on a new
    connection; such resends are counted apart (`stats.resent`), never hidden. Any other
    failure, or a second one, is an error."""
    started = time.perf_counter()
    for attempt in (1, 2):
        try:
            response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
            break
        except requests.ConnectionError as error:
            closed_unanswered = "RemoteDisconnected" in str(error) or "ConnectionResetError" in str(error)
            if attempt == 1 and method in ("GET", "PUT") and closed_unanswered:
                with stats.lock:
                    stats.resent += 1
                continue
            stats.record(route, time.perf_counter() - started, f"{type(error).__name__}: {error}")
            return None
        except requests.RequestException as error:
            stats.record(route, time.perf_counter() - started, f"{type(error).__name__}: {error}")
            return None
    elapsed = time.perf_counter() - started
    if response.status_code not in ok:
        stats.record(route, elapsed, f"{response.status_code} {response.text[:200]!r}")
        return None
    stats.record(route, elapsed)
    return response


def csrf(page):
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    if not found:
        sys.exit(f"no form token on {page.url}: {page.status_code}")
    return found.group(1)


def sign_in(base, email, link=None):
    """A session for `email` (setting its password from `link` first)."""
    session = requests.Session()
    if link:
        page = session.get(link)
        r = session.post(link, data={"csrf": csrf(page), "password": PASSWORD, "confirm": PASSWORD},
                         allow_redirects=False)
        if r.status_code != 303:
            sys.exit(f"setting the password of {email}: {r.status_code} {r.text[:300]}")
    page = session.get(base + "/login")
    r = session.post(base + "/login", data={"csrf": csrf(page), "email": email, "password": PASSWORD, "next": "/app"},
                     allow_redirects=False)
    if r.status_code != 303:
        sys.exit(f"login of {email}: {r.status_code} {r.text[:300]}")
    return session


def api_token(base, session):
    page = session.get(base + "/app/account")
    r = session.post(base + "/app/account", data={"csrf": csrf(page), "action": "create", "label": "load"})
    token = re.search(r"qpr_[0-9a-f]+", r.text)
    if not token:
        sys.exit(f"no API token: {r.status_code} {r.text[:300]}")
    return token.group(0)


def mailed_link(data_dirs, email, deadline=30):
    """The password link mailed to `email`, from any node's outbox folder."""
    until = time.time() + deadline
    while time.time() < until:
        for data_dir in data_dirs:
            for path in glob.glob(f"{data_dir}/mail-outbox/**/*.eml", recursive=True):
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read().replace("=\r\n", "").replace("=\n", "")
                if f"To: {email}" not in text and email not in text.split("\n\n", 1)[0]:
                    continue
                found = re.search(r"https?://\S+?/password/set/[0-9a-f]+", text)
                if found:
                    return found.group(0)
        time.sleep(0.2)
    sys.exit(f"no password link mailed to {email} in {data_dirs}")


def setup(args):
    started = time.perf_counter()
    setup_base = args.setup
    secretariat = sign_in(setup_base, "load-sec@unesco.example", args.secretariat_link)
    token = api_token(setup_base, secretariat)
    bearer = {"Authorization": f"Bearer {token}"}
    r = requests.post(f"{setup_base}/api/v1/cycles", headers=bearer,
                      json={"year": YEAR, "framework": "qpr-2020", "deadline": "2028-04-30", "parties": []})
    if r.status_code != 201:
        sys.exit(f"opening the cycle: {r.status_code} {r.text[:300]}")
    status = requests.get(f"{setup_base}/api/v1/cycles/{YEAR}/status", headers=bearer).json()
    parties = [row["iso3"] for row in status["parties"]][: args.focal]
    focal_tokens = {}
    for iso3 in parties:
        email = f"fp-{iso3.lower()}@load.example"
        r = requests.post(f"{setup_base}/api/v1/cycles/{YEAR}/focal-points", headers=bearer,
                          json={"email": email, "name": f"Focal point {iso3}", "party": iso3})
        if r.status_code != 201:
            sys.exit(f"naming the focal point of {iso3}: {r.status_code} {r.text[:300]}")
    for iso3 in parties:
        email = f"fp-{iso3.lower()}@load.example"
        link = mailed_link(args.data_dirs, email).replace(args.public_url, setup_base)
        focal_tokens[iso3] = api_token(setup_base, sign_in(setup_base, email, link))
    print(f"setup: a cycle with {len(status['parties'])} drafts, {len(parties)} focal points with tokens"
          f" in {time.perf_counter() - started:.1f} s", flush=True)
    return token, parties, focal_tokens


def focal_point(args, stats, stop, iso3, token, field, client, outcome):
    """Autosaves its own answer every `--autosave-every` seconds, as editor.js does."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    url = f"{args.base}/api/v1/drafts/{iso3}/{YEAR}"
    draft = None
    n = 0
    time.sleep(random.uniform(0, args.autosave_every))
    while not stop.is_set():
        if draft is None:
            r = timed(stats, session, "GET /api/v1/drafts/{iso3}/{year}", "GET", url)
            if r is None:
                time.sleep(1)
                continue
            draft = r.json()
        value = f"client {client}, save {n}"
        document = draft["document"]
        document["answers"][field] = value
        r = timed(stats, session, "PUT /api/v1/drafts/{iso3}/{year}", "PUT", url, ok=(200, 409),
                  json={"base_revision": draft["revision"], "document": document})
        if r is not None and r.status_code == 409:
            with stats.lock:
                stats.conflicts += 1
                stats.errors.append(f"conflict on {iso3} {field}: {r.text[:200]}")
            draft = None
        elif r is not None:
            saved = r.json()
            outcome["acknowledged"] = value
            if saved.get("status") == "merged":
                draft = None  # others saved meanwhile: read their answers before saving again
            else:
                draft["revision"] = saved["revision"]
        else:
            draft = None
        n += 1
        stop.wait(args.autosave_every)


def secretariat_member(args, stats, stop, session, token, parties):
    pages = [
        ("GET /app/cycles/{year}", lambda: f"{args.base}/app/cycles/{YEAR}", {}),
        ("GET /app/reports/{iso3}/{year}/review",
         lambda: f"{args.base}/app/reports/{random.choice(parties)}/{YEAR}/review", {}),
        ("GET /api/v1/cycles/{year}/status", lambda: f"{args.base}/api/v1/cycles/{YEAR}/status",
         {"Authorization": f"Bearer {token}"}),
    ]
    while not stop.is_set():
        route, url, headers = random.choice(pages)
        timed(stats, session, route, "GET", url(), headers=headers)
        stop.wait(random.uniform(0.5, 1.5) * args.secretariat_think)


def reader(args, stats, stop):
    session = requests.Session()
    words = ["culture", "film", "music", "youth", "festival", "digital", "heritage", "fund"]
    pages = [
        ("GET /", lambda: "/"),
        ("GET /reports", lambda: "/reports"),
        ("GET /reports/{iso3}/{year}", lambda: args.report_page),
        ("GET /parties/{iso3}", lambda: "/parties/" + args.report_page.split("/")[2]),
        ("GET /measures", lambda: f"/measures?q={random.choice(words)}"),
        ("GET /api/v1/measures", lambda: f"/api/v1/measures?q={random.choice(words)}"),
    ]
    while not stop.is_set():
        route, path = random.choice(pages)
        timed(stats, session, route, "GET", args.base + path())
        stop.wait(random.uniform(0.5, 1.5) * args.reader_think)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--setup", required=True)
    parser.add_argument("--public-url", required=True, help="the servers' QPR_PUBLIC_URL (in mailed links)")
    parser.add_argument("--data-dirs", required=True, type=lambda s: s.split(","))
    parser.add_argument("--secretariat-link", required=True)
    parser.add_argument("--report-page", default="/reports/AZE/2022")
    parser.add_argument("--focal", type=int, default=190)
    parser.add_argument("--secretariat", type=int, default=10)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--autosave-every", type=float, default=10)
    parser.add_argument("--secretariat-think", type=float, default=2)
    parser.add_argument("--reader-think", type=float, default=1)
    args = parser.parse_args()

    sec_token, parties, focal_tokens = setup(args)
    # Each Secretariat member signs in (a session of their own; the same account).
    sec_sessions = [sign_in(args.setup, "load-sec@unesco.example") for _ in range(args.secretariat)]
    for session in sec_sessions:  # the cookies were set by the setup node; send them to --base
        session.cookies = requests.utils.cookiejar_from_dict(requests.utils.dict_from_cookiejar(session.cookies))

    stats, stop = Stats(), threading.Event()
    threads, outcomes = [], []
    for client in range(args.focal):
        iso3 = parties[client % len(parties)]
        field = FIELDS[client // len(parties)]
        outcome = {"iso3": iso3, "field": field, "acknowledged": None}
        outcomes.append(outcome)
        threads.append(threading.Thread(target=focal_point, args=(
            args, stats, stop, iso3, focal_tokens[iso3], field, client, outcome)))
    for session in sec_sessions:
        threads.append(threading.Thread(target=secretariat_member, args=(args, stats, stop, session, sec_token, parties)))
    for _ in range(args.readers):
        threads.append(threading.Thread(target=reader, args=(args, stats, stop)))
    print(f"load: {args.focal} focal points, {args.secretariat} Secretariat members, {args.readers} readers "
          f"for {args.duration:g} s against {args.base}", flush=True)
    started = time.time()
    for thread in threads:
        thread.daemon = True
        thread.start()
    time.sleep(args.duration)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.time() - started

    # No lost save: each client's last acknowledged value is its answer now.
    lost = []
    for iso3 in sorted({o["iso3"] for o in outcomes}):
        draft = requests.get(f"{args.setup}/api/v1/drafts/{iso3}/{YEAR}",
                             headers={"Authorization": f"Bearer {focal_tokens[iso3]}"}).json()
        for outcome in (o for o in outcomes if o["iso3"] == iso3):
            now = draft["document"]["answers"].get(outcome["field"])
            if outcome["acknowledged"] is not None and now != outcome["acknowledged"]:
                lost.append(f"{iso3} {outcome['field']}: acknowledged {outcome['acknowledged']!r}, stored {now!r}")
    saves = sum(1 for o in outcomes if o["acknowledged"] is not None)

    print(f"\n{'route':<44} {'requests':>9} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    total = 0
    for route in sorted(stats.latencies):
        values = stats.latencies[route]
        total += len(values)
        print(f"{route:<44} {len(values):>9} {percentile(values, 0.5) * 1000:>9.1f} "
              f"{percentile(values, 0.99) * 1000:>9.1f} {max(values) * 1000:>9.1f}")
    print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s); {len(stats.errors)} errors; "
          f"{stats.conflicts} conflicts; {stats.resent} resent on a new connection (kept-alive one closed "
          f"unanswered); {saves} of {len(outcomes)} focal points saved; {len(lost)} lost saves")
    for error in stats.errors[:20]:
        print(f"  error: {error}")
    for line in lost[:20]:
        print(f"  lost: {line}")
    if stats.errors or lost or saves < len(outcomes):
        sys.exit(1)


if __name__ == "__main__":
    main()
