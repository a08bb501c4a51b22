//! The security suite, in-process against the whole router (issue 12): each finding of the
//! adversarial review has a test here that failed before its fix, beside the attacks that held
//! (CSRF variants, hostile text on pages, malformed bodies, sizes). The attacks that need a
//! real server (slow clients, file limits, SIGKILL, the command line, backups) are in
//! `crates/cli/tests/it/security_*.rs`; the matrix of every route × every role is
//! `authorization.rs`.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, PASSWORD, Reply, TestApp, link_in};
use axum::http::StatusCode;
use qpr_domain::Framework;
use qpr_store::MembershipRole;
use serde_json::json;

/// A site with the 2028 cycle open for AZE and FRA, their focal points signed in, and an API
/// token for each.
struct TwoParties {
    app: TestApp,
    secretariat: Client,
    aze: Client,
    fra: Client,
    aze_token: String,
    fra_token: String,
}

async fn api_token(app: &TestApp, client: &mut Client) -> String {
    let reply = app.submit(client, "/app/account", "/app/account", &[("action", "create"), ("label", "script")]).await;
    link_in(&reply.body, "qpr_").trim_end_matches("</code></p>").to_owned()
}

impl TwoParties {
    async fn new() -> TwoParties {
        let app = TestApp::new().await;
        let mut secretariat = app.sign_in("sec@unesco.test", None).await;
        app.open_cycle(&mut secretariat, "AZE FRA").await;
        let mut aze = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
        let mut fra = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
        let aze_token = api_token(&app, &mut aze).await;
        let fra_token = api_token(&app, &mut fra).await;
        TwoParties { app, secretariat, aze, fra, aze_token, fra_token }
    }

    async fn revisions(&self, iso3: &str) -> usize {
        let report = self.app.store.report_by_key(iso3, 2028).await.unwrap().unwrap();
        self.app.store.revisions(report.id).await.unwrap().len()
    }
}

/// The words no answer about another Party may carry.
const SECRET: &str = "Unpublished AZE summary 7f3a";

fn reveals_nothing(reply: &Reply) {
    assert!(!reply.body.contains(SECRET) && !reply.body.contains("Secret CSO measure"), "{}", reply.body);
}

