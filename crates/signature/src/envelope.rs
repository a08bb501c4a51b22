//! The signature envelope (`qpr-signature/1`) and what the signer provides for it.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{SignError, jcs};

/// Which report was signed: its Party's ISO 3166-1 alpha-3 code, its year and the stored
/// revision the document is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRef {
    /// The Party's ISO 3166-1 alpha-3 code (`AZE`).
    pub party: String,
    /// The report's year.
    pub year: i32,
    /// The revision of the report that was signed.
    pub revision: i64,
}

impl fmt::Display for ReportRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (revision {})", self.party, self.year, self.revision)
    }
}

/// The official in whose name a report is submitted, as they entered it when signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Official {
    /// Title (`Mr`, `Dr`, …).
    pub title: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Ministry or agency.
    pub organization: String,
    /// Position held.
    pub position: String,
}

/// Who signed: the platform account that submitted, and the official it submitted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// The submitting account (its user name or e-mail address).
    pub user: String,
    /// The official named at submission.
    pub official: Official,
}

impl fmt::Display for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.official;
        let name = [o.title.as_str(), &o.first_name, &o.last_name]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let role = [o.position.as_str(), &o.organization]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        write!(f, "{name}")?;
        if !role.is_empty() {
            write!(f, " ({role})")?;
        }
        write!(f, ", user {}", self.user)
    }
}

/// The document's hash as the envelope records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentHash {
    /// Always [`crate::HASH_ALGORITHM`].
    pub algorithm: String,
    /// Lowercase hex digest of the document's canonical bytes.
    pub value: String,
}

/// The signature file of a submitted report. Field names and the format string are stable;
/// a change of meaning gets a new `format`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureEnvelope {
    /// Always [`crate::FORMAT`].
    pub format: String,
    /// The report signed.
    pub report: ReportRef,
    /// Who signed.
    pub signer: Signer,
    /// When, RFC 3339 in UTC, whole seconds (`2025-03-01T09:30:00Z`).
    pub signed_at: String,
    /// Always [`crate::CANONICALIZATION`].
    pub canonicalization: String,
    /// The canonical document's digest.
    pub hash: DocumentHash,
    /// The signing key's id (see the crate documentation).
    pub key_id: String,
    /// Always [`crate::SIGNATURE_ALGORITHM`].
    pub algorithm: String,
    /// Standard base64 of the Ed25519 signature of the envelope's signing input.
    pub signature: String,
}

/// What the signer states besides the document itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMeta {
    /// The report and revision being signed; must be the document's Party and year.
    pub report: ReportRef,
    /// Who signs.
    pub signer: Signer,
    /// When; recorded in UTC to the second.
    pub signed_at: time::OffsetDateTime,
}

/// A signed report: the two files to keep and publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReport {
    /// The document's RFC 8785 canonical bytes (what `hash` is the digest of), to be stored
    /// and served as the signed document.
    pub document: Vec<u8>,
    /// The envelope.
    pub envelope: SignatureEnvelope,
    /// The envelope as pretty-printed JSON, to be stored and served as the signature file.
    pub envelope_json: Vec<u8>,
}

/// The bytes the Ed25519 signature is made over: the RFC 8785 form of the envelope without
/// its `signature` member (every other member, known or not, is covered).
pub(crate) fn signing_input(envelope: &Value) -> Result<Vec<u8>, serde_json::Error> {
    let mut unsigned = envelope.clone();
    if let Value::Object(members) = &mut unsigned {
        members.remove("signature");
    }
    jcs::canonicalize(&unsigned)
}

/// The Party code and year a report document states (`party.iso3`, `year`), for comparing
/// with the report an envelope names.
pub(crate) fn document_identity(document: &Value) -> (Option<&str>, Option<i64>) {
    (document.pointer("/party/iso3").and_then(Value::as_str), document.get("year").and_then(Value::as_i64))
}

/// Whether the document is the report `report` names, as `(document's, named)` texts when not.
pub(crate) fn identity_mismatch(document: &Value, report: &ReportRef) -> Option<(String, String)> {
    let (party, year) = document_identity(document);
    if party == Some(report.party.as_str()) && year == Some(i64::from(report.year)) {
        return None;
    }
    let show = |value: Option<String>| value.unwrap_or_else(|| "(none)".to_owned());
    Some((
        format!("party {} year {}", show(party.map(str::to_owned)), show(year.map(|y| y.to_string()))),
        format!("party {} year {}", report.party, report.year),
    ))
}

impl SignatureEnvelope {
    /// An unsigned envelope (empty `signature`) for a document hash, filled by the signer.
    pub(crate) fn unsigned(
        meta: SignatureMeta,
        document_hash: String,
        key_id: String,
    ) -> Result<SignatureEnvelope, SignError> {
        let signed_at = meta.signed_at.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(meta.signed_at);
        let signed_at = signed_at
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(|error| SignError::BadTime { message: format!("{}: {error}", meta.signed_at) })?;
        Ok(SignatureEnvelope {
            format: crate::FORMAT.to_owned(),
            report: meta.report,
            signer: meta.signer,
            signed_at,
            canonicalization: crate::CANONICALIZATION.to_owned(),
            hash: DocumentHash { algorithm: crate::HASH_ALGORITHM.to_owned(), value: document_hash },
            key_id,
            algorithm: crate::SIGNATURE_ALGORITHM.to_owned(),
            signature: String::new(),
        })
    }

    /// The bytes to sign (see [`signing_input`]).
    pub(crate) fn signing_input(&self) -> Result<Vec<u8>, SignError> {
        let failed =
            |error: serde_json::Error| SignError::Canonicalization { what: "envelope", message: error.to_string() };
        signing_input(&serde_json::to_value(self).map_err(failed)?).map_err(failed)
    }
}
