"""The status board's first view with every Party's full report (issue 19), against a running qpr.

Started by benches/board/run.sh in two steps:

  board.py fill    --base URL --public-url URL --data-dir DIR --secretariat-link LINK
  board.py measure --base URL --views N

- `fill`: the Secretariat member sets a password from LINK and makes an API token; a cycle
  opens with a draft for every Party; a focal point is named for each, sets a password from the
  mailed link and fills the draft with the whole published demo report (every question of the
  demo answered, its measures and CSO measures), through `PUT /api/v1/drafts/{iso3}/{year}`,
  as the editor saves. Prints the completeness the board then shows.
- `measure` (after run.sh restarted the server, so nothing is cached): the Secretariat member
  signs in, then the board is asked for `--views` times: the first view (the one the issue
  bounds: < 100 ms) is printed apart from the warm ones (p50/p99), with the number of rows the
  page shows, checked against the number of Parties.

Only the standard library and `requests` (the api-fuzz virtualenv has it).
"""

import argparse
import os
import re
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "load"))
from load import PASSWORD, YEAR, api_token, mailed_link, sign_in  # noqa: E402,F401

SECRETARIAT = "load-sec@unesco.example"
# The parts of a draft that say whose report it is; everything else comes from the demo report.
IDENTITY = {"format", "framework", "party", "year", "report_year"}


def fill(args):
    secretariat = sign_in(args.base, SECRETARIAT, args.secretariat_link)
    token = api_token(args.base, secretariat)
    bearer = {"Authorization": f"Bearer {token}"}
    r = requests.post(f"{args.base}/api/v1/cycles", headers=bearer,
                      json={"year": YEAR, "framework": "qpr-2020", "deadline": "2028-04-30", "parties": []})
    if r.status_code != 201:
        sys.exit(f"opening the cycle: {r.status_code} {r.text[:300]}")
    demo = requests.get(f"{args.base}/api/v1/reports/AZE/2022")
    if demo.status_code != 200:
        sys.exit(f"the demo report: {demo.status_code} {demo.text[:300]}")
    demo = demo.json()
    status = requests.get(f"{args.base}/api/v1/cycles/{YEAR}/status", headers=bearer).json()
    parties = [row["iso3"] for row in status["parties"]]
    started = time.time()
    for n, iso3 in enumerate(parties, 1):
        email = f"fp-{iso3.lower()}@board.example"
        r = requests.post(f"{args.base}/api/v1/cycles/{YEAR}/focal-points", headers=bearer,
                          json={"email": email, "name": f"Focal point {iso3}", "party": iso3})
        if r.status_code != 201:
            sys.exit(f"naming the focal point of {iso3}: {r.status_code} {r.text[:300]}")
        link = mailed_link([args.data_dir], email).replace(args.public_url, args.base)
        focal = {"Authorization": f"Bearer {api_token(args.base, sign_in(args.base, email, link))}"}
        url = f"{args.base}/api/v1/drafts/{iso3}/{YEAR}"
        draft = requests.get(url, headers=focal).json()
        document = draft["document"]
        for key, value in demo.items():
            if key not in IDENTITY:
                document[key] = value
        r = requests.put(url, headers=focal, json={"base_revision": draft["revision"], "document": document})
        if r.status_code != 200:
            sys.exit(f"filling the draft of {iso3}: {r.status_code} {r.text[:300]}")
        if n % 25 == 0:
            print(f"  {n} of {len(parties)} drafts filled ({time.time() - started:.0f} s)", flush=True)
    status = requests.get(f"{args.base}/api/v1/cycles/{YEAR}/status", headers=bearer).json()
    shown = sorted({f"{row.get('percent')} %" for row in status["parties"]})
    print(f"fill: {len(parties)} drafts filled with the demo report's answers and measures "
          f"in {time.time() - started:.0f} s; completeness on the board: {', '.join(shown)}", flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(args):
    session = sign_in(args.base, SECRETARIAT)
    url = f"{args.base}/app/cycles/{YEAR}"
    times, rows = [], None
    for _ in range(args.views):
        started = time.perf_counter()
        page = session.get(url, allow_redirects=False)
        times.append(time.perf_counter() - started)
        if page.status_code != 200:
            sys.exit(f"the board: {page.status_code} {page.text[:300]}")
        rows = page.text.count('<th scope="row">')
    warm = times[1:]
    print(f"measure: first view {times[0] * 1000:.1f} ms; then {len(warm)} views p50 "
          f"{percentile(warm, 0.5) * 1000:.1f} ms, p99 {percentile(warm, 0.99) * 1000:.1f} ms; "
          f"{rows} report rows on the page", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    f = sub.add_parser("fill")
    f.add_argument("--base", required=True)
    f.add_argument("--public-url", required=True)
    f.add_argument("--data-dir", required=True)
    f.add_argument("--secretariat-link", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--base", required=True)
    m.add_argument("--views", type=int, default=50)
    args = parser.parse_args()
    fill(args) if args.step == "fill" else measure(args)


if __name__ == "__main__":
    main()
