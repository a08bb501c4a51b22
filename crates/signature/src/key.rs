//! The platform's signing key (a PKCS#8 PEM file in the data directory, made on first start)
//! and the public keys verifiers use (the published key set).

use std::fmt;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::{self, SignatureEnvelope, SignatureMeta, SignedReport};
use crate::{RETIRED_KEYS_FILE_NAME, SIGNATURE_ALGORITHM, SignError, jcs, sha256_hex};

/// Why a key could not be read, made or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read.
    #[error("cannot read the key file {path}: {message}")]
    Unreadable {
        /// The file.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// The key file could not be written.
    #[error("cannot write the key file {path}: {message}")]
    Unwritable {
        /// The file.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// The operating system gave no randomness for a new key.
    #[error("cannot generate a key: no randomness from the operating system ({0})")]
    NoRandomness(String),
    /// The text is no key qpr can use.
    #[error("{source_name} is not a usable key: {reason}")]
    Malformed {
        /// Where the text came from (a path, or a description).
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// A published key's `key_id` is not the id of its public key.
    #[error("{source_name}: key id {stated} does not belong to its public key (whose id is {actual})")]
    KeyIdMismatch {
        /// Where the key came from.
        source_name: String,
        /// The id the key set states.
        stated: String,
        /// The id computed from the public key.
        actual: String,
    },
}

impl KeyError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Unreadable { .. } => "key_file_unreadable",
            KeyError::Unwritable { .. } => "key_file_unwritable",
            KeyError::NoRandomness(_) => "no_randomness",
            KeyError::Malformed { .. } => "key_malformed",
            KeyError::KeyIdMismatch { .. } => "key_id_mismatch",
        }
    }
}

fn malformed(source_name: &str, reason: impl fmt::Display) -> KeyError {
    KeyError::Malformed { source_name: source_name.to_owned(), reason: reason.to_string() }
}

/// A public key that verifies signatures, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    key_id: String,
    created_at: Option<String>,
    retired_at: Option<String>,
}

impl PublicKey {
    fn new(key: VerifyingKey, created_at: Option<String>) -> PublicKey {
        PublicKey { key_id: key_id(&key), key, created_at, retired_at: None }
    }

    /// The key's id: the first 16 hex digits of the SHA-256 of the 32 raw public key bytes.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// When the key was made (RFC 3339), when known.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
    }

    /// When the platform stopped signing with the key (RFC 3339), for a key rotated out:
    /// signatures made with it before then still verify.
    pub fn retired_at(&self) -> Option<&str> {
        self.retired_at.as_deref()
    }

    /// Standard base64 of the 32 raw public key bytes (RFC 8032 encoding).
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.key.as_bytes())
    }

    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }
}

fn key_id(key: &VerifyingKey) -> String {
    sha256_hex(key.as_bytes())[..16].to_owned()
}

/// One key as published: `{"key_id", "algorithm": "Ed25519", "public_key": base64, "created_at"}`.
#[derive(Debug, Serialize, Deserialize)]
struct PublishedKey {
    key_id: String,
    algorithm: String,
    public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retired_at: Option<String>,
}

/// The published key set: `{"keys": [PublishedKey, …]}`. Unknown members are ignored, so a
/// later version can add some without breaking older verifiers.
#[derive(Debug, Serialize, Deserialize)]
struct PublishedKeySet {
    keys: Vec<PublishedKey>,
}

/// The public keys signatures are checked against, as the platform publishes them at
/// [`crate::WELL_KNOWN_PATH`]. Serializes to the published JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeySet {
    keys: Vec<PublicKey>,
}

impl Serialize for PublicKeySet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let keys = self
            .keys
            .iter()
            .map(|key| PublishedKey {
                key_id: key.key_id.clone(),
                algorithm: SIGNATURE_ALGORITHM.to_owned(),
                public_key: key.to_base64(),
                created_at: key.created_at.clone(),
                retired_at: key.retired_at.clone(),
            })
            .collect();
        PublishedKeySet { keys }.serialize(serializer)
    }
}

