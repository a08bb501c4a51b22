//! Operations on the database: backup, restore, audit-log verification, accounts.

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

/// A role given from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Member of the Secretariat: opens cycles, names focal points, reviews.
    Secretariat,
    /// A Party's focal point (needs --party).
    FocalPoint,
    /// A contributor of a Party (needs --party).
    Contributor,
}

/// What `qpr user add` was given.
#[derive(Debug)]
pub struct NewAccount<'a> {
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
pub async fn add_user(store: &Store, settings: &crate::config::Settings, account: NewAccount<'_>) -> anyhow::Result<ExitCode> {
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
    let mailer = settings.mailer()?;
    let display_name = account.name.unwrap_or(email);
    let new_user = qpr_store::NewUser { email, display_name, password_hash: None, is_secretariat: account.role == Role::Secretariat };
    let user = store.create_user(&new_user, "cli").await.with_context(|| format!("cannot create the user {email}"))?;
    if let Some(party) = party {
        let role =
            if account.role == Role::FocalPoint { qpr_store::MembershipRole::FocalPoint } else { qpr_store::MembershipRole::Contributor };
        store.set_membership(&qpr_store::Membership { user_id: user, party_iso3: party, role, sections: None }, "cli").await?;
    }
    let link = qpr_web::first_password_link(store, &settings.public_url, user).await.context("cannot make the password link")?;
    let mail = qpr_mail::Mail {
        to: email.to_owned(),
        subject: "Your account on the periodic reporting platform".to_owned(),
        body: format!(
            "Hello,\n\nAn account was created for you. Open this link to choose your password: {link}\n\nThe link works once, for 14 days.\n"
        ),
    };
    if let Err(error) = mailer.send(&mail).await {
        eprintln!("warning: the e-mail to {email} could not be sent ({error}); give them the link yourself");
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "created user {email} (id {user})")?;
    writeln!(stdout, "to choose the password, open: {link}")?;
    Ok(ExitCode::SUCCESS)
}

/// A day written `YYYY-MM-DD` (for `--today`).
pub fn parse_day(text: &str) -> Result<time::Date, String> {
    time::Date::parse(text, &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))
}

/// Sends the reminders due `today` and prints what was done; fails (for cron to report it) when
/// a reminder could not be sent to anyone. Those are tried again on the next run.
pub async fn remind(store: &Store, settings: &crate::config::Settings, today: time::Date) -> anyhow::Result<ExitCode> {
    let frameworks = qpr_domain::framework::FrameworkRegistry::builtin();
    let run = qpr_web::send_reminders(store, &frameworks, &settings.mailer()?, &settings.public_url, today)
        .await
        .context("cannot send the reminders")?;
    writeln!(std::io::stdout().lock(), "{today}: {}", run.summary())?;
    if run.failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("{} reminder(s) could not be sent; see the warnings above", run.failed.len())
    }
}

/// `qpr serve --reminders`: sends the reminders due, at start and then every hour (each goes
/// once, so checking often only makes them prompt). A failed run is logged and retried.
pub async fn remind_hourly(state: qpr_web::AppState) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        let today = time::OffsetDateTime::now_utc().date();
        match qpr_web::send_reminders(&state.store, &state.frameworks, &state.mailer, &state.settings.public_url, today).await {
            Ok(run) if run.total() > 0 || !run.failed.is_empty() => tracing::info!("reminders: {}", run.summary()),
            Ok(_) => {}
            Err(error) => tracing::warn!("reminders not sent: {error}"),
        }
    }
}
