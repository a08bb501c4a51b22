//! Outgoing e-mail of qpr: invitations, password links, notifications.
//!
//! Boundary: this crate knows how a message leaves the platform and nothing of why. Callers
//! build a [`Mail`] (one recipient, a subject, a plain-text body) and [`Mailer::send`] it:
//!
//! - through SMTP when a relay is configured (`smtp://host:port`, plain SMTP to a relay on the
//!   host or the local network, which does the TLS and the retries: a deployment's usual MTA);
//! - else into the folder `mail-outbox` of the data dir, one RFC 5322 `.eml` file per message
//!   (what SMTP would have carried, byte for byte) with a small JSON index entry beside it, so
//!   that nothing needs a mail server to work and an administrator can read every message on an
//!   admin page ([`Mailer::outbox`]).
//!
//! Writing a message into the folder is atomic (a temporary file renamed into place), so the
//! admin page never lists half a message.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// A message as kept in the outbox folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The file name of the message (without `.eml`/`.json`), sortable by time.
    pub id: String,
    /// When it was written (RFC 3339, UTC).
    pub at: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address is not an e-mail address.
    #[error("`{address}` is not an e-mail address: {reason}")]
    Address {
        /// The address as given.
        address: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The message could not be built.
    #[error("the message could not be built: {0}")]
    Message(String),
    /// The SMTP relay refused or could not be reached.
    #[error("the mail relay failed: {0}")]
    Smtp(String),
    /// The outbox folder could not be written or read.
    #[error("the mail outbox {path}: {source}")]
    Folder {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The configured relay URL is not usable.
    #[error("mail relay `{0}` is not an smtp://host[:port] URL")]
    RelayUrl(String),
}

impl MailError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            MailError::Address { .. } => "mail_bad_address",
            MailError::Message(_) => "mail_bad_message",
            MailError::Smtp(_) => "mail_relay_failed",
            MailError::Folder { .. } => "mail_outbox_failed",
            MailError::RelayUrl(_) => "mail_bad_relay",
        }
    }
}

/// Where messages go.
#[derive(Clone)]
enum Transport {
    Folder(PathBuf),
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, relay: String },
}

/// Sends messages from one sender address.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let target = match &self.transport {
            Transport::Folder(path) => format!("folder {}", path.display()),
            Transport::Smtp { relay, .. } => format!("relay {relay}"),
        };
        f.debug_struct("Mailer").field("from", &self.from.to_string()).field("to", &target).finish()
    }
}

/// Makes the outbox files of one process unique within a nanosecond.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// A bare e-mail address (`name@example.org`, no display name) as the mailer will accept it,
/// trimmed; the error says why not. Check with this before anything is stored for an address,
/// so that a refused address leaves nothing behind.
pub fn parse_address(address: &str) -> Result<String, MailError> {
    let trimmed = address.trim();
    let parsed = trimmed
        .parse::<lettre::Address>()
        .map_err(|e| MailError::Address { address: address.to_owned(), reason: e.to_string() })?;
    if trimmed.chars().any(char::is_control) || trimmed.len() > 254 {
        return Err(MailError::Address {
            address: address.to_owned(),
            reason: "control characters or longer than 254".into(),
        });
    }
    Ok(parsed.to_string())
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse::<Mailbox>()
        .map_err(|e| MailError::Address { address: address.to_owned(), reason: e.to_string() })
}

impl Mailer {
    /// A mailer writing into `folder` (created when the first message is written).
    pub fn to_folder(from: &str, folder: impl Into<PathBuf>) -> Result<Mailer, MailError> {
        Ok(Mailer { from: mailbox(from)?, transport: Transport::Folder(folder.into()) })
    }

