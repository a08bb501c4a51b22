//! Settings of every subcommand, from (in order of precedence) the command line, the
//! environment (`QPR_DATA_DIR`, `QPR_DATABASE`, `QPR_LISTEN`), a TOML file (`--config`,
//! `QPR_CONFIG`, or `./qpr.toml` when present) and the defaults: data in `./qpr-data`,
//! SQLite inside it, listening on 127.0.0.1:8080.

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
}

/// The default address: loopback only, so a first start exposes nothing.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Settings {
    /// Merges command-line/environment values (clap reads both) over the settings file.
    pub fn resolve(
        config: Option<&Path>,
        data_dir: Option<PathBuf>,
        database: Option<String>,
        listen: Option<SocketAddr>,
    ) -> anyhow::Result<Settings> {
        let file = match config {
            Some(path) => read_file(path)?,
            None if Path::new("qpr.toml").exists() => read_file(Path::new("qpr.toml"))?,
            None => FileSettings::default(),
        };
        let default_listen: SocketAddr = DEFAULT_LISTEN.parse().context("default address")?;
        Ok(Settings {
            data_dir: data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("qpr-data")),
            database: database.or(file.database),
            listen: listen.or(file.listen).unwrap_or(default_listen),
        })
    }
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
        let settings = Settings::resolve(Some(&path), None, None, None).unwrap();
        assert_eq!(settings.data_dir, PathBuf::from("/srv/qpr"));
        assert_eq!(settings.listen.port(), 9000);
        let settings = Settings::resolve(Some(&path), Some("/tmp/x".into()), None, None).unwrap();
        assert_eq!(settings.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn a_bad_settings_file_says_which_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qpr.toml");
        std::fs::write(&path, "data_dri = 1\n").unwrap();
        let error = format!("{:#}", Settings::resolve(Some(&path), None, None, None).unwrap_err());
        assert!(error.contains("qpr.toml") && error.contains("data_dri"), "{error}");
    }
}
