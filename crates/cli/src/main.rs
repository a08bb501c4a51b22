//! `qpr`: one binary for the whole platform. `qpr serve` runs the web server on an embedded
//! SQLite database (the demo report is loaded on first start); `qpr parse` turns a published
//! report page into the report document; `qpr validate` checks a document; `qpr import`
//! parses and publishes report pages into the database; `qpr verify` checks a signed report
//! offline.

mod admin;
mod backup_auth;
mod bulk;
mod config;
mod search_cmds;
mod server;
mod signing;
mod terminal;

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use qpr_domain::framework::FrameworkRegistry;
use qpr_domain::validate::{self, Severity};
use qpr_domain::{Framework, ReportDocument};
use qpr_store::Store;

use config::Settings;

/// mimalloc rather than glibc's malloc: a save allocates and frees documents of hundreds of KB
/// on many threads, and glibc returned that memory to the system and faulted it back in (fresh
/// pages zeroed by the kernel) often enough to make saves with 200 editors 10× slower at the
/// tail; see BENCHMARKS.md, "Saves with 200 concurrent editors".
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The demo report loaded on first start: the published QPR of Azerbaijan (2022).
const DEMO_REPORT: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

#[derive(Debug, Parser)]
#[command(name = "qpr", version, about = "Periodic reporting and policy monitoring for the 2005 Convention")]
struct Cli {
    /// Data directory (database, keys, mail outbox) [default: ./qpr-data]
    #[arg(long, global = true, env = "QPR_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL [default: sqlite in the data directory]
    #[arg(long, global = true, env = "QPR_DATABASE", value_name = "URL")]
    database: Option<String>,
    /// Settings file (TOML) [default: ./qpr.toml when present]
    #[arg(long, global = true, env = "QPR_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// The platform's signing key (PKCS#8 PEM) [default: signing-key.pem in the data directory, made on first start]
    #[arg(long, global = true, env = "QPR_SIGNING_KEY", value_name = "FILE")]
    signing_key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "QPR_LISTEN", value_name = "ADDR")]
        listen: Option<SocketAddr>,
        /// Do not load the demo report into an empty database.
        #[arg(long)]
        no_demo: bool,
        /// Also send the deadline reminders (as `qpr remind` does), checked every hour.
        #[arg(long)]
        reminders: bool,
    },
    /// Turn a published page (text or HTML; `-` for stdin) into the report document.
    Parse {
        /// The page.
        file: PathBuf,
        /// One line of JSON instead of pretty-printed.
        #[arg(long)]
        compact: bool,
        /// The year, when the page does not show it.
        #[arg(long)]
        year: Option<i32>,
        /// The Party, when the page does not name it.
        #[arg(long)]
        party: Option<String>,
    },
    /// Check a report document (JSON) against its framework.
    Validate {
        /// The document.
        file: PathBuf,
    },
    /// Parse published pages (report pages of every form version and language, measure pages
    /// of the Policy Monitoring Platform; files or folders of them) and publish them into the
    /// database. Writes a summary as text and as JSON lines; importing a page again adds
    /// nothing twice.
    Import {
        /// The pages, or folders of pages (`.txt`, `.html`, `.htm`, read recursively).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The year of pages that do not show it (2012 pages, measure pages).
        #[arg(long)]
        year: Option<i32>,
        /// The Party of pages that do not name it (measure pages): a name or ISO 3166-1 alpha-3 code.
        #[arg(long)]
        party: Option<String>,
        /// Where to write the summary as JSON lines, one per page [default: import-summary.jsonl in the data directory]
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
    },
    /// Write a consistent snapshot of the database to FILE while it stays online, sealed with
    /// the platform's signing key.
    Backup {
        /// Where to write (JSON lines; restores into SQLite or PostgreSQL).
        file: PathBuf,
    },
    /// Restore a backup into an empty data directory or database, after checking that it is
    /// the file `qpr backup` wrote (its seal, with the platform's keys) and that its revisions
    /// and audit log are intact.
    Restore {
        /// A file written by `qpr backup`.
        file: PathBuf,
        /// Public keys to check the seal with (the key set from
        /// /.well-known/qpr-signing-keys.json, or a key file) [default: the signing key
        /// (--signing-key, else the data directory's) with the keys retired before it]
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Restore a file without a valid seal (a backup of a version before sealing): rows
        /// edited in it are restored as they are. Revisions and the audit chain are still checked.
        #[arg(long)]
        unauthenticated: bool,
    },
    /// Rebuild the search index (the policy monitoring database) from the database.
    Reindex,
    /// Compare the search index with the database and list every difference.
    SearchCheck,
    /// Publish synthetic reports (titles start with [SYNTHETIC]) into a separate database, for
    /// scale tests: either reports holding `--measures` measures in all (for the search), or
    /// full reports (every question answered, measures, statistics) of `--reports` Parties in
    /// each of the last `--cycles` reporting cycles (for the indicators and the map).
    Synth {
        /// Number of measures to generate in all.
        #[arg(long, required_unless_present = "reports", conflicts_with = "reports")]
        measures: Option<usize>,
        /// Number of Parties to make full reports for, one per reporting cycle.
        #[arg(long)]
        reports: Option<usize>,
        /// Number of reporting cycles (the four-year windows, newest last: 2024-2027, then
        /// 2020-2023, …), 1 to 4; with --reports.
        #[arg(long, requires = "reports", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
        cycles: u8,
        /// Seed of the generator: the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Accounts: `qpr user add --role secretariat EMAIL` creates the first administrator.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Send the deadline reminders due today (60, 30 and 7 days before a cycle's deadline) to
    /// the focal point and contributors of every report not yet submitted; each once, however
    /// often it runs (for a daily cron job).
    Remind {
        /// The day to act as (YYYY-MM-DD) [default: today, UTC]
        #[arg(long, value_name = "DATE", value_parser = admin::parse_day)]
        today: Option<time::Date>,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Check a signed report offline: that SIGNATURE was made by the platform's key over
    /// REPORT as it is now (its JSON value; whitespace and key order do not matter).
    Verify {
        /// The report document (JSON), as downloaded.
        report: PathBuf,
        /// The signature file (`qpr-signature/1` JSON).
        signature: PathBuf,
        /// Public keys: the key set from /.well-known/qpr-signing-keys.json, one key of it, or a
        /// public key PEM [default: the data directory's signing key]
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// The platform's signing key.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Print the public key set (the JSON served at /.well-known/qpr-signing-keys.json).
    Show,
    /// Replace the signing key by a new one; the old key's public half stays published (so
    /// earlier signatures keep verifying) and its secret is discarded. Restart `qpr serve`
    /// afterwards: it signs with the key it loaded at start.
    Rotate,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user and print the link with which they choose their password (also e-mailed).
    Add {
        /// The user's role.
        #[arg(long, value_enum)]
        role: admin::Role,
        /// The Party of a focal point or contributor (ISO 3166-1 alpha-3).
        #[arg(long, value_name = "ISO3")]
        party: Option<String>,
        /// The name shown to others [default: the e-mail]
        #[arg(long)]
        name: Option<String>,
        /// The e-mail address (the login).
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check that no entry was edited, removed or re-chained: the hash chain, every entry's
    /// seal (with the platform's keys) and this data directory's anchor.
    Verify {
        /// Public keys to check the seals with (the key set from
        /// /.well-known/qpr-signing-keys.json, or a key file) [default: the signing key with
        /// the keys retired before it]
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
    },
    /// Seal the entries written before sealing began (once, after upgrading; check them first).
    SealLegacy,
}

fn main() -> ExitCode {
    // Everything qpr writes (data directory, database and its journal files, keys, mail,
    // search index, backups) is for the account running it alone: directories 0700, files 0600.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        // Colours only on a terminal: a log file or journal gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            // Errors may quote what a file holds (a page, a document, a signature file).
            eprintln!("error: {}", terminal::escape_keeping_lines(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let settings = |listen| {
        let given = config::Given {
            data_dir: cli.data_dir.clone(),
            database: cli.database.clone(),
            listen,
            signing_key: cli.signing_key.clone(),
        };
        Settings::resolve(cli.config.as_deref(), given)
    };
    match cli.command {
        Command::Parse { ref file, compact, year, ref party } => {
            parse(file, compact, &qpr_import::Hints { party: party.clone(), year })
        }
        Command::Validate { ref file } => validate_file(file),
        Command::Serve { listen, no_demo, reminders } => {
            runtime()?.block_on(serve(settings(listen)?, !no_demo, reminders))
        }
        Command::Import { ref files, year, ref party, ref summary } => {
            let hints = qpr_import::Hints { party: party.clone(), year };
            runtime()?.block_on(bulk::import(settings(None)?, files, &hints, summary.as_deref()))
        }
        Command::Backup { ref file } => runtime()?.block_on(async {
            let settings = settings(None)?;
            let store = open_store(&settings).await?;
            let key = signing::platform_key(&settings)?;
            admin::backup(&store, &key, &settings.data_dir, file).await
        }),
        Command::Restore { ref file, ref key, unauthenticated } => runtime()?.block_on(async {
            let settings = settings(None)?;
            let keys = if unauthenticated {
                None
            } else {
                Some(signing::public_keys(&settings, key.as_deref()).context(
                    "cannot check that the backup is authentic without the platform's keys: name the key file of the \
                     platform that wrote it with --signing-key (or its published key set with --key)",
                )?)
            };
            admin::restore(&open_store(&settings).await?, file, keys.as_ref()).await
        }),
        Command::Reindex => runtime()?.block_on(async {
            let settings = settings(None)?;
            search_cmds::reindex(&open_store(&settings).await?, &settings.data_dir).await
        }),
        Command::SearchCheck => runtime()?.block_on(async {
            let settings = settings(None)?;
            search_cmds::check(&open_store(&settings).await?, &settings.data_dir).await
        }),
        Command::Synth { measures, reports, cycles, seed } => runtime()?.block_on(async {
            let settings = settings(None)?;
            if settings.database.is_none() {
                bail!("qpr synth writes only into a database named with --database URL, kept apart from real reports");
            }
            let document = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT)
                .context("the demo report does not import")?;
            let store = open_store(&settings).await?;
            match (measures, reports) {
                (Some(measures), _) => search_cmds::synth(&store, &document, measures, seed).await,
                (None, Some(reports)) => search_cmds::synth_full(&store, &document, reports, cycles, seed).await,
                (None, None) => bail!("qpr synth needs --measures N or --reports N"),
            }
        }),
        Command::User { command: UserCommand::Add { role, ref party, ref name, ref email } } => {
            runtime()?.block_on(async {
                let settings = settings(None)?;
                let store = open_sealing_store(&settings).await?;
                admin::add_user(
                    &store,
                    &settings,
                    admin::NewAccount { role, party: party.as_deref(), name: name.as_deref(), email },
                )
                .await
            })
        }
        Command::Remind { today } => runtime()?.block_on(async {
            let settings = settings(None)?;
            let today = today.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
            admin::remind(&open_sealing_store(&settings).await?, &settings, today).await
        }),
        Command::Audit { command: AuditCommand::Verify { ref key } } => runtime()?.block_on(async {
            let settings = settings(None)?;
            let keys =
                signing::public_keys(&settings, key.as_deref()).context("cannot check the seals of the audit log")?;
            admin::verify_audit(&open_store(&settings).await?, &keys, &settings.data_dir).await
        }),
        Command::Audit { command: AuditCommand::SealLegacy } => {
            runtime()?.block_on(async { admin::seal_legacy_audit(&open_sealing_store(&settings(None)?).await?).await })
        }
        Command::Verify { ref report, ref signature, ref key } => {
            signing::verify(&settings(None)?, report, signature, key.as_deref())
        }
        Command::Key { command: KeyCommand::Show } => signing::show(&settings(None)?),
        Command::Key { command: KeyCommand::Rotate } => signing::rotate(&settings(None)?),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")
}

/// Reads a file (or stdin for `-`) as UTF-8, saying where it is not.
fn read_text(path: &Path) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

fn parse(path: &Path, compact: bool, hints: &qpr_import::Hints) -> anyhow::Result<ExitCode> {
    let text = read_text(path)?;
    let (_, document) =
        qpr_import::PageImporter::new().import(&text, hints).with_context(|| format!("{}", path.display()))?;
    let json = if compact { serde_json::to_string(&document)? } else { document.to_json_pretty() };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}").context("cannot write to standard output")?;
    for warning in &document.warnings {
        eprintln!("warning: {}:{}: {}", path.display(), warning.line, terminal::escape(&warning.message));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate_file(path: &Path) -> anyhow::Result<ExitCode> {
    let text = read_text(path)?;
    let document =
        ReportDocument::from_json(&text).with_context(|| format!("{} is not a report document", path.display()))?;
    let registry = FrameworkRegistry::builtin();
    let Some(framework) = registry.get(&document.framework) else {
        bail!(
            "{}: unknown framework `{}` (known: {})",
            path.display(),
            document.framework,
            registry.ids().collect::<Vec<_>>().join(", ")
        );
    };
    let findings = validate::validate(framework, &document);
    for finding in &findings {
        let severity = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        eprintln!(
            "{severity}: {}: {}: {}",
            path.display(),
            terminal::escape(&finding.path),
            terminal::escape(&finding.message())
        );
    }
    if let Some(source) = document.source.as_ref().filter(|s| !s.missing_sections.is_empty()) {
        eprintln!(
            "missing: {}: the page stopped early; sections missing: {}",
            path.display(),
            source
                .missing_sections
                .iter()
                .map(|id| framework.section(id).map_or(id.as_str(), |s| s.heading.en.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let sections = validate::completeness(framework, &document);
    let total = validate::overall(&sections);
    eprintln!("{} of {} applicable questions answered ({}%)", total.answered, total.applicable, total.percent());
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create the data directory {}", settings.data_dir.display()))?;
    warn_if_readable_by_others(&settings.data_dir);
    let store = match &settings.database {
        Some(url) => Store::open(url).await,
        None => Store::open_in_data_dir(&settings.data_dir).await,
    };
    store.context("cannot open the database")
}

/// The store of a command that writes audited data: every audit entry it appends is sealed
/// with the platform key (made on first use, as `qpr serve` does).
async fn open_sealing_store(settings: &Settings) -> anyhow::Result<Store> {
    let store = open_store(settings).await?;
    Ok(store.with_audit_key(Arc::new(signing::platform_key(settings)?)))
}

/// A data directory others may read (made by an earlier version, or by hand) is left as it
/// is, but said in the log: it holds the database, the signing key and the mail.
fn warn_if_readable_by_others(data_dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = std::fs::metadata(data_dir) {
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                tracing::warn!(
                    "the data directory {} has mode {mode:03o}: other accounts may read or enter it (database, keys, mail); \
                     `chmod 700` it unless that is intended",
                    data_dir.display()
                );
            }
        }
    }
}

async fn serve(settings: Settings, load_demo: bool, reminders: bool) -> anyhow::Result<ExitCode> {
    let signing_key = Arc::new(signing::platform_key(&settings)?);
    let store = open_store(&settings).await?.with_audit_key(Arc::clone(&signing_key));
    if load_demo && store.report_count().await? == 0 {
        let document = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT)
            .context("the demo report does not import")?;
        store.publish(&document, "demo data").await?;
        tracing::info!("Loaded the demo report (Azerbaijan 2022) into the empty database");
    }
    let search = search_cmds::start_follower(&settings.data_dir, store.clone())?;
    let site = qpr_web::SiteSettings::new(&settings.public_url)
        .with_trusted_proxies(settings.trusted_proxies.clone())
        .with_node(settings.node_name.clone(), settings.metrics_token.clone());
    let state = qpr_web::AppState::new(store, search, settings.mailer()?, site, signing_key);
    if reminders {
        tokio::spawn(admin::remind_hourly(state.workflow.clone()));
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    tracing::info!(address = %settings.listen, "Serving on http://{}", settings.listen);
    let store = state.store.clone();
    server::serve(listener, qpr_web::router(state), settings.limits)
        .await
        .context("the server stopped with an error")?;
    // The database's connections end cleanly (PostgreSQL logs no broken connection).
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn the_embedded_demo_imports() {
        let document = qpr_import::import_published(Framework::qpr_2020(), DEMO_REPORT).unwrap();
        assert_eq!((document.party.name.as_str(), document.year), ("Azerbaijan", 2022));
    }
}
