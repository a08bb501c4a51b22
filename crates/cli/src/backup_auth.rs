//! The authentication trailer of a backup file: the last line of what `qpr backup` writes,
//!
//! ```text
//! {"authentication":{"format":"qpr-backup-seal/1","sha256":"<hex>","sealed_at":"<RFC 3339>","key_id":"…","algorithm":"Ed25519","signature":"<base64>"}}
//! ```
//!
//! `sha256` is the digest of every byte before the trailer line; `signature` is the platform
//! key's seal (purpose [`PURPOSE`], see [`qpr_signature::Seal`]) of `<sha256>\n<sealed_at>`.
//! `qpr restore` checks it with the published keys (retired ones included, so a backup made
//! before a key rotation still restores; a retired key's seal dated after its retirement is
//! refused) before it restores anything.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, bail};
use qpr_signature::{PlatformKey, PublicKeySet, Seal};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The purpose of a backup's seal.
pub(crate) const PURPOSE: &str = "qpr-backup/1";
/// The trailer's format.
const FORMAT: &str = "qpr-backup-seal/1";
/// The stable code of a refused backup.
pub(crate) const NOT_AUTHENTIC: &str = "backup_not_authentic";
/// A trailer line is far shorter; a last line longer than this is no trailer.
const MAX_TRAILER: u64 = 4096;

/// A writer that hashes what goes through it.
pub(crate) struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Hashing<W> {
    /// Hashes everything written to `inner`.
    pub(crate) fn new(inner: W) -> Hashing<W> {
        Hashing { inner, hasher: Sha256::new() }
    }

    /// Writes the trailer line sealing every byte written so far, and returns the writer.
    pub(crate) fn seal(mut self, key: &PlatformKey) -> anyhow::Result<W> {
        self.inner.flush()?;
        let digest = qpr_signature::hex(&self.hasher.finalize_reset());
        let sealed_at = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|now| now.format(&time::format_description::well_known::Rfc3339).ok())
            .context("cannot write the time")?;
        let seal = key.seal(PURPOSE, message(&digest, &sealed_at).as_bytes());
        let trailer = json!({"authentication": {
            "format": FORMAT,
            "sha256": digest,
            "sealed_at": sealed_at,
            "key_id": seal.key_id,
            "algorithm": qpr_signature::SIGNATURE_ALGORITHM,
            "signature": seal.signature,
        }});
        writeln!(self.inner, "{trailer}")?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn message(digest: &str, sealed_at: &str) -> String {
    format!("{digest}\n{sealed_at}")
}

/// Where a backup file's trailer line starts, and the trailer, if its last line is one.
pub(crate) fn find_trailer(file: &Path) -> anyhow::Result<(u64, Option<Value>)> {
    let mut input = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let length = input.metadata().with_context(|| format!("cannot read {}", file.display()))?.len();
    let tail_start = length.saturating_sub(MAX_TRAILER + 1);
    input.seek(SeekFrom::Start(tail_start))?;
    let mut tail = Vec::new();
    input.read_to_end(&mut tail)?;
    let body = tail.strip_suffix(b"\n").unwrap_or(&tail);
    let Some(start) = body.iter().rposition(|byte| *byte == b'\n').map(|i| i + 1) else {
        return Ok((length, None));
    };
    // A last line that is not JSON is a backup without a trailer, which `check` refuses.
    let trailer =
        serde_json::from_slice::<Value>(&body[start..]).ok().filter(|value| value.get("authentication").is_some());
    match trailer {
        Some(trailer) => Ok((tail_start + start as u64, Some(trailer))),
        None => Ok((length, None)),
    }
}

/// Checks that `file` is a backup `qpr backup` wrote with one of `keys`, unchanged. Returns
/// the length of what precedes the trailer (what to restore) and the key that sealed it.
pub(crate) fn check(file: &Path, keys: &PublicKeySet) -> anyhow::Result<(u64, String)> {
    let (body_length, trailer) = find_trailer(file)?;
    let Some(trailer) = trailer else {
        bail!(
            "{} has no authentication line (it was not written by this version of qpr backup, or its end was cut or edited) \
             [{NOT_AUTHENTIC}]; to restore an older backup all the same, pass --unauthenticated",
            file.display()
        );
    };
    // A missing member is empty, which matches no format, key or digest: the check fails on it.
    let field = |name: &str| trailer["authentication"][name].as_str().unwrap_or_default().to_owned();
    if field("format") != FORMAT || field("algorithm") != qpr_signature::SIGNATURE_ALGORITHM {
        bail!(
            "{}: its authentication line is not {FORMAT} with {} [{NOT_AUTHENTIC}]",
            file.display(),
            qpr_signature::SIGNATURE_ALGORITHM
        );
    }
    let mut input = File::open(file).with_context(|| format!("cannot open {}", file.display()))?.take(body_length);
    let mut hasher = Sha256::new();
    std::io::copy(&mut input, &mut hasher).with_context(|| format!("cannot read {}", file.display()))?;
    let digest = qpr_signature::hex(&hasher.finalize());
    if digest != field("sha256") {
        bail!(
            "{} was changed after it was written: its SHA-256 is {digest}, the sealed one {} [{NOT_AUTHENTIC}]",
            file.display(),
            field("sha256")
        );
    }
    let seal = Seal { key_id: field("key_id"), signature: field("signature") };
    let sealed_at = field("sealed_at");
    keys.check_seal(PURPOSE, message(&digest, &sealed_at).as_bytes(), &seal, Some(&sealed_at)).map_err(|error| {
        anyhow::anyhow!(
            "{} is not authentic: its seal does not verify with the platform's keys: {error} [{}] [{NOT_AUTHENTIC}]",
            file.display(),
            error.code()
        )
    })?;
    Ok((body_length, seal.key_id))
}
