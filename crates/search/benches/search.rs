//! Measure search at scale: the same fixed queries (text only; text + 3 facets; facets only),
//! each with the hits' first page, the total and the multi-select counts of every facet,
//! answered by the tantivy index, by SQLite FTS5 and by PostgreSQL full-text search
//! (tsvector + GIN), with p50/p99 server-side times and a check that all three agree.
//!
//! Run by `benches/search/run.sh` (not in CI):
//! `cargo bench -p qpr-search --bench search -- INDEX_DIR WORK_DIR`. The SQL tables are built
//! from the index's own stored measures, so all three engines hold the same data. The SQL
//! here is the benchmark's reference implementation, not product code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use qpr_search::{Facet, IndexedMeasure, SearchIndex, SearchRequest};
use sqlx::{PgPool, Row, SqlitePool};

/// The fixed queries: (category, query string).
const QUERIES: [(&str, &str); 9] = [
    ("text", "q=festival"),
    ("text", "q=digital"),
    ("text", "q=creative industries"),
    ("text", "q=\"international cooperation\""),
    ("text + 3 facets", "q=digital&region=africa&domain=music&targets_youth=true"),
    ("text + 3 facets", "q=young artists&goal=2&kind=policy&year=2024"),
    ("facets only", "region=africa&domain=music&targets_youth=true"),
    ("facets only", "goal=1&year=2020&year=2024&evaluated=true"),
    ("facets only", "domain=music"),
];

const TANTIVY_RUNS: usize = 200;
const SQL_RUNS: usize = 5;
const PAGE: i64 = 20;

/// The facet counts and total of one answer, in code space, for comparison; for tantivy
/// also the ids of the first page's hits, in order (the SQL engines rank differently).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Answer {
    total: i64,
    counts: BTreeMap<(&'static str, i64), i64>,
    page: Vec<String>,
}

fn request(query: &str) -> SearchRequest {
    let params: Vec<(&str, &str)> =
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap()).collect();
    SearchRequest::from_params(params).unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Times `runs` executions after one warm-up; returns the sorted durations and the last answer.
async fn time<F, Fut>(runs: usize, mut run: F) -> (Vec<Duration>, Answer)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Answer>,
{
    let mut answer = run().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        answer = run().await;
        times.push(started.elapsed());
    }
    times.sort();
    (times, answer)
}

fn tantivy_answer(index: &SearchIndex, request: &SearchRequest) -> Answer {
    let results = index.search(request).unwrap();
    let page = results.hits.iter().map(|hit| hit.id.clone()).collect();
    let mut answer = Answer { total: results.total as i64, page, ..Answer::default() };
    for facet in Facet::ALL {
        for (value, count) in results.facets.get(facet.name()).into_iter().flatten() {
            answer.counts.insert((facet.name(), i64::from(facet.code(value).unwrap())), *count as i64);
        }
    }
    answer
}

/// What the SQL engines hold of a measure.
struct SqlRow {
    id: String,
    title: String,
    text: String,
    /// Per facet: its code, or its bit set for multi-valued facets.
    columns: [i64; Facet::ALL.len()],
}

impl SqlRow {
    fn new(measure: IndexedMeasure) -> SqlRow {
        let column = |facet: Facet| {
            let codes = measure.facet(facet).into_iter().map(|v| i64::from(facet.code(v).unwrap()));
            codes.fold(0, |acc, code| if facet.is_multi() { acc | (1 << code) } else { code })
        };
        let columns = Facet::ALL.map(column);
        SqlRow { id: measure.id, title: measure.title, text: measure.text, columns }
    }
}

/// SQL dialect differences of the two engines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sql {
    Sqlite,
    Postgres,
}

fn where_clause(request: &SearchRequest, except: Option<Facet>, text: &str) -> String {
    let mut parts = vec![text.to_owned()];
    for filter in request.filters.iter().filter(|f| Some(f.facet) != except) {
        let column = filter.facet.name();
        if filter.facet.is_multi() {
            let mask: i64 = filter.values.iter().map(|&c| 1i64 << c).sum();
            parts.push(format!("({column} & {mask}) <> 0"));
        } else {
            let values: Vec<String> = filter.values.iter().map(u16::to_string).collect();
            parts.push(format!("{column} IN ({})", values.join(", ")));
        }
    }
    parts.retain(|p| !p.is_empty());
    if parts.is_empty() { String::new() } else { format!("WHERE {}", parts.join(" AND ")) }
}

