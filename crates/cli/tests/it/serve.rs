//! `qpr serve` as a user runs it: a fresh data directory (or an empty PostgreSQL database),
//! no set-up, the demo report loaded on first start, and the same pages from both engines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::Server;

#[test]
fn a_fresh_data_dir_serves_the_demo_report_and_postgres_serves_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("fresh");
    let sqlite = Server::start(&["--data-dir", data_dir.to_str().unwrap()]);
    let (status, home) = sqlite.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("/reports/AZE/2022"), "the home page links to the demo report");
    let (status, page) = sqlite.get("/reports/AZE/2022");
    assert_eq!(status, 200);
    assert!(page.contains("Azerbaijan 2022"));
    let (status, json) = sqlite.get("/api/v1/reports/AZE/2022");
    assert_eq!(status, 200);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["policy_measures"].as_array().unwrap().len(), 22);
    assert!(data_dir.join("qpr.sqlite3").exists(), "the database lives in the data dir");
    let (status, keys) = sqlite.get("/.well-known/qpr-signing-keys.json");
    assert_eq!(status, 200);
    let key = qpr_signature::PlatformKey::load(&data_dir.join("signing-key.pem"))
        .expect("the signing key is made in the data dir");
    assert_eq!(qpr_signature::PublicKeySet::parse(keys.as_bytes(), "served").unwrap(), key.public_key_set());

    let other_dir = dir.path().join("other");
    let postgres =
        Server::start(&["--data-dir", other_dir.to_str().unwrap(), "--database", &qpr_test_support::postgres_url()]);
    for path in ["/api/v1/reports/AZE/2022", "/reports/AZE/2022", "/reports/AZE/2022?lang=fr"] {
        assert_eq!(postgres.get(path), sqlite.get(path), "{path} differs between SQLite and PostgreSQL");
    }
}
