//! Signing the real demo report and verifying it, and every way a signed report can be
//! tampered with: the document's bytes, the envelope's members, the key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use proptest::prelude::*;
use qpr_signature::{
    Official, PlatformKey, PublicKeySet, ReportRef, SignatureMeta, SignedReport, Signer, VerifyError, verify,
};
use serde_json::Value;

/// The published Azerbaijan 2022 report, as the importer reads it.
static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let text = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");
    let document = qpr_import::import_published(qpr_domain::Framework::qpr_2020(), text).unwrap();
    serde_json::to_value(&document).unwrap()
});

static KEY: LazyLock<PlatformKey> = LazyLock::new(|| PlatformKey::generate().unwrap());

/// The demo report signed once with [`KEY`].
static SIGNED: LazyLock<SignedReport> = LazyLock::new(|| KEY.sign_report(&DOCUMENT, meta()).unwrap());

/// The document as a person would download and save it: pretty-printed, keys in the
/// document's own order, not the canonical form.
static PRETTY: LazyLock<Vec<u8>> = LazyLock::new(|| serde_json::to_vec_pretty(&*DOCUMENT).unwrap());

fn meta() -> SignatureMeta {
    SignatureMeta {
        report: ReportRef { party: "AZE".into(), year: 2022, revision: 7 },
        signer: Signer {
            user: "focal.point@culture.gov.az".into(),
            official: Official {
                title: "Dr".into(),
                first_name: "Leyla".into(),
                last_name: "Mammadova".into(),
                organization: "Ministry of Culture".into(),
                position: "Head of International Relations".into(),
            },
        },
        signed_at: time::OffsetDateTime::parse(
            "2025-03-01T09:30:15.25+01:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap(),
    }
}

fn keys() -> PublicKeySet {
    KEY.public_key_set()
}

#[test]
fn the_signed_demo_report_verifies_in_its_canonical_and_its_pretty_form() {
    let verified = verify(&SIGNED.document, &SIGNED.envelope_json, &keys()).unwrap();
    assert_eq!(verified.report, meta().report);
    assert_eq!(verified.signer, meta().signer);
    assert_eq!(verified.signed_at, "2025-03-01T08:30:15Z", "UTC, whole seconds");
    assert_eq!(verified.key_id, KEY.key_id());
    assert_eq!(
        verified.to_string(),
        format!(
            "report AZE 2022 (revision 7) signed by Dr Leyla Mammadova (Head of International Relations, Ministry of Culture), \
             user focal.point@culture.gov.az at 2025-03-01T08:30:15Z (key {})",
            KEY.key_id()
        )
    );
    // Re-indented and with keys in another order: the same JSON value, the same signature.
    assert_ne!(*PRETTY, SIGNED.document);
    verify(&PRETTY, &SIGNED.envelope_json, &keys()).unwrap();
    // The stored bytes are the document's canonical form (a fixed point of canonicalization;
    // `1.0` is written `1`, the same JSON number), and the envelope states their hash.
    assert_eq!(SIGNED.document, qpr_signature::jcs::canonicalize(&DOCUMENT).unwrap());
    assert_eq!(
        SIGNED.document,
        qpr_signature::jcs::canonicalize(&qpr_signature::jcs::parse(&SIGNED.document).unwrap()).unwrap()
    );
    assert!(SIGNED.document.starts_with(b"{\"answers\":{") && !SIGNED.document.contains(&b'\n'));
    assert_eq!(SIGNED.envelope.hash.value, qpr_signature::sha256_hex(&SIGNED.document));
    assert_eq!(
        serde_json::from_slice::<qpr_signature::SignatureEnvelope>(&SIGNED.envelope_json).unwrap(),
        SIGNED.envelope
    );
}

#[test]
fn the_envelope_has_the_documented_members() {
    let envelope: Value = serde_json::from_slice(&SIGNED.envelope_json).unwrap();
    let mut members: Vec<&str> = envelope.as_object().unwrap().keys().map(String::as_str).collect();
    members.sort_unstable();
    assert_eq!(
        members,
        ["algorithm", "canonicalization", "format", "hash", "key_id", "report", "signature", "signed_at", "signer"]
    );
    assert_eq!(envelope["format"], "qpr-signature/1");
    assert_eq!(envelope["canonicalization"], "RFC8785");
    assert_eq!(envelope["hash"]["algorithm"], "SHA-256");
    assert_eq!(envelope["algorithm"], "Ed25519");
    assert_eq!(envelope["report"], serde_json::json!({"party": "AZE", "year": 2022, "revision": 7}));
    assert_eq!(envelope["signer"]["official"]["last_name"], "Mammadova");
}

/// Verification outcome of the demo report with one byte of its pretty form replaced.
fn verify_with_byte(position: usize, byte: u8) -> (Vec<u8>, Result<qpr_signature::Verified, VerifyError>) {
    let mut document = PRETTY.clone();
    document[position] = byte;
    let result = verify(&document, &SIGNED.envelope_json, &keys());
    (document, result)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// Any byte replaced anywhere in the document: when the result is still JSON with the
    /// same value (a space for a newline, `e` for `E` in a number), it verifies, as the
    /// signature covers the value; otherwise verification fails, saying why.
    #[test]
    fn a_changed_document_byte_fails_unless_the_json_value_is_the_same(
        position in 0..PRETTY.len(),
        byte in prop_oneof![any::<u8>(), proptest::sample::select(b" \n\t\r0123456789.eE+-\"{}[],:\\tfnul".to_vec())],
    ) {
        prop_assume!(PRETTY[position] != byte);
        let (document, result) = verify_with_byte(position, byte);
        let same_value = serde_json::from_slice::<Value>(&document).is_ok_and(|value| value == *DOCUMENT);
        match result {
            Ok(_) => prop_assert!(same_value, "byte {position} set to {byte:#04x} changed the value and still verified"),
            Err(error) => {
                prop_assert!(!same_value, "byte {position} set to {byte:#04x} kept the value but failed: {error}");
                prop_assert!(matches!(error.code(), "document_not_json" | "hash_mismatch"), "{error}");
            }
        }
    }
}

#[test]
fn changed_values_and_whitespace_are_told_apart() {
    // A letter of a text answer: still JSON, another value.
    let position = PRETTY.windows(10).position(|w| w == b"Azerbaijan").unwrap();
    let error = verify_with_byte(position, b'a').1.unwrap_err();
    let VerifyError::HashMismatch { expected, actual } = &error else { panic!("{error}") };
    assert_eq!(expected, &SIGNED.envelope.hash.value);
    assert_ne!(actual, expected);
    assert!(error.to_string().contains("changed after signing"), "{error}");
    // A brace removed: no longer JSON, and the message says where.
    let error = verify_with_byte(0, b' ').1.unwrap_err();
    assert_eq!(error.code(), "document_not_json");
    assert!(error.to_string().contains("line "), "{error}");
    // Indentation: the same value.
    let indent = PRETTY.iter().position(|&b| b == b'\n').unwrap() + 1;
    verify_with_byte(indent, b'\t').1.unwrap();
}

#[test]
fn a_duplicated_key_is_refused_even_when_the_last_value_is_the_signed_one() {
    // Other parsers keep the first of two equal keys: a document with `year` twice would read
    // differently in them than in the verifier, so it is no valid signed document at all.
    let mut text = String::from_utf8(PRETTY.clone()).unwrap();
    text.insert_str(text.find('{').unwrap() + 1, "\n  \"year\": 1999,");
    let error = verify(text.as_bytes(), &SIGNED.envelope_json, &keys()).unwrap_err();
    assert_eq!(error.code(), "document_not_json");
    assert!(error.to_string().contains("duplicate key `year`"), "{error}");
}

/// Every leaf of a JSON value, as a JSON pointer.
fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            members.iter().for_each(|(key, value)| leaves(value, format!("{pointer}/{key}"), out))
        }
        _ => out.push(pointer),
    }
}

