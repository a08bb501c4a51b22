//! The storage contract, run on both engines: every test here runs once on SQLite and once
//! on PostgreSQL (a throwaway server, see `qpr-test-support`).

// The test bodies are plain async functions that the per-engine macro wraps in `#[test]`s,
// so clippy does not see them as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use qpr_domain::ReportDocument;
use qpr_domain::changes::Conflict;
use qpr_domain::countries::Iso3;
use qpr_domain::document::PartyRef;
use qpr_store::{
    Membership, MembershipRole, NewUser, ReportState, SaveOutcome, Session, Store, StoreError, Timestamp, TokenPurpose,
    UserId,
};
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

use crate::support::{TestDb, seed, seed_of};

/// A stored instant from its RFC 3339 text.
fn stamp(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn draft() -> ReportDocument {
    let mut document = seed();
    document.year = 2026;
    document.warnings.clear();
    document
}

on_both_engines!(
    documents_round_trip_through_revisions,
    a_save_on_the_current_revision_is_saved,
    saves_of_different_fields_merge,
    saves_of_the_same_field_conflict_and_save_nothing,
    concurrent_saves_of_different_fields_lose_nothing,
    concurrent_saves_of_one_field_never_overwrite_silently,
    revisions_cannot_be_changed_or_deleted,
    the_workflow_moves_only_along_allowed_transitions,
    publication_and_withdrawal_feed_the_outbox_without_gaps,
    the_audit_log_detects_edits_and_removals,
    accounts_memberships_sessions_and_invitations,
    comments_are_threaded_and_resolvable,
    annexes_are_content_addressed_and_limited,
    annexes_change_only_while_the_report_is_editable,
    the_previous_report_is_the_latest_earlier_year,
    backup_restores_every_report_into_a_fresh_database,
    restore_refuses_damaged_files_and_occupied_databases,
    parties_are_loaded_with_regions,
    cycles_open_once_per_year_and_close,
    a_cycle_opens_with_a_draft_per_party_or_not_at_all,
    password_links_work_once_and_api_tokens_until_revoked,
    cso_decisions_are_kept_per_measure_after_submission,
    submission_records_the_signature_with_the_state_change,
    reminders_are_claimed_once_and_never_after_a_later_one,
    a_save_on_a_base_of_another_report_reads_nothing_of_it,
    a_refused_cso_decision_saves_no_revision,
    a_new_password_ends_every_session_and_token,
    a_rechained_audit_log_fails_its_seals_and_a_rollback_its_anchor,
    restore_refuses_edited_revisions_and_audit_entries_and_writes_nothing,
    a_corrupt_timestamp_is_an_error_naming_its_table_column_and_row,
    a_row_that_does_not_read_back_is_an_error_naming_its_table_and_row,
    the_european_unions_former_code_moves_to_its_own_and_old_reports_keep_working,
    completeness_is_stored_with_each_revision_and_the_board_reads_no_document,
    reviewers_are_assigned_audited_and_queued,
    summary_translations_are_replaced_removed_audited_and_backed_up,
);

/// Issue 19: the Secretariat's translation of an executive summary, one per report and
/// language: attached, replaced (the earlier text stays in the audit log), removed; a revision
/// of another report is refused and writes nothing; the rows survive a backup and restore.
async fn summary_translations_are_replaced_removed_audited_and_backed_up(engine: Engine) {
    use qpr_domain::text::Lang;
    let db = TestDb::new(engine).await;
    let (report, revision) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut other = draft();
    other.year = 2025;
    let (_, other_revision) = db.store.create_report(&other, "a").await.unwrap();
    let member = db
        .store
        .create_user(
            &NewUser { email: "t@unesco.org", display_name: "Translator", password_hash: None, is_secretariat: true },
            "a",
        )
        .await
        .unwrap();
    assert!(db.store.summary_translations(report).await.unwrap().is_empty());
    db.store.attach_summary_translation((report, revision), Lang::Fr, "Premier texte.", member, "sec").await.unwrap();
    db.store.attach_summary_translation((report, revision), Lang::En, "First text.", member, "sec").await.unwrap();
    db.store.attach_summary_translation((report, revision), Lang::Fr, "Texte revu.", member, "sec").await.unwrap();
    let stored = db.store.summary_translations(report).await.unwrap();
    let texts: Vec<(Lang, &str, &str)> =
        stored.iter().map(|t| (t.lang, t.text.as_str(), t.attached_by_name.as_str())).collect();
    assert_eq!(texts, [(Lang::En, "First text.", "Translator"), (Lang::Fr, "Texte revu.", "Translator")]);
    assert!(stored.iter().all(|t| t.revision_id == revision && t.attached_by == member && t.report_id == report));

    // A revision of another report: nothing is written.
    let refused = db.store.attach_summary_translation((report, other_revision), Lang::En, "X", member, "sec").await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    let unknown = "999999".parse::<UserId>().unwrap();
    let refused = db.store.attach_summary_translation((report, revision), Lang::En, "X", unknown, "sec").await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    assert_eq!(db.store.summary_translations(report).await.unwrap()[0].text, "First text.");

    // The backup holds them, and a restore brings them back.
    let mut file = Vec::new();
    db.store.backup(&mut file).await.unwrap();
    let restored = TestDb::new(engine).await;
    restored.store.restore(file.as_slice()).await.unwrap();
    assert_eq!(restored.store.summary_translations(report).await.unwrap(), stored);

    db.store.remove_summary_translation(report, Lang::En, "sec").await.unwrap();
    let missing = db.store.remove_summary_translation(report, Lang::En, "sec").await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
    let left: Vec<Lang> = db.store.summary_translations(report).await.unwrap().iter().map(|t| t.lang).collect();
    assert_eq!(left, [Lang::Fr]);

    let entries = db.store.audit_entries().await.unwrap();
    let attached: Vec<&str> = entries
        .iter()
        .filter(|e| e.action == "report.summary_translation_attached")
        .map(|e| e.details.as_str())
        .collect();
    assert_eq!(attached.len(), 3, "{attached:?}");
    assert!(attached[0].contains("Premier texte.") && attached[2].contains("Texte revu."), "{attached:?}");
    assert_eq!(entries.iter().filter(|e| e.action == "report.summary_translation_removed").count(), 1);
    assert!(db.store.verify_audit().await.unwrap().1.is_empty(), "the chain holds");
}

/// Issue 19: every revision has its completeness stored beside it (written with it, filled at
/// open for revisions written before), and the board of a cycle reads it without reading any
/// document.
async fn completeness_is_stored_with_each_revision_and_the_board_reads_no_document(engine: Engine) {
    let db = TestDb::new(engine).await;
    let empty = |iso3: &str| {
        let mut document = ReportDocument::new(
            "qpr-2020",
            PartyRef { name: iso3.into(), iso3: Some(Iso3::parse(iso3).unwrap()) },
            2028,
        );
        document.answers.insert("gi_party_name".into(), json!(iso3));
        document
    };
    let cycle = db
        .store
        .open_cycle_with_reports(2028, "qpr-2020", "2028-04-30", &[empty("FRA"), empty("SEN")], "sec")
        .await
        .unwrap();
    let france = db.store.report_by_key("FRA", 2028).await.unwrap().unwrap();
    let mut full = seed_of(2028);
    full.party = PartyRef { name: "France".into(), iso3: Some(Iso3::parse("FRA").unwrap()) };
    db.store.save(france.id, france.current_revision.unwrap(), &full, "fp").await.unwrap();
    let expected = qpr_domain::validate::builtin_percent_complete(&full).unwrap();
    assert!(expected > 50, "{expected}");

    let before = db.store.documents_read();
    let board = db.store.cycle_board(cycle).await.unwrap();
    assert_eq!(db.store.documents_read(), before, "the board reads no document");
    let row = |iso3: &str| board.iter().find(|r| r.report.party_iso3 == iso3).unwrap().clone();
    assert_eq!((row("FRA").percent, row("FRA").untouched), (Some(expected), false));
    let senegal = row("SEN");
    assert!(senegal.untouched);
    assert_eq!(senegal.percent, qpr_domain::validate::builtin_percent_complete(&empty("SEN")));

    // Revisions written before the migration had none: the store fills them when it opens.
    let raw = db.raw().await;
    sqlx::query("DELETE FROM revision_completeness").execute(&raw).await.unwrap();
    assert_eq!(db.store.cycle_board(cycle).await.unwrap().iter().filter(|r| r.percent.is_some()).count(), 0);
    let reopened = Store::open(&db.database.url).await.unwrap();
    let refilled = reopened.cycle_board(cycle).await.unwrap();
    assert_eq!(refilled, board, "the same values, computed from the documents");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM revision_completeness").fetch_one(&raw).await.unwrap();
    assert_eq!(count, 3, "every revision, not only the current ones");
}

/// Issue 19: a report's reviewer, assigned (and taken back) with an audit entry each time;
/// the store refuses an unknown user or report; a member's queue lists their reports.
async fn reviewers_are_assigned_audited_and_queued(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let member = db
        .store
        .create_user(
            &NewUser { email: "r@unesco.org", display_name: "R", password_hash: None, is_secretariat: true },
            "a",
        )
        .await
        .unwrap();
    db.store.assign_reviewer(report, Some(member), "sec").await.unwrap();
    let queue = db.store.reviews_of(member).await.unwrap();
    assert_eq!(queue.iter().map(|r| (r.report.id, r.reviewer)).collect::<Vec<_>>(), [(report, Some(member))]);
    db.store.assign_reviewer(report, None, "sec").await.unwrap();
    assert!(db.store.reviews_of(member).await.unwrap().is_empty());
    let entries = db.store.audit_entries().await.unwrap();
    let assigned: Vec<&str> =
        entries.iter().filter(|e| e.action == "report.reviewer_assigned").map(|e| e.details.as_str()).collect();
    assert_eq!(assigned.len(), 2);
    assert!(assigned[0].contains(&member.to_string()) && assigned[1].contains("null"), "{assigned:?}");
    let unknown = "999999".parse::<UserId>().unwrap();
    assert!(matches!(db.store.assign_reviewer(report, Some(unknown), "sec").await, Err(StoreError::NotFound(_))));
    assert!(db.store.verify_audit().await.unwrap().1.is_empty(), "the chain holds");
}

/// Issue 19: the European Union, stored as `EUE` before it had the code `EUU`: the reports and
/// memberships stored under `EUE` move to `EUU` when the store opens, their revisions (which
/// say `EUE`) still read back unchanged, and a document naming `EUE` is stored under `EUU`.
async fn the_european_unions_former_code_moves_to_its_own_and_old_reports_keep_working(engine: Engine) {
    let db = TestDb::new(engine).await;
    let eu = |year: i32| {
        let mut document = seed_of(year);
        document.party = PartyRef { name: "European Union".into(), iso3: Some(Iso3::parse("EUE").unwrap()) };
        document.warnings.clear();
        document
    };
    // As an earlier version stored it: the report, a membership and a `parties` row under EUE.
    let published = eu(2021);
    db.store.publish(&published, "import").await.unwrap();
    let user = db
        .store
        .create_user(
            &NewUser { email: "eu@x.org", display_name: "EU", password_hash: None, is_secretariat: false },
            "a",
        )
        .await
        .unwrap();
    let raw = db.raw().await;
    sqlx::query("UPDATE reports SET party_iso3 = 'EUE'").execute(&raw).await.unwrap();
    sqlx::query("INSERT INTO memberships (user_id, party_iso3, role) VALUES ($1, 'EUE', 'focal_point')")
        .bind(user)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("INSERT INTO parties (iso3, name_en, name_fr) VALUES ('EUE', 'European Union', 'Union européenne')")
        .execute(&raw)
        .await
        .unwrap();
    assert!(db.store.published_report("EUU", 2021).await.unwrap().is_none(), "stored under the former code");

    // The next start moves them.
    let reopened = Store::open(&db.database.url).await.unwrap();
    let stored = reopened.published_report("EUU", 2021).await.unwrap().expect("found under EUU");
    assert_eq!(stored.document, published, "the revision reads back as it was signed, saying EUE");
    assert_eq!(stored.document.party.iso3.as_ref().map(Iso3::as_str), Some("EUE"));
    assert!(reopened.published_report("EUE", 2021).await.unwrap().is_none());
    let memberships = reopened.memberships(user).await.unwrap();
    assert_eq!(memberships.iter().map(|m| m.party_iso3.as_str()).collect::<Vec<_>>(), ["EUU"]);
    assert!(reopened.party("EUE").await.unwrap().is_none());
    let party = reopened.party("EUU").await.unwrap().expect("the EU is a Party");
    assert_eq!(
        (party.name_fr.as_str(), party.region.as_deref(), party.instrument.as_deref()),
        ("Union européenne", Some("europe_north_america"), Some("approval"))
    );
    // A document that still says EUE is stored under EUU; one start more changes nothing.
    let (draft_id, _) = reopened.create_report(&eu(2026), "fp").await.unwrap();
    assert_eq!(reopened.report(draft_id).await.unwrap().party_iso3, "EUU");
    let again = Store::open(&db.database.url).await.unwrap();
    assert_eq!(again.report_by_key("EUU", 2026).await.unwrap().map(|r| r.id), Some(draft_id));
    assert!(again.published_report("EUU", 2021).await.unwrap().is_some());
}

/// Issue 13: a stored value that does not parse is an error that says where it is, not a
/// default (a membership's sections, a CSO invitation's decisions).
async fn a_row_that_does_not_read_back_is_an_error_naming_its_table_and_row(engine: Engine) {
    let db = TestDb::new(engine).await;
    let user = db
        .store
        .create_user(
            &NewUser { email: "c@x.org", display_name: "C", password_hash: None, is_secretariat: false },
            "admin",
        )
        .await
        .unwrap();
    let membership = Membership {
        user_id: user,
        party_iso3: "AZE".into(),
        role: MembershipRole::Contributor,
        sections: Some(vec!["mobility".into()]),
    };
    db.store.set_membership(&membership, "admin").await.unwrap();
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let invitation = db
        .store
        .create_invitation(report, "Arts Union", None, "cso-token", &stamp("2999-01-01T00:00:00Z"), None)
        .await
        .unwrap();
    let raw = db.raw().await;
    sqlx::query("UPDATE memberships SET sections = 'mobility' WHERE user_id = $1")
        .bind(user)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE cso_invitations SET decisions = '[1' WHERE id = $1")
        .bind(invitation)
        .execute(&raw)
        .await
        .unwrap();

    let error = db.store.memberships(user).await.unwrap_err();
    assert_eq!(error.code(), "corrupt_data");
    assert!(error.to_string().contains(&format!("table memberships, row user {user}, Party AZE: sections")), "{error}");
    let error = db.store.invitation(invitation).await.unwrap_err();
    assert_eq!(error.code(), "corrupt_data");
    assert!(error.to_string().contains(&format!("table cso_invitations, row id {invitation}: decisions")), "{error}");
}

/// Issue 12, finding 6: setting a password (a reset) ends the user's sessions, API tokens and
/// other password links, and no one else's.
async fn a_new_password_ends_every_session_and_token(engine: Engine) {
    let db = TestDb::new(engine).await;
    let new_user =
        |email: &'static str| NewUser { email, display_name: email, password_hash: None, is_secretariat: false };
    let user = db.store.create_user(&new_user("fp@x.org"), "s").await.unwrap();
    let other = db.store.create_user(&new_user("other@x.org"), "s").await.unwrap();
    let session = |user_id| Session { user_id, data: "{}".into(), expires_at: stamp("2999-01-01T00:00:00Z") };
    for (id, owner) in [("laptop", user), ("phone", user), ("theirs", other)] {
        db.store.put_session(id, &session(owner)).await.unwrap();
    }
    db.store.create_user_token(user, TokenPurpose::Api, "qpr_mine", "script", None).await.unwrap();
    db.store.create_user_token(other, TokenPurpose::Api, "qpr_theirs", "script", None).await.unwrap();
    db.store
        .create_user_token(user, TokenPurpose::Password, "second-link", "reset", Some(&stamp("2999-01-01T00:00:00Z")))
        .await
        .unwrap();
    db.store.set_password_hash(user, "$argon2id$fake", "user").await.unwrap();
    for id in ["laptop", "phone"] {
        assert!(db.store.session(id).await.unwrap().is_none(), "session {id} ended");
    }
    assert!(db.store.api_token_user("qpr_mine").await.unwrap().is_none(), "API token revoked");
    assert!(db.store.use_password_token("second-link").await.unwrap().is_none(), "other password link voided");
    assert!(db.store.session("theirs").await.unwrap().is_some(), "another user's session stays");
    assert_eq!(db.store.api_token_user("qpr_theirs").await.unwrap().map(|u| u.id), Some(other));
}

/// Issue 12, finding 1: a save naming a revision of another report as its base (ids are
/// sequential) is not merged against that report's document, whether the revision is cached
/// or not, reveals none of it and writes nothing.
async fn a_save_on_a_base_of_another_report_reads_nothing_of_it(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (victim, victim_first) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut secret = draft();
    secret.answers.insert("gi_executive_summary".into(), json!("Victim's unpublished summary"));
    // A save puts the victim's revision in the cache of parsed revisions.
    let victim_secret = db.store.save(victim, victim_first, &secret, "victim").await.unwrap().revision();
    let (attacker, attacker_first) =
        db.store.create_report(&ReportDocument { year: 2030, ..draft() }, "b").await.unwrap();
    let mut ours = ReportDocument { year: 2030, ..draft() };
    ours.answers.insert("gi_executive_summary".into(), json!("Attacker's text"));
    for foreign in [victim_first, victim_secret] {
        let error = db.store.save(attacker, foreign, &ours, "attacker").await.unwrap_err();
        assert!(matches!(error, StoreError::NotFound(_)), "{error:?}");
        assert!(!format!("{error:?}").contains("Victim"), "{error:?}");
        assert!(matches!(db.store.revision_of_report(attacker, foreign).await, Err(StoreError::NotFound(_))));
    }
    assert_eq!(db.store.revisions(attacker).await.unwrap().len(), 1, "nothing written");
    assert_eq!(db.store.revision_of_report(attacker, attacker_first).await.unwrap().id, attacker_first);
}

/// Issue 12, finding 7: including a measure of a CSO that has not submitted is refused before
/// anything is written; an accepted decision and its revision are written together.
async fn a_refused_cso_decision_saves_no_revision(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, first) = db.store.create_report(&draft(), "a").await.unwrap();
    let invitation = db
        .store
        .create_invitation(report, "Arts Union", None, "cso-token-7", &stamp("2999-01-01T00:00:00Z"), None)
        .await
        .unwrap();
    let decision = qpr_store::CsoDecision { invitation, measure: "m1".into(), included: true };
    let mut with_measure = draft();
    with_measure.answers.insert("gi_executive_summary".into(), json!("with the CSO's measure"));
    let refused = db.store.save_with_cso_decision(report, first, &with_measure, "fp", &decision).await;
    assert!(matches!(refused, Err(StoreError::Rejected(_))), "{refused:?}");
    assert_eq!(db.store.revisions(report).await.unwrap().len(), 1, "no revision written");
    let (other, _) = db.store.create_report(&ReportDocument { year: 2030, ..draft() }, "b").await.unwrap();
    db.store.save_invitation_answers(invitation, r#"{"measures":[]}"#, true).await.unwrap();
    let (_, other_current) = (other, db.store.revisions(other).await.unwrap()[0].id);
    let foreign = db
        .store
        .save_with_cso_decision(other, other_current, &ReportDocument { year: 2030, ..draft() }, "fp", &decision)
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))), "an invitation of another report: {foreign:?}");
    let saved = db.store.save_with_cso_decision(report, first, &with_measure, "fp", &decision).await.unwrap();
    assert_eq!(db.store.revisions(report).await.unwrap().len(), 2);
    assert_eq!(db.store.invitation(invitation).await.unwrap().decisions.get("m1"), Some(&true));
    assert_eq!(db.store.revision(saved.revision()).await.unwrap().1, with_measure);
}

