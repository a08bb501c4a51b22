#!/usr/bin/env python3
"""Times GET requests against a running qpr serve (benches/indicators/run.sh).

    measure.py BASE_URL REQUESTS PATH...   # p50/p99/max of REQUESTS requests per path, warm
    measure.py --first BASE_URL PATH...    # one request per path (the first after a change)

Each path is asked over one kept-alive HTTP/1.1 connection on loopback; a request's time is
from sending it to the last byte of the answer, so it bounds the server's time from above
(loopback adds tens of microseconds). A path that answers 404 is reported as not served: the
routes of the indicators are wired after the helpers' branches are merged.
"""

import http.client
import sys
import time
import urllib.parse


def get(connection, path):
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    body = response.read()
    return time.perf_counter() - started, response.status, len(body)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    args = sys.argv[1:]
    first = args[0] == "--first"
    if first:
        args = args[1:]
    base = urllib.parse.urlsplit(args[0])
    requests = 1 if first else int(args[1])
    paths = args[1:] if first else args[2:]
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
    missing = []
    print(f"{'path':<70} {'status':>6} {'bytes':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for path in paths:
        elapsed, status, size = get(connection, path)
        if status == 404:
            missing.append(path)
            print(f"{path:<70} {status:>6} {'-':>9} not served yet")
            continue
        times = [elapsed]
        if not first:
            for _ in range(5):  # warm-up: caches filled
                get(connection, path)
            times = [get(connection, path)[0] for _ in range(requests)]
        ms = [t * 1000 for t in times]
        print(f"{path:<70} {status:>6} {size:>9} {percentile(ms, .5):>8.2f} {percentile(ms, .99):>8.2f} {max(ms):>8.2f}")
    if missing:
        print(f"not served (404): {len(missing)} of {len(paths)} paths (routes wired after the indicators are merged)")


if __name__ == "__main__":
    main()
