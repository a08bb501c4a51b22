//! The writer process of the crash-safety test (`tests/it/crash.rs`): saves revisions of one
//! report in a loop and prints `ACK <revision> <counter>` after each save returns, until it
//! is killed. Usage: `qpr-crash-writer DATABASE_URL REPORT_ID START_COUNTER`.

use std::io::Write;

use qpr_store::Store;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(report), Some(start)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: qpr-crash-writer DATABASE_URL REPORT_ID START_COUNTER".into());
    };
    let report: qpr_store::ReportId = report.parse()?;
    let store = Store::open(&url).await?;
    let mut stdout = std::io::stdout().lock();
    for counter in start.parse::<u64>()?.. {
        let current = store.report(report).await?.current_revision.ok_or("no revision")?;
        let (_, mut document) = store.revision(current).await?;
        document.answers.insert("crash_test_counter".into(), counter.into());
        // A long text, so that a kill often lands while a large row is being written.
        document.answers.insert("gi_executive_summary".into(), format!("save {counter} ").repeat(2_000).into());
        let revision = store.save(report, current, &document, "crash writer").await?.revision();
        writeln!(stdout, "ACK {revision} {counter}")?;
        stdout.flush()?;
    }
    Ok(())
}
