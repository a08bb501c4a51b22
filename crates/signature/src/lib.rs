//! Signed report submissions: turn a report document into signed bytes, and check them.
//!
//! At submission the platform signs the report with its Ed25519 key ([`PlatformKey`]). The
//! result is two files: the document in its RFC 8785 canonical form, and a small JSON
//! [`SignatureEnvelope`] (`qpr-signature/1`) saying which report, who signed (the user and
//! the official they named), when, the document's SHA-256, which key, and the signature.
//! Anyone can check the pair offline with the published [`PublicKeySet`] ([`verify`]); no
//! database is involved.
//!
//! # What exactly is signed
//!
//! 1. The document is parsed as I-JSON (no duplicate keys) and canonicalized with RFC 8785
//!    (JCS). `hash.value` is the lowercase hex SHA-256 of those canonical UTF-8 bytes. The
//!    signature therefore covers the document's JSON *value*, not its bytes: re-indenting
//!    or reordering keys keeps it valid, changing any value breaks it.
//! 2. The envelope, without its `signature` member, is canonicalized with RFC 8785 too.
//!    Those bytes are the Ed25519 message (RFC 8032, pure Ed25519, no pre-hash), and
//!    `signature` is the standard base64 of the 64-byte signature. So the signature covers
//!    the document hash *and* every other envelope field: format, report identity, signer,
//!    official, time, key id and algorithm names.
//!
//! A key's id is the first 16 hex digits of the SHA-256 of its 32 raw public key bytes.
//!
//! # Rotation
//!
//! [`PlatformKey::rotate`] replaces the key; the old key's public half moves to
//! [`RETIRED_KEYS_FILE_NAME`] beside the key file, with its `retired_at`, and stays in the
//! published key set, so signatures made before the rotation keep verifying; a signature of a
//! retired key dated after its `retired_at` is refused (`key_retired`). The date is what the
//! signer states: a leaked key can still make back-dated signatures, which only the
//! platform's own records (the stored signatures and the audit log) can show up.

mod envelope;
pub mod jcs;
mod key;
mod seal;
mod verify;

pub use envelope::{DocumentHash, Official, ReportRef, SignatureEnvelope, SignatureMeta, SignedReport, Signer};
pub use key::{KeyError, KeyOrigin, PlatformKey, PublicKey, PublicKeySet, retired_keys_path};
pub use seal::Seal;
pub use verify::{Verified, VerifyError, verify};

/// The envelope format this crate writes and reads.
pub const FORMAT: &str = "qpr-signature/1";
/// The canonicalization the hash and the signature are computed over.
pub const CANONICALIZATION: &str = "RFC8785";
/// The document hash.
pub const HASH_ALGORITHM: &str = "SHA-256";
/// The signature algorithm.
pub const SIGNATURE_ALGORITHM: &str = "Ed25519";
/// The file name of the platform key in the data directory.
pub const KEY_FILE_NAME: &str = "signing-key.pem";
/// The file beside the key file that keeps the public halves of the keys rotated out.
pub const RETIRED_KEYS_FILE_NAME: &str = "retired-signing-keys.json";
/// Where the web server publishes its [`PublicKeySet`].
pub const WELL_KNOWN_PATH: &str = "/.well-known/qpr-signing-keys.json";

/// Lowercase hex of the SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`: the one hex encoder of the workspace (hashes, key ids, tokens).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Why a report could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The document or the envelope has no RFC 8785 form (not expected for parsed JSON).
    #[error("cannot canonicalize the {what}: {message}")]
    Canonicalization {
        /// `document` or `envelope`.
        what: &'static str,
        /// The canonicalizer's reason.
        message: String,
    },
    /// The signing time has no RFC 3339 form (a year outside 0–9999).
    #[error("the signing time {message} cannot be written as RFC 3339")]
    BadTime {
        /// The time and the formatter's reason.
        message: String,
    },
    /// The report named in the metadata is not the one the document is.
    #[error("the document is {document}, not the report {claimed} named for signing")]
    ReportMismatch {
        /// The document's Party and year.
        document: String,
        /// The metadata's Party and year.
        claimed: String,
    },
}

impl SignError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SignError::Canonicalization { .. } => "not_canonicalizable",
            SignError::BadTime { .. } => "bad_signing_time",
            SignError::ReportMismatch { .. } => "report_mismatch",
        }
    }
}
