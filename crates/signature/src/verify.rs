//! Offline verification of a signed report: the document's bytes, the envelope's bytes and
//! the published keys are all it needs.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::Signature;
use serde_json::Value;

use crate::envelope::{self, ReportRef, SignatureEnvelope, Signer};
use crate::jcs::{self, JsonError};
use crate::{CANONICALIZATION, FORMAT, HASH_ALGORITHM, PublicKey, PublicKeySet, SIGNATURE_ALGORITHM, sha256_hex};

/// What a valid signature attests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The report signed.
    pub report: ReportRef,
    /// Who signed.
    pub signer: Signer,
    /// When (RFC 3339).
    pub signed_at: String,
    /// The key that signed.
    pub key_id: String,
    /// The SHA-256 (hex) of the document's canonical form.
    pub document_hash: String,
}

impl fmt::Display for Verified {
    /// One line: `report AZE 2022 (revision 12) signed by … at … (key …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "report {} signed by {} at {} (key {})", self.report, self.signer, self.signed_at, self.key_id)
    }
}

/// Why a signed report does not verify. Codes are stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The document is not JSON (or has a key twice).
    #[error("the document is not valid JSON at {0}")]
    DocumentNotJson(JsonError),
    /// The signature file is not JSON.
    #[error("the signature file is not valid JSON at {0}")]
    EnvelopeNotJson(JsonError),
    /// The signature file is of another format (or version) than this verifier knows.
    #[error("unsupported signature format `{0}` (this verifier reads {FORMAT})")]
    UnsupportedFormat(String),
    /// An algorithm the envelope names is not the one this format uses.
    #[error("unsupported {field} `{value}` (expected `{expected}`)")]
    UnsupportedAlgorithm {
        /// The envelope member (`algorithm`, `hash.algorithm`, `canonicalization`).
        field: &'static str,
        /// What it says.
        value: String,
        /// What this format uses.
        expected: &'static str,
    },
    /// An envelope member is missing, unknown or of the wrong form.
    #[error("malformed signature file: `{field}`: {message}")]
    MalformedEnvelope {
        /// The member's path (`signer.official.title`), or `.` for the whole file.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// No given key has the envelope's key id.
    #[error("unknown key id `{key_id}`: the keys given are {}", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownKey {
        /// The envelope's key id.
        key_id: String,
        /// The ids of the keys given.
        known: Vec<String>,
    },
    /// The signature does not match the envelope: a member of it was changed after signing,
    /// or another key made it.
    #[error(
        "bad signature: the signature file was changed after signing (report, signer, time or hash), or key {key_id} did not make it"
    )]
    BadSignature {
        /// The key the signature was checked with.
        key_id: String,
    },
    /// The key is one the platform rotated out, and the signature is dated after its
    /// retirement: the platform no longer signed with it then, so whoever made it holds a
    /// key that should no longer be in use (a leaked or restored old key).
    #[error("key {key_id} was retired at {retired_at}, but the signature is dated {signed_at}, after its retirement")]
    KeyRetired {
        /// The retired key.
        key_id: String,
        /// When it was retired (RFC 3339).
        retired_at: String,
        /// The date the signature states.
        signed_at: String,
    },
    /// The document is not the one signed.
    #[error("the document was changed after signing: its SHA-256 is {actual}, the signed one is {expected}")]
    HashMismatch {
        /// The hash the envelope states.
        expected: String,
        /// The document's hash.
        actual: String,
    },
    /// The document is another report than the one the envelope names.
    #[error("the document is {document}, but the signature is for {signed}")]
    ReportMismatch {
        /// The document's Party and year.
        document: String,
        /// The envelope's.
        signed: String,
    },
}

impl VerifyError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::DocumentNotJson(_) => "document_not_json",
            VerifyError::EnvelopeNotJson(_) => "envelope_not_json",
            VerifyError::UnsupportedFormat(_) => "unsupported_format",
            VerifyError::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            VerifyError::MalformedEnvelope { .. } => "malformed_envelope",
            VerifyError::UnknownKey { .. } => "unknown_key",
            VerifyError::BadSignature { .. } => "bad_signature",
            VerifyError::KeyRetired { .. } => "key_retired",
            VerifyError::HashMismatch { .. } => "hash_mismatch",
            VerifyError::ReportMismatch { .. } => "report_mismatch",
        }
    }
}

fn malformed(field: &str, message: impl fmt::Display) -> VerifyError {
    VerifyError::MalformedEnvelope { field: field.to_owned(), message: message.to_string() }
}