/// Every statement of one search, in the engine's SQL: hits, total, then one per facet.
fn statements(sql: Sql, request: &SearchRequest) -> Vec<(Option<Facet>, String)> {
    let has_text = !request.q.is_empty();
    let (from, text, hits_order, hits_columns) = match (sql, has_text) {
        (Sql::Sqlite, true) => (
            "measures m JOIN fts ON fts.rowid = m.rowid",
            "fts MATCH $1",
            "bm25(fts)",
            "m.rowid, m.title, snippet(fts, 0, '<mark>', '</mark>', '…', 24) AS snippet",
        ),
        (Sql::Postgres, true) => (
            "measures m",
            "m.tsv @@ websearch_to_tsquery('english', $1)",
            "ts_rank(m.tsv, websearch_to_tsquery('english', $1)) DESC",
            "m.id, m.title, ts_headline('english', m.text, websearch_to_tsquery('english', $1), 'StartSel=<mark>, StopSel=</mark>, MaxWords=35') AS snippet",
        ),
        (_, false) => ("measures m", "", "m.year DESC, m.id", "m.id, m.title"),
    };
    let mut statements = Vec::new();
    let hits = match sql {
        // PostgreSQL writes headlines for the page only, after ranking.
        Sql::Postgres if has_text => format!(
            "SELECT {hits_columns} FROM measures m JOIN (SELECT m.id AS hit FROM {from} {} ORDER BY {hits_order} LIMIT {PAGE}) h ON h.hit = m.id",
            where_clause(request, None, text)
        ),
        _ => format!(
            "SELECT {hits_columns} FROM {from} {} ORDER BY {hits_order} LIMIT {PAGE}",
            where_clause(request, None, text)
        ),
    };
    statements.push((None, hits));
    statements.push((None, format!("SELECT COUNT(*) AS n FROM {from} {}", where_clause(request, None, text))));
    for facet in Facet::ALL {
        let column = facet.name();
        let filter = where_clause(request, Some(facet), text);
        let statement = if facet.is_multi() {
            let sums: Vec<String> = (0..facet.values().len())
                .map(|bit| format!("CAST(SUM(({column} >> {bit}) & 1) AS BIGINT) AS b{bit}"))
                .collect();
            format!("SELECT {} FROM {from} {filter}", sums.join(", "))
        } else {
            format!("SELECT {column} AS v, COUNT(*) AS n FROM {from} {filter} GROUP BY {column}")
        };
        statements.push((Some(facet), statement));
    }
    statements
}

fn add_rows(answer: &mut Answer, facet: Option<Facet>, rows: &[impl Fn(&str) -> Option<i64>], is_total: bool) {
    match facet {
        None if is_total => answer.total = rows.first().and_then(|r| r("n")).unwrap_or(0),
        None => {}
        Some(facet) if facet.is_multi() => {
            if let Some(row) = rows.first() {
                for bit in 0..facet.values().len() {
                    let n = row(&format!("b{bit}")).unwrap_or(0);
                    if n > 0 {
                        answer.counts.insert((facet.name(), bit as i64), n);
                    }
                }
            }
        }
        Some(facet) => {
            for row in rows {
                let (v, n) = (row("v").unwrap_or(0), row("n").unwrap_or(0));
                if v != 0 && n > 0 {
                    answer.counts.insert((facet.name(), v), n);
                }
            }
        }
    }
}

async fn sqlite_answer(pool: &SqlitePool, request: &SearchRequest) -> Answer {
    let mut answer = Answer::default();
    for (i, (facet, statement)) in statements(Sql::Sqlite, request).into_iter().enumerate() {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(statement));
        if !request.q.is_empty() {
            query = query.bind(request.q.clone());
        }
        let rows = query.fetch_all(pool).await.unwrap();
        let getters: Vec<_> =
            rows.iter().map(|row| move |c: &str| row.try_get::<Option<i64>, _>(c).ok().flatten()).collect();
        add_rows(&mut answer, facet, &getters, i == 1);
    }
    answer
}

async fn postgres_answer(pool: &PgPool, request: &SearchRequest) -> Answer {
    let mut answer = Answer::default();
    for (i, (facet, statement)) in statements(Sql::Postgres, request).into_iter().enumerate() {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(statement));
        if !request.q.is_empty() {
            query = query.bind(request.q.clone());
        }
        let rows = query.fetch_all(pool).await.unwrap();
        let getters: Vec<_> = rows
            .iter()
            .map(|row| {
                move |c: &str| {
                    row.try_get::<Option<i64>, _>(c)
                        .ok()
                        .flatten()
                        .or_else(|| row.try_get::<Option<i32>, _>(c).ok().flatten().map(i64::from))
                }
            })
            .collect();
        add_rows(&mut answer, facet, &getters, i == 1);
    }
    answer
}

