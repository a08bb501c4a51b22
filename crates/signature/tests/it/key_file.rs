//! The platform key file: made once, read back as the same key, never replaced, refused
//! with a clear reason when it is not a key; and the forms public keys are read in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qpr_signature::{KeyOrigin, PlatformKey, PublicKeySet};

#[test]
fn the_key_is_generated_once_then_read_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join(qpr_signature::KEY_FILE_NAME);
    let (first, origin) = PlatformKey::load_or_generate(&path).unwrap();
    assert_eq!(origin, KeyOrigin::Generated);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("-----BEGIN PRIVATE KEY-----") && text.contains(first.key_id()), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600,
            "only the owner may read the key"
        );
    }
    let leftovers: Vec<_> =
        std::fs::read_dir(path.parent().unwrap()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(leftovers, [qpr_signature::KEY_FILE_NAME], "no temporary file is left");

    let (again, origin) = PlatformKey::load_or_generate(&path).unwrap();
    assert_eq!(origin, KeyOrigin::Loaded);
    assert_eq!(again.public_key(), first.public_key(), "same key, same created_at");
    assert!(first.public_key().created_at().is_some());
    assert_eq!(PlatformKey::load(&path).unwrap().public_key_set(), first.public_key_set());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "the file is not rewritten");
    assert_ne!(PlatformKey::generate().unwrap().key_id(), first.key_id());
}

#[test]
fn concurrent_first_starts_end_with_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(qpr_signature::KEY_FILE_NAME);
    let ids: Vec<String> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| PlatformKey::load_or_generate(&path).unwrap().0.key_id().to_owned()))
            .collect();
        starts.into_iter().map(|start| start.join().unwrap()).collect()
    });
    let on_disk = PlatformKey::load(&path).unwrap();
    assert!(ids.iter().all(|id| id == on_disk.key_id()), "{ids:?} vs {}", on_disk.key_id());
}

#[test]
fn a_bad_key_file_is_refused_saying_which_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.pem");
    let cases: [(&[u8], &str); 5] = [
        (b"hello\n", "no `-----BEGIN PRIVATE KEY-----` block"),
        (b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n", "not an Ed25519 PKCS#8 private key"),
        (b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted keys are not supported"),
        // The RFC 8410 key with the X25519 algorithm id: PKCS#8, but no signing key.
        (
            b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n",
            "not an Ed25519 PKCS#8 private key",
        ),
        (b"\xff\xfe", "not UTF-8"),
    ];
    for (contents, reason) in cases {
        std::fs::write(&path, contents).unwrap();
        let error = PlatformKey::load_or_generate(&path).unwrap_err();
        assert_eq!(error.code(), "key_malformed", "{error}");
        let message = error.to_string();
        assert!(message.contains(path.to_str().unwrap()) && message.contains(reason), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), contents, "a bad key file is never replaced");
    }
    let missing = dir.path().join("missing.pem");
    let error = PlatformKey::load(&missing).unwrap_err();
    assert_eq!(error.code(), "key_file_unreadable");
    assert!(error.to_string().contains("missing.pem"), "{error}");
}

#[test]
fn an_openssl_key_without_preamble_is_read() {
    // `openssl genpkey -algorithm ed25519` output: the RFC 8410 example key.
    let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    let key = PlatformKey::from_pem(pem, "rfc8410").unwrap();
    assert_eq!(
        key.public_key().to_base64(),
        "Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
        "RFC 8410 section 10.1's public key"
    );
    assert_eq!(key.public_key().created_at(), None);
}

#[test]
fn public_keys_are_read_from_the_key_set_one_key_a_pem_or_the_private_key() {
    let key = PlatformKey::generate().unwrap();
    let set_json = serde_json::to_string_pretty(&key.public_key_set()).unwrap();
    let set: serde_json::Value = serde_json::from_str(&set_json).unwrap();
    assert_eq!(set["keys"][0]["key_id"], key.key_id());
    assert_eq!(set["keys"][0]["algorithm"], "Ed25519");
    assert_eq!(set["keys"][0]["public_key"], key.public_key().to_base64());
    assert_eq!(PublicKeySet::parse(set_json.as_bytes(), "set").unwrap(), key.public_key_set());
    let single = serde_json::to_string(&set["keys"][0]).unwrap();
    assert_eq!(PublicKeySet::parse(single.as_bytes(), "single").unwrap(), key.public_key_set());

    // The RFC 8410 public key as `openssl pkey -pubout` writes it.
    let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    let from_pem = PublicKeySet::parse(pem.as_bytes(), "pem").unwrap();
    assert_eq!(from_pem.keys()[0].to_base64(), "Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
    let private = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    assert_eq!(PublicKeySet::parse(private.as_bytes(), "private").unwrap(), from_pem);
}

#[test]
fn a_bad_key_set_says_what_is_wrong() {
    let key = PlatformKey::generate().unwrap();
    let good = serde_json::to_value(key.public_key_set()).unwrap();
    let other = PlatformKey::generate().unwrap();
    let cases = [
        (serde_json::json!({"keys": []}), "key_malformed", "no keys"),
        (serde_json::json!({"keys": [{"key_id": "x"}]}), "key_malformed", "`keys[0]`: missing field"),
        (
            serde_json::json!({"keys": [{"key_id": key.key_id(), "algorithm": "RSA", "public_key": "AA=="}]}),
            "key_malformed",
            "only Ed25519",
        ),
        (
            serde_json::json!({"keys": [{"key_id": key.key_id(), "algorithm": "Ed25519", "public_key": "AAAA"}]}),
            "key_malformed",
            "3 bytes, not 32",
        ),
        (
            serde_json::json!({"keys": [{"key_id": key.key_id(), "algorithm": "Ed25519", "public_key": "%%"}]}),
            "key_malformed",
            "not base64",
        ),
        (
            serde_json::json!({"keys": [{"key_id": key.key_id(), "algorithm": "Ed25519", "public_key": other.public_key().to_base64()}]}),
            "key_id_mismatch",
            "does not belong to its public key",
        ),
    ];
    assert_eq!(PublicKeySet::parse(&serde_json::to_vec(&good).unwrap(), "good").unwrap(), key.public_key_set());
    for (json, code, reason) in cases {
        let error = PublicKeySet::parse(&serde_json::to_vec(&json).unwrap(), "keys.json").unwrap_err();
        assert_eq!(error.code(), code, "{error}");
        assert!(error.to_string().starts_with("keys.json") && error.to_string().contains(reason), "{error}");
    }
    let error = PublicKeySet::parse(b"just text", "keys.txt").unwrap_err();
    assert!(error.to_string().contains("neither a JSON key set nor a PEM key"), "{error}");
    let error = PublicKeySet::parse(b"{\"keys\": [", "keys.json").unwrap_err();
    assert!(error.to_string().contains("not JSON: line 1"), "{error}");
}
