//! The platform's signing key at start-up, `qpr verify`, `qpr key show` and `qpr key rotate`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use qpr_signature::{KeyOrigin, PlatformKey, PublicKeySet};

use crate::config::Settings;
use crate::terminal;

/// The key `qpr serve` signs with: the file the settings name (which must exist), else the
/// data dir's `signing-key.pem`, generated on first start.
pub(crate) fn platform_key(settings: &Settings) -> anyhow::Result<PlatformKey> {
    let path = settings.signing_key_path();
    if settings.signing_key.is_some() {
        let key = PlatformKey::load(&path)
            .context("cannot load the configured signing key (signing_key, QPR_SIGNING_KEY)")?;
        tracing::info!(key_id = key.key_id(), path = %path.display(), "Signing with the configured key");
        return Ok(key);
    }
    let (key, origin) = PlatformKey::load_or_generate(&path).context("cannot load or create the signing key")?;
    match origin {
        KeyOrigin::Generated => {
            tracing::info!(key_id = key.key_id(), path = %path.display(), "Generated the platform signing key; back it up with the data directory")
        }
        KeyOrigin::Loaded => {
            tracing::info!(key_id = key.key_id(), path = %path.display(), "Loaded the platform signing key")
        }
    }
    Ok(key)
}

/// The platform's own public keys, from its key file; a missing file is an error here (only
/// commands that sign or write audited data make keys).
fn own_public_keys(settings: &Settings) -> anyhow::Result<PublicKeySet> {
    let path = settings.signing_key_path();
    if !path.exists() {
        bail!(
            "no signing key at {} (qpr serve makes it on first start); name the platform's key file with --signing-key, or, \
             to check with the published keys (of this or another platform), download its {} and pass it with --key",
            path.display(),
            qpr_signature::WELL_KNOWN_PATH
        );
    }
    Ok(PlatformKey::load(&path)?.public_key_set())
}

/// The public keys a check uses: the file given (`--key`: a key set, one key, a public key
/// PEM, or a key file), else the platform's own key file with the keys retired before it.
pub(crate) fn public_keys(settings: &Settings, key: Option<&Path>) -> anyhow::Result<PublicKeySet> {
    match key {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
            let keys = PublicKeySet::parse(&bytes, &path.display().to_string())?;
            // A private key file given as --key: its retired keys beside it count too.
            if keys.keys().len() == 1 && String::from_utf8_lossy(&bytes).contains("-----BEGIN PRIVATE KEY-----") {
                return Ok(PlatformKey::load(path)?.public_key_set());
            }
            Ok(keys)
        }
        None => own_public_keys(settings),
    }
}

/// `qpr verify REPORT SIGNATURE [--key FILE]`.
pub(crate) fn verify(
    settings: &Settings,
    report: &Path,
    signature: &Path,
    key: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let keys = public_keys(settings, key)?;
    let document = std::fs::read(report).with_context(|| format!("cannot read the report {}", report.display()))?;
    let envelope =
        std::fs::read(signature).with_context(|| format!("cannot read the signature {}", signature.display()))?;
    match qpr_signature::verify(&document, &envelope, &keys) {
        // Every field printed comes from the signature file, which anyone can write: escaped, so
        // that no control sequence in it can redraw the terminal (a fake "verified" line).
        Ok(verified) => {
            writeln!(std::io::stdout().lock(), "verified: {}", terminal::escape(&verified.to_string()))
                .context("cannot write to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => bail!(
            "NOT verified: {} with {}: {} [{}]",
            terminal::escape(&report.display().to_string()),
            terminal::escape(&signature.display().to_string()),
            terminal::escape(&error.to_string()),
            error.code()
        ),
    }
}

/// `qpr key show`: the public key set, as served at the well-known address.
pub(crate) fn show(settings: &Settings) -> anyhow::Result<ExitCode> {
    let json = serde_json::to_string_pretty(&own_public_keys(settings)?)?;
    writeln!(std::io::stdout().lock(), "{json}").context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// `qpr key rotate`: a new signing key; the old one's public half stays in the key set.
pub(crate) fn rotate(settings: &Settings) -> anyhow::Result<ExitCode> {
    let path = settings.signing_key_path();
    if !path.exists() {
        bail!("no signing key at {} to rotate (qpr serve makes it on first start)", path.display());
    }
    let (key, retired) =
        PlatformKey::rotate(&path).with_context(|| format!("cannot rotate the signing key {}", path.display()))?;
    writeln!(
        std::io::stdout().lock(),
        "rotated: reports are now signed with key {} ({}); key {retired} is retired, its public half kept in {} and published, \
         so the signatures it made still verify. Restart qpr serve to sign with the new key, and back up the data directory.",
        key.key_id(),
        path.display(),
        qpr_signature::retired_keys_path(&path).display(),
    )
    .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
