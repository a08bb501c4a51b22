//! Settings of every subcommand, from (in order of precedence) the command line, the
//! environment (`QPR_DATA_DIR`, `QPR_DATABASE`, `QPR_LISTEN`, `QPR_SIGNING_KEY`,
//! `QPR_PUBLIC_URL`, `QPR_SMTP_RELAY`, `QPR_MAIL_FROM`, `QPR_TRUSTED_PROXIES`,
//! `QPR_HEADER_TIMEOUT`, `QPR_BODY_TIMEOUT`, `QPR_IDLE_TIMEOUT`, `QPR_MAX_CONNECTIONS`,
//! `QPR_DRAIN_TIMEOUT`, `QPR_NODE_NAME`, `QPR_METRICS_TOKEN`), a TOML file
//! (`--config`, `QPR_CONFIG`, or `./qpr.toml` when present) and the defaults: data in
//! `./qpr-data`, SQLite and the signing key inside it, listening on 127.0.0.1:8080.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::server::Limits;

/// The settings file's keys; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSettings {
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
    /// Reverse proxies (addresses or CIDR networks) whose `Forwarded` / `X-Forwarded-For`
    /// headers name the client; none by default.
    pub trusted_proxies: Option<Vec<String>>,
    /// Seconds a client has to send a request's headers [10].
    pub header_timeout: Option<u64>,
    /// Seconds a client has to send a request's body [60].
    pub body_timeout: Option<u64>,
    /// Seconds after which a connection on which nothing moves is closed [60].
    pub idle_timeout: Option<u64>,
    /// Connections served at once, at most [1024; lowered below the open file limit].
    pub max_connections: Option<usize>,
    /// Seconds `serve` waits, after SIGTERM or Ctrl-C, for the requests in flight [30].
    pub drain_timeout: Option<u64>,
    /// This server's name among several on one database (the `X-Qpr-Node` header) [none].
    pub node_name: Option<String>,
    /// A bearer token that lets a scraper read `/metrics` from another host [none: loopback only].
    pub metrics_token: Option<String>,
}

/// Settings after every source is merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
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
    /// Reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: qpr_web::TrustedProxies,
    /// Time limits and number of connections of `serve`.
    pub limits: Limits,
    /// This server's name among several (`X-Qpr-Node`), if any.
    pub node_name: Option<String>,
    /// The token that opens `/metrics` to other hosts, if any.
    pub metrics_token: Option<String>,
}

/// Where mail is written when no relay is configured, inside the data dir.
pub(crate) const MAIL_OUTBOX_DIR: &str = "mail-outbox";

/// The sender when none is configured.
pub(crate) const DEFAULT_MAIL_FROM: &str = "qpr <noreply@localhost>";