fn verify_envelope(envelope: &Value) -> Result<qpr_signature::Verified, VerifyError> {
    verify(&SIGNED.document, &serde_json::to_vec(envelope).unwrap(), &keys())
}

#[test]
fn changing_any_envelope_member_is_detected() {
    let original: Value = serde_json::from_slice(&SIGNED.envelope_json).unwrap();
    let mut pointers = Vec::new();
    leaves(&original, String::new(), &mut pointers);
    assert_eq!(pointers.len(), 17, "{pointers:?}");
    for pointer in &pointers {
        let mut envelope = original.clone();
        let leaf = envelope.pointer_mut(pointer).unwrap();
        *leaf = match leaf.take() {
            Value::String(text) if pointer == "/signature" || pointer == "/hash/value" => {
                // Still well-formed: another base64 signature, another hex digest.
                let mut bytes = text.into_bytes();
                bytes[3] = if bytes[3] == b'a' { b'b' } else { b'a' };
                Value::String(String::from_utf8(bytes).unwrap())
            }
            Value::String(text) if pointer == "/signed_at" => Value::String(text.replace("08:30", "08:31")),
            Value::String(text) => Value::String(format!("{text}x")),
            Value::Number(number) => Value::from(number.as_i64().unwrap() + 1),
            other => panic!("{pointer}: unexpected {other}"),
        };
        let error = verify_envelope(&envelope).expect_err(pointer);
        let expected = match pointer.as_str() {
            "/format" => "unsupported_format",
            "/algorithm" | "/canonicalization" | "/hash/algorithm" => "unsupported_algorithm",
            "/key_id" => "unknown_key",
            _ => "bad_signature",
        };
        assert_eq!(error.code(), expected, "{pointer}: {error}");

        let mut envelope = original.clone();
        let (parent, name) = pointer.rsplit_once('/').unwrap();
        envelope.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(name);
        let error = verify_envelope(&envelope).expect_err(pointer);
        if pointer == "/format" {
            assert_eq!(error, VerifyError::MalformedEnvelope { field: "format".into(), message: "missing".into() });
        } else {
            // serde_path_to_error names the object the member is missing from.
            let field = if parent.is_empty() { ".".to_owned() } else { parent[1..].replace('/', ".") };
            assert_eq!(
                error,
                VerifyError::MalformedEnvelope { field, message: format!("missing field `{name}`") },
                "{pointer}"
            );
        }
    }
}