async fn documents_round_trip_through_revisions(engine: Engine) {
    let db = TestDb::new(engine).await;
    let document = draft();
    let (report, revision) = db.store.create_report(&document, "focal@example.org").await.unwrap();
    let (info, stored) = db.store.revision(revision).await.unwrap();
    assert_eq!(stored, document);
    assert_eq!((info.report_id, info.parent_id, info.author.as_str()), (report, None, "focal@example.org"));
    assert_eq!(info.sha256.len(), 64);
    let row = db.store.report(report).await.unwrap();
    assert_eq!((row.state, row.current_revision, row.year), (ReportState::Draft, Some(revision), 2026));
    assert_eq!(db.store.report_by_key("AZE", 2026).await.unwrap().map(|r| r.id), Some(report));
    assert!(
        matches!(db.store.create_report(&document, "x").await, Err(StoreError::Rejected(_))),
        "one report per Party and year"
    );
}

async fn a_save_on_the_current_revision_is_saved(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, first) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut edited = draft();
    edited.answers.insert("g1_ccs_ministry".into(), json!(false));
    let outcome = db.store.save(report, first, &edited, "a").await.unwrap();
    let SaveOutcome::Saved { revision } = outcome else { panic!("{outcome:?}") };
    let (info, stored) = db.store.revision(revision).await.unwrap();
    assert_eq!((info.parent_id, info.base_id, stored), (Some(first), Some(first), edited));
    assert_eq!(db.store.revision(first).await.unwrap().0.base_id, None, "a created revision was no save");
    let changes = db.store.diff_revisions(first, revision).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].path.as_str(), changes[0].before.clone(), changes[0].after.clone()),
        ("answers.g1_ccs_ministry", Some(json!(true)), Some(json!(false)))
    );
}

