#!/usr/bin/env python3
"""The same indicator figures computed by SQL over the stored JSON, on SQLite (json_each,
json_extract) and PostgreSQL (jsonb), timed, and checked against a count made in Python from
the documents themselves (benches/indicators/run.sh).

    sql.py SQLITE_FILE [POSTGRES_URL] [RUNS]

For each reporting cycle (a report is placed by its year; one report per Party and cycle, its
newest) and a few representative indicators of the 2020 form (a yes/no question, a
multi-select question, a statistic's median and quartiles, measures per report), prints each
engine's time (p50, p99 over RUNS runs) and whether its answer equals the documents' count.
The PostgreSQL database holds the same synthetic reports (run.sh runs qpr synth with the same
seed into both). psql is $PSQL, else the one on PATH.
"""

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time

CYCLES = [(2012, 2015), (2016, 2019), (2020, 2023), (2024, 2027)]
YES_NO = "g1_ccs_ministry"
MULTI = "g1_ccs_specific_measures"
STATISTIC = "g1_ccs_gdp_share"

# The reports of a cycle: one per Party, its newest published in the window.
SQLITE_REPORTS = """
WITH published AS (
  SELECT r.party_iso3 AS party, r.year AS year, v.document AS document
  FROM reports r JOIN revisions v ON v.id = r.published_revision
  WHERE r.state = 'published' AND r.year BETWEEN {first} AND {last}
), cycle_reports AS (
  SELECT party, document FROM published p
  WHERE p.year = (SELECT max(q.year) FROM published q WHERE q.party = p.party)
)"""
POSTGRES_REPORTS = """
WITH published AS (
  SELECT r.party_iso3 AS party, r.year AS year, v.document::jsonb AS document
  FROM reports r JOIN revisions v ON v.id = r.published_revision
  WHERE r.state = 'published' AND r.year BETWEEN {first} AND {last}
), cycle_reports AS (
  SELECT party, document FROM published p
  WHERE p.year = (SELECT max(q.year) FROM published q WHERE q.party = p.party)
)"""

QUERIES = {
    # Yes/no: reporting, answered, yes (not answered is apart, never "no").
    "yes_no": (
        f"""SELECT count(*), count(json_extract(document, '$.answers.{YES_NO}')),
                   coalesce(sum(json_extract(document, '$.answers.{YES_NO}') = 1), 0) FROM cycle_reports""",
        f"""SELECT count(*), count(document -> 'answers' -> '{YES_NO}'),
                   count(*) FILTER (WHERE document -> 'answers' -> '{YES_NO}' = 'true'::jsonb) FROM cycle_reports""",
    ),
    # Multi-select: per option, how many reports chose it.
    "multi_select": (
        f"""SELECT o.value, count(*) FROM cycle_reports, json_each(json_extract(document, '$.answers.{MULTI}')) o
            GROUP BY o.value ORDER BY o.value""",
        f"""SELECT o, count(*) FROM cycle_reports, jsonb_array_elements_text(
              CASE jsonb_typeof(document -> 'answers' -> '{MULTI}') WHEN 'array' THEN document -> 'answers' -> '{MULTI}'
              ELSE '[]'::jsonb END) o GROUP BY o ORDER BY o COLLATE "C" """,
    ),
    # A statistic: how many give a figure, and its median (the mean of the middle one or two).
    "statistic_median": (
        f""", v AS (SELECT json_extract(document, '$.answers.{STATISTIC}.percent') AS x FROM cycle_reports
                       WHERE json_extract(document, '$.answers.{STATISTIC}.percent') IS NOT NULL)
            SELECT (SELECT count(*) FROM v), (SELECT round(avg(x), 6) FROM (SELECT x FROM v ORDER BY x
              LIMIT 2 - (SELECT count(*) FROM v) % 2 OFFSET ((SELECT count(*) FROM v) - 1) / 2))""",
        f""", v AS (SELECT (document -> 'answers' -> '{STATISTIC}' ->> 'percent')::numeric AS x FROM cycle_reports
                       WHERE document -> 'answers' -> '{STATISTIC}' ->> 'percent' IS NOT NULL)
            SELECT (SELECT count(*) FROM v), (SELECT round(avg(x), 6) FROM (SELECT x FROM v ORDER BY x
              LIMIT 2 - (SELECT count(*) FROM v) % 2 OFFSET ((SELECT count(*) FROM v) - 1) / 2) m)""",
    ),
    # Measures: reports, reports with at least one policy measure, measures in all.
    "measures": (
        """SELECT count(*), coalesce(sum(json_array_length(document, '$.policy_measures') > 0), 0),
                  coalesce(sum(json_array_length(document, '$.policy_measures')), 0) FROM cycle_reports""",
        """SELECT count(*), count(*) FILTER (WHERE jsonb_array_length(document -> 'policy_measures') > 0),
                  coalesce(sum(jsonb_array_length(document -> 'policy_measures')), 0) FROM cycle_reports""",
    ),
}


