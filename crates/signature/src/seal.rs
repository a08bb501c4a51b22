//! Seals: the platform key's detached signatures over the platform's own records (a backup
//! file, an audit-log entry), checked with the same published keys as report signatures.
//!
//! The Ed25519 message is `<purpose>\n<message>`. A purpose names the kind of record and
//! its version (`qpr-backup/1`, `qpr-audit/1`), so a seal made for one kind is never valid
//! for another, nor for a report envelope (whose signing input is JSON, starting with `{`).
//! When the record's date is given, a seal of a retired key is valid only for a record dated
//! before its retirement, as a report signature.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _};

use crate::verify::check_not_retired;
use crate::{PlatformKey, PublicKeySet, VerifyError};

/// A detached signature of the platform key: which key, and the standard base64 of the 64
/// signature bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// The id of the key that made it.
    pub key_id: String,
    /// Standard base64 of the Ed25519 signature.
    pub signature: String,
}

fn message(purpose: &str, message: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(purpose.len() + 1 + message.len());
    bytes.extend_from_slice(purpose.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(message);
    bytes
}

impl PlatformKey {
    /// Seals `message` for `purpose` (see the module documentation).
    pub fn seal(&self, purpose: &str, message_bytes: &[u8]) -> Seal {
        let signature = self.signing_key().sign(&message(purpose, message_bytes));
        Seal { key_id: self.key_id().to_owned(), signature: BASE64.encode(signature.to_bytes()) }
    }
}

impl PublicKeySet {
    /// Checks a seal made for `purpose` over `message`. With `dated`, the RFC 3339 time the
    /// record states, a retired key's seal is refused for a record dated after its retirement
    /// (`key_retired`); without, any key of the set will do. Errors: `unknown_key`,
    /// `malformed_envelope` (the signature is no base64 of 64 bytes), `bad_signature`,
    /// `key_retired`.
    pub fn check_seal(
        &self,
        purpose: &str,
        message_bytes: &[u8],
        seal: &Seal,
        dated: Option<&str>,
    ) -> Result<(), VerifyError> {
        let Some(key) = self.find(&seal.key_id) else {
            return Err(VerifyError::UnknownKey {
                key_id: seal.key_id.clone(),
                known: self.keys().iter().map(|key| key.key_id().to_owned()).collect(),
            });
        };
        let malformed = |message: String| VerifyError::MalformedEnvelope { field: "signature".into(), message };
        let bytes = BASE64.decode(&seal.signature).map_err(|e| malformed(format!("not base64 ({e})")))?;
        let signature =
            Signature::from_slice(&bytes).map_err(|_| malformed(format!("{} bytes, not 64", bytes.len())))?;
        key.verifying_key()
            .verify_strict(&message(purpose, message_bytes), &signature)
            .map_err(|_| VerifyError::BadSignature { key_id: key.key_id().to_owned() })?;
        match dated {
            Some(dated) => check_not_retired(key, dated),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_holds_for_its_purpose_and_message_only() {
        let key = PlatformKey::generate().unwrap();
        let keys = key.public_key_set();
        let seal = key.seal("qpr-audit/1", b"1\nabc");
        keys.check_seal("qpr-audit/1", b"1\nabc", &seal, Some("2026-01-01T00:00:00Z")).unwrap();
        for (purpose, message) in [("qpr-backup/1", &b"1\nabc"[..]), ("qpr-audit/1", b"1\nabd")] {
            assert_eq!(
                keys.check_seal(purpose, message, &seal, Some("2026-01-01T00:00:00Z")).unwrap_err().code(),
                "bad_signature"
            );
        }
        let other = PlatformKey::generate().unwrap().public_key_set();
        assert_eq!(
            other.check_seal("qpr-audit/1", b"1\nabc", &seal, Some("2026-01-01T00:00:00Z")).unwrap_err().code(),
            "unknown_key"
        );
        let garbled = Seal { signature: "AAAA".into(), ..seal };
        assert_eq!(
            keys.check_seal("qpr-audit/1", b"1\nabc", &garbled, Some("2026-01-01T00:00:00Z")).unwrap_err().code(),
            "malformed_envelope"
        );
    }
}