#[test]
fn added_members_and_malformed_values_name_the_member() {
    let original: Value = serde_json::from_slice(&SIGNED.envelope_json).unwrap();
    let mut envelope = original.clone();
    envelope["signer"]["official"]["phone"] = "+994 12 000 00 00".into();
    let error = verify_envelope(&envelope).unwrap_err();
    assert_eq!(error.code(), "malformed_envelope");
    assert!(
        error.to_string().contains("`signer.official.phone`") && error.to_string().contains("unknown field"),
        "{error}"
    );

    for (pointer, value, field) in [
        ("/report/year", Value::from("2022"), "report.year"),
        ("/signature", Value::from("not base64!"), "signature"),
        ("/signature", Value::from("AAAA"), "signature"),
        ("/hash/value", Value::from("ABC"), "hash.value"),
        ("/signed_at", Value::from("yesterday"), "signed_at"),
    ] {
        let mut envelope = original.clone();
        *envelope.pointer_mut(pointer).unwrap() = value;
        match verify_envelope(&envelope).unwrap_err() {
            VerifyError::MalformedEnvelope { field: named, .. } => assert_eq!(named, field, "{pointer}"),
            error => panic!("{pointer}: {error}"),
        }
    }

    let error = verify(&SIGNED.document, b"{\"format\": \"qpr-signature/1\",", &keys()).unwrap_err();
    assert_eq!(error.code(), "envelope_not_json", "{error}");
    let error = verify(&SIGNED.document, b"[]", &keys()).unwrap_err();
    assert_eq!(error.code(), "malformed_envelope", "{error}");
    let mut envelope = original;
    envelope["format"] = "qpr-signature/2".into();
    assert_eq!(
        verify_envelope(&envelope).unwrap_err().to_string(),
        "unsupported signature format `qpr-signature/2` (this verifier reads qpr-signature/1)"
    );
}

#[test]
fn another_key_does_not_verify() {
    let other = PlatformKey::generate().unwrap();
    let error = verify(&SIGNED.document, &SIGNED.envelope_json, &other.public_key_set()).unwrap_err();
    assert_eq!(
        error,
        VerifyError::UnknownKey { key_id: KEY.key_id().to_owned(), known: vec![other.key_id().to_owned()] }
    );
    assert!(error.to_string().contains(KEY.key_id()) && error.to_string().contains(other.key_id()), "{error}");

    // Signed by another key, claiming the platform key's id: the signature does not match.
    let forged = other.sign_report(&DOCUMENT, meta()).unwrap();
    let mut envelope: Value = serde_json::from_slice(&forged.envelope_json).unwrap();
    envelope["key_id"] = KEY.key_id().into();
    let error = verify_envelope(&envelope).unwrap_err();
    assert_eq!(error, VerifyError::BadSignature { key_id: KEY.key_id().to_owned() });
}

#[test]
fn a_document_of_another_report_is_not_signed() {
    let mut other = meta();
    other.report.year = 2021;
    let error = KEY.sign_report(&DOCUMENT, other).unwrap_err();
    assert_eq!(error.code(), "report_mismatch");
    assert_eq!(
        error.to_string(),
        "the document is party AZE year 2022, not the report party AZE year 2021 named for signing"
    );
}
