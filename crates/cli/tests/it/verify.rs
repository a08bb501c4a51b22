//! `qpr verify` and `qpr key show` as a reader runs them: the real binary on files, with the
//! data dir's key or a downloaded key set, on good and tampered reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qpr_signature::{Official, PlatformKey, ReportRef, SignatureMeta, Signer};

/// A data dir with a platform key (made as `qpr serve` makes it) and the demo report signed
/// with it, saved as REPORT.json (pretty-printed, as a person might save it) and SIGNATURE.json.
struct Signed {
    dir: tempfile::TempDir,
    key: PlatformKey,
}

impl Signed {
    fn new() -> Signed {
        let dir = tempfile::tempdir().unwrap();
        let (key, _) =
            PlatformKey::load_or_generate(&dir.path().join("data").join(qpr_signature::KEY_FILE_NAME)).unwrap();
        let text = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");
        let document = qpr_import::import_published(qpr_domain::Framework::qpr_2020(), text).unwrap();
        let meta = SignatureMeta {
            report: ReportRef { party: "AZE".into(), year: 2022, revision: 3 },
            signer: Signer {
                user: "focal@example.org".into(),
                official: Official {
                    title: "Ms".into(),
                    first_name: "Aysel".into(),
                    last_name: "Huseynova".into(),
                    organization: "Ministry of Culture".into(),
                    position: "Director".into(),
                },
            },
            signed_at: time::OffsetDateTime::from_unix_timestamp(1_740_821_400).unwrap(),
        };
        let signed = key.sign_report(&serde_json::to_value(&document).unwrap(), meta).unwrap();
        std::fs::write(dir.path().join("REPORT.json"), document.to_json_pretty()).unwrap();
        std::fs::write(dir.path().join("signed.json"), &signed.document).unwrap();
        std::fs::write(dir.path().join("SIGNATURE.json"), &signed.envelope_json).unwrap();
        Signed { dir, key }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `qpr ARGS` in the temporary directory (so no `./qpr.toml` is read), with this data dir.
    fn qpr(&self, args: &[&str]) -> Output {
        qpr_in(self.dir.path(), &self.path("data"), args)
    }

    /// A copy of a file with `from` replaced by `to` (once).
    fn tampered(&self, name: &str, from: &str, to: &str) -> PathBuf {
        let text = std::fs::read_to_string(self.path(name)).unwrap();
        assert!(text.contains(from), "{from} not in {name}");
        let path = self.path(&format!("tampered-{name}"));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }
}

fn qpr_in(dir: &Path, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpr"))
        .current_dir(dir)
        .env_remove("QPR_CONFIG")
        .env_remove("QPR_SIGNING_KEY")
        .args(["--data-dir", data_dir.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Asserts a failed verification: exit status 1, nothing on stdout, and stderr with `message`.
fn assert_not_verified(output: &Output, code: &str, message: &str) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(text(&output.stdout), "", "nothing claims success");
    assert!(
        stderr.contains("NOT verified") && stderr.contains(message) && stderr.contains(&format!("[{code}]")),
        "{stderr}"
    );
}

#[test]
fn a_signed_report_verifies_with_the_data_dirs_key_and_with_the_published_key_set() {
    let signed = Signed::new();
    for report in ["REPORT.json", "signed.json"] {
        let output = signed.qpr(&["verify", report, "SIGNATURE.json"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            format!(
                "verified: report AZE 2022 (revision 3) signed by Ms Aysel Huseynova (Director, Ministry of Culture), user focal@example.org \
                 at 2025-03-01T09:30:00Z (key {})\n",
                signed.key.key_id()
            )
        );
    }

    // A reader elsewhere: the key set `qpr key show` prints (the well-known JSON), no data dir.
    let shown = signed.qpr(&["key", "show"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert_eq!(
        text(&shown.stdout),
        format!("{}\n", serde_json::to_string_pretty(&signed.key.public_key_set()).unwrap())
    );
    std::fs::write(signed.path("keys.json"), &shown.stdout).unwrap();
    let elsewhere = signed.path("elsewhere");
    let output =
        qpr_in(signed.dir.path(), &elsewhere, &["verify", "REPORT.json", "SIGNATURE.json", "--key", "keys.json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).starts_with("verified: report AZE 2022"));
    assert!(!elsewhere.exists(), "verifying creates nothing");
}

#[test]
fn after_a_key_rotation_earlier_signatures_still_verify_and_the_key_set_lists_both_keys() {
    let signed = Signed::new();
    let rotated = signed.qpr(&["key", "rotate"]);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    let said = text(&rotated.stdout);
    assert!(
        said.contains(&format!("key {} is retired", signed.key.key_id())) && said.contains("Restart qpr serve"),
        "{said}"
    );
    let current = PlatformKey::load(&signed.path("data").join(qpr_signature::KEY_FILE_NAME)).unwrap();
    assert_ne!(current.key_id(), signed.key.key_id());

    let output = signed.qpr(&["verify", "REPORT.json", "SIGNATURE.json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains(&format!("(key {})", signed.key.key_id())));
    let shown: serde_json::Value = serde_json::from_slice(&signed.qpr(&["key", "show"]).stdout).unwrap();
    let ids: Vec<&str> = shown["keys"].as_array().unwrap().iter().map(|k| k["key_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [current.key_id(), signed.key.key_id()]);
    assert!(shown["keys"][1]["retired_at"].is_string() && shown["keys"][0].get("retired_at").is_none(), "{shown}");

    // Without a key there is nothing to rotate, and nothing is made.
    let elsewhere = signed.path("empty");
    let output = qpr_in(signed.dir.path(), &elsewhere, &["key", "rotate"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no signing key at"), "{}", text(&output.stderr));
    assert!(!elsewhere.join(qpr_signature::KEY_FILE_NAME).exists());
}

#[test]
fn a_signature_of_a_rotated_out_key_dated_after_its_retirement_is_refused() {
    let signed = Signed::new();
    let rotated = signed.qpr(&["key", "rotate"]);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    // Whoever kept (or stole) the old key signs a report dated after the rotation.
    let text_of_report = include_str!("../../../../demo/qpr-azerbaijan-2022.txt");
    let document = qpr_import::import_published(qpr_domain::Framework::qpr_2020(), text_of_report).unwrap();
    let meta = SignatureMeta {
        report: ReportRef { party: "AZE".into(), year: 2022, revision: 4 },
        signer: Signer {
            user: "forger@example.org".into(),
            official: Official {
                title: String::new(),
                first_name: "Forged".into(),
                last_name: "Signer".into(),
                organization: String::new(),
                position: String::new(),
            },
        },
        signed_at: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    let forged = signed.key.sign_report(&serde_json::to_value(&document).unwrap(), meta).unwrap();
    std::fs::write(signed.path("FORGED.json"), &forged.envelope_json).unwrap();
    let output = signed.qpr(&["verify", "REPORT.json", "FORGED.json"]);
    assert_not_verified(&output, "key_retired", &format!("key {} was retired at", signed.key.key_id()));
    // The same with the published key set, as a reader elsewhere checks it.
    std::fs::write(signed.path("keys.json"), signed.qpr(&["key", "show"]).stdout).unwrap();
    let output = signed.qpr(&["verify", "REPORT.json", "FORGED.json", "--key", "keys.json"]);
    assert_not_verified(&output, "key_retired", "after its retirement");
    // What the old key signed before its retirement still verifies.
    let output = signed.qpr(&["verify", "REPORT.json", "SIGNATURE.json", "--key", "keys.json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn tampered_files_and_other_keys_fail_with_what_does_not_match() {
    let signed = Signed::new();
    let report = signed.tampered("REPORT.json", "\"year\": 2022", "\"year\": 2021");
    let output = signed.qpr(&["verify", report.to_str().unwrap(), "SIGNATURE.json"]);
    assert_not_verified(&output, "hash_mismatch", "the document was changed after signing: its SHA-256 is");

    let report = signed.tampered("signed.json", "Azerbaijan", "Azerbaijan!");
    assert_not_verified(
        &signed.qpr(&["verify", report.to_str().unwrap(), "SIGNATURE.json"]),
        "hash_mismatch",
        "changed after signing",
    );

    let signature = signed.tampered("SIGNATURE.json", "Huseynova", "Aliyeva");
    let output = signed.qpr(&["verify", "REPORT.json", signature.to_str().unwrap()]);
    assert_not_verified(&output, "bad_signature", "bad signature: the signature file was changed after signing");

    let signature = signed.tampered("SIGNATURE.json", "\"revision\": 3", "\"revision\": 4");
    assert_not_verified(
        &signed.qpr(&["verify", "REPORT.json", signature.to_str().unwrap()]),
        "bad_signature",
        "bad signature",
    );

    let report = signed.tampered("REPORT.json", "{", "[");
    let output = signed.qpr(&["verify", report.to_str().unwrap(), "SIGNATURE.json"]);
    assert_not_verified(&output, "document_not_json", "the document is not valid JSON at line");

    let other = PlatformKey::generate().unwrap();
    std::fs::write(signed.path("other.json"), serde_json::to_vec(&other.public_key_set()).unwrap()).unwrap();
    let output = signed.qpr(&["verify", "REPORT.json", "SIGNATURE.json", "--key", "other.json"]);
    assert_not_verified(&output, "unknown_key", &format!("unknown key id `{}`", signed.key.key_id()));
}

#[test]
fn missing_keys_and_files_are_errors_that_say_what_to_do() {
    let signed = Signed::new();
    let elsewhere = signed.path("elsewhere");
    let output = qpr_in(signed.dir.path(), &elsewhere, &["verify", "REPORT.json", "SIGNATURE.json"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no signing key at")
            && stderr.contains("--key")
            && stderr.contains("/.well-known/qpr-signing-keys.json"),
        "{stderr}"
    );
    assert!(!elsewhere.exists(), "no key is made by verify");

    let output = signed.qpr(&["verify", "missing.json", "SIGNATURE.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("cannot read the report missing.json"), "{}", text(&output.stderr));

    std::fs::write(signed.path("bad-key.json"), "{\"keys\": []}").unwrap();
    let output = signed.qpr(&["verify", "REPORT.json", "SIGNATURE.json", "--key", "bad-key.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("bad-key.json is not a usable key: the key set has no keys"),
        "{}",
        text(&output.stderr)
    );

    let output = qpr_in(signed.dir.path(), &elsewhere, &["key", "show"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no signing key at"), "{}", text(&output.stderr));
}