/// Checks a signed report: `document` is the report's JSON (any formatting), `envelope` the
/// signature file's bytes, `keys` the published keys. In order: the envelope is read (format,
/// every member, algorithms), its key is looked up by `key_id`, the signature is checked
/// against the envelope's signing input, then the document's canonical hash is compared with
/// the signed one, and its Party and year with the signed report's.
pub fn verify(document: &[u8], envelope: &[u8], keys: &PublicKeySet) -> Result<Verified, VerifyError> {
    let envelope_value = jcs::parse(envelope).map_err(VerifyError::EnvelopeNotJson)?;
    let envelope = read_envelope(&envelope_value)?;

    let Some(key) = keys.find(&envelope.key_id) else {
        return Err(VerifyError::UnknownKey {
            key_id: envelope.key_id,
            known: keys.keys().iter().map(|key| key.key_id().to_owned()).collect(),
        });
    };
    let signature =
        BASE64.decode(&envelope.signature).map_err(|e| malformed("signature", format_args!("not base64 ({e})")))?;
    let signature = Signature::from_slice(&signature)
        .map_err(|_| malformed("signature", format_args!("{} bytes, not 64", signature.len())))?;
    let message = envelope::signing_input(&envelope_value).map_err(|e| malformed(".", e))?;
    // `verify_strict` also refuses the small-order keys and non-canonical signatures with
    // which one signature could be valid for two messages.
    key.verifying_key()
        .verify_strict(&message, &signature)
        .map_err(|_| VerifyError::BadSignature { key_id: key.key_id().to_owned() })?;
    check_not_retired(key, &envelope.signed_at)?;

    let document = jcs::parse(document).map_err(VerifyError::DocumentNotJson)?;
    let canonical = jcs::canonicalize(&document)
        .map_err(|e| VerifyError::DocumentNotJson(JsonError { line: 0, column: 0, message: e.to_string() }))?;
    let actual = sha256_hex(&canonical);
    if actual != envelope.hash.value {
        return Err(VerifyError::HashMismatch { expected: envelope.hash.value, actual });
    }
    if let Some((document, signed)) = envelope::identity_mismatch(&document, &envelope.report) {
        return Err(VerifyError::ReportMismatch { document, signed });
    }
    Ok(Verified {
        report: envelope.report,
        signer: envelope.signer,
        signed_at: envelope.signed_at,
        key_id: envelope.key_id,
        document_hash: actual,
    })
}

/// Refuses a signature of a retired key dated after its retirement (`dated` is the RFC 3339
/// time the signed record states). A retirement time that does not parse counts as retired
/// since ever, and so does a date that does not parse: neither can show the signature older.
pub(crate) fn check_not_retired(key: &PublicKey, dated: &str) -> Result<(), VerifyError> {
    let Some(retired_at) = key.retired_at() else {
        return Ok(());
    };
    let parse = |text: &str| time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok();
    match (parse(retired_at), parse(dated)) {
        (Some(retired), Some(signed)) if signed <= retired => Ok(()),
        _ => Err(VerifyError::KeyRetired {
            key_id: key.key_id().to_owned(),
            retired_at: retired_at.to_owned(),
            signed_at: dated.to_owned(),
        }),
    }
}

/// The envelope's members, each checked for form; the format first, so that a newer format
/// is reported as such rather than as a list of unknown members.
fn read_envelope(value: &Value) -> Result<SignatureEnvelope, VerifyError> {
    match value.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(Value::String(format)) => return Err(VerifyError::UnsupportedFormat(format.clone())),
        Some(_) => return Err(malformed("format", "not a string")),
        None if value.is_object() => return Err(malformed("format", "missing")),
        None => return Err(malformed(".", "not a JSON object")),
    }
    let envelope: SignatureEnvelope =
        serde_path_to_error::deserialize(value).map_err(|e| malformed(&e.path().to_string(), e.inner()))?;
    for (field, value, expected) in [
        ("canonicalization", &envelope.canonicalization, CANONICALIZATION),
        ("hash.algorithm", &envelope.hash.algorithm, HASH_ALGORITHM),
        ("algorithm", &envelope.algorithm, SIGNATURE_ALGORITHM),
    ] {
        if value != expected {
            return Err(VerifyError::UnsupportedAlgorithm { field, value: value.clone(), expected });
        }
    }
    if envelope.hash.value.len() != 64
        || !envelope.hash.value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(malformed("hash.value", "not 64 lowercase hex digits"));
    }
    time::OffsetDateTime::parse(&envelope.signed_at, &time::format_description::well_known::Rfc3339)
        .map_err(|e| malformed("signed_at", format_args!("not an RFC 3339 time ({e})")))?;
    Ok(envelope)
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::Signer as _;
    use ed25519_dalek::SigningKey;

    use super::*;
    use crate::{Official, PlatformKey, SignatureMeta};

    /// An envelope the platform would never make (`sign_report` refuses): a valid signature
    /// over a hash of one report's document, naming another report.
    #[test]
    fn a_validly_signed_document_of_another_report_is_refused() {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let key = PlatformKey::from_pem(&crate::key::tests::pem_of(&signing), "test").unwrap();
        let document = serde_json::json!({"party": {"name": "Azerbaijan", "iso3": "AZE"}, "year": 2022});
        let canonical = jcs::canonicalize(&document).unwrap();
        let official = Official {
            title: String::new(),
            first_name: "A".into(),
            last_name: "B".into(),
            organization: String::new(),
            position: String::new(),
        };
        let meta = SignatureMeta {
            report: ReportRef { party: "AZE".into(), year: 2021, revision: 1 },
            signer: Signer { user: "u".into(), official },
            signed_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        let mut envelope = SignatureEnvelope::unsigned(meta, sha256_hex(&canonical), key.key_id().to_owned()).unwrap();
        envelope.signature = BASE64.encode(signing.sign(&envelope.signing_input().unwrap()).to_bytes());
        let error = verify(&canonical, &serde_json::to_vec(&envelope).unwrap(), &key.public_key_set()).unwrap_err();
        assert_eq!(error.code(), "report_mismatch");
        assert_eq!(
            error.to_string(),
            "the document is party AZE year 2022, but the signature is for party AZE year 2021"
        );
    }
}