const COLUMNS: &str = "party, region, year, goal, area, domain, targets_youth, ifcd, evaluated, partner_type, kind";

async fn build_sqlite(path: &Path, measures: &[SqlRow]) -> (SqlitePool, Duration) {
    let _ = std::fs::remove_file(path);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let started = Instant::now();
    let ints = COLUMNS.split(", ").map(|c| format!("{c} INTEGER NOT NULL")).collect::<Vec<_>>().join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE measures (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL, {ints})"
    )))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')")
        .execute(&pool)
        .await
        .unwrap();
    for chunk in measures.chunks(5000).enumerate() {
        let (n, chunk) = chunk;
        let mut tx = pool.begin().await.unwrap();
        for (i, measure) in chunk.iter().enumerate() {
            let rowid = (n * 5000 + i + 1) as i64;
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO measures (rowid, id, title, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
            )))
            .bind(rowid)
            .bind(measure.id.clone())
            .bind(measure.title.clone());
            for value in measure.columns {
                insert = insert.bind(value);
            }
            insert.execute(&mut *tx).await.unwrap();
            sqlx::query("INSERT INTO fts (rowid, text) VALUES ($1, $2)")
                .bind(rowid)
                .bind(measure.text.clone())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    for column in COLUMNS.split(", ") {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE INDEX measures_{column} ON measures ({column})")))
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO fts (fts) VALUES ('optimize')").execute(&pool).await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    (pool, started.elapsed())
}

async fn build_postgres(url: &str, measures: &[SqlRow]) -> (PgPool, Duration) {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(2).connect(url).await.unwrap();
    let started = Instant::now();
    let ints = COLUMNS.split(", ").map(|c| format!("{c} BIGINT NOT NULL")).collect::<Vec<_>>().join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE measures (id TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, {ints})"
    )))
    .execute(&pool)
    .await
    .unwrap();
    for chunk in measures.chunks(2000) {
        let mut columns: Vec<Vec<i64>> = vec![Vec::new(); Facet::ALL.len()];
        for measure in chunk {
            for (column, value) in columns.iter_mut().zip(measure.columns) {
                column.push(value);
            }
        }
        let mut insert = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO measures (id, title, text, {COLUMNS}) SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], {})",
            (4..=14).map(|n| format!("${n}::bigint[]")).collect::<Vec<_>>().join(", ")
        )))
        .bind(chunk.iter().map(|m| m.id.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|m| m.title.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|m| m.text.clone()).collect::<Vec<_>>());
        for column in columns {
            insert = insert.bind(column);
        }
        insert.execute(&pool).await.unwrap();
    }
    sqlx::query(
        "ALTER TABLE measures ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("CREATE INDEX measures_tsv ON measures USING GIN (tsv)").execute(&pool).await.unwrap();
    for column in COLUMNS.split(", ") {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE INDEX measures_{column} ON measures ({column})")))
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("VACUUM ANALYZE measures").execute(&pool).await.unwrap();
    (pool, started.elapsed())
}

/// Prints tantivy's times and compares its answers (totals, facet counts, the first page's
/// hits in order) with `reference` (written when missing).
fn tantivy_only(tantivy: &[(Vec<Duration>, Answer)], reference: &Path) {
    let answers = format!("{:#?}", tantivy.iter().map(|(_, answer)| answer).collect::<Vec<_>>());
    match std::fs::read_to_string(reference) {
        Ok(expected) if expected == answers => println!("answers: same as {}", reference.display()),
        Ok(_) => println!("answers: DIFFER from {}", reference.display()),
        Err(_) => {
            std::fs::write(reference, &answers).unwrap();
            println!("answers: written to {}", reference.display());
        }
    }
    for ((_, query), (times, answer)) in QUERIES.iter().zip(tantivy) {
        println!(
            "{query}: {} hits, p50 {} ms, p99 {} ms",
            answer.total,
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.99))
        );
    }
}

struct Row3 {
    category: &'static str,
    query: &'static str,
    total: i64,
    times: [(Duration, Duration); 3],
    agree: String,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let (index_dir, work_dir) = match (args.get(1), args.get(2)) {
        (Some(index), Some(work)) => (Path::new(index).to_owned(), Path::new(work).to_owned()),
        _ => {
            eprintln!("usage: cargo bench -p qpr-search --bench search -- INDEX_DIR WORK_DIR");
            std::process::exit(2);
        }
    };
    let index = Arc::new(SearchIndex::open_read_only(&index_dir).unwrap());
    eprintln!("index: {} measures", index.len());