async fn saves_of_different_fields_merge(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, base) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut theirs = draft();
    theirs.answers.insert("g1_ccs_ministry".into(), json!(false));
    db.store.save(report, base, &theirs, "them").await.unwrap();
    let mut ours = draft();
    ours.policy_measures[0].title = "Renamed".into();
    let outcome = db.store.save(report, base, &ours, "us").await.unwrap();
    let SaveOutcome::Merged { revision, document } = outcome else { panic!("{outcome:?}") };
    assert_eq!(document.answers["g1_ccs_ministry"], json!(false), "their change is kept");
    assert_eq!(document.policy_measures[0].title, "Renamed", "our change is kept");
    let (info, stored) = db.store.revision(revision).await.unwrap();
    assert_eq!(stored, *document);
    assert_eq!(info.base_id, Some(base), "the merged revision names the base its author saw");
    assert_ne!(info.parent_id, info.base_id, "and follows the save made in between");
}

async fn saves_of_the_same_field_conflict_and_save_nothing(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, base) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut theirs = draft();
    theirs.answers.insert("gi_executive_summary".into(), json!("Theirs"));
    let theirs_revision = db.store.save(report, base, &theirs, "them").await.unwrap().revision();
    let mut ours = draft();
    ours.answers.insert("gi_executive_summary".into(), json!("Ours"));
    let error = db.store.save(report, base, &ours, "us").await.unwrap_err();
    let StoreError::Conflict { base: b, current, conflicts } = error else { panic!("{error}") };
    assert_eq!((b, current), (base, theirs_revision));
    assert_eq!(conflicts.len(), 1);
    let Conflict { path, theirs, ours, .. } = &conflicts[0];
    assert_eq!(
        (path.as_str(), theirs.clone(), ours.clone()),
        ("answers.gi_executive_summary", Some(json!("Theirs")), Some(json!("Ours")))
    );
    assert_eq!(db.store.revisions(report).await.unwrap().len(), 2, "nothing was saved");
    assert_eq!(db.store.report(report).await.unwrap().current_revision, Some(theirs_revision));
}

