//! `qpr import`: pages of any form version, language and layout, files or folders, published
//! into the database with a summary (text on standard output, one JSON line per page in a
//! file). A page imported again adds nothing (`qpr_import::merge`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use qpr_import::{Hints, Merge, PageImporter, PageKind};
use serde_json::json;

use crate::config::Settings;
use crate::{open_sealing_store, read_text, terminal};

/// The extensions of page files a folder is searched for.
const PAGE_EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// What happened to one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Imported,
    ImportedWithWarnings,
    Unchanged,
    Refused,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::ImportedWithWarnings => "imported_with_warnings",
            Outcome::Unchanged => "unchanged",
            Outcome::Refused => "refused",
        }
    }
}

/// Every page file under the given paths, folders read recursively, in name order.
fn page_files(paths: &[PathBuf]) -> anyhow::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut stack = vec![path.clone()];
            while let Some(dir) = stack.pop() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot read the folder {}", dir.display()))?
                    .map(|entry| entry.map(|e| e.path()))
                    .collect::<Result<_, _>>()
                    .with_context(|| format!("cannot read the folder {}", dir.display()))?;
                entries.sort();
                for entry in entries {
                    let hidden = entry.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
                    if hidden {
                        continue;
                    }
                    if entry.is_dir() {
                        stack.push(entry);
                    } else if entry
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
                    {
                        files.push(entry);
                    } else {
                        skipped.push(entry);
                    }
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    Ok((files, skipped))
}

/// Imports pages and folders of pages; the summary lists every page with its outcome.
pub(crate) async fn import(
    settings: Settings,
    paths: &[PathBuf],
    hints: &Hints,
    summary: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let store = open_sealing_store(&settings).await?;
    let (files, skipped) = page_files(paths)?;
    let summary_path = summary.map_or_else(|| settings.data_dir.join("import-summary.jsonl"), Path::to_path_buf);
    let mut jsonl = std::io::BufWriter::new(
        std::fs::File::create(&summary_path)
            .with_context(|| format!("cannot write the summary {}", summary_path.display()))?,
    );
    let importer = PageImporter::new();
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut counts = [0usize; 4];
    let mut lines = Vec::new();
    for path in &files {
        progress.set_message(path.display().to_string());
        let (outcome, record) = import_one(&store, &importer, path, hints).await?;
        counts[outcome as usize] += 1;
        // `record` is the JSON line `import_one` built, with every member read here.
        let text = match outcome {
            Outcome::Refused => {
                format!(
                    "refused   {}: {}",
                    path.display(),
                    terminal::escape(record["reason"].as_str().unwrap_or_default())
                )
            }
            _ => format!(
                "{:<9} {}: {} {} {} ({}, {} measures, {} warnings)",
                match outcome {
                    Outcome::Unchanged => "unchanged",
                    _ => "imported",
                },
                path.display(),
                record["kind"].as_str().unwrap_or_default(),
                terminal::escape(record["iso3"].as_str().unwrap_or_default()),
                record["year"],
                record["framework"].as_str().unwrap_or_default(),
                record["measures"],
                record["warnings"],
            ),
        };
        lines.push(text);
        writeln!(jsonl, "{record}").context("cannot write the summary")?;
        progress.inc(1);
    }
    for path in &skipped {
        let record = json!({"file": path.display().to_string(), "status": "skipped", "reason": "not a page file (.txt, .html, .htm)"});
        writeln!(jsonl, "{record}").context("cannot write the summary")?;
    }
    jsonl.flush().context("cannot write the summary")?;
    progress.finish_and_clear();
    let mut out = std::io::stdout().lock();
    for line in &lines {
        writeln!(out, "{line}").context("cannot write to standard output")?;
    }
    writeln!(
        out,
        "{} pages: {} imported, {} imported with warnings, {} unchanged (already imported), {} refused; {} other files skipped. Summary: {}",
        files.len(),
        counts[Outcome::Imported as usize],
        counts[Outcome::ImportedWithWarnings as usize],
        counts[Outcome::Unchanged as usize],
        counts[Outcome::Refused as usize],
        skipped.len(),
        summary_path.display()
    )
    .context("cannot write to standard output")?;
    Ok(if counts[Outcome::Refused as usize] == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn import_one(
    store: &qpr_store::Store,
    importer: &PageImporter,
    path: &Path,
    hints: &Hints,
) -> anyhow::Result<(Outcome, serde_json::Value)> {
    let file = path.display().to_string();
    let refused = |code: &str, reason: String| {
        (Outcome::Refused, json!({"file": file, "status": "refused", "code": code, "reason": reason}))
    };
    let text = match read_text(path) {
        Ok(text) => text,
        Err(error) => return Ok(refused("unreadable", format!("{error:#}"))),
    };
    let (kind, document) = match importer.import(&text, hints) {
        Ok(found) => found,
        Err(error) => return Ok(refused(error.code(), error.to_string())),
    };
    let Some(iso3) = document.party.iso3.clone() else {
        return Ok(refused(
            "unknown_party",
            format!("`{}` is not a known Party; give it with --party", document.party.name),
        ));
    };
    let existing = store.published_report(iso3.as_str(), document.year).await?.map(|p| p.document);
    let warnings = document.warnings.len();
    let framework = document.framework.clone();
    let year = document.year;
    let kind_name = match kind {
        PageKind::Report => "report",
        PageKind::MeasurePage => "measure_page",
    };
    let (outcome, measures) = match qpr_import::merge(existing.as_ref(), kind, document) {
        Merge::Unchanged => {
            (Outcome::Unchanged, existing.as_ref().map_or(0, |d| d.policy_measures.len() + d.cso_measures.len()))
        }
        Merge::Publish(merged) => {
            store.publish(&merged, "import").await.with_context(|| format!("{file}: cannot publish"))?;
            let outcome = if warnings == 0 { Outcome::Imported } else { Outcome::ImportedWithWarnings };
            (outcome, merged.policy_measures.len() + merged.cso_measures.len())
        }
    };
    Ok((
        outcome,
        json!({"file": file, "status": outcome.code(), "kind": kind_name, "framework": framework, "iso3": iso3.as_str(), "year": year, "measures": measures, "warnings": warnings}),
    ))
}