impl PublicKeySet {
    /// Reads public keys from any form a verifier may hold them in, telling which by content:
    /// the published key set (`{"keys": [...]}`), one key of it (`{"key_id", "public_key", ...}`),
    /// a public key PEM (`-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes), or
    /// the platform's private key file itself (its public half is taken). `source_name`
    /// names the input in errors.
    pub fn parse(bytes: &[u8], source_name: &str) -> Result<PublicKeySet, KeyError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| malformed(source_name, format_args!("not UTF-8 text (at byte {})", e.valid_up_to())))?;
        if text.trim_start().starts_with('{') {
            return PublicKeySet::from_json(text, source_name);
        }
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            let key = VerifyingKey::from_public_key_pem(pem_block(text))
                .map_err(|e| malformed(source_name, format_args!("bad public key PEM: {e}")))?;
            return Ok(PublicKeySet { keys: vec![PublicKey::new(key, None)] });
        }
        if text.contains("-----BEGIN") {
            return Ok(PlatformKey::from_pem(text, source_name)?.public_key_set());
        }
        Err(malformed(source_name, "neither a JSON key set nor a PEM key"))
    }

    fn from_json(text: &str, source_name: &str) -> Result<PublicKeySet, KeyError> {
        let value = jcs::parse(text.as_bytes()).map_err(|e| malformed(source_name, format_args!("not JSON: {e}")))?;
        let published: Vec<PublishedKey> = if value.get("keys").is_some() {
            decode_json::<PublishedKeySet>(value, source_name)?.keys
        } else {
            vec![decode_json(value, source_name)?]
        };
        if published.is_empty() {
            return Err(malformed(source_name, "the key set has no keys"));
        }
        let keys = published.into_iter().map(|key| key.decode(source_name)).collect::<Result<Vec<_>, _>>()?;
        Ok(PublicKeySet { keys })
    }

    /// The key with this id.
    pub fn find(&self, key_id: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|key| key.key_id == key_id)
    }

    /// The keys, in the published order.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }
}

/// A JSON value as `T`, with the path of the member that does not fit.
fn decode_json<T: serde::de::DeserializeOwned>(value: Value, source_name: &str) -> Result<T, KeyError> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| malformed(source_name, format_args!("`{}`: {}", e.path(), e.inner())))
}

impl PublishedKey {
    fn decode(self, source_name: &str) -> Result<PublicKey, KeyError> {
        if self.algorithm != SIGNATURE_ALGORITHM {
            return Err(malformed(
                source_name,
                format_args!(
                    "key {} is an `{}` key; only {SIGNATURE_ALGORITHM} is supported",
                    self.key_id, self.algorithm
                ),
            ));
        }
        let bytes = BASE64
            .decode(&self.public_key)
            .map_err(|e| malformed(source_name, format_args!("key {}: public_key is not base64 ({e})", self.key_id)))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|bytes: Vec<u8>| {
            malformed(source_name, format_args!("key {}: public_key has {} bytes, not 32", self.key_id, bytes.len()))
        })?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| malformed(source_name, format_args!("key {}: public_key is no Ed25519 point", self.key_id)))?;
        let key = PublicKey { retired_at: self.retired_at, ..PublicKey::new(key, self.created_at) };
        if key.key_id != self.key_id {
            return Err(KeyError::KeyIdMismatch {
                source_name: source_name.to_owned(),
                stated: self.key_id,
                actual: key.key_id,
            });
        }
        Ok(key)
    }
}

/// From the first `-----BEGIN` line on: RFC 7468 allows explanatory text before it, which
/// the PEM decoder does not.
fn pem_block(text: &str) -> &str {
    text.find("-----BEGIN").map_or(text, |start| &text[start..])
}

/// The platform's signing key. Its file is a PKCS#8 PEM private key (what
/// `openssl genpkey -algorithm ed25519` writes), optionally preceded by explanatory lines;
/// qpr writes one such line, `Created: <RFC 3339>`, which becomes the published `created_at`.
pub struct PlatformKey {
    signing: SigningKey,
    public: PublicKey,
    /// The keys rotated out before this one, published beside it.
    retired: Vec<PublicKey>,
}

impl fmt::Debug for PlatformKey {
    /// The key id only: the secret never reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformKey").field("key_id", &self.public.key_id).finish_non_exhaustive()
    }
}

/// Whether [`PlatformKey::load_or_generate`] found the key file or made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    /// The file existed and was read.
    Loaded,
    /// There was no file; a new key was generated and written.
    Generated,
}