/// Finding 1: every id in a request is checked against the report it claims to belong to. FRA's
/// focal point names ids of AZE's objects on FRA's routes: each is "not found", reveals none of
/// AZE's draft and writes nothing anywhere.
#[tokio::test]
async fn ids_of_another_report_are_not_found_and_reveal_nothing() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    // AZE's draft: a secret answer saved through the API (so its revision is in the cache of
    // parsed revisions), a comment, an annex, a contributor, a CSO that submitted a measure.
    let draft = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028", None).await.json();
    let aze_first = draft["revision"].as_i64().unwrap();
    let mut document = draft["document"].clone();
    document["answers"]["gi_executive_summary"] = json!(SECRET);
    let saved = app
        .api(
            &t.aze_token,
            "PUT",
            "/api/v1/drafts/AZE/2028",
            Some(json!({"base_revision": aze_first, "document": document})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let aze_secret = saved.json()["revision"].as_i64().unwrap();
    let comment = app
        .api(
            &t.aze_token,
            "POST",
            "/api/v1/drafts/AZE/2028/comments",
            Some(json!({"field": "answers.gi_executive_summary", "body": "Check"})),
        )
        .await;
    assert_eq!(comment.status, StatusCode::CREATED, "{}", comment.body);
    let comment = comment.json()["id"].as_i64().unwrap();
    let aze_report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let annex = app
        .store
        .add_annex(aze_report.id, &crate::support::pdf::pdf("AZE annex"), "application/pdf", "AZE annex", "", "test")
        .await
        .unwrap();
    let member = app
        .api(&t.aze_token, "POST", "/api/v1/drafts/AZE/2028/members", Some(json!({"email": "stats@culture.gov.az"})))
        .await;
    assert_eq!(member.status, StatusCode::CREATED, "{}", member.body);
    let member = qpr_store::UserId::new(member.json()["user"].as_i64().unwrap());
    let invitation = app
        .store
        .create_invitation(
            aze_report.id,
            "Arts Union",
            None,
            "aze-cso-token",
            &"2999-01-01T00:00:00Z".parse().unwrap(),
            None,
        )
        .await
        .unwrap();
    let submission = json!({"measures": [{"id": "m1", "goal": 1, "title": "Secret CSO measure"}]}).to_string();
    app.store.save_invitation_answers(invitation, &submission, true).await.unwrap();
    let (fra_before, aze_before) = (t.revisions("FRA").await, t.revisions("AZE").await);

    let fra_draft = app.api(&t.fra_token, "GET", "/api/v1/drafts/FRA/2028", None).await.json();
    let mut ours = fra_draft["document"].clone();
    ours["answers"]["gi_executive_summary"] = json!("FRA's text");
    let api = "/api/v1/drafts/FRA/2028";
    let page = "/app/reports/FRA/2028";
    let mut replies = Vec::new();
    for base in [aze_first, aze_secret] {
        replies.push((
            format!("PUT {api} base {base}"),
            app.api(&t.fra_token, "PUT", api, Some(json!({"base_revision": base, "document": ours}))).await,
        ));
        let form = [("base_revision", base.to_string()), ("a.gi_executive_summary", "FRA's text".to_owned())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let section = format!("{page}/sections/general-information");
        replies.push((format!("POST section base {base}"), app.submit(&mut t.fra, &section, &section, &form).await));
    }
    let compare = format!("from={aze_first}&to={aze_secret}");
    replies.push((
        "GET API compare".into(),
        app.api(&t.fra_token, "GET", &format!("{api}/revisions/compare?{compare}"), None).await,
    ));
    replies.push(("GET page compare".into(), app.get(&mut t.fra, &format!("{page}/history/compare?{compare}")).await));
    replies.push((
        "DELETE member".into(),
        app.api(&t.fra_token, "DELETE", &format!("{api}/members/{member}"), None).await,
    ));
    let remove = [("action", "remove"), ("user", &member.to_string())];
    replies.push((
        "POST page member remove".into(),
        app.submit(&mut t.fra, page, &format!("{page}/members"), &remove).await,
    ));
    let comment = comment.to_string();
    replies.push((
        "POST resolve".into(),
        app.submit(&mut t.fra, &format!("{page}/review"), &format!("{page}/comments"), &[("resolve", &comment)]).await,
    ));
    replies.push((
        "POST reply".into(),
        app.submit(
            &mut t.fra,
            &format!("{page}/review"),
            &format!("{page}/comments"),
            &[("parent", &comment), ("body", "x")],
        )
        .await,
    ));
    replies.push((
        "POST API reply".into(),
        app.api(
            &t.fra_token,
            "POST",
            &format!("{api}/comments"),
            Some(json!({"parent": comment.parse::<i64>().unwrap(), "body": "x"})),
        )
        .await,
    ));
    replies.push((
        "GET annex".into(),
        app.api(&t.fra_token, "GET", &format!("{api}/annexes/{}", annex.sha256), None).await,
    ));
    replies.push((
        "DELETE annex".into(),
        app.api(&t.fra_token, "DELETE", &format!("{api}/annexes/{}", annex.sha256), None).await,
    ));
    replies.push(("GET page annex".into(), app.get(&mut t.fra, &format!("{page}/annexes/{}", annex.sha256)).await));
    let decide = format!("{api}/cso-invitations/{invitation}/measures/m1");
    replies.push((
        "POST API CSO decision".into(),
        app.api(&t.fra_token, "POST", &decide, Some(json!({"included": true}))).await,
    ));
    replies.push((
        "DELETE CSO invitation".into(),
        app.api(&t.fra_token, "DELETE", &format!("{api}/cso-invitations/{invitation}"), None).await,
    ));
    let invitation = invitation.to_string();
    for action in ["include", "revoke"] {
        let form = [("action", action), ("invitation", invitation.as_str()), ("measure", "m1")];
        replies.push((
            format!("POST page CSO {action}"),
            app.submit(&mut t.fra, &format!("{page}/cso"), &format!("{page}/cso"), &form).await,
        ));
    }
    let wrong: Vec<String> = replies
        .iter()
        .filter(|(_, reply)| reply.status != StatusCode::NOT_FOUND)
        .map(|(what, reply)| format!("{what}: {} {}", reply.status, reply.body.chars().take(300).collect::<String>()))
        .collect();
    assert!(wrong.is_empty(), "not a 404:\n{}", wrong.join("\n"));
    replies.iter().for_each(|(_, reply)| reveals_nothing(reply));
    assert_eq!((t.revisions("FRA").await, t.revisions("AZE").await), (fra_before, aze_before), "nothing written");
    let aze_comments = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028/comments", None).await.body;
    assert!(!aze_comments.contains("\"resolved\":true"), "AZE's comment is still open: {aze_comments}");
    assert!(app.store.annex(aze_report.id, &annex.sha256).await.unwrap().is_some(), "AZE's annex is still there");
    assert!(!app.store.memberships(member).await.unwrap().is_empty(), "AZE's contributor is still a member");
    let kept = app.store.invitation(invitation.parse().unwrap()).await.unwrap();
    assert!(kept.decisions.is_empty() && kept.link_works(), "AZE's CSO invitation is untouched");
    // And with AZE's own ids, on AZE's report, the same save works (the check is no blanket ban).
    let own = app
        .api(
            &t.aze_token,
            "PUT",
            "/api/v1/drafts/AZE/2028",
            Some(json!({"base_revision": aze_first, "document": draft["document"]})),
        )
        .await;
    assert!(matches!(own.status, StatusCode::OK | StatusCode::CONFLICT), "{}", own.body);
}

/// Finding 2: after login, only a path of this site is followed; `next=/%09/evil.example`
/// (a tab that browsers drop, making `//evil.example`) goes to the workspace.
#[tokio::test]
async fn login_redirects_only_to_this_site() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    for (next, expected) in [
        ("/%09/evil.example", "/app"),
        ("/%0A/evil.example", "/app"),
        ("%2F%2Fevil.example", "/app"),
        ("/%5Cevil.example", "/app"),
        ("https://evil.example", "/app"),
        ("/app/cycles", "/app/cycles"),
    ] {
        let signed_in = app.get(&mut secretariat, &format!("/login?next={next}")).await;
        assert_eq!((signed_in.status, signed_in.location()), (StatusCode::SEE_OTHER, expected), "GET next={next}");
    }
    for (next, expected) in
        [("/\t/evil.example", "/app"), ("/\\evil.example", "/app"), ("/app/account", "/app/account")]
    {
        let mut visitor = Client::default();
        let form = [("email", "sec@unesco.test"), ("password", PASSWORD), ("next", next)];
        let reply = app.submit(&mut visitor, "/login", "/login", &form).await;
        assert_eq!((reply.status, reply.location()), (StatusCode::SEE_OTHER, expected), "POST next={next:?}");
    }
}

/// Finding 6: a new password (through a reset link) ends every other session and API token of
/// the user, and no one else's.
#[tokio::test]
async fn a_new_password_ends_every_session_and_token() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let mut laptop = t.aze.clone();
    let mut phone = Client::default();
    app.log_in(&mut phone, "fp@culture.gov.az", PASSWORD).await;
    assert_eq!(app.get(&mut phone, "/app").await.status, StatusCode::OK);
    let mut visitor = Client::default();
    let sent =
        app.submit(&mut visitor, "/password/forgot", "/password/forgot", &[("email", "fp@culture.gov.az")]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let link = link_in(&app.mails()[0].body, "http://qpr.test/password/set/");
    let path = link.trim_start_matches("http://qpr.test");
    let new_password = "a completely new passphrase";
    let set = app.submit(&mut visitor, path, path, &[("password", new_password), ("confirm", new_password)]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    for (name, client) in [("laptop", &mut laptop), ("phone", &mut phone)] {
        let reply = app.get(client, "/app").await;
        assert!(
            reply.location().starts_with("/login"),
            "{name}'s session ended: {} {}",
            reply.status,
            reply.location()
        );
    }
    assert_eq!(
        app.api(&t.aze_token, "GET", "/api/v1/me", None).await.status,
        StatusCode::UNAUTHORIZED,
        "the API token ended"
    );
    assert_eq!(
        app.api(&t.fra_token, "GET", "/api/v1/me", None).await.status,
        StatusCode::OK,
        "another user's token works"
    );
    assert_eq!(app.get(&mut t.fra, "/app").await.status, StatusCode::OK, "another user's session stays");
    app.log_in(&mut Client::default(), "fp@culture.gov.az", new_password).await;
}

/// Finding 7: including a measure of a CSO that has not submitted is refused and writes
/// nothing (before, the measure was already saved into the report when the 409 came).
#[tokio::test]
async fn a_refused_cso_decision_writes_nothing() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let invitation = app
        .store
        .create_invitation(report.id, "Arts Union", None, "unsubmitted", &"2999-01-01T00:00:00Z".parse().unwrap(), None)
        .await
        .unwrap();
    let saved_only = json!({"measures": [{"id": "m1", "goal": 1, "title": "Not yet submitted"}]}).to_string();
    app.store.save_invitation_answers(invitation, &saved_only, false).await.unwrap();
    let before = t.revisions("AZE").await;
    let decide = format!("/api/v1/drafts/AZE/2028/cso-invitations/{invitation}/measures/m1");
    let reply = app.api(&t.aze_token, "POST", &decide, Some(json!({"included": true}))).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let invitation = invitation.to_string();
    let form = [("action", "include"), ("invitation", invitation.as_str()), ("measure", "m1")];
    let page = app.submit(&mut t.aze, "/app/reports/AZE/2028/cso", "/app/reports/AZE/2028/cso", &form).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert_eq!(t.revisions("AZE").await, before, "no revision written");
    let current = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap().current_revision.unwrap();
    assert!(app.store.revision(current).await.unwrap().1.cso_measures.is_empty());
}

/// Finding 9: the Secretariat's listing of the mail outbox shows that a password or CSO link
/// was sent, never the link itself (with it, one could take over a focal point's account).
#[tokio::test]
async fn the_mail_listing_hides_the_secret_of_links() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let invited = app
        .submit(
            &mut t.secretariat,
            "/app/cycles/2028",
            "/app/cycles/2028/focal-points",
            &[("party", "AZE"), ("email", "deputy@culture.gov.az")],
        )
        .await;
    assert!(invited.status.is_redirection() || invited.status.is_success(), "{}", invited.body);
    let cso = app
        .submit(
            &mut t.aze,
            "/app/reports/AZE/2028/cso",
            "/app/reports/AZE/2028/cso",
            &[("action", "invite"), ("organization", "Film Guild"), ("email", "guild@example.org")],
        )
        .await;
    assert_eq!(cso.status, StatusCode::OK, "{}", cso.body);
    let mails = app.mails();
    let password_link =
        link_in(&mails.iter().find(|m| m.to == "deputy@culture.gov.az").unwrap().body, "http://qpr.test/password/set/");
    let cso_link = link_in(&mails.iter().find(|m| m.to == "guild@example.org").unwrap().body, "http://qpr.test/cso/");
    let listing = app.get(&mut t.secretariat, "/app/admin/mail").await;
    assert_eq!(listing.status, StatusCode::OK);
    for secret in [password_link.rsplit('/').next().unwrap(), cso_link.rsplit('/').next().unwrap()] {
        assert!(secret.len() >= 32 && !listing.body.contains(secret), "a link's secret is shown");
    }
    assert!(
        listing.body.contains("deputy@culture.gov.az") && listing.body.contains("link hidden"),
        "that a link was sent is shown"
    );
}