/// The default address: loopback only, so a first start exposes nothing.
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Settings {
    /// Merges command-line/environment values (clap reads both) over the settings file.
    pub(crate) fn resolve(config: Option<&Path>, given: Given) -> anyhow::Result<Settings> {
        let file = match config {
            Some(path) => read_file(path)?,
            None if Path::new("qpr.toml").exists() => read_file(Path::new("qpr.toml"))?,
            None => FileSettings::default(),
        };
        let default_listen: SocketAddr = DEFAULT_LISTEN.parse().context("default address")?;
        let listen = given.listen.or(file.listen).unwrap_or(default_listen);
        let env = |name: &str| env_text(name, std::env::var(name));
        let trusted_proxies = match env("QPR_TRUSTED_PROXIES")? {
            Some(list) => {
                qpr_web::TrustedProxies::parse_list(&list).map_err(|e| anyhow::anyhow!("QPR_TRUSTED_PROXIES: {e}"))?
            }
            None => {
                let list = file.trusted_proxies.unwrap_or_default();
                let networks = list.iter().map(|item| item.parse()).collect::<Result<Vec<_>, String>>();
                qpr_web::TrustedProxies::new(networks.map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))?)
            }
        };
        let defaults = Limits::default();
        let seconds = |name: &str, key: &str, file: Option<u64>, default: Duration| -> anyhow::Result<Duration> {
            match number(name, file)? {
                Some(0) => bail!("{key} ({name}) must be at least 1 second"),
                Some(seconds) => Ok(Duration::from_secs(seconds)),
                None => Ok(default),
            }
        };
        let limits = Limits {
            header_timeout: seconds(
                "QPR_HEADER_TIMEOUT",
                "header_timeout",
                file.header_timeout,
                defaults.header_timeout,
            )?,
            body_timeout: seconds("QPR_BODY_TIMEOUT", "body_timeout", file.body_timeout, defaults.body_timeout)?,
            idle_timeout: seconds("QPR_IDLE_TIMEOUT", "idle_timeout", file.idle_timeout, defaults.idle_timeout)?,
            max_connections: match number("QPR_MAX_CONNECTIONS", file.max_connections)? {
                Some(0) => bail!("max_connections (QPR_MAX_CONNECTIONS) must be at least 1"),
                Some(max) => max,
                None => defaults.max_connections,
            },
            drain_timeout: seconds("QPR_DRAIN_TIMEOUT", "drain_timeout", file.drain_timeout, defaults.drain_timeout)?,
        };
        let node_name = env("QPR_NODE_NAME")?.or(file.node_name);
        if let Some(name) = &node_name
            && (name.len() > 64 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)))
        {
            bail!("node_name (QPR_NODE_NAME) `{name}`: at most 64 letters, digits, `-`, `_` or `.`");
        }
        let metrics_token = env("QPR_METRICS_TOKEN")?.or(file.metrics_token);
        if metrics_token.as_ref().is_some_and(|token| token.len() < 16 || token.chars().any(|c| !c.is_ascii_graphic()))
        {
            bail!("metrics_token (QPR_METRICS_TOKEN): at least 16 printable characters without spaces");
        }
        Ok(Settings {
            data_dir: given.data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("qpr-data")),
            database: given.database.or(file.database),
            listen,
            signing_key: given.signing_key.or(file.signing_key),
            public_url: env("QPR_PUBLIC_URL")?.or(file.public_url).unwrap_or_else(|| format!("http://{listen}")),
            smtp_relay: env("QPR_SMTP_RELAY")?.or(file.smtp_relay),
            mail_from: env("QPR_MAIL_FROM")?.or(file.mail_from).unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
            trusted_proxies,
            limits,
            node_name,
            metrics_token,
        })
    }

    /// The mailer these settings name: the relay, else the outbox folder of the data dir.
    pub(crate) fn mailer(&self) -> anyhow::Result<qpr_mail::Mailer> {
        let mailer = match &self.smtp_relay {
            Some(relay) => qpr_mail::Mailer::to_relay(&self.mail_from, relay),
            None => qpr_mail::Mailer::to_folder(&self.mail_from, self.data_dir.join(MAIL_OUTBOX_DIR)),
        };
        mailer.context("mail settings (smtp_relay, mail_from)")
    }

    /// Where the signing key is: the file the settings name, else `signing-key.pem` in the
    /// data dir.
    pub(crate) fn signing_key_path(&self) -> PathBuf {
        self.signing_key.clone().unwrap_or_else(|| self.data_dir.join(qpr_signature::KEY_FILE_NAME))
    }
}

/// Values given on the command line or in the environment (clap reads both).
#[derive(Debug, Default)]
pub(crate) struct Given {
    /// `--data-dir`, `QPR_DATA_DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--database`, `QPR_DATABASE`.
    pub database: Option<String>,
    /// `serve --listen`, `QPR_LISTEN`.
    pub listen: Option<SocketAddr>,
    /// `--signing-key`, `QPR_SIGNING_KEY`.
    pub signing_key: Option<PathBuf>,
}

