//! Settings of every subcommand, from (in order of precedence) the command line, the
//! environment (`QPR_DATA_DIR`, `QPR_DATABASE`, `QPR_LISTEN`, `QPR_SIGNING_KEY`,
//! `QPR_PUBLIC_URL`, `QPR_SMTP_RELAY`, `QPR_MAIL_FROM`), a TOML file
//! (`--config`, `QPR_CONFIG`, or `./qpr.toml` when present) and the defaults: data in
//! `./qpr-data`, SQLite and the signing key inside it, listening on 127.0.0.1:8080.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The settings file's keys; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Database URL.
    pub database: Option<String>,
    /// Address to listen on.
    pub listen: Option<SocketAddr>,
    /// The platform's signing key file (PKCS#8 PEM).
    pub signing_key: Option<PathBuf>,
    /// The address people open, for links in e-mails (`https://qpr.example.org`).
    pub public_url: Option<String>,
    /// SMTP relay (`smtp://host:port`); without one, mail goes to the data dir's outbox folder.
    pub smtp_relay: Option<String>,
    /// Sender of the platform's e-mails.
    pub mail_from: Option<String>,
}

/// Settings after every source is merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where the database file, keys and outbox folders live.
    pub data_dir: PathBuf,
    /// Database URL; `None` means SQLite in the data dir.
    pub database: Option<String>,
    /// Address `serve` listens on.
    pub listen: SocketAddr,
    /// The signing key file named by the settings; `None` means the data dir's, made on
    /// first start.
    pub signing_key: Option<PathBuf>,
    /// The address people open; `http://` + the listening address when not set.
    pub public_url: String,
    /// SMTP relay, if any.
    pub smtp_relay: Option<String>,
    /// Sender of the platform's e-mails.
    pub mail_from: String,
}

/// Where mail is written when no relay is configured, inside the data dir.
pub const MAIL_OUTBOX_DIR: &str = "mail-outbox";

/// The sender when none is configured.
pub const DEFAULT_MAIL_FROM: &str = "qpr <noreply@localhost>";

/// The default address: loopback only, so a first start exposes nothing.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Settings {
    /// Merges command-line/environment values (clap reads both) over the settings file.
    pub fn resolve(config: Option<&Path>, given: Given) -> anyhow::Result<Settings> {
        let file = match config {
            Some(path) => read_file(path)?,
            None if Path::new("qpr.toml").exists() => read_file(Path::new("qpr.toml"))?,
            None => FileSettings::default(),
        };
        let default_listen: SocketAddr = DEFAULT_LISTEN.parse().context("default address")?;
        let listen = given.listen.or(file.listen).unwrap_or(default_listen);
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Ok(Settings {
            data_dir: given.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("qpr-data")),
            database: given.database.or(file.database),
            listen,
            signing_key: given.signing_key.or(file.signing_key),
            public_url: env("QPR_PUBLIC_URL").or(file.public_url).unwrap_or_else(|| format!("http://{listen}")),
            smtp_relay: env("QPR_SMTP_RELAY").or(file.smtp_relay),
            mail_from: env("QPR_MAIL_FROM").or(file.mail_from).unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
        })
    }

    /// The mailer these settings name: the relay, else the outbox folder of the data dir.
    pub fn mailer(&self) -> anyhow::Result<qpr_mail::Mailer> {
        let mailer = match &self.smtp_relay {
            Some(relay) => qpr_mail::Mailer::to_relay(&self.mail_from, relay),
            None => qpr_mail::Mailer::to_folder(&self.mail_from, self.data_dir.join(MAIL_OUTBOX_DIR)),
        };
        mailer.context("mail settings (smtp_relay, mail_from)")
    }

    /// Where the signing key is: the file the settings name, else `signing-key.pem` in the
    /// data dir.
    pub fn signing_key_path(&self) -> PathBuf {
        self.signing_key.clone().unwrap_or_else(|| self.data_dir.join(qpr_signature::KEY_FILE_NAME))
    }
}

/// Values given on the command line or in the environment (clap reads both).
#[derive(Debug, Default)]
pub struct Given {
    /// `--data-dir`, `QPR_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--database`, `QPR_DATABASE`.
    pub database: Option<String>,
    /// `serve --listen`, `QPR_LISTEN`.
    pub listen: Option<SocketAddr>,
    /// `--signing-key`, `QPR_SIGNING_KEY`.
    pub signing_key: Option<PathBuf>,
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the settings file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("the settings file {} is not valid", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_over_the_file_which_wins_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "data_dir = \"/srv/qpr\"\nlisten = \"127.0.0.1:9000\"\n").unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert_eq!(settings.data_dir, PathBuf::from("/srv/qpr"));
        assert_eq!(settings.listen.port(), 9000);
        assert_eq!(settings.signing_key_path(), PathBuf::from("/srv/qpr/signing-key.pem"));
        let settings = Settings::resolve(Some(&path), Given { data_dir: Some("/tmp/x".into()), ..Given::default() }).unwrap();
        assert_eq!(settings.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn a_bad_settings_file_says_which_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "data_dri = 1\n").unwrap();
        let error = format!("{:#}", Settings::resolve(Some(&path), Given::default()).unwrap_err());
        assert!(error.contains("qpr.toml") && error.contains("data_dri"), "{error}");
    }

    #[test]
    fn the_signing_key_can_be_named_in_the_file_and_on_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "signing_key = \"/etc/qpr/key.pem\"\n").unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert_eq!(settings.signing_key_path(), PathBuf::from("/etc/qpr/key.pem"));
        let given = Given { signing_key: Some("/run/key.pem".into()), ..Given::default() };
        assert_eq!(Settings::resolve(Some(&path), given).unwrap().signing_key_path(), PathBuf::from("/run/key.pem"));
    }
}
