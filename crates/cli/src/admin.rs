//! Operations on the database: backup, restore, audit-log verification, accounts.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use qpr_signature::{PlatformKey, PublicKeySet};
use qpr_store::Store;

use crate::backup_auth;

/// Writes a consistent snapshot of the whole database to `file` (JSON lines, both engines),
/// sealed with the platform key (an authentication line at the end, see [`backup_auth`]),
/// and moves the data dir's audit anchor up to the head it saw.
pub(crate) async fn backup(store: &Store, key: &PlatformKey, data_dir: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    // Written to a temporary name first, so a failed backup never leaves a file that looks whole.
    let partial = file.with_extension("partial");
    let out = BufWriter::new(File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?);
    let mut out = backup_auth::Hashing::new(out);
    let summary = store.backup(&mut out).await.context("backup failed")?;
    let out = out.seal(key).context("cannot write the backup")?;
    out.get_ref().sync_all().context("cannot flush the backup to disk")?;
    std::fs::rename(&partial, file).with_context(|| format!("cannot move the backup to {}", file.display()))?;
    eprintln!(
        "backed up {} rows ({} reports, {} revisions) to {}, sealed with key {}",
        summary.total(),
        summary.rows["reports"],
        summary.rows["revisions"],
        file.display(),
        key.key_id()
    );
    anchor::advance(data_dir, &store.audit_head().await?);
    Ok(ExitCode::SUCCESS)
}

/// Restores a backup into an empty database: only a file whose authentication line verifies
/// with `keys`, unless `keys` is `None` (`--unauthenticated`, for backups of older versions).
pub(crate) async fn restore(store: &Store, file: &Path, keys: Option<&PublicKeySet>) -> anyhow::Result<ExitCode> {
    let length = match keys {
        Some(keys) => {
            let (length, key_id) = backup_auth::check(file, keys)?;
            eprintln!("{} is authentic: sealed with key {key_id}, unchanged since", file.display());
            length
        }
        None => {
            eprintln!(
                "WARNING: restoring {} WITHOUT checking that it is authentic (--unauthenticated): rows edited in the file \
                 (a user made Secretariat, a password hash replaced) would be restored as they are. Only for backups of \
                 versions before authentication, from a copy you trust.",
                file.display()
            );
            backup_auth::find_trailer(file)?.0
        }
    };
    let input =
        BufReader::new(File::open(file).with_context(|| format!("cannot open {}", file.display()))?.take(length));
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

/// Checks the audit log: the hash chain, every entry's seal with the platform's keys, and the
/// data dir's anchor (the head this node last saw); fails when any entry was edited, removed
/// or re-chained. When intact, the anchor moves up to the current head.
pub(crate) async fn verify_audit(store: &Store, keys: &PublicKeySet, data_dir: &Path) -> anyhow::Result<ExitCode> {
    let anchored = anchor::read(data_dir)?;
    let (checked, problems) =
        store.verify_audit_sealed(keys, anchored.as_ref()).await.context("cannot read the audit log")?;
    if problems.is_empty() {
        anchor::advance(data_dir, &store.audit_head().await?);
        eprintln!("audit log intact: {checked} entries, every hash, link and seal checked");
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        eprintln!("audit entry {}: {} [{}]", problem.seq, problem.message, problem.code);
    }
    let only_unsealed = problems.iter().all(|problem| problem.code == "unsealed_entry");
    if only_unsealed {
        bail!(
            "the audit log has {} entries without a seal in {checked} entries [unsealed_entry]; if they were written before \
             sealing began (an upgrade), check them and run `qpr audit seal-legacy` once",
            problems.len()
        )
    }
    bail!("the audit log was tampered with: {} problem(s) in {checked} entries", problems.len())
}

/// Seals the audit entries written before sealing began, once, after an upgrade.
pub(crate) async fn seal_legacy_audit(store: &Store) -> anyhow::Result<ExitCode> {
    let sealed = store.seal_legacy_audit_entries().await.context("cannot seal the audit log")?;
    eprintln!("sealed {sealed} audit entries written before sealing began");
    Ok(ExitCode::SUCCESS)
}

/// The audit anchor: `<data-dir>/audit-anchor.json`, `{"seq": N, "hash": "…"}`, the newest
/// head of the audit log this node has seen (at `qpr audit verify` and `qpr backup`). Outside
/// the database, it shows up a rollback of the log's newest entries that the seals cannot.
/// Per node: on PostgreSQL each node's anchor is a lower bound of the log, never wrong.
pub(crate) mod anchor {
    use std::path::{Path, PathBuf};

    use anyhow::Context;
    use qpr_store::AuditAnchor;

    /// The anchor file's name in the data dir.
    pub(crate) const FILE_NAME: &str = "audit-anchor.json";

    fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// The anchor, when there is one.
    pub(crate) fn read(data_dir: &Path) -> anyhow::Result<Option<AuditAnchor>> {
        let path = path(data_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error).with_context(|| format!("cannot read {}", path.display())),
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
        match (value["seq"].as_i64(), value["hash"].as_str()) {
            (Some(seq), Some(hash)) => Ok(Some(AuditAnchor { seq, hash: hash.to_owned() })),
            _ => anyhow::bail!("{}: expected {{\"seq\": N, \"hash\": \"…\"}}", path.display()),
        }
    }

    /// Moves the anchor up to `head` (never back: a head older than the anchor is left for
    /// `qpr audit verify` to report). Failing to write it is a warning, not an error.
    pub(crate) fn advance(data_dir: &Path, head: &AuditAnchor) {
        match read(data_dir) {
            Ok(Some(anchor)) if anchor.seq > head.seq => {
                tracing::warn!(
                    anchored = anchor.seq,
                    head = head.seq,
                    "the audit log ends before the entry this node saw last; run `qpr audit verify`"
                );
                return;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!("{error:#}; the audit anchor is written again"),
        }
        let path = path(data_dir);
        let temporary = data_dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let json = serde_json::json!({"seq": head.seq, "hash": head.hash}).to_string();
        let written = std::fs::write(&temporary, json).and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(error) = written {
            let _ = std::fs::remove_file(&temporary);
            tracing::warn!("cannot write the audit anchor {}: {error}", path.display());
        }
    }
}

/// A role given from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Role {
    /// Member of the Secretariat: opens cycles, names focal points, reviews.
    Secretariat,
    /// A Party's focal point (needs --party).
    FocalPoint,
    /// A contributor of a Party (needs --party).
    Contributor,
}

/// What `qpr user add` was given.
#[derive(Debug)]
pub(crate) struct NewAccount<'a> {
    /// The role.
    pub role: Role,
    /// The Party, for Party roles.
    pub party: Option<&'a str>,
    /// The name shown to others.
    pub name: Option<&'a str>,
    /// The e-mail (login).
    pub email: &'a str,
}