async fn concurrent_saves_of_different_fields_lose_nothing(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, base) = db.store.create_report(&draft(), "a").await.unwrap();
    let store = Arc::new(db.store.clone());
    let writers = 40;
    let tasks: Vec<_> = (0..writers)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let mut document = draft();
                document.answers.insert(format!("x_field_{i}"), json!(i));
                store.save(report, base, &document, &format!("writer {i}")).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let current = db.store.report(report).await.unwrap().current_revision.unwrap();
    let (_, document) = db.store.revision(current).await.unwrap();
    for i in 0..writers {
        assert_eq!(document.answers.get(&format!("x_field_{i}")), Some(&json!(i)), "the save of writer {i} was lost");
    }
    assert_eq!(db.store.revisions(report).await.unwrap().len(), writers + 1);
}

async fn concurrent_saves_of_one_field_never_overwrite_silently(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, base) = db.store.create_report(&draft(), "a").await.unwrap();
    let store = Arc::new(db.store.clone());
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let mut document = draft();
                document.answers.insert("gi_executive_summary".into(), json!(format!("version {i}")));
                (i, store.save(report, base, &document, "w").await)
            })
        })
        .collect();
    let mut saved = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (i, Ok(_)) => saved.push(i),
            (_, Err(StoreError::Conflict { .. })) => {}
            (_, Err(other)) => panic!("{other}"),
        }
    }
    assert_eq!(saved.len(), 1, "exactly one save wins; the others are told of the conflict");
    let current = db.store.report(report).await.unwrap().current_revision.unwrap();
    let (_, document) = db.store.revision(current).await.unwrap();
    assert_eq!(document.answers["gi_executive_summary"], json!(format!("version {}", saved[0])));
}

async fn revisions_cannot_be_changed_or_deleted(engine: Engine) {
    let db = TestDb::new(engine).await;
    db.store.create_report(&draft(), "a").await.unwrap();
    let raw = db.raw().await;
    assert!(sqlx::query("UPDATE revisions SET author = 'someone else'").execute(&raw).await.is_err());
    assert!(sqlx::query("DELETE FROM revisions").execute(&raw).await.is_err());
}

async fn the_workflow_moves_only_along_allowed_transitions(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, revision) = db.store.create_report(&draft(), "a").await.unwrap();
    let rejected = db.store.transition(report, &[ReportState::Accepted], ReportState::Published, "s", json!({})).await;
    assert!(matches!(rejected, Err(StoreError::Rejected(_))), "a draft is not accepted");
    let submitted =
        db.store.transition(report, &[ReportState::Draft], ReportState::Submitted, "f", json!({})).await.unwrap();
    assert_eq!((submitted.state, submitted.submitted_revision), (ReportState::Submitted, Some(revision)));
    let locked = db.store.save(report, revision, &draft(), "f").await;
    assert!(matches!(locked, Err(StoreError::Rejected(_))), "a submitted report is locked");
    db.store.transition(report, &[ReportState::Submitted], ReportState::Accepted, "s", json!({})).await.unwrap();
    let published =
        db.store.transition(report, &[ReportState::Accepted], ReportState::Published, "s", json!({})).await.unwrap();
    assert_eq!(published.published_revision, Some(revision), "the submitted revision is what is published");
    assert_eq!(db.store.published_report("AZE", 2026).await.unwrap().unwrap().revision, revision);
}

async fn publication_and_withdrawal_feed_the_outbox_without_gaps(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = Arc::new(db.store.clone());
    let tasks: Vec<_> = (2000..2012)
        .map(|year| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let mut document = draft();
                document.year = year;
                store.publish(&document, "import").await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let withdrawn = db.store.report_by_key("AZE", 2003).await.unwrap().unwrap();
    db.store
        .transition(withdrawn.id, &[ReportState::Published], ReportState::Accepted, "s", json!({"reason": "test"}))
        .await
        .unwrap();
    assert!(db.store.published_report("AZE", 2003).await.unwrap().is_none());
    let events = db.store.outbox_after(0, 100).await.unwrap();
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=13).collect::<Vec<_>>(), "gap-free, in order");
    assert_eq!(events.iter().filter(|e| e.topic == "report.published").count(), 12);
    let last = events.last().unwrap();
    assert_eq!((last.topic.as_str(), last.report_id), ("report.withdrawn", withdrawn.id));
    assert_eq!(db.store.outbox_after(12, 100).await.unwrap().len(), 1);
    assert_eq!(db.store.outbox_head().await.unwrap(), 13);
}

async fn the_audit_log_detects_edits_and_removals(engine: Engine) {
    let db = TestDb::new(engine).await;
    for i in 0..5 {
        db.store.audit("tester", "test.action", &format!("thing:{i}"), &json!({"i": i})).await.unwrap();
    }
    let (checked, problems) = db.store.verify_audit().await.unwrap();
    assert_eq!((checked, problems.len()), (5, 0));
    let raw = db.raw().await;
    sqlx::query("UPDATE audit_log SET details = '{\"i\": 99}' WHERE seq = 2").execute(&raw).await.unwrap();
    let (_, problems) = db.store.verify_audit().await.unwrap();
    assert_eq!(problems.iter().map(|p| p.seq).collect::<Vec<_>>(), [2], "{problems:?}");
    sqlx::query("DELETE FROM audit_log WHERE seq = 4").execute(&raw).await.unwrap();
    let (_, problems) = db.store.verify_audit().await.unwrap();
    assert!(problems.iter().any(|p| p.seq == 4 && p.message.contains("missing")), "{problems:?}");
    sqlx::query("DELETE FROM audit_log WHERE seq = 5").execute(&raw).await.unwrap();
    let (_, problems) = db.store.verify_audit().await.unwrap();
    assert!(problems.iter().any(|p| p.message.contains("last entries were removed")), "{problems:?}");
}

async fn accounts_memberships_sessions_and_invitations(engine: Engine) {
    let db = TestDb::new(engine).await;
    let user = db
        .store
        .create_user(
            &NewUser { email: "Focal@Example.org", display_name: "Focal", password_hash: None, is_secretariat: false },
            "admin",
        )
        .await
        .unwrap();
    let again = db
        .store
        .create_user(
            &NewUser { email: "focal@example.org", display_name: "Other", password_hash: None, is_secretariat: true },
            "admin",
        )
        .await;
    assert!(matches!(again, Err(StoreError::Rejected(_))), "e-mails are unique whatever their case");
    assert_eq!(db.store.user_by_email("FOCAL@example.org").await.unwrap().map(|u| u.id), Some(user));
    db.store.set_password_hash(user, "$argon2id$v=19$stub", "admin").await.unwrap();
    assert_eq!(db.store.user(user).await.unwrap().password_hash.as_deref(), Some("$argon2id$v=19$stub"));

    let membership = Membership {
        user_id: user,
        party_iso3: "AZE".into(),
        role: MembershipRole::Contributor,
        sections: Some(vec!["mobility".into()]),
    };
    db.store.set_membership(&membership, "admin").await.unwrap();
    assert_eq!(db.store.memberships(user).await.unwrap(), [membership]);

    let session = Session { user_id: user, data: "{}".into(), expires_at: stamp("2999-01-01T00:00:00Z") };
    db.store.put_session("secret-session-id", &session).await.unwrap();
    assert_eq!(db.store.session("secret-session-id").await.unwrap(), Some(session));
    db.store
        .put_session("old", &Session { user_id: user, data: "{}".into(), expires_at: stamp("2000-01-01T00:00:00Z") })
        .await
        .unwrap();
    assert_eq!(db.store.session("old").await.unwrap(), None, "expired sessions are not returned");
    assert_eq!(db.store.delete_expired_sessions().await.unwrap(), 1);
    db.store.delete_session("secret-session-id").await.unwrap();
    assert_eq!(db.store.session("secret-session-id").await.unwrap(), None);

    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let invitation = db
        .store
        .create_invitation(
            report,
            "YARAT",
            Some("cso@example.org"),
            "link-token-123",
            &stamp("2999-01-01T00:00:00Z"),
            Some(user),
        )
        .await
        .unwrap();
    let found = db.store.invitation_by_token("link-token-123").await.unwrap().unwrap();
    assert_eq!((found.id, found.organization.as_str()), (invitation, "YARAT"));
    assert!(db.store.invitation_by_token("wrong").await.unwrap().is_none());
    let raw = db.raw().await;
    let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cso_invitations WHERE token_sha256 = 'link-token-123'")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(leaked, 0, "tokens are stored hashed");
    db.store.save_invitation_answers(invitation, "{\"draft\":true}", false).await.unwrap();
    db.store.save_invitation_answers(invitation, "{\"final\":true}", true).await.unwrap();
    assert!(db.store.save_invitation_answers(invitation, "{}", true).await.is_err(), "a submitted form is final");
    assert_eq!(db.store.invitations(report).await.unwrap()[0].submission.as_deref(), Some("{\"final\":true}"));
}