def expected(documents):
    """The same figures counted in Python from the documents."""
    answers = [d.get("answers", {}) for d in documents]
    yes_no = (len(documents), sum(YES_NO in a for a in answers), sum(a.get(YES_NO) is True for a in answers))
    options = {}
    for a in answers:
        value = a.get(MULTI)
        for option in value if isinstance(value, list) else []:
            options[option] = options.get(option, 0) + 1
    figures = sorted(
        a[STATISTIC]["percent"]
        for a in answers
        if isinstance(a.get(STATISTIC), dict) and a[STATISTIC].get("percent") is not None
    )
    median = round(statistics.median(figures), 6) if figures else None
    policies = [len(d.get("policy_measures", [])) for d in documents]
    return {
        "yes_no": [list(yes_no)],
        "multi_select": sorted([k, v] for k, v in options.items()),
        "statistic_median": [[len(figures), median]],
        "measures": [[len(documents), sum(p > 0 for p in policies), sum(policies)]],
    }


def normalize(rows):
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, str):
                try:
                    cell = float(cell) if "." in cell else int(cell)
                except ValueError:
                    pass
            if isinstance(cell, float):
                cell = round(cell, 6)
            cells.append(cell)
        out.append(cells)
    return out


def timed(run, runs):
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return result, times[len(times) // 2], times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]


NULL = "<NULL>"


def postgres(url, sql):
    psql = os.environ.get("PSQL", "psql")
    out = subprocess.run(
        [psql, url, "-X", "-At", "-F", "\t", "-P", f"null={NULL}", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True, capture_output=True, text=True,
    ).stdout
    # psql writes NULL as text: read back as None, as sqlite3 gives it (a statistic nobody gave).
    return [[None if cell == NULL else cell for cell in line.split("\t")] for line in out.splitlines() if line]


def postgres_times(url, sql, runs):
    """p50 and p99 of `runs` runs in one psql session (\\timing: the round trip on loopback)."""
    psql = os.environ.get("PSQL", "psql")
    script = "\\timing on\n" + (sql.strip().rstrip(";") + ";\n") * runs
    out = subprocess.run(
        [psql, url, "-X", "-At", "-o", "/dev/null", "-v", "ON_ERROR_STOP=1"],
        input=script, check=True, capture_output=True, text=True,
    ).stdout
    times = sorted(float(line.split()[1]) for line in out.splitlines() if line.startswith("Time: "))
    return times[len(times) // 2], times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]


def main():
    sqlite_file = sys.argv[1]
    pg_url = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    db = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
    problems = 0
    print(f"{'cycle':<10} {'indicator':<17} {'SQLite p50/p99 ms':>18} {'PostgreSQL p50/p99 ms':>22}  same answers")
    for first, last in CYCLES:
        rows = db.execute(SQLITE_REPORTS.format(first=first, last=last) + " SELECT document FROM cycle_reports").fetchall()
        if not rows:
            continue
        want = expected([json.loads(r[0]) for r in rows])
        for name, (lite, pg) in QUERIES.items():
            sql = SQLITE_REPORTS.format(first=first, last=last) + lite
            got, p50, p99 = timed(lambda: db.execute(sql).fetchall(), runs)
            verdict = ["sqlite " + ("=" if normalize(got) == normalize(want[name]) else "DIFFERS")]
            pg_time = "-"
            if pg_url:
                pg_sql = POSTGRES_REPORTS.format(first=first, last=last) + pg
                pg_got = postgres(pg_url, pg_sql)
                pg50, pg99 = postgres_times(pg_url, pg_sql, runs)
                pg_time = f"{pg50:.1f} / {pg99:.1f}"
                verdict.append("postgres " + ("=" if normalize(pg_got) == normalize(want[name]) else "DIFFERS"))
                if normalize(pg_got) != normalize(want[name]):
                    print(f"  postgres: {normalize(pg_got)[:5]} expected {normalize(want[name])[:5]}")
            if normalize(got) != normalize(want[name]):
                print(f"  sqlite: {normalize(got)[:5]} expected {normalize(want[name])[:5]}")
            problems += sum("DIFFERS" in v for v in verdict)
            print(f"{first}-{last:<5} {name:<17} {p50:>8.2f} / {p99:<7.2f} {pg_time:>22}  {', '.join(verdict)} (documents)")
    print("(SQLite: in-process with Python's sqlite3; PostgreSQL: psql's \\timing, one session, loopback)")
    if problems:
        print(f"error: {problems} answer(s) differ from the documents' count", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