/// Creates a user without a password and prints the one-time link with which they choose it;
/// the link is also e-mailed (or written to the mail outbox folder).
pub(crate) async fn add_user(
    store: &Store,
    settings: &crate::config::Settings,
    account: NewAccount<'_>,
) -> anyhow::Result<ExitCode> {
    let email = account.email.trim();
    if !email.contains('@') || email.contains(char::is_whitespace) {
        bail!("`{email}` is not an e-mail address");
    }
    let party = match (account.role, account.party) {
        (Role::Secretariat, Some(_)) => bail!("--party is for focal points and contributors, not the Secretariat"),
        (Role::Secretariat, None) => None,
        (_, None) => bail!("a focal point or contributor needs --party ISO3"),
        (_, Some(code)) => Some(
            qpr_domain::countries::by_iso3(&code.trim().to_uppercase())
                .with_context(|| format!("--party: `{code}` is not an ISO 3166-1 alpha-3 country code"))?
                .iso3
                .to_string(),
        ),
    };
    let workflow = qpr_workflow::Workflow::new(store.clone(), settings.mailer()?, &settings.public_url);
    let role = if account.role == Role::FocalPoint {
        qpr_store::MembershipRole::FocalPoint
    } else {
        qpr_store::MembershipRole::Contributor
    };
    let new_account = qpr_workflow::NewAccount {
        email,
        name: account.name,
        secretariat: account.role == Role::Secretariat,
        party: party.map(|party| (party, role)),
    };
    let created = qpr_workflow::create_account(&workflow, &new_account, "cli")
        .await
        .with_context(|| format!("cannot create the user {email}"))?;
    let (user, link) = (created.user, created.link);
    if let Err(error) = created.mailed {
        eprintln!("warning: the e-mail to {email} could not be sent ({error}); give them the link yourself");
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "created user {email} (id {user})")?;
    writeln!(stdout, "to choose the password, open: {link}")?;
    Ok(ExitCode::SUCCESS)
}

/// A day written `YYYY-MM-DD` (for `--today`).
pub(crate) fn parse_day(text: &str) -> Result<time::Date, String> {
    time::Date::parse(text, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))
}

/// Sends the reminders due `today` and prints what was done; fails (for cron to report it) when
/// a reminder could not be sent to anyone. Those are tried again on the next run.
pub(crate) async fn remind(
    store: &Store,
    settings: &crate::config::Settings,
    today: time::Date,
) -> anyhow::Result<ExitCode> {
    let workflow = qpr_workflow::Workflow::new(store.clone(), settings.mailer()?, &settings.public_url);
    let run = workflow.send_reminders(today).await.context("cannot send the reminders")?;
    writeln!(std::io::stdout().lock(), "{today}: {}", run.summary())?;
    if run.failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("{} reminder(s) could not be sent; see the warnings above", run.failed.len())
    }
}

/// `qpr serve --reminders`: sends the reminders due, at start and then every hour (each goes
/// once, so checking often only makes them prompt). A failed run is logged and retried.
pub(crate) async fn remind_hourly(workflow: qpr_workflow::Workflow) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        let today = time::OffsetDateTime::now_utc().date();
        match workflow.send_reminders(today).await {
            Ok(run) if run.total() > 0 || !run.failed.is_empty() => tracing::info!("reminders: {}", run.summary()),
            Ok(_) => {}
            Err(error) => tracing::warn!("reminders not sent: {error}"),
        }
    }
}
