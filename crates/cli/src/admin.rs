//! Operations on the database: backup, restore, audit-log verification.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use qpr_store::Store;

/// Writes a consistent snapshot of the whole database to `file` (JSON lines, both engines).
pub async fn backup(store: &Store, file: &Path) -> anyhow::Result<ExitCode> {
    // Written to a temporary name first, so a failed backup never leaves a file that looks whole.
    let partial = file.with_extension("partial");
    let mut out = BufWriter::new(File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?);
    let summary = store.backup(&mut out).await.context("backup failed")?;
    out.flush().context("cannot write the backup")?;
    out.get_ref().sync_all().context("cannot flush the backup to disk")?;
    std::fs::rename(&partial, file).with_context(|| format!("cannot move the backup to {}", file.display()))?;
    eprintln!(
        "backed up {} rows ({} reports, {} revisions) to {}",
        summary.total(),
        summary.rows["reports"],
        summary.rows["revisions"],
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup into an empty database.
pub async fn restore(store: &Store, file: &Path) -> anyhow::Result<ExitCode> {
    let input = BufReader::new(File::open(file).with_context(|| format!("cannot open {}", file.display()))?);
    let summary = store.restore(input).await.with_context(|| format!("cannot restore {}", file.display()))?;
    eprintln!(
        "restored {} rows ({} reports, {} revisions) from {}",
        summary.total(),
        summary.rows["reports"],
        summary.rows["revisions"],
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Checks the audit log's hash chain; fails when any entry was edited or removed.
pub async fn verify_audit(store: &Store) -> anyhow::Result<ExitCode> {
    let (checked, problems) = store.verify_audit().await.context("cannot read the audit log")?;
    if problems.is_empty() {
        eprintln!("audit log intact: {checked} entries, every hash and link checked");
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        eprintln!("audit entry {}: {}", problem.seq, problem.message);
    }
    bail!("the audit log was tampered with: {} problem(s) in {checked} entries", problems.len())
}
