//! `qpr remind` as cron runs it: the real binary on a data directory, with `--today`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use qpr_domain::ReportDocument;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;

fn qpr(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_qpr"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("QPR_PUBLIC_URL", "https://qpr.example.org")
        .env_remove("QPR_DATABASE")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn remind_sends_each_reminder_once_and_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    {
        let store = qpr_store::Store::open_in_data_dir(data).await.unwrap();
        let drafts: Vec<ReportDocument> = [("AZE", "Azerbaijan"), ("FRA", "France")]
            .iter()
            .map(|(iso3, name)| {
                ReportDocument::new(
                    "qpr-2020",
                    PartyRef { name: (*name).into(), iso3: Some(Iso3::parse(iso3).unwrap()) },
                    2028,
                )
            })
            .collect();
        store.open_cycle_with_reports(2028, "qpr-2020", "2028-04-30", &drafts, "test").await.unwrap();
        store.close().await;
    }
    let (ok, _, stderr) = qpr(data, &["user", "add", "--role", "focal-point", "--party", "AZE", "fp@culture.gov.az"]);
    assert!(ok, "{stderr}");

    let (ok, stdout, stderr) = qpr(data, &["remind", "--today", "2028-04-01"]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout,
        "2028-04-01: sent 1 reminders (30-day: 1) in 1 messages; 0 reports not due; 0 already reminded; 1 without focal point or contributor (FRA 2028)\n"
    );
    let (ok, stdout, _) = qpr(data, &["remind", "--today", "2028-04-01"]);
    assert!(ok);
    assert!(stdout.contains("sent 0 reminders; 0 reports not due; 1 already reminded"), "{stdout}");
    let (ok, stdout, _) = qpr(data, &["remind", "--today", "2028-02-01"]);
    assert!(ok && stdout.contains("sent 0 reminders; 2 reports not due"), "{stdout}");

    let outbox: Vec<String> = std::fs::read_dir(data.join("mail-outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| m.contains("days left"))
        .collect();
    assert_eq!(outbox.len(), 1, "one reminder for all three runs");
    assert!(
        outbox[0].contains("https://qpr.example.org/app/reports/AZE/2028") && outbox[0].contains("29 days from now"),
        "{}",
        outbox[0]
    );

    let (ok, _, stderr) = qpr(data, &["remind", "--today", "1 April"]);
    assert!(!ok && stderr.contains("`1 April` is not a date written YYYY-MM-DD"), "{stderr}");
}