/// Finding 10: an invitation never lowers a role. A focal point re-inviting their co-focal
/// point as a contributor is refused; the co-focal point keeps their role and cannot be removed.
#[tokio::test]
async fn an_invitation_never_lowers_a_role() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let named = app
        .api(
            &api_token(app, &mut t.secretariat).await,
            "POST",
            "/api/v1/cycles/2028/focal-points",
            Some(json!({"party": "AZE", "email": "deputy@culture.gov.az"})),
        )
        .await;
    assert_eq!(named.status, StatusCode::CREATED, "{}", named.body);
    let deputy = qpr_store::UserId::new(named.json()["user"].as_i64().unwrap());
    let demoted = app
        .api(&t.aze_token, "POST", "/api/v1/drafts/AZE/2028/members", Some(json!({"email": "deputy@culture.gov.az"})))
        .await;
    assert_eq!(demoted.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", demoted.body);
    assert!(demoted.body.contains("never lowers"), "{}", demoted.body);
    let page = app
        .submit(
            &mut t.aze,
            "/app/reports/AZE/2028",
            "/app/reports/AZE/2028/members",
            &[("action", "invite"), ("email", "deputy@culture.gov.az")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let roles = app.store.memberships(deputy).await.unwrap();
    assert_eq!(roles.iter().map(|m| m.role).collect::<Vec<_>>(), [MembershipRole::FocalPoint]);
    let removed = app.api(&t.aze_token, "DELETE", &format!("/api/v1/drafts/AZE/2028/members/{deputy}"), None).await;
    assert_eq!(removed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", removed.body);
    assert!(!app.store.memberships(deputy).await.unwrap().is_empty());
}

/// Finding 13: an invitation refused for its address leaves no account behind.
#[tokio::test]
async fn a_refused_invitation_leaves_no_account() {
    let t = TwoParties::new().await;
    let app = &t.app;
    for address in
        ["a@b@c.org", "someone@", "@example.org", "with space@example.org", "line\nbreak@example.org", "a@b.org>"]
    {
        let reply =
            app.api(&t.aze_token, "POST", "/api/v1/drafts/AZE/2028/members", Some(json!({"email": address}))).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{address:?}: {}", reply.body);
        assert!(app.store.user_by_email(address.trim()).await.unwrap().is_none(), "{address:?} made an account");
    }
    assert_eq!(app.store.users().await.unwrap().len(), 3, "the Secretariat and two focal points, no one else");
}

/// Finding 13: a CSO's link can be revoked: the form no longer opens; what it submitted stays.
#[tokio::test]
async fn a_cso_link_can_be_revoked() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let page = "/app/reports/AZE/2028/cso";
    let invited = app.submit(&mut t.aze, page, page, &[("action", "invite"), ("organization", "Film Guild")]).await;
    let link = link_in(&invited.body, "http://qpr.test/cso/")
        .trim_end_matches("</code></p>")
        .trim_start_matches("http://qpr.test")
        .to_owned();
    let mut cso = Client::default();
    assert_eq!(app.get(&mut cso, &link).await.status, StatusCode::OK);
    let listing = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028/cso-invitations", None).await.json();
    let invitation = listing["invitations"][0]["id"].as_i64().unwrap().to_string();
    let shown = app.get(&mut t.aze, page).await;
    assert!(shown.body.contains(r#"value="revoke""#), "the page offers to close the link");
    let other =
        app.api(&t.fra_token, "DELETE", &format!("/api/v1/drafts/AZE/2028/cso-invitations/{invitation}"), None).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "another Party's focal point");
    let revoked = app.submit(&mut t.aze, page, page, &[("action", "revoke"), ("invitation", &invitation)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    assert_eq!(app.get(&mut cso, &link).await.status, StatusCode::NOT_FOUND, "the link no longer opens the form");
    let token = link.rsplit('/').next().unwrap();
    let put = app
        .send(
            &mut Client::default(),
            "PUT",
            &format!("/api/v1/cso/{token}"),
            Some("application/json"),
            json!({"fields": []}).to_string().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    let again =
        app.api(&t.aze_token, "DELETE", &format!("/api/v1/drafts/AZE/2028/cso-invitations/{invitation}"), None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "already closed");
    let listing = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028/cso-invitations", None).await.json();
    assert_eq!(listing["invitations"][0]["status"], "closed");
}

/// Finding 13: a report holds at most 500 measures; a larger save is refused whole.
#[tokio::test]
async fn a_report_holds_a_bounded_number_of_measures() {
    let t = TwoParties::new().await;
    let app = &t.app;
    let seed =
        qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../../demo/qpr-azerbaijan-2022.txt"))
            .unwrap();
    let measure = serde_json::to_value(&seed.policy_measures[0]).unwrap();
    let draft = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028", None).await.json();
    let base = draft["revision"].as_i64().unwrap();
    let with = |count: usize| {
        let mut document = draft["document"].clone();
        document["policy_measures"] = (0..count)
            .map(|i| {
                json!(measure)
                    .as_object()
                    .cloned()
                    .map(|mut m| {
                        m.insert("id".into(), json!(format!("m{i}")));
                        m
                    })
                    .unwrap()
            })
            .collect();
        json!({"base_revision": base, "document": document})
    };
    let before = t.revisions("AZE").await;
    let refused = app
        .api(&t.aze_token, "PUT", "/api/v1/drafts/AZE/2028", Some(with(qpr_domain::document::MAX_MEASURES + 1)))
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    assert!(refused.body.contains("at most 500"), "{}", refused.body);
    assert_eq!(t.revisions("AZE").await, before, "nothing saved");
    let accepted =
        app.api(&t.aze_token, "PUT", "/api/v1/drafts/AZE/2028", Some(with(qpr_domain::document::MAX_MEASURES))).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body.chars().take(300).collect::<String>());
}

/// Finding 13 and the CSRF defences that held: a write is refused without the form's token,
/// with another session's token, and from another origin, including the same host over
/// another scheme (`https://qpr.test` for a site at `http://qpr.test`) and `null`.
#[tokio::test]
async fn writes_need_the_token_and_this_origin() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let own = app.get(&mut t.aze, "/app/account").await.csrf();
    let others = app.get(&mut t.fra, "/app/account").await.csrf();
    let post = async |client: &Client, csrf: Option<&str>, origin: Option<&str>| {
        let mut body = "action=create&label=x".to_owned();
        if let Some(csrf) = csrf {
            body = format!("csrf={csrf}&{body}");
        }
        let headers: Vec<(&str, &str)> =
            origin.map(|o| ("origin", o)).into_iter().chain([("host", "qpr.test")]).collect();
        let mut client = client.clone();
        app.send(
            &mut client,
            "POST",
            "/app/account",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &headers,
        )
        .await
        .status
    };
    assert_eq!(post(&t.aze, None, None).await, StatusCode::FORBIDDEN, "no token");
    assert_eq!(post(&t.aze, Some("0".repeat(64).as_str()), None).await, StatusCode::FORBIDDEN, "a made-up token");
    assert_eq!(post(&t.aze, Some(&others), None).await, StatusCode::FORBIDDEN, "another session's token");
    for origin in ["https://qpr.test", "http://evil.example", "http://qpr.test.evil.example", "null"] {
        assert_eq!(post(&t.aze, Some(&own), Some(origin)).await, StatusCode::FORBIDDEN, "Origin: {origin}");
    }
    assert_eq!(post(&t.aze, Some(&own), Some("http://qpr.test")).await, StatusCode::OK, "this site");
    assert_eq!(post(&t.aze, Some(&own), None).await, StatusCode::OK, "no Origin (an older browser): the token decides");
    // An API token is no cookie: a browser never sends it by itself, so it needs no form token,
    // but a request from another origin still never writes.
    let from_elsewhere = app
        .send(
            &mut Client::default(),
            "POST",
            "/api/v1/drafts/AZE/2028/comments",
            Some("application/json"),
            json!({"field": "answers.gi_executive_summary", "body": "x"}).to_string().into_bytes(),
            &[
                ("authorization", &format!("Bearer {}", t.aze_token)),
                ("origin", "https://evil.example"),
                ("host", "qpr.test"),
            ],
        )
        .await;
    assert_eq!(from_elsewhere.status, StatusCode::FORBIDDEN, "{}", from_elsewhere.body);
}

/// Held: hostile text typed by one user is shown as text on every page another user sees.
#[tokio::test]
async fn hostile_text_is_shown_as_text_on_every_page() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    let hostile = r#"<script>alert(1)</script><img src=x onerror=alert(2)>"#;
    let page = "/app/reports/AZE/2028";
    app.submit(
        &mut t.aze,
        page,
        &format!("{page}/members"),
        &[("action", "invite"), ("email", "c@culture.gov.az"), ("name", hostile)],
    )
    .await;
    app.submit(
        &mut t.aze,
        &format!("{page}/cso"),
        &format!("{page}/cso"),
        &[("action", "invite"), ("organization", hostile)],
    )
    .await;
    let comment = app
        .api(
            &t.aze_token,
            "POST",
            "/api/v1/drafts/AZE/2028/comments",
            Some(json!({"field": "answers.gi_executive_summary", "body": hostile})),
        )
        .await;
    assert_eq!(comment.status, StatusCode::CREATED);
    let draft = app.api(&t.aze_token, "GET", "/api/v1/drafts/AZE/2028", None).await.json();
    let mut document = draft["document"].clone();
    document["answers"]["gi_executive_summary"] = json!(hostile);
    app.api(
        &t.aze_token,
        "PUT",
        "/api/v1/drafts/AZE/2028",
        Some(json!({"base_revision": draft["revision"], "document": document})),
    )
    .await;
    let pages = [
        page.to_owned(),
        format!("{page}/cso"),
        format!("{page}/review"),
        format!("{page}/history"),
        format!("{page}/sections/general-information"),
        format!("{page}/submit"),
    ];
    for path in pages.iter().map(String::as_str).chain(["/app/cycles/2028", "/app/admin/mail", "/app"]) {
        let client = if path.starts_with("/app/cycles") || path.starts_with("/app/admin") {
            &mut t.secretariat
        } else {
            &mut t.aze
        };
        let reply = app.get(client, path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            !reply.body.contains("<script>alert") && !reply.body.contains("<img src=x"),
            "raw hostile text on {path}"
        );
    }
}

/// Held: malformed bodies are clear 4xx answers, never a 5xx.
#[tokio::test]
async fn malformed_bodies_are_refused_with_a_clear_error() {
    let t = TwoParties::new().await;
    let app = &t.app;
    let bearer = format!("Bearer {}", t.aze_token);
    for (method, path, body) in [
        ("PUT", "/api/v1/drafts/AZE/2028", "{"),
        ("PUT", "/api/v1/drafts/AZE/2028", r#"{"base_revision": "x", "document": {}}"#),
        ("PUT", "/api/v1/drafts/AZE/2028", r#"{"base_revision": 99999999999999999999, "document": {}}"#),
        ("PUT", "/api/v1/drafts/AZE/2028", r#"{"base_revision": 1, "document": {"answers": []}}"#),
        ("PUT", "/api/v1/drafts/AZE/2028", "\u{0}\u{1}"),
        ("POST", "/api/v1/drafts/AZE/2028/comments", r#"{"body": 5}"#),
        ("POST", "/api/v1/drafts/AZE/2028/members", r#"{"email": ["a@b.org"]}"#),
        ("POST", "/api/v1/drafts/AZE/2028/decision", r#"{"decision": "explode"}"#),
        ("POST", "/api/v1/cycles", r#"{"year": 1e999}"#),
    ] {
        let reply = app
            .send(
                &mut Client::default(),
                method,
                path,
                Some("application/json"),
                body.as_bytes().to_vec(),
                &[("authorization", &bearer)],
            )
            .await;
        assert!(reply.status.is_client_error(), "{method} {path} {body:?}: {} {}", reply.status, reply.body);
        assert!(reply.json()["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", reply.body);
    }
    let too_big = vec![b' '; 3 * 1024 * 1024];
    let reply = app
        .send(
            &mut Client::default(),
            "PUT",
            "/api/v1/drafts/AZE/2028",
            Some("application/json"),
            too_big,
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body.chars().take(200).collect::<String>());
}

/// Ids in paths and form fields are parsed once into the store's typed ids: text that is not
/// a number names nothing in a path (404) and is a refused field in a form (422), never a 500.
#[tokio::test]
async fn ids_that_are_not_numbers_are_not_found_or_refused() {
    let mut t = TwoParties::new().await;
    let app = &t.app;
    for path in ["/api/v1/drafts/AZE/2028/members/abc", "/api/v1/drafts/AZE/2028/cso-invitations/1x"] {
        let reply = app.api(&t.aze_token, "DELETE", path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.body);
    }
    let page = "/app/reports/AZE/2028";
    for (action, fields) in [
        (format!("{page}/comments"), [("resolve", "one"), ("body", "")]),
        (format!("{page}/comments"), [("parent", "1.5"), ("body", "A reply.")]),
        (format!("{page}/members"), [("action", "remove"), ("user", "me")]),
        (format!("{page}/cso"), [("action", "revoke"), ("invitation", "x")]),
    ] {
        let reply = app.submit(&mut t.aze, page, &action, &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{action} {fields:?}: {}", reply.body);
    }
}