const CREATED_PREFIX: &str = "Created: ";

impl PlatformKey {
    /// A new key from the operating system's randomness (in memory only).
    pub fn generate() -> Result<PlatformKey, KeyError> {
        // An Ed25519 secret key is 32 uniformly random bytes (RFC 8032, 5.1.5), which is all
        // `SigningKey::generate` does with an RNG.
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::NoRandomness(e.to_string()))?;
        let signing = SigningKey::from_bytes(&seed);
        // `created_at` is optional information; the clock's time always formats, and a key
        // without it verifies the same.
        let created_at = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|now| now.format(&time::format_description::well_known::Rfc3339).ok());
        Ok(PlatformKey::with(signing, created_at))
    }

    fn with(signing: SigningKey, created_at: Option<String>) -> PlatformKey {
        let public = PublicKey::new(signing.verifying_key(), created_at);
        PlatformKey { signing, public, retired: Vec::new() }
    }

    /// Reads a key file (see the type's documentation), with the keys rotated out before it
    /// ([`RETIRED_KEYS_FILE_NAME`] beside it, when there is one).
    pub fn load(path: &Path) -> Result<PlatformKey, KeyError> {
        let source_name = path.display().to_string();
        let text = read_text(path)?;
        let key = PlatformKey::from_pem(&text, &source_name)?;
        let retired_path = retired_keys_path(path);
        let retired = match fs::metadata(&retired_path) {
            Ok(_) => {
                PublicKeySet::parse(read_text(&retired_path)?.as_bytes(), &retired_path.display().to_string())?.keys
            }
            Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(KeyError::Unreadable { path: retired_path.display().to_string(), message: e.to_string() });
            }
        };
        // A rotation interrupted between its two writes lists the current key as retired too.
        let retired = retired.into_iter().filter(|old| old.key_id != key.public.key_id).collect();
        Ok(PlatformKey { retired, ..key })
    }

    /// Replaces the key file at `path` by a new key, keeping the old key's public half in
    /// [`RETIRED_KEYS_FILE_NAME`] beside it (marked retired now), so that the published key set
    /// still verifies every signature made before. The old secret is not kept: restore it from
    /// a backup if it is needed. Returns the new key (with the retired ones) and the old key's id.
    ///
    /// The retired list is written first: a crash between the two writes leaves the old key in
    /// use and also listed as retired, which [`PlatformKey::load`] reads as the old key alone.
    pub fn rotate(path: &Path) -> Result<(PlatformKey, String), KeyError> {
        let old = PlatformKey::load(path)?;
        let new = PlatformKey::generate()?;
        let mut retired = old.retired;
        retired.push(PublicKey { retired_at: new.public.created_at.clone(), ..old.public.clone() });
        let retired = PublicKeySet { keys: retired };
        let json = serde_json::to_vec_pretty(&retired).map_err(|e| malformed("the retired keys", e))?;
        replace_file(&retired_keys_path(path), &json)?;
        replace_file(path, new.to_pem()?.as_bytes())?;
        Ok((PlatformKey { retired: retired.keys, ..new }, old.public.key_id))
    }

    /// Reads the key file at `path`, or, when there is none, generates a key and writes it
    /// there (mode 0600, created whole or not at all: written to a temporary file, then
    /// linked into place without replacing a file another process made meanwhile, in which
    /// case that one is used).
    pub fn load_or_generate(path: &Path) -> Result<(PlatformKey, KeyOrigin), KeyError> {
        match fs::metadata(path) {
            Ok(_) => return Ok((PlatformKey::load(path)?, KeyOrigin::Loaded)),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(KeyError::Unreadable { path: path.display().to_string(), message: e.to_string() }),
        }
        let key = PlatformKey::generate()?;
        if write_new_file(path, key.to_pem()?.as_bytes())? {
            // Read back, with the keys retired before (a lost key file does not unpublish them).
            Ok((PlatformKey::load(path)?, KeyOrigin::Generated))
        } else {
            Ok((PlatformKey::load(path)?, KeyOrigin::Loaded))
        }
    }

    /// Reads a key from PEM text (`source_name` names it in errors).
    pub fn from_pem(text: &str, source_name: &str) -> Result<PlatformKey, KeyError> {
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(malformed(
                source_name,
                "encrypted keys are not supported; keep the key unencrypted in a file only qpr can read (mode 0600)",
            ));
        }
        if !text.contains("-----BEGIN PRIVATE KEY-----") {
            return Err(malformed(
                source_name,
                "no `-----BEGIN PRIVATE KEY-----` block (an Ed25519 PKCS#8 PEM key is expected)",
            ));
        }
        let signing = SigningKey::from_pkcs8_pem(pem_block(text))
            .map_err(|e| malformed(source_name, format_args!("not an Ed25519 PKCS#8 private key ({e})")))?;
        // The block was found above; 0 (no preamble) is unreachable.
        let preamble = &text[..text.find("-----BEGIN").unwrap_or(0)];
        let created_at = preamble.lines().find_map(|line| line.trim().strip_prefix(CREATED_PREFIX)).map(str::to_owned);
        Ok(PlatformKey::with(signing, created_at))
    }

    /// The key file's text: an explanatory preamble, then PKCS#8 v1 PEM (v1, without the
    /// optional public key, is what every openssl version reads).
    fn to_pem(&self) -> Result<String, KeyError> {
        let pem = KeypairBytes { secret_key: self.signing.to_bytes(), public_key: None }
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| malformed("the new key", format_args!("cannot encode as PKCS#8 ({e})")))?;
        let created = self.public.created_at.as_deref().map(|at| format!("{CREATED_PREFIX}{at}\n")).unwrap_or_default();
        Ok(format!(
            "qpr platform signing key (Ed25519). Keep it secret and backed up; its public half is published as key {}.\n{created}{}",
            self.public.key_id,
            pem.as_str()
        ))
    }

    /// The key's id.
    pub fn key_id(&self) -> &str {
        &self.public.key_id
    }

    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The key set to publish: this key, then the keys rotated out before it.
    pub fn public_key_set(&self) -> PublicKeySet {
        PublicKeySet { keys: std::iter::once(&self.public).chain(&self.retired).cloned().collect() }
    }

    /// Signs a report document: returns its canonical bytes and the signature envelope (see
    /// the crate documentation for what exactly is signed). The document must be the report
    /// `meta.report` names (its `party.iso3` and `year`).
    pub fn sign_report(&self, document: &Value, meta: SignatureMeta) -> Result<SignedReport, SignError> {
        if let Some((document_is, claimed)) = envelope::identity_mismatch(document, &meta.report) {
            return Err(SignError::ReportMismatch { document: document_is, claimed });
        }
        let canonical = jcs::canonicalize(document)
            .map_err(|e| SignError::Canonicalization { what: "document", message: e.to_string() })?;
        let mut envelope = SignatureEnvelope::unsigned(meta, sha256_hex(&canonical), self.public.key_id.clone())?;
        let signature = self.signing.sign(&envelope.signing_input()?);
        envelope.signature = BASE64.encode(signature.to_bytes());
        let envelope_json = serde_json::to_vec_pretty(&envelope)
            .map_err(|e| SignError::Canonicalization { what: "envelope", message: e.to_string() })?;
        Ok(SignedReport { document: canonical, envelope, envelope_json })
    }
}

