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
use crate::{SIGNATURE_ALGORITHM, SignError, jcs, sha256_hex};

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
}

impl PublicKey {
    fn new(key: VerifyingKey, created_at: Option<String>) -> PublicKey {
        PublicKey { key_id: key_id(&key), key, created_at }
    }

    /// The key's id: the first 16 hex digits of the SHA-256 of the 32 raw public key bytes.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// When the key was made (RFC 3339), when known.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
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
        let text =
            std::str::from_utf8(bytes).map_err(|e| malformed(source_name, format_args!("not UTF-8 text (at byte {})", e.valid_up_to())))?;
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
    serde_path_to_error::deserialize(value).map_err(|e| malformed(source_name, format_args!("`{}`: {}", e.path(), e.inner())))
}

impl PublishedKey {
    fn decode(self, source_name: &str) -> Result<PublicKey, KeyError> {
        if self.algorithm != SIGNATURE_ALGORITHM {
            return Err(malformed(
                source_name,
                format_args!("key {} is an `{}` key; only {SIGNATURE_ALGORITHM} is supported", self.key_id, self.algorithm),
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
        let key = PublicKey::new(key, self.created_at);
        if key.key_id != self.key_id {
            return Err(KeyError::KeyIdMismatch { source_name: source_name.to_owned(), stated: self.key_id, actual: key.key_id });
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
        let created_at = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|now| now.format(&time::format_description::well_known::Rfc3339).ok());
        Ok(PlatformKey::with(signing, created_at))
    }

    fn with(signing: SigningKey, created_at: Option<String>) -> PlatformKey {
        let public = PublicKey::new(signing.verifying_key(), created_at);
        PlatformKey { signing, public }
    }

    /// Reads a key file (see the type's documentation).
    pub fn load(path: &Path) -> Result<PlatformKey, KeyError> {
        let bytes = fs::read(path).map_err(|e| KeyError::Unreadable { path: path.display().to_string(), message: e.to_string() })?;
        let source_name = path.display().to_string();
        let text = std::str::from_utf8(&bytes)
            .map_err(|e| malformed(&source_name, format_args!("not UTF-8 text (at byte {})", e.valid_up_to())))?;
        PlatformKey::from_pem(text, &source_name)
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
            Ok((key, KeyOrigin::Generated))
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
            return Err(malformed(source_name, "no `-----BEGIN PRIVATE KEY-----` block (an Ed25519 PKCS#8 PEM key is expected)"));
        }
        let signing = SigningKey::from_pkcs8_pem(pem_block(text))
            .map_err(|e| malformed(source_name, format_args!("not an Ed25519 PKCS#8 private key ({e})")))?;
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

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The key set to publish: this key.
    pub fn public_key_set(&self) -> PublicKeySet {
        PublicKeySet { keys: vec![self.public.clone()] }
    }

    /// Signs a report document: returns its canonical bytes and the signature envelope (see
    /// the crate documentation for what exactly is signed). The document must be the report
    /// `meta.report` names (its `party.iso3` and `year`).
    pub fn sign_report(&self, document: &Value, meta: SignatureMeta) -> Result<SignedReport, SignError> {
        if let Some((document_is, claimed)) = envelope::identity_mismatch(document, &meta.report) {
            return Err(SignError::ReportMismatch { document: document_is, claimed });
        }
        let canonical =
            jcs::canonicalize(document).map_err(|e| SignError::Canonicalization { what: "document", message: e.to_string() })?;
        let mut envelope = SignatureEnvelope::unsigned(meta, sha256_hex(&canonical), self.public.key_id.clone())?;
        let signature = self.signing.sign(&envelope.signing_input()?);
        envelope.signature = BASE64.encode(signature.to_bytes());
        let envelope_json =
            serde_json::to_vec_pretty(&envelope).map_err(|e| SignError::Canonicalization { what: "envelope", message: e.to_string() })?;
        Ok(SignedReport { document: canonical, envelope, envelope_json })
    }
}

/// Writes `contents` to a new file at `path` with mode 0600, whole or not at all. Returns
/// false, writing nothing, when the file appeared meanwhile (another process made it).
fn write_new_file(path: &Path, contents: &[u8]) -> Result<bool, KeyError> {
    let unwritable = |e: std::io::Error| KeyError::Unwritable { path: path.display().to_string(), message: e.to_string() };
    let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(unwritable)?;
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per process and call: concurrent starts must not share a temporary file.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let temporary = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), CALLS.fetch_add(1, Ordering::Relaxed)));
    let _ = fs::remove_file(&temporary); // left by a crashed start with the same name, if any
    let written = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        // A hard link never replaces an existing file, unlike rename.
        fs::hard_link(&temporary, path)
    })();
    let _ = fs::remove_file(&temporary);
    match written {
        Ok(()) => {
            // The new directory entry survives a crash once the directory is synced.
            #[cfg(unix)]
            fs::File::open(dir).and_then(|dir| dir.sync_all()).map_err(unwritable)?;
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
        let hex =
            |text: &str| -> Vec<u8> { (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect() };
        let secret: [u8; 32] = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").try_into().unwrap();
        let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let key = PlatformKey::with(SigningKey::from_bytes(&secret), None);
        assert_eq!(BASE64.decode(key.public_key().to_base64()).unwrap(), public);
        assert_eq!(key.key_id(), &sha256_hex(&public)[..16]);
        assert_eq!(key.key_id().len(), 16);
        assert!(format!("{key:?}").contains(key.key_id()) && !format!("{key:?}").contains("9d61"), "Debug shows the id, never the secret");
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