async fn comments_are_threaded_and_resolvable(engine: Engine) {
    let db = TestDb::new(engine).await;
    let user = db
        .store
        .create_user(
            &NewUser { email: "s@unesco.org", display_name: "S", password_hash: None, is_secretariat: true },
            "admin",
        )
        .await
        .unwrap();
    let (report, revision) = db.store.create_report(&draft(), "a").await.unwrap();
    let first =
        db.store.add_comment(report, revision, "answers.g1_ccs_ministry", None, user, "Which ministry?").await.unwrap();
    let reply = db
        .store
        .add_comment(report, revision, "answers.g1_ccs_ministry", Some(first), user, "The Ministry of Culture.")
        .await
        .unwrap();
    let (other_report, _) = db.store.create_report(&ReportDocument { year: 2031, ..draft() }, "a").await.unwrap();
    assert!(
        matches!(db.store.resolve_comment(other_report, first, user).await, Err(StoreError::NotFound(_))),
        "a comment is resolved only through its own report"
    );
    db.store.resolve_comment(report, first, user).await.unwrap();
    assert!(db.store.resolve_comment(report, first, user).await.is_err(), "resolved once");
    let comments = db.store.comments(report).await.unwrap();
    assert_eq!(comments.len(), 2);
    assert!(comments[0].resolved_at.is_some());
    assert_eq!((comments[1].id, comments[1].parent_id, comments[1].revision_id), (reply, Some(first), revision));
}

async fn annexes_are_content_addressed_and_limited(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut other_year = draft();
    other_year.year = 2030;
    let (other, _) = db.store.create_report(&other_year, "a").await.unwrap();
    let pdf = b"%PDF-1.4 a small test file\n%%EOF\n";
    let first =
        db.store.add_annex(report, pdf, "application/pdf", "Law on Culture", "The law.", "user:1").await.unwrap();
    assert_eq!((first.added_by.as_str(), first.size), ("user:1", i64::try_from(pdf.len()).unwrap()));
    let again = db.store.add_annex(report, pdf, "application/pdf", "Same file again", "Twice.", "f").await;
    assert!(
        matches!(&again, Err(StoreError::Rejected(m)) if m.contains("Law on Culture")),
        "a report holds a file once: {again:?}"
    );
    let second = db.store.add_annex(other, pdf, "application/pdf", "Same file, other report", "", "f").await.unwrap();
    assert_eq!(first.sha256, second.sha256, "one blob per content");
    assert_eq!(db.store.annexes(report).await.unwrap(), vec![first.clone()]);
    assert_eq!(db.store.annex(report, &first.sha256).await.unwrap(), Some(first.clone()));
    assert_eq!(db.store.annex(report, &"0".repeat(64)).await.unwrap(), None);
    assert_eq!(db.store.blob(&first.sha256).await.unwrap(), pdf);
    let too_big = vec![0u8; qpr_store::MAX_ANNEX_BYTES + 1];
    assert!(matches!(
        db.store.add_annex(report, &too_big, "application/pdf", "Big", "", "f").await,
        Err(StoreError::Rejected(_))
    ));
    let raw = db.raw().await;
    let duplicate = sqlx::query(
        "INSERT INTO annexes (report_id, blob_sha256, title, description, added_by, added_at) VALUES ($1, $2, 'x', 'x', 'x', 'x')",
    )
    .bind(report)
    .bind(first.sha256.clone())
    .execute(&raw)
    .await;
    assert!(duplicate.is_err(), "the database itself keeps a file once per report");
    raw.close().await;
}

async fn annexes_change_only_while_the_report_is_editable(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut other_year = draft();
    other_year.year = 2030;
    let (other, _) = db.store.create_report(&other_year, "a").await.unwrap();
    let shared = b"%PDF-1.7 shared\n%%EOF\n";
    let own = b"%PDF-1.7 only here\n%%EOF\n";
    let kept = db.store.add_annex(report, shared, "application/pdf", "Shared", "", "user:1").await.unwrap();
    db.store.add_annex(other, shared, "application/pdf", "Shared", "", "user:1").await.unwrap();
    let gone = db.store.add_annex(report, own, "application/pdf", "Own", "", "user:1").await.unwrap();

    let removed = db.store.remove_annex(report, &gone.sha256, "user:1").await.unwrap();
    assert_eq!(removed.title, "Own");
    assert!(
        matches!(db.store.blob(&gone.sha256).await, Err(StoreError::NotFound(_))),
        "a file no annex uses is deleted"
    );
    assert!(matches!(db.store.remove_annex(report, &gone.sha256, "user:1").await, Err(StoreError::NotFound(_))));
    db.store.remove_annex(report, &kept.sha256, "user:1").await.unwrap();
    assert_eq!(db.store.blob(&kept.sha256).await.unwrap(), shared, "a file another report uses stays");
    assert!(db.store.annexes(report).await.unwrap().is_empty());
    let actions: Vec<String> = db.store.audit_entries().await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "annex.added").count(), 3);
    assert_eq!(actions.iter().filter(|a| *a == "annex.removed").count(), 2);

    db.store.transition(other, &[ReportState::Draft], ReportState::Submitted, "f", json!({})).await.unwrap();
    let refused = db.store.add_annex(other, own, "application/pdf", "Late", "", "user:1").await;
    assert!(matches!(&refused, Err(StoreError::Rejected(m)) if m.contains("submitted")), "{refused:?}");
    assert!(matches!(db.store.remove_annex(other, &kept.sha256, "user:1").await, Err(StoreError::Rejected(_))));
    assert_eq!(db.store.annexes(other).await.unwrap().len(), 1, "a submitted report keeps its annexes");
}

async fn the_previous_report_is_the_latest_earlier_year(engine: Engine) {
    let db = TestDb::new(engine).await;
    for year in [2018, 2022, 2026] {
        let mut document = draft();
        document.year = year;
        db.store.create_report(&document, "a").await.unwrap();
    }
    let before = |year| {
        let store = db.store.clone();
        async move { store.latest_report_before("AZE", year).await.unwrap().map(|r| r.year) }
    };
    assert_eq!(before(2026).await, Some(2022));
    assert_eq!(before(2023).await, Some(2022));
    assert_eq!(before(2022).await, Some(2018));
    assert_eq!(before(2018).await, None);
    assert_eq!(db.store.latest_report_before("FRA", 2030).await.unwrap(), None);
}