/// Writes `contents` to a new file at `path` with mode 0600, whole or not at all. Returns
/// false, writing nothing, when the file appeared meanwhile (another process made it).
/// Where the public halves of the keys rotated out before the key file at `key_path` are kept.
pub fn retired_keys_path(key_path: &Path) -> std::path::PathBuf {
    key_path.with_file_name(RETIRED_KEYS_FILE_NAME)
}

fn read_text(path: &Path) -> Result<String, KeyError> {
    let bytes = fs::read(path)
        .map_err(|e| KeyError::Unreadable { path: path.display().to_string(), message: e.to_string() })?;
    String::from_utf8(bytes).map_err(|e| {
        malformed(
            &path.display().to_string(),
            format_args!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// Writes `contents` to `path` whole or not at all (a temporary file, synced, renamed over
/// the old one), readable by its owner only.
fn replace_file(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    let unwritable =
        |e: std::io::Error| KeyError::Unwritable { path: path.display().to_string(), message: e.to_string() };
    let temporary = temporary_beside(path);
    let written = (|| {
        write_private(&temporary, contents)?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written.map_err(unwritable)?;
    sync_dir_of(path).map_err(unwritable)
}

/// A temporary file name in `path`'s directory, unique per process and call (concurrent
/// starts must not share one), after removing any file a crashed run left with that name.
fn temporary_beside(path: &Path) -> std::path::PathBuf {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    // A key file path always names a file; without one the name is just `.PID.N.tmp`.
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary =
        dir_of(path).join(format!(".{name}.{}.{}.tmp", std::process::id(), CALLS.fetch_add(1, Ordering::Relaxed)));
    let _ = fs::remove_file(&temporary);
    temporary
}

fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Creates `path` (which must not exist) with `contents`, mode 0600, synced.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Makes a new directory entry survive a crash.
fn sync_dir_of(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir_of(path))?.sync_all()?;
    Ok(())
}

fn write_new_file(path: &Path, contents: &[u8]) -> Result<bool, KeyError> {
    let unwritable =
        |e: std::io::Error| KeyError::Unwritable { path: path.display().to_string(), message: e.to_string() };
    fs::create_dir_all(dir_of(path)).map_err(unwritable)?;
    let temporary = temporary_beside(path);
    let written = (|| {
        write_private(&temporary, contents)?;
        // A hard link never replaces an existing file, unlike rename.
        fs::hard_link(&temporary, path)
    })();
    let _ = fs::remove_file(&temporary);
    match written {
        Ok(()) => {
            sync_dir_of(path).map_err(unwritable)?;
            Ok(true)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(unwritable(e)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The key file text of a given key.
    pub(crate) fn pem_of(signing: &SigningKey) -> String {
        PlatformKey::with(signing.clone(), None).to_pem().unwrap()
    }

    #[test]
    fn the_key_id_is_the_start_of_the_public_keys_sha_256() {
        // RFC 8032 section 7.1, test 1.
        let hex = |text: &str| -> Vec<u8> {
            (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
        };
        let secret: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").try_into().unwrap();
        let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let key = PlatformKey::with(SigningKey::from_bytes(&secret), None);
        assert_eq!(BASE64.decode(key.public_key().to_base64()).unwrap(), public);
        assert_eq!(key.key_id(), &sha256_hex(&public)[..16]);
        assert_eq!(key.key_id().len(), 16);
        assert!(
            format!("{key:?}").contains(key.key_id()) && !format!("{key:?}").contains("9d61"),
            "Debug shows the id, never the secret"
        );
    }

    #[test]
    fn a_rotated_key_stays_published_and_its_signatures_still_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::KEY_FILE_NAME);
        let (first, _) = PlatformKey::load_or_generate(&path).unwrap();
        let document = serde_json::json!({"party": {"name": "Azerbaijan", "iso3": "AZE"}, "year": 2022});
        let meta = SignatureMeta {
            report: crate::ReportRef { party: "AZE".into(), year: 2022, revision: 1 },
            signer: crate::Signer {
                user: "u".into(),
                official: crate::Official {
                    title: String::new(),
                    first_name: "A".into(),
                    last_name: "B".into(),
                    organization: String::new(),
                    position: String::new(),
                },
            },
            signed_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        let signed_before = first.sign_report(&document, meta.clone()).unwrap();

        let (second, retired_id) = PlatformKey::rotate(&path).unwrap();
        let (third, second_id) = PlatformKey::rotate(&path).unwrap();
        assert_eq!(retired_id, first.key_id());
        assert_eq!(second_id, second.key_id());
        let loaded = PlatformKey::load(&path).unwrap();
        assert_eq!(loaded.key_id(), third.key_id(), "the file holds the newest key");
        let published = loaded.public_key_set();
        let ids: Vec<&str> = published.keys().iter().map(PublicKey::key_id).collect();
        assert_eq!(
            ids,
            [third.key_id(), first.key_id(), second.key_id()],
            "the current key first, then the retired ones"
        );
        assert!(published.keys()[0].retired_at().is_none());
        assert!(published.keys()[1..].iter().all(|key| key.retired_at().is_some()));
        // Through the published JSON, as a reader elsewhere gets it.
        let json = serde_json::to_vec(&published).unwrap();
        let downloaded = PublicKeySet::parse(&json, "keys.json").unwrap();
        assert_eq!(downloaded, published);
        crate::verify(&signed_before.document, &signed_before.envelope_json, &downloaded).unwrap();
        let signed_after = loaded.sign_report(&document, meta).unwrap();
        assert!(String::from_utf8_lossy(&signed_after.envelope_json).contains(third.key_id()));
        crate::verify(&signed_after.document, &signed_after.envelope_json, &downloaded).unwrap();

        // A rotation interrupted after its first write: the current key is not listed twice.
        let retired = retired_keys_path(&path);
        let mut listed: Value = serde_json::from_slice(&fs::read(&retired).unwrap()).unwrap();
        let current = serde_json::to_value(loaded.public_key_set()).unwrap()["keys"][0].clone();
        listed["keys"].as_array_mut().unwrap().push(current);
        fs::write(&retired, serde_json::to_vec(&listed).unwrap()).unwrap();
        assert_eq!(PlatformKey::load(&path).unwrap().public_key_set(), published);

        // A damaged list is an error naming the file, never a silently shorter key set.
        fs::write(&retired, b"{\"keys\": [{\"key_id\": 1}]}").unwrap();
        let error = PlatformKey::load(&path).unwrap_err();
        assert_eq!(error.code(), "key_malformed");
        assert!(error.to_string().contains(RETIRED_KEYS_FILE_NAME), "{error}");
    }

    #[test]
    fn a_retired_key_verifies_only_what_it_signed_before_its_retirement() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::KEY_FILE_NAME);
        let (old, _) = PlatformKey::load_or_generate(&path).unwrap();
        let (new, _) = PlatformKey::rotate(&path).unwrap();
        let keys = new.public_key_set();
        let retired_at = keys.find(old.key_id()).unwrap().retired_at().unwrap().to_owned();
        let retired = time::OffsetDateTime::parse(&retired_at, &time::format_description::well_known::Rfc3339).unwrap();
        let document = serde_json::json!({"party": {"name": "Azerbaijan", "iso3": "AZE"}, "year": 2022});
        let meta = |signed_at| SignatureMeta {
            report: crate::ReportRef { party: "AZE".into(), year: 2022, revision: 1 },
            signer: crate::Signer {
                user: "u".into(),
                official: crate::Official {
                    title: String::new(),
                    first_name: "A".into(),
                    last_name: "B".into(),
                    organization: String::new(),
                    position: String::new(),
                },
            },
            signed_at,
        };
        // With the old key (kept by someone), dated before, at and after its retirement.
        let verify_at = |signed_at| {
            let signed = old.sign_report(&document, meta(signed_at)).unwrap();
            crate::verify(&signed.document, &signed.envelope_json, &keys)
        };
        verify_at(retired - time::Duration::days(30)).unwrap();
        verify_at(retired).unwrap();
        let error = verify_at(retired + time::Duration::seconds(1)).unwrap_err();
        assert_eq!(error.code(), "key_retired");
        assert!(error.to_string().contains(old.key_id()) && error.to_string().contains(&retired_at), "{error}");
        // The current key is not retired.
        let signed = new.sign_report(&document, meta(retired + time::Duration::days(1))).unwrap();
        crate::verify(&signed.document, &signed.envelope_json, &keys).unwrap();
        // Seals follow the same rule.
        let seal = old.seal("qpr-backup/1", b"x");
        keys.check_seal("qpr-backup/1", b"x", &seal, Some(&retired_at)).unwrap();
        assert_eq!(
            keys.check_seal("qpr-backup/1", b"x", &seal, Some("2999-01-01T00:00:00Z")).unwrap_err().code(),
            "key_retired"
        );
        assert_eq!(keys.check_seal("qpr-backup/1", b"x", &seal, Some("not a date")).unwrap_err().code(), "key_retired");
        keys.check_seal("qpr-backup/1", b"x", &seal, None).unwrap();
    }

    #[test]
    fn the_written_file_reads_back_as_the_same_key() {
        let key = PlatformKey::generate().unwrap();
        let text = key.to_pem().unwrap();
        assert!(text.starts_with("qpr platform signing key (Ed25519)"), "{text}");
        let again = PlatformKey::from_pem(&text, "test").unwrap();
        assert_eq!(again.signing.to_bytes(), key.signing.to_bytes());
        assert_eq!(again.public, key.public);
    }
}