    eprintln!("tantivy: timing {} queries × {TANTIVY_RUNS} runs", QUERIES.len());
    let mut tantivy = Vec::new();
    for (_, query) in QUERIES {
        let request = request(query);
        let index = Arc::clone(&index);
        tantivy.push(time(TANTIVY_RUNS, || std::future::ready(tantivy_answer(&index, &request))).await);
    }

    // Quick mode for profiling: tantivy only, its answers checked against a file written by
    // an earlier run (the SQL engines take most of an hour to build and query).
    if let Ok(reference) = std::env::var("TANTIVY_ONLY") {
        tantivy_only(&tantivy, Path::new(&reference));
        return;
    }

    eprintln!("reading every measure back for the SQL engines");
    let measures: Vec<SqlRow> =
        index.export(&SearchRequest::default()).unwrap().map(|m| SqlRow::new(m.unwrap())).collect();

    eprintln!("SQLite FTS5: building");
    let (sqlite, sqlite_build) = build_sqlite(&work_dir.join("fts5.sqlite3"), &measures).await;
    eprintln!("SQLite FTS5: built in {:.0} s; timing", sqlite_build.as_secs_f64());
    let mut fts5 = Vec::new();
    for (_, query) in QUERIES {
        let request = request(query);
        fts5.push(time(SQL_RUNS, || sqlite_answer(&sqlite, &request)).await);
    }
    sqlite.close().await;

    eprintln!("PostgreSQL: building");
    let (postgres, postgres_build) = build_postgres(&qpr_test_support::postgres_url(), &measures).await;
    eprintln!("PostgreSQL: built in {:.0} s; timing", postgres_build.as_secs_f64());
    drop(measures);
    let mut pg = Vec::new();
    for (_, query) in QUERIES {
        let request = request(query);
        pg.push(time(SQL_RUNS, || postgres_answer(&postgres, &request)).await);
    }

    let mut rows = Vec::new();
    for (i, (category, query)) in QUERIES.into_iter().enumerate() {
        let answers = [&tantivy[i].1, &fts5[i].1, &pg[i].1];
        let mut disagreements = Vec::new();
        for (name, other) in [("FTS5", answers[1]), ("PostgreSQL", answers[2])] {
            if other.total != answers[0].total {
                disagreements.push(format!("{name} total {}", other.total));
            }
            let differing = answers[0].counts.iter().filter(|(k, v)| other.counts.get(*k) != Some(*v)).count()
                + other.counts.keys().filter(|k| !answers[0].counts.contains_key(*k)).count();
            if differing > 0 {
                disagreements.push(format!("{name}: {differing} facet counts differ"));
            }
        }
        let stats = |times: &[Duration]| (percentile(times, 0.5), percentile(times, 0.99));
        rows.push(Row3 {
            category,
            query,
            total: answers[0].total,
            times: [stats(&tantivy[i].0), stats(&fts5[i].0), stats(&pg[i].0)],
            agree: if disagreements.is_empty() { "yes".into() } else { disagreements.join("; ") },
        });
    }
    println!(
        "| category | query | hits | tantivy p50 / p99 ms | FTS5 p50 / p99 ms | PostgreSQL p50 / p99 ms | FTS5 ÷ tantivy (p99) | PostgreSQL ÷ tantivy (p99) | same counts |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    for row in &rows {
        let [t, f, p] = row.times;
        println!(
            "| {} | `{}` | {} | {} / {} | {} / {} | {} / {} | {:.0}× | {:.0}× | {} |",
            row.category,
            row.query,
            row.total,
            ms(t.0),
            ms(t.1),
            ms(f.0),
            ms(f.1),
            ms(p.0),
            ms(p.1),
            f.1.as_secs_f64() / t.1.as_secs_f64(),
            p.1.as_secs_f64() / t.1.as_secs_f64(),
            row.agree
        );
    }
    let all_tantivy: Vec<Duration> = {
        let mut all: Vec<Duration> = tantivy.iter().flat_map(|(t, _)| t.iter().copied()).collect();
        all.sort();
        all
    };
    println!();
    println!(
        "tantivy over all {} runs: p50 {} ms, p99 {} ms. Build: SQLite FTS5 {:.0} s, PostgreSQL {:.0} s (tables and indexes from the measures in memory).",
        all_tantivy.len(),
        ms(percentile(&all_tantivy, 0.5)),
        ms(percentile(&all_tantivy, 0.99)),
        sqlite_build.as_secs_f64(),
        postgres_build.as_secs_f64()
    );
}