/// Fills a database with a bit of everything.
async fn populate(store: &Store) {
    store.publish(&seed(), "import").await.unwrap();
    let user = store
        .create_user(
            &NewUser {
                email: "s@unesco.org",
                display_name: "S",
                password_hash: Some("$argon2id$x"),
                is_secretariat: true,
            },
            "admin",
        )
        .await
        .unwrap();
    let (report, revision) = store.create_report(&draft(), "a").await.unwrap();
    let mut edited = draft();
    edited.answers.insert("g1_ccs_ministry".into(), json!(false));
    store.save(report, revision, &edited, "a").await.unwrap();
    store.add_comment(report, revision, "answers.g1_ccs_ministry", None, user, "Why?").await.unwrap();
    store.add_annex(report, b"%PDF-1.4\n\x00\x01binary", "application/pdf", "Annex", "Bytes", "a").await.unwrap();
    store.create_invitation(report, "CSO", None, "token", &stamp("2999-01-01T00:00:00Z"), Some(user)).await.unwrap();
    assert!(store.claim_reminder(report, "2026-06-30", 30, 2).await.unwrap());
}

async fn backup_restores_every_report_into_a_fresh_database(engine: Engine) {
    let source = TestDb::new(engine).await;
    populate(&source.store).await;
    let mut file = Vec::new();
    let written = source.store.backup(&mut file).await.unwrap();
    assert!(written.rows["revisions"] >= 3);
    // Into the same engine and into the other one.
    for target_engine in [engine, Engine::Sqlite, Engine::Postgres] {
        let target = TestDb::new(target_engine).await;
        let restored = target.store.restore(file.as_slice()).await.unwrap();
        assert_eq!(restored, written, "{target_engine:?}");
        for report in source.store.reports().await.unwrap() {
            let copy = target.store.report(report.id).await.unwrap();
            assert_eq!(copy, report);
            assert_eq!(
                target.store.sent_reminders(report.id).await.unwrap(),
                source.store.sent_reminders(report.id).await.unwrap()
            );
            for revision in source.store.revisions(report.id).await.unwrap() {
                assert_eq!(
                    target.store.revision(revision.id).await.unwrap(),
                    source.store.revision(revision.id).await.unwrap()
                );
            }
        }
        assert_eq!(
            target.store.published_report("AZE", 2022).await.unwrap(),
            source.store.published_report("AZE", 2022).await.unwrap()
        );
        let (_, problems) = target.store.verify_audit().await.unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        // The restored database goes on working: new ids do not collide with restored ones.
        let mut next = draft();
        next.year = 2030;
        target.store.create_report(&next, "after restore").await.unwrap();
        target.store.audit("after", "restore.checked", "db", &json!({})).await.unwrap();
        assert!(target.store.verify_audit().await.unwrap().1.is_empty());
    }
}

async fn restore_refuses_damaged_files_and_occupied_databases(engine: Engine) {
    let source = TestDb::new(engine).await;
    populate(&source.store).await;
    let mut file = Vec::new();
    source.store.backup(&mut file).await.unwrap();
    let occupied = source.store.restore(file.as_slice()).await;
    assert!(matches!(occupied, Err(StoreError::Backup(m)) if m.contains("not empty")));
    let target = TestDb::new(engine).await;
    let cut = &file[..file.len() * 2 / 3];
    let cut = &cut[..cut.iter().rposition(|b| *b == b'\n').unwrap() + 1];
    let error = target.store.restore(cut).await.unwrap_err();
    assert!(error.to_string().contains("cut off"), "{error}");
    assert_eq!(target.store.report_count().await.unwrap(), 0, "nothing was restored");
    let garbage = target.store.restore(&b"{\"format\":\"something else\"}\n"[..]).await.unwrap_err();
    assert!(garbage.to_string().contains("not a qpr-backup/1 file"), "{garbage}");
    // A line without a table, and an audit head without its number, are refused as such.
    let text = String::from_utf8(file.clone()).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let no_table = format!("{first}\n{{\"row\":{{}}}}\n{rest}");
    let error = target.store.restore(no_table.as_bytes()).await.unwrap_err();
    assert!(error.to_string().contains("line 2: no table name"), "{error}");
    let no_seq: Vec<String> = text
        .lines()
        .map(|line| match serde_json::from_str::<serde_json::Value>(line) {
            Ok(mut value) if value["table"] == "audit_head" => {
                value["row"].as_object_mut().unwrap().remove("seq");
                value.to_string()
            }
            _ => line.to_owned(),
        })
        .collect();
    let error = target.store.restore(no_seq.join("\n").as_bytes()).await.unwrap_err();
    assert!(error.to_string().contains("`audit_head.seq` is not a number"), "{error}");
    assert_eq!(target.store.report_count().await.unwrap(), 0, "nothing was restored");
}

async fn parties_are_loaded_with_regions(engine: Engine) {
    let db = TestDb::new(engine).await;
    let party = db.store.party("AZE").await.unwrap().unwrap();
    assert_eq!(
        (party.name_en.as_str(), party.name_fr.as_str(), party.region.as_deref()),
        ("Azerbaijan", "Azerbaïdjan", Some("europe_north_america"))
    );
    assert!(party.deposit_date.unwrap().starts_with("2010"));
}

async fn cycles_open_once_per_year_and_close(engine: Engine) {
    let db = TestDb::new(engine).await;
    let first = db.store.open_cycle(2027, "qpr-2020", "2027-06-30", "secretariat").await.unwrap();
    assert!(matches!(db.store.open_cycle(2027, "qpr-2020", "2027-07-01", "s").await, Err(StoreError::Rejected(_))));
    db.store.open_cycle(2031, "qpr-2027", "2031-06-30", "secretariat").await.unwrap();
    db.store.close_cycle(first, "secretariat").await.unwrap();
    assert!(db.store.close_cycle(first, "secretariat").await.is_err(), "closed once");
    let cycles = db.store.cycles().await.unwrap();
    let summary: Vec<(i32, &str, &str, bool)> =
        cycles.iter().map(|c| (c.year, c.framework.as_str(), c.deadline.as_str(), c.open)).collect();
    assert_eq!(summary, [(2031, "qpr-2027", "2031-06-30", true), (2027, "qpr-2020", "2027-06-30", false)]);
    assert!(db.store.verify_audit().await.unwrap().1.is_empty());
}

async fn a_cycle_opens_with_a_draft_per_party_or_not_at_all(engine: Engine) {
    let db = TestDb::new(engine).await;
    let draft_of = |iso3: &str, name: &str| {
        let mut document = ReportDocument::new(
            "qpr-2020",
            PartyRef { name: name.into(), iso3: Some(Iso3::parse(iso3).unwrap()) },
            2028,
        );
        document.year = 2028;
        document
    };
    let cycle = db
        .store
        .open_cycle_with_reports(
            2028,
            "qpr-2020",
            "2028-04-30",
            &[draft_of("AZE", "Azerbaijan"), draft_of("FRA", "France")],
            "s",
        )
        .await
        .unwrap();
    let reports = db.store.cycle_reports(cycle).await.unwrap();
    assert_eq!(
        reports.iter().map(|r| (r.party_iso3.as_str(), r.state)).collect::<Vec<_>>(),
        [("AZE", ReportState::Draft), ("FRA", ReportState::Draft)]
    );
    // A Party with a report for the year already: the whole cycle is refused, nothing written.
    let taken = db
        .store
        .open_cycle_with_reports(
            2029,
            "qpr-2020",
            "2029-04-30",
            &[
                {
                    let mut d = draft_of("ZWE", "Zimbabwe");
                    d.year = 2029;
                    d
                },
                {
                    let mut d = draft_of("ZWE", "Zimbabwe");
                    d.year = 2029;
                    d
                },
            ],
            "s",
        )
        .await;
    assert!(matches!(taken, Err(StoreError::Rejected(_))), "{taken:?}");
    assert_eq!(db.store.cycles().await.unwrap().len(), 1, "the failed cycle left no row");
    let stray =
        db.store.open_cycle_with_reports(2030, "qpr-2020", "2030-04-30", &[draft_of("AZE", "Azerbaijan")], "s").await;
    assert!(matches!(stray, Err(StoreError::Rejected(_))), "a draft of another year is refused");
}