    /// A mailer sending through the SMTP relay at `relay` (`smtp://host[:port]`, port 25 by
    /// default).
    pub fn to_relay(from: &str, relay: &str) -> Result<Mailer, MailError> {
        let rest = relay.strip_prefix("smtp://").ok_or_else(|| MailError::RelayUrl(relay.to_owned()))?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| MailError::RelayUrl(relay.to_owned()))?),
            None => (rest.trim_end_matches('/'), 25),
        };
        if host.is_empty() {
            return Err(MailError::RelayUrl(relay.to_owned()));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).build();
        Ok(Mailer { from: mailbox(from)?, transport: Transport::Smtp { transport, relay: relay.to_owned() } })
    }

    /// The folder messages are written to, when they are not sent through a relay.
    pub fn folder(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Folder(path) => Some(path),
            Transport::Smtp { .. } => None,
        }
    }

    /// Sends one message.
    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(mailbox(&mail.to)?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Message(e.to_string()))?;
        match &self.transport {
            Transport::Smtp { transport, .. } => {
                transport.send(message).await.map_err(|e| MailError::Smtp(e.to_string()))?;
            }
            Transport::Folder(folder) => write_to_folder(folder, mail, &message.formatted())?,
        }
        tracing::info!(to = %mail.to, subject = %mail.subject, "Mail sent");
        Ok(())
    }

    /// The messages in the outbox folder, newest first (none when sending through a relay).
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>, MailError> {
        let Some(folder) = self.folder() else { return Ok(Vec::new()) };
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(MailError::Folder { path: folder.to_owned(), source }),
        };
        let mut mails = Vec::new();
        for entry in entries {
            let path = entry.map_err(|source| MailError::Folder { path: folder.to_owned(), source })?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| MailError::Folder { path: path.clone(), source })?;
                match serde_json::from_str::<OutboxEntry>(&text) {
                    Ok(mail) => mails.push(mail),
                    // A stray file is not ours to judge: say so, list the rest.
                    Err(e) => tracing::warn!(file = %path.display(), "Not a qpr outbox entry: {e}"),
                }
            }
        }
        mails.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(mails)
    }
}

fn write_to_folder(folder: &Path, mail: &Mail, formatted: &[u8]) -> Result<(), MailError> {
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |source| MailError::Folder { path, source }
    };
    std::fs::create_dir_all(folder).map_err(failed(folder))?;
    let now = time::OffsetDateTime::now_utc();
    let at =
        now.format(&time::format_description::well_known::Rfc3339).map_err(|e| MailError::Message(e.to_string()))?;
    let id = format!("{:020}-{:06}", now.unix_timestamp_nanos(), SEQUENCE.fetch_add(1, Ordering::Relaxed) % 1_000_000);
    let entry =
        OutboxEntry { id: id.clone(), at, to: mail.to.clone(), subject: mail.subject.clone(), body: mail.body.clone() };
    let json = serde_json::to_vec_pretty(&entry).map_err(|e| MailError::Message(e.to_string()))?;
    // The message first, its index entry last: a listed entry always has its message.
    for (extension, bytes) in [("eml", formatted), ("json", json.as_slice())] {
        let path = folder.join(format!("{id}.{extension}"));
        let temporary = folder.join(format!(".{id}.{extension}.tmp"));
        std::fs::write(&temporary, bytes).map_err(failed(&temporary))?;
        std::fs::rename(&temporary, &path).map_err(failed(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Rapport périodique: invitation".into(),
            body: "Bonjour,\nvoici le lien.".into(),
        }
    }

    #[tokio::test]
    async fn folder_mail_is_a_real_message_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::to_folder("qpr <noreply@qpr.example>", dir.path().join("mail-outbox")).unwrap();
        assert!(mailer.outbox().unwrap().is_empty(), "no folder yet is an empty outbox");
        mailer.send(&mail("focal@culture.gov.az")).await.unwrap();
        mailer.send(&mail("cso@example.org")).await.unwrap();
        let listed = mailer.outbox().unwrap();
        assert_eq!(
            listed.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(),
            ["cso@example.org", "focal@culture.gov.az"]
        );
        assert_eq!(listed[0].body, "Bonjour,\nvoici le lien.");
        let eml =
            std::fs::read_to_string(dir.path().join("mail-outbox").join(format!("{}.eml", listed[0].id))).unwrap();
        assert!(eml.contains("To: cso@example.org"), "{eml}");
        assert!(eml.contains("Subject: Rapport =?utf-8?"), "non-ASCII subjects are encoded: {eml}");
    }

    #[tokio::test]
    async fn bad_addresses_and_relays_are_refused_with_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::to_folder("noreply@qpr.example", dir.path()).unwrap();
        let error = mailer.send(&mail("not an address")).await.unwrap_err();
        assert_eq!(error.code(), "mail_bad_address");
        assert!(error.to_string().contains("not an address"), "{error}");
        assert!(mailer.outbox().unwrap().is_empty(), "nothing half-written");
        assert_eq!(Mailer::to_relay("noreply@qpr.example", "http://relay").unwrap_err().code(), "mail_bad_relay");
        assert_eq!(Mailer::to_relay("noreply@qpr.example", "smtp://relay:x").unwrap_err().code(), "mail_bad_relay");
        assert!(Mailer::to_relay("noreply@qpr.example", "smtp://127.0.0.1:2525").is_ok());
    }
}