/// The value of the environment variable `name` as `std::env::var` read it: `None` when it is
/// unset or empty (an empty value is no value, as the shell's `VAR=` means), an error when it
/// is not UTF-8 (it would otherwise be ignored without a word).
fn env_text(name: &str, value: Result<String, std::env::VarError>) -> anyhow::Result<Option<String>> {
    match value {
        Ok(text) => Ok(Some(text).filter(|v| !v.is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(text)) => bail!("{name} is not valid UTF-8: {}", text.to_string_lossy()),
    }
}

/// A number from the environment variable `name`, else the file's.
fn number<T: FromStr>(name: &str, file: Option<T>) -> anyhow::Result<Option<T>> {
    match env_text(name, std::env::var(name))? {
        Some(text) => {
            text.trim().parse().map(Some).map_err(|_| anyhow::anyhow!("{name}: `{text}` is not a whole number"))
        }
        None => Ok(file),
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the settings file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("the settings file {} is not valid", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_value_that_is_not_utf8_is_an_error_and_an_empty_one_is_none() {
        use std::env::VarError;
        assert_eq!(
            env_text("QPR_X", Ok("https://qpr.example.org".into())).unwrap().as_deref(),
            Some("https://qpr.example.org")
        );
        assert_eq!(env_text("QPR_X", Ok(String::new())).unwrap(), None);
        assert_eq!(env_text("QPR_X", Err(VarError::NotPresent)).unwrap(), None);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let error = env_text(
                "QPR_PUBLIC_URL",
                Err(VarError::NotUnicode(std::ffi::OsString::from_vec(b"http://h\xff".to_vec()))),
            )
            .unwrap_err();
            assert!(error.to_string().starts_with("QPR_PUBLIC_URL is not valid UTF-8"), "{error}");
        }
    }

    #[test]
    fn command_line_wins_over_the_file_which_wins_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "data_dir = \"/srv/qpr\"\nlisten = \"127.0.0.1:9000\"\n").unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert_eq!(settings.data_dir, PathBuf::from("/srv/qpr"));
        assert_eq!(settings.listen.port(), 9000);
        assert_eq!(settings.signing_key_path(), PathBuf::from("/srv/qpr/signing-key.pem"));
        let settings =
            Settings::resolve(Some(&path), Given { data_dir: Some("/tmp/x".into()), ..Given::default() }).unwrap();
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
    fn proxies_and_server_limits_come_from_the_file_with_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "").unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert!(settings.trusted_proxies.is_empty());
        assert_eq!(settings.limits, Limits::default());
        assert_eq!(settings.limits.header_timeout, Duration::from_secs(10));
        let text = "trusted_proxies = [\"10.0.0.0/8\", \"::1\"]\nheader_timeout = 5\nbody_timeout = 30\nidle_timeout = 20\nmax_connections = 100\n";
        std::fs::write(&path, text).unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert!(
            settings.trusted_proxies.contains("10.1.2.3".parse().unwrap())
                && settings.trusted_proxies.contains("::1".parse().unwrap())
        );
        let expected = Limits {
            header_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(20),
            max_connections: 100,
            drain_timeout: Duration::from_secs(30),
        };
        assert_eq!(settings.limits, expected);
        for bad in [
            "trusted_proxies = [\"nginx\"]\n",
            "header_timeout = 0\n",
            "max_connections = -1\n",
            "drain_timeout = 0\n",
            "node_name = \"a b\"\n",
            "metrics_token = \"short\"\n",
        ] {
            std::fs::write(&path, bad).unwrap();
            let error = format!("{:#}", Settings::resolve(Some(&path), Given::default()).unwrap_err());
            assert!(error.contains(bad.split(' ').next().unwrap()), "{bad}: {error}");
        }
    }

    #[test]
    fn a_node_has_a_name_and_a_metrics_token_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "node_name = \"web-1.eu\"\nmetrics_token = \"0123456789abcdef\"\ndrain_timeout = 5\n")
            .unwrap();
        let settings = Settings::resolve(Some(&path), Given::default()).unwrap();
        assert_eq!(settings.node_name.as_deref(), Some("web-1.eu"));
        assert_eq!(settings.metrics_token.as_deref(), Some("0123456789abcdef"));
        assert_eq!(settings.limits.drain_timeout, Duration::from_secs(5));
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