async fn password_links_work_once_and_api_tokens_until_revoked(engine: Engine) {
    let db = TestDb::new(engine).await;
    let user = db
        .store
        .create_user(
            &NewUser { email: "fp@x.org", display_name: "FP", password_hash: None, is_secretariat: false },
            "s",
        )
        .await
        .unwrap();
    db.store
        .create_user_token(
            user,
            TokenPurpose::Password,
            "link-secret",
            "invitation",
            Some(&stamp("2999-01-01T00:00:00Z")),
        )
        .await
        .unwrap();
    db.store
        .create_user_token(user, TokenPurpose::Password, "old-link", "reset", Some(&stamp("2000-01-01T00:00:00Z")))
        .await
        .unwrap();
    assert_eq!(db.store.password_token_user("link-secret").await.unwrap(), Some(user));
    assert_eq!(db.store.use_password_token("old-link").await.unwrap(), None, "expired");
    assert_eq!(db.store.use_password_token("link-secret").await.unwrap(), Some(user));
    assert_eq!(db.store.use_password_token("link-secret").await.unwrap(), None, "used once");
    assert_eq!(db.store.api_token_user("link-secret").await.unwrap(), None, "a password link is not an API token");
    db.store.create_user_token(user, TokenPurpose::Api, "qpr_api", "laptop", None).await.unwrap();
    assert_eq!(db.store.api_token_user("qpr_api").await.unwrap().map(|u| u.id), Some(user));
    let listed = db.store.api_tokens(user).await.unwrap();
    assert_eq!(listed.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["laptop"]);
    assert!(
        db.store.revoke_api_token(UserId::new(user.get() + 1), &listed[0].id).await.is_err(),
        "only the owner revokes"
    );
    db.store.revoke_api_token(user, &listed[0].id).await.unwrap();
    assert_eq!(db.store.api_token_user("qpr_api").await.unwrap(), None);
}

async fn cso_decisions_are_kept_per_measure_after_submission(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let invitation = db
        .store
        .create_invitation(report, "Arts Union", None, "cso-token", &stamp("2999-01-01T00:00:00Z"), None)
        .await
        .unwrap();
    // Each decision is saved with a revision of the report, on its current one.
    let decide = async |measure: &str, included: bool| {
        let current = db.store.revisions(report).await.unwrap().last().unwrap().id;
        let decision = qpr_store::CsoDecision { invitation, measure: measure.to_owned(), included };
        db.store.save_with_cso_decision(report, current, &draft(), "fp", &decision).await.map(|_| ())
    };
    assert!(matches!(decide("m1", true).await, Err(StoreError::Rejected(_))), "not submitted yet");
    db.store.save_invitation_answers(invitation, r#"{"measures":[]}"#, true).await.unwrap();
    decide("m1", true).await.unwrap();
    decide("m2", false).await.unwrap();
    decide("m1", false).await.unwrap();
    let decisions = db.store.invitation(invitation).await.unwrap().decisions;
    assert_eq!(decisions.into_iter().collect::<Vec<_>>(), [("m1".to_owned(), false), ("m2".to_owned(), false)]);
}

async fn submission_records_the_signature_with_the_state_change(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, first) = db.store.create_report(&draft(), "a").await.unwrap();
    let mut edited = draft();
    edited.answers.insert("g1_ccs_ministry".into(), json!(true));
    let second = db.store.save(report, first, &edited, "a").await.unwrap().revision();
    let stale = db.store.submit_signed(report, first, "{}", "fp").await;
    assert!(matches!(stale, Err(StoreError::Rejected(_))), "what was signed is not the current revision");
    assert!(db.store.signatures(report).await.unwrap().is_empty(), "nothing written");
    let submitted = db.store.submit_signed(report, second, r#"{"format":"qpr-signature/1"}"#, "fp").await.unwrap();
    assert_eq!((submitted.state, submitted.submitted_revision), (ReportState::Submitted, Some(second)));
    assert!(matches!(db.store.submit_signed(report, second, "{}", "fp").await, Err(StoreError::Rejected(_))), "once");
    assert_eq!(db.store.signature(second).await.unwrap().unwrap().envelope, r#"{"format":"qpr-signature/1"}"#);
    let raw = db.raw().await;
    assert!(sqlx::query("UPDATE signatures SET envelope = 'forged'").execute(&raw).await.is_err());
    assert!(sqlx::query("DELETE FROM signatures").execute(&raw).await.is_err());
}

async fn reminders_are_claimed_once_and_never_after_a_later_one(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, _) = db.store.create_report(&draft(), "a").await.unwrap();
    let deadline = "2026-06-30";
    assert!(db.store.claim_reminder(report, deadline, 60, 1).await.unwrap());
    assert!(!db.store.claim_reminder(report, deadline, 60, 1).await.unwrap(), "once per threshold");
    assert!(db.store.claim_reminder(report, deadline, 7, 1).await.unwrap(), "a missed 30-day reminder is skipped");
    assert!(!db.store.claim_reminder(report, deadline, 30, 1).await.unwrap(), "never an earlier one after a later one");
    assert!(!db.store.claim_reminder(report, deadline, 7, 1).await.unwrap());
    // A sending that failed gives the claim back.
    db.store.release_reminder(report, deadline, 7).await.unwrap();
    assert!(db.store.claim_reminder(report, deadline, 7, 3).await.unwrap());
    // A new deadline has reminders of its own.
    assert!(db.store.claim_reminder(report, "2026-09-30", 60, 2).await.unwrap());
    let sent: Vec<(String, i64, i64)> = db
        .store
        .sent_reminders(report)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.deadline, r.threshold_days, r.recipients))
        .collect();
    assert_eq!(sent, [("2026-06-30".into(), 60, 1), ("2026-06-30".into(), 7, 3), ("2026-09-30".into(), 60, 2)]);
    // Jobs running at once: exactly one of them claims the reminder.
    let claims: Vec<_> = (0..8)
        .map(|_| {
            let store = db.store.clone();
            tokio::spawn(async move { store.claim_reminder(report, "2026-09-30", 30, 1).await.unwrap() })
        })
        .collect();
    let mut won = 0;
    for claim in claims {
        won += usize::from(claim.await.unwrap());
    }
    assert_eq!(won, 1);
}

/// The hash of an audit entry as the store computes it (length-prefixed fields).
fn entry_hash(fields: [&str; 7]) -> String {
    let mut text = String::new();
    for field in fields {
        text.push_str(&format!("{}:{field}\n", field.len()));
    }
    qpr_signature::sha256_hex(text.as_bytes())
}

async fn a_rechained_audit_log_fails_its_seals_and_a_rollback_its_anchor(engine: Engine) {
    let db = TestDb::new(engine).await;
    let key = Arc::new(qpr_signature::PlatformKey::generate().unwrap());
    let keys = key.public_key_set();
    let store = db.store.clone().with_audit_key(Arc::clone(&key));
    for i in 0..4 {
        store.audit("tester", "test.action", &format!("thing:{i}"), &json!({"i": i})).await.unwrap();
    }
    let (checked, problems) = store.verify_audit_sealed(&keys, None).await.unwrap();
    assert_eq!((checked, problems.len()), (4, 0), "{problems:?}");
    let anchor = store.audit_head().await.unwrap();
    assert_eq!(anchor.seq, 4);
    assert!(store.verify_audit_sealed(&keys, Some(&anchor)).await.unwrap().1.is_empty());
    // Sealed with another key: not the platform's.
    let other = qpr_signature::PlatformKey::generate().unwrap().public_key_set();
    assert!(store.verify_audit_sealed(&other, None).await.unwrap().1.iter().all(|p| p.code == "anchor_mismatch"));

    // Entry 2 edited and every hash from there recomputed, the head too.
    let raw = db.raw().await;
    let entries = store.audit_entries().await.unwrap();
    let mut previous = entries[0].hash.clone();
    for entry in &entries[1..] {
        let details = if entry.seq == 2 { "{\"i\": 99}".to_owned() } else { entry.details.clone() };
        let hash = entry_hash([
            &entry.seq.to_string(),
            entry.at.as_str(),
            &entry.actor,
            &entry.action,
            &entry.subject,
            &details,
            &previous,
        ]);
        sqlx::query("UPDATE audit_log SET details = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(details)
            .bind(previous.clone())
            .bind(hash.clone())
            .bind(entry.seq)
            .execute(&raw)
            .await
            .unwrap();
        previous = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(previous).execute(&raw).await.unwrap();
    assert!(store.verify_audit().await.unwrap().1.is_empty(), "the chain alone holds again");
    let (_, problems) = store.verify_audit_sealed(&keys, None).await.unwrap();
    assert_eq!(
        problems.iter().map(|p| (p.seq, p.code)).collect::<Vec<_>>(),
        [2, 3, 4].map(|seq| (seq, "anchor_mismatch")),
        "{problems:?}"
    );
    let (_, problems) = store.verify_audit_sealed(&keys, Some(&anchor)).await.unwrap();
    assert!(
        problems.iter().any(|p| p.seq == 4 && p.message.contains("differs from the entry this node recorded")),
        "{problems:?}"
    );

    // An entry written without the key has no seal.
    db.store.audit("tester", "unsealed", "thing", &json!({})).await.unwrap();
    let (_, problems) = store.verify_audit_sealed(&keys, None).await.unwrap();
    assert!(problems.iter().any(|p| p.seq == 5 && p.code == "unsealed_entry"), "{problems:?}");

    // A rollback: the newest entries removed with the head row; the seals left hold.
    let fresh = TestDb::new(engine).await;
    let store = fresh.store.clone().with_audit_key(Arc::clone(&key));
    for i in 0..3 {
        store.audit("tester", "test.action", &format!("thing:{i}"), &json!({"i": i})).await.unwrap();
    }
    let anchor = store.audit_head().await.unwrap();
    let raw = fresh.raw().await;
    let second: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = 2").fetch_one(&raw).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 3").execute(&raw).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = 2, hash = $1 WHERE id = 1").bind(second).execute(&raw).await.unwrap();
    assert!(store.verify_audit_sealed(&keys, None).await.unwrap().1.is_empty(), "seals alone cannot see a rollback");
    let (_, problems) = store.verify_audit_sealed(&keys, Some(&anchor)).await.unwrap();
    assert_eq!(problems.iter().map(|p| (p.seq, p.code)).collect::<Vec<_>>(), [(3, "anchor_mismatch")], "{problems:?}");
    assert!(problems[0].message.contains("the newest entries were removed"), "{problems:?}");
}

async fn restore_refuses_edited_revisions_and_audit_entries_and_writes_nothing(engine: Engine) {
    let source = TestDb::new(engine).await;
    populate(&source.store).await;
    let mut file = Vec::new();
    source.store.backup(&mut file).await.unwrap();
    let text = String::from_utf8(file).unwrap();
    let edit = |table: &str, needle: &str, from: &str, to: &str| -> String {
        let mut done = false;
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                if !done
                    && line.contains(&format!("\"table\":\"{table}\""))
                    && line.contains(needle)
                    && line.contains(from)
                {
                    done = true;
                    line.replacen(from, to, 1)
                } else {
                    line.to_owned()
                }
            })
            .collect();
        assert!(done, "no {table} line with {needle} and {from}");
        lines.join("\n") + "\n"
    };
    let target = TestDb::new(engine).await;
    let cases = [
        (edit("revisions", "\"id\":2,", "Azerbaijan", "Azerbaijan (edited)"), "table revisions, row id 2"),
        (edit("audit_log", "\"seq\":3,", "\"actor\":\"", "\"actor\":\"not "), "table audit_log, row seq 3"),
        (edit("audit_head", "\"id\":1,", "\"seq\":", "\"seq\":1"), "table audit_head"),
    ];
    for (edited, expected) in cases {
        let error = target.store.restore(edited.as_bytes()).await.unwrap_err();
        assert_eq!(error.code(), "backup_invalid");
        assert!(error.to_string().contains(expected) && error.to_string().contains("Nothing was restored"), "{error}");
        assert_eq!(target.store.report_count().await.unwrap(), 0, "nothing was restored");
        assert!(target.store.audit_entries().await.unwrap().is_empty(), "nothing was restored");
    }
    // A revision whose SHA-256 was made to match an edit that is no report document.
    let revision = text.lines().find(|line| line.contains("\"table\":\"revisions\"")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(revision).unwrap();
    value["row"]["document"] = json!("{\"not\": \"a report\"}");
    value["row"]["sha256"] = json!(qpr_signature::sha256_hex(b"{\"not\": \"a report\"}"));
    let edited = text.replacen(revision, &value.to_string(), 1);
    let error = target.store.restore(edited.as_bytes()).await.unwrap_err();
    assert!(error.to_string().contains("is not a report document"), "{error}");
    // The untouched file restores into the same, still empty, database.
    target.store.restore(text.as_bytes()).await.unwrap();
}

/// Timestamps are parsed when their row is read: a stored instant that is not RFC 3339 makes
/// the read fail with an error naming the table, column and row, instead of giving a row with
/// an empty or made-up time. Other rows still read.
async fn a_corrupt_timestamp_is_an_error_naming_its_table_column_and_row(engine: Engine) {
    let db = TestDb::new(engine).await;
    let (report, revision) = db.store.create_report(&draft(), "focal").await.unwrap();
    let author = db
        .store
        .create_user(
            &NewUser { email: "a@example.org", display_name: "A", password_hash: None, is_secretariat: false },
            "t",
        )
        .await
        .unwrap();
    let first = db.store.add_comment(report, revision, "answers.x", None, author, "first").await.unwrap();
    let second = db.store.add_comment(report, revision, "answers.x", None, author, "second").await.unwrap();
    let written = db.store.comments(report).await.unwrap();
    assert!(written[0].created_at.as_str().ends_with('Z'), "stored as RFC 3339 UTC: {}", written[0].created_at);
    assert!(written[0].created_at <= written[1].created_at);

    let raw = db.raw().await;
    sqlx::query("UPDATE comments SET created_at = 'last tuesday' WHERE id = $1")
        .bind(second.get())
        .execute(&raw)
        .await
        .unwrap();
    let error = db.store.comments(report).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::CorruptTimestamp { table: "comments", column: "created_at", row, value } if *row == format!("id {second}") && value == "last tuesday"),
        "{error:?}"
    );
    assert_eq!(error.code(), "corrupt_data");
    assert!(error.to_string().contains(&format!("comments.created_at of row id {second}")), "{error}");

    // An empty text is no timestamp either, nor is a date without a time.
    sqlx::query("UPDATE comments SET created_at = '' WHERE id = $1").bind(second.get()).execute(&raw).await.unwrap();
    assert!(matches!(db.store.comments(report).await, Err(StoreError::CorruptTimestamp { .. })));
    sqlx::query("UPDATE reports SET updated_at = '2026-01-01' WHERE id = $1")
        .bind(report.get())
        .execute(&raw)
        .await
        .unwrap();
    let error = db.store.report(report).await.unwrap_err();
    assert!(error.to_string().contains(&format!("reports.updated_at of row id {report}")), "{error}");
    assert!(matches!(db.store.reports().await, Err(StoreError::CorruptTimestamp { table: "reports", .. })));
    // Rows of other tables are untouched and still read.
    let (info, _) = db.store.revision(revision).await.unwrap();
    assert!(info.created_at <= written[0].created_at);
    assert_eq!(written[0].id, first);
}
