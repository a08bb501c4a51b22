//! The workspace through its pages and its API, in-process: signing in, password links, the
//! login throttle, CSRF, cycles and the status board, the Party's team, API tokens.

// The two-engine tests are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, PASSWORD, TestApp, link_in};
use axum::http::StatusCode;
use qpr_store::MembershipRole;
use qpr_test_support::{Engine, on_both_engines};
use serde_json::json;

#[tokio::test]
async fn a_visitor_is_sent_to_the_login_page_and_back_after_signing_in() {
    let app = TestApp::new().await;
    let mut visitor = Client::default();
    let reply = app.get(&mut visitor, "/app/cycles").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/login?next=/app/cycles");
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let reply = app.get(&mut secretariat, "/app/cycles").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Open a reporting cycle"));
    assert_eq!(
        app.submit(
            &mut visitor,
            "/login?next=//evil.test",
            "/login",
            &[("email", "sec@unesco.test"), ("password", PASSWORD), ("next", "//evil.test")]
        )
        .await
        .location(),
        "/app",
        "no open redirect"
    );
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_throttled_per_account() {
    let app = TestApp::new().await;
    app.sign_in("fp@culture.test", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let mut guesser = Client::default();
    for attempt in 0..5 {
        let reply = app
            .submit(&mut guesser, "/login", "/login", &[("email", "fp@culture.test"), ("password", "wrong password!")])
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert!(reply.body.contains("The e-mail address or the password is not right."));
    }
    let reply =
        app.submit(&mut guesser, "/login", "/login", &[("email", "FP@culture.test"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits out the window");
    let unknown =
        app.submit(&mut guesser, "/login", "/login", &[("email", "nobody@x.test"), ("password", PASSWORD)]).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "an unknown account answers like a wrong password");
}

/// Issue 15: the account page changes the password: the current one, the new one twice, under
/// the rules of the reset; a change ends the sessions (sign in again) and is in the audit log.
#[tokio::test]
async fn the_account_page_changes_the_password() {
    let app = TestApp::new().await;
    let mut focal = app.sign_in("fp@culture.test", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = app.get(&mut focal, "/app/account").await;
    assert!(page.body.contains(r#"autocomplete="current-password""#), "{}", page.body);
    let new = "a brand new long passphrase";
    let change = |current: &'static str, password: &'static str, confirm: &'static str| {
        [("action", "password"), ("current", current), ("password", password), ("confirm", confirm)]
    };
    let wrong = app.submit(&mut focal, "/app/account", "/app/account", &change("not mine at all", new, new)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The current password is not right. The password was not changed."), "{}", wrong.body);
    let short = app.submit(&mut focal, "/app/account", "/app/account", &change(PASSWORD, "short", "short")).await;
    assert!(short.body.contains("The password is too short: use at least 12 characters."), "{}", short.body);
    let differ =
        app.submit(&mut focal, "/app/account", "/app/account", &change(PASSWORD, new, "another passphrase")).await;
    assert!(differ.body.contains("The two passwords are not the same."), "{}", differ.body);
    let french = app
        .submit(&mut focal, "/app/account?lang=fr", "/app/account?lang=fr", &change("not mine at all", new, new))
        .await;
    assert!(french.body.contains("Le mot de passe actuel n&#39;est pas correct."), "{}", french.body);

    let changed = app.submit(&mut focal, "/app/account", "/app/account", &change(PASSWORD, new, new)).await;
    assert_eq!(changed.location(), "/login?done=password", "{}", changed.body);
    assert!(app.get(&mut focal, "/app").await.location().starts_with("/login"), "the session ended");
    let mut client = Client::default();
    let old =
        app.submit(&mut client, "/login", "/login", &[("email", "fp@culture.test"), ("password", PASSWORD)]).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "the old password no longer works");
    app.log_in(&mut client, "fp@culture.test", new).await;
    let log = app.store.audit_entries().await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "user.password_set").count(), 2, "the first password and the change");
}

/// Logs in with a wrong password for `email`; the status.
async fn wrong_login(app: &TestApp, client: &mut Client, email: &str) -> StatusCode {
    app.submit(client, "/login", "/login", &[("email", email), ("password", "wrong password!")]).await.status
}

/// A site behind a reverse proxy at 10.0.0.1 (issue 12, finding 4).
async fn behind_a_proxy() -> TestApp {
    let proxies = qpr_web::TrustedProxies::parse_list("10.0.0.0/8").unwrap();
    TestApp::with_settings(Engine::Sqlite, qpr_web::SiteSettings::new("http://qpr.test").with_trusted_proxies(proxies))
        .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_address_throttle_counts_each_forwarded_client() {
    let app = behind_a_proxy().await;
    app.sign_in("b@culture.test", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    // 20 failures from user A (on several accounts: each account stops at 5) through the proxy.
    let mut a = Client::from_peer("10.0.0.1:40000", &[("x-forwarded-for", "198.51.100.1")]);
    for attempt in 0..20 {
        assert_eq!(
            wrong_login(&app, &mut a, &format!("guess{}@x.test", attempt % 4)).await,
            StatusCode::UNAUTHORIZED,
            "{attempt}"
        );
    }
    assert_eq!(
        wrong_login(&app, &mut a, "another@x.test").await,
        StatusCode::TOO_MANY_REQUESTS,
        "A's address is throttled"
    );
    // A header A writes itself stays left of what the proxy appends: A is still A.
    let mut a_spoofing = Client::from_peer("10.0.0.1:40001", &[("x-forwarded-for", "203.0.113.9, 198.51.100.1")]);
    assert_eq!(wrong_login(&app, &mut a_spoofing, "another@x.test").await, StatusCode::TOO_MANY_REQUESTS);
    let mut a_forwarded =
        Client::from_peer("10.0.0.1:40002", &[("forwarded", "for=\"198.51.100.1:5000\";proto=https")]);
    assert_eq!(wrong_login(&app, &mut a_forwarded, "another@x.test").await, StatusCode::TOO_MANY_REQUESTS);
    // User B through the same proxy, from another address, signs in.
    let mut b = Client::from_peer("10.0.0.1:40003", &[("x-forwarded-for", "198.51.100.2")]);
    app.log_in(&mut b, "b@culture.test", PASSWORD).await;
    let mut b_v6 = Client::from_peer("10.0.0.1:40004", &[("forwarded", "for=\"[2001:db8::2]:4711\"")]);
    app.log_in(&mut b_v6, "b@culture.test", PASSWORD).await;
}

#[tokio::test]
async fn forwarding_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored() {
    let app = behind_a_proxy().await;
    app.sign_in("b@culture.test", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    for attempt in 0..20 {
        // A new made-up address each time: ignored, the peer is counted.
        let mut guesser =
            Client::from_peer("203.0.113.5:40000", &[("x-forwarded-for", &format!("198.51.100.{attempt}"))]);
        assert_eq!(
            wrong_login(&app, &mut guesser, &format!("guess{}@x.test", attempt % 4)).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let mut guesser = Client::from_peer("203.0.113.5:40001", &[("forwarded", "for=198.51.100.77")]);
    assert_eq!(wrong_login(&app, &mut guesser, "another@x.test").await, StatusCode::TOO_MANY_REQUESTS);
    // Another peer is not affected.
    let mut b = Client::from_peer("203.0.113.6:40000", &[]);
    app.log_in(&mut b, "b@culture.test", PASSWORD).await;
}

#[tokio::test]
async fn the_health_check_pings_the_database_without_a_session() {
    let app = TestApp::new().await;
    let reply = app.get(&mut Client::default(), "/healthz").await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "ok"));
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert!(reply.headers["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert!(!reply.headers.contains_key("set-cookie"));
    app.store.close().await;
    let reply = app.get(&mut Client::default(), "/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.body.starts_with("database unavailable"), "{}", reply.body);
    assert_eq!(reply.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn the_json_health_check_and_the_metrics_say_where_the_node_stands() {
    let app = TestApp::new().await;
    let reply = app.get(&mut Client::default(), "/healthz?format=json").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let health = reply.json();
    assert_eq!((health["status"].as_str(), health["database"].as_str()), (Some("ok"), Some("ok")), "{health}");
    let (head, applied) = (health["outbox_head"].as_i64().unwrap(), health["index_applied"].as_i64().unwrap());
    assert_eq!(health["index_lag"].as_i64(), Some((head - applied).max(0)), "{health}");
    // The metrics: from loopback without proxy headers only (no token configured here).
    let mut local = Client::from_peer("127.0.0.1:40000", &[]);
    app.get(&mut local, "/reports").await;
    let metrics = app.get(&mut local, "/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.headers["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let reports = r#"qpr_http_request_duration_seconds_count{route="/reports",method="GET"} 1"#;
    assert!(metrics.body.lines().any(|line| line == reports), "{}", metrics.body);
    assert!(metrics.body.contains(&format!("qpr_outbox_head {head}\n")), "{}", metrics.body);
    for mut stranger in [
        Client::default(),
        Client::from_peer("203.0.113.5:40001", &[]),
        Client::from_peer("127.0.0.1:40002", &[("x-forwarded-for", "203.0.113.5")]),
        Client::from_peer("127.0.0.1:40003", &[("forwarded", "for=203.0.113.5")]),
    ] {
        assert_eq!(app.get(&mut stranger, "/metrics").await.status, StatusCode::NOT_FOUND);
    }
    app.store.close().await;
    let reply = app.get(&mut Client::default(), "/healthz?format=json").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.json()["status"], "unavailable");
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_another_site_write_nothing() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let form = [("year", "2028"), ("framework", "qpr-2020"), ("deadline", "2028-04-30"), ("parties", "AZE")];
    let reply = app.post_form(&mut secretariat, "/app/cycles", &form).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut with_token = vec![("csrf", "0".repeat(64))];
    with_token.extend(form.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let fields: Vec<(&str, &str)> = with_token.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post_form(&mut secretariat, "/app/cycles", &fields).await.status,
        StatusCode::FORBIDDEN,
        "a wrong token"
    );
    let csrf = app.get(&mut secretariat, "/app/cycles").await.csrf();
    let mut body = vec![("csrf", csrf.as_str())];
    body.extend_from_slice(&form);
    let encoded = body.iter().map(|(k, v)| format!("{k}={}", crate::support::encode(v))).collect::<Vec<_>>().join("&");
    let cross = app
        .send(
            &mut secretariat,
            "POST",
            "/app/cycles",
            Some("application/x-www-form-urlencoded"),
            encoded.into_bytes(),
            &[("origin", "https://evil.test"), ("host", "qpr.test")],
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN, "another site's page cannot post with the victim's cookies");
    assert!(app.store.cycles().await.unwrap().is_empty(), "nothing was written");
}

async fn cycle_board_and_focal_point(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let form = [("year", "2028"), ("framework", "qpr-2020"), ("deadline", "2028-04-30"), ("parties", "AZE, fra ZWE")];
    let reply = app.submit(&mut secretariat, "/app/cycles", "/app/cycles", &form).await;
    assert_eq!(reply.location(), "/app/cycles/2028", "{}", reply.body);
    let board = app.get(&mut secretariat, "/app/cycles/2028").await;
    assert_eq!(board.status, StatusCode::OK);
    for party in ["Azerbaijan", "France", "Zimbabwe"] {
        assert!(board.body.contains(party), "{party} on the board");
    }
    assert!(board.body.contains("Not started: <strong>3</strong>"), "{}", board.body);
    let bad = app
        .submit(
            &mut secretariat,
            "/app/cycles",
            "/app/cycles",
            &[("year", "2029"), ("framework", "qpr-2020"), ("deadline", "30/04/2029")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Submission deadline: `30/04/2029` is not a date written YYYY-MM-DD."), "{}", bad.body);

    let invite = app
        .submit(
            &mut secretariat,
            "/app/cycles/2028",
            "/app/cycles/2028/focal-points",
            &[("party", "AZE"), ("email", "fp@culture.gov.az"), ("name", "Leyla")],
        )
        .await;
    assert!(invite.body.contains("An invitation was sent to fp@culture.gov.az."), "{}", invite.body);
    let mail = &app.mails()[0];
    assert_eq!(mail.to, "fp@culture.gov.az");
    let link = link_in(&mail.body, "http://qpr.test/password/set/");
    let mut focal = Client::default();
    let path = link.trim_start_matches("http://qpr.test");
    let set = app.submit(&mut focal, path, path, &[("password", "short"), ("confirm", "short")]).await;
    assert!(set.body.contains("at least 12 characters"), "{}", set.body);
    app.submit(&mut focal, path, path, &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    let again = app.get(&mut focal, path).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "the link works once");
    app.log_in(&mut focal, "fp@culture.gov.az", PASSWORD).await;
    let dashboard = app.get(&mut focal, "/app").await;
    assert!(dashboard.body.contains(r#"<a href="/app/reports/AZE/2028">Azerbaijan</a>"#), "{}", dashboard.body);
    assert_eq!(
        app.get(&mut focal, "/app/reports/FRA/2028").await.status,
        StatusCode::NOT_FOUND,
        "another Party's draft does not exist for them"
    );
    assert_eq!(app.get(&mut focal, "/app/cycles/2028").await.status, StatusCode::FORBIDDEN);

    // Issue 15: the new draft starts with what the platform knows of the Party: its name and
    // the date its instrument was deposited (parties.csv), shown in the form.
    let draft = app.get(&mut focal, "/api/v1/drafts/AZE/2028").await.json();
    assert_eq!(draft["document"]["answers"]["gi_party_name"], "Azerbaijan");
    assert_eq!(draft["document"]["answers"]["gi_ratification_date"], "2010-02-15");
    let section = app.get(&mut focal, "/app/reports/AZE/2028/sections/general-information").await;
    assert!(section.body.contains(r#"value="2010-02-15""#), "{}", section.body);
    assert!(section.body.contains(r#"selected>Azerbaijan</option>"#), "{}", section.body);
}

async fn the_focal_point_builds_the_team(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = "/app/reports/AZE/2028";
    let reply = app
        .submit(
            &mut focal,
            page,
            "/app/reports/AZE/2028/members",
            &[
                ("action", "invite"),
                ("email", "stats@culture.gov.az"),
                ("name", "Statistician"),
                ("section", "cultural_creative_sectors"),
            ],
        )
        .await;
    assert!(reply.body.contains("An invitation was sent to stats@culture.gov.az."), "{}", reply.body);
    let member = app.store.user_by_email("stats@culture.gov.az").await.unwrap().unwrap();
    let roles = app.store.memberships(member.id).await.unwrap();
    assert_eq!(roles[0].sections.as_deref(), Some(&["cultural_creative_sectors".to_owned()][..]));
    let unknown = app
        .submit(
            &mut focal,
            page,
            "/app/reports/AZE/2028/members",
            &[("action", "invite"), ("email", "x@y.test"), ("section", "nope")],
        )
        .await;
    assert!(unknown.body.contains("Sections: `nope` is not one of the values this field takes"), "{}", unknown.body);

    // The contributor sees only their section, and cannot manage the team.
    let link = link_in(&app.mails()[0].body, "http://qpr.test/password/set/");
    let mut contributor = Client::default();
    let path = link.trim_start_matches("http://qpr.test");
    app.submit(&mut contributor, path, path, &[("password", PASSWORD), ("confirm", PASSWORD)]).await;
    app.log_in(&mut contributor, "stats@culture.gov.az", PASSWORD).await;
    let overview = app.get(&mut contributor, page).await;
    assert!(
        overview.body.contains("/sections/cultural-creative-sectors")
            && !overview.body.contains("/sections/general-information"),
        "{}",
        overview.body
    );
    let forbidden = app
        .submit(
            &mut contributor,
            page,
            "/app/reports/AZE/2028/members",
            &[("action", "remove"), ("user", &member.id.to_string())],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let removed = app
        .submit(
            &mut focal,
            page,
            "/app/reports/AZE/2028/members",
            &[("action", "remove"), ("user", &member.id.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(app.store.memberships(member.id).await.unwrap().is_empty());
    assert_eq!(
        app.get(&mut contributor, page).await.status,
        StatusCode::NOT_FOUND,
        "a removed contributor loses the report at once"
    );
}

on_both_engines!(
    cycle_board_and_focal_point,
    the_focal_point_builds_the_team,
    sections_are_edited_as_plain_forms_and_autosaved
);

#[tokio::test]
async fn the_whole_setup_runs_through_the_api_with_a_token() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    let reply = app
        .submit(&mut secretariat, "/app/account", "/app/account", &[("action", "create"), ("label", "scripts")])
        .await;
    let token = link_in(&reply.body, "qpr_");
    let token = token.trim_end_matches("</code></p>");
    assert_eq!(app.api(token, "GET", "/api/v1/me", None).await.json()["secretariat"], true);
    let opened = app
        .api(
            token,
            "POST",
            "/api/v1/cycles",
            Some(json!({"year": 2028, "framework": "qpr-2020", "deadline": "2028-04-30", "parties": ["AZE"]})),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
    assert_eq!(opened.json()["reports"], 1);
    let invited = app
        .api(
            token,
            "POST",
            "/api/v1/cycles/2028/focal-points",
            Some(json!({"party": "AZE", "email": "fp@culture.gov.az"})),
        )
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let status = app.api(token, "GET", "/api/v1/cycles/2028/status", None).await.json();
    assert_eq!(status["parties"][0]["status"], "not_started");
    let bad = app.api(token, "POST", "/api/v1/cycles", Some(json!({"year": "soon"}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json()["error"]["message"].as_str().unwrap().contains("Request body: it could not be read"),
        "{}",
        bad.body
    );
    assert_eq!(app.api("qpr_forged", "GET", "/api/v1/me", None).await.status, StatusCode::UNAUTHORIZED);

    // The focal point drafts through the API: a save, then a stale save of the same field.
    let mut focal = app.sign_in("fp2@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let reply =
        app.submit(&mut focal, "/app/account", "/app/account", &[("action", "create"), ("label", "laptop")]).await;
    let focal_token = link_in(&reply.body, "qpr_").trim_end_matches("</code></p>").to_owned();
    let draft = app.api(&focal_token, "GET", "/api/v1/drafts/AZE/2028", None).await.json();
    let base = draft["revision"].as_i64().unwrap();
    let mut document = draft["document"].clone();
    document["answers"]["gi_consultation_process"] = json!("Our summary.");
    let saved = app
        .api(&focal_token, "PUT", "/api/v1/drafts/AZE/2028", Some(json!({"base_revision": base, "document": document})))
        .await;
    assert_eq!(saved.json()["status"], "saved", "{}", saved.body);
    document["answers"]["gi_consultation_process"] = json!("Another summary.");
    let stale = app
        .api(&focal_token, "PUT", "/api/v1/drafts/AZE/2028", Some(json!({"base_revision": base, "document": document})))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let conflict = stale.json();
    assert_eq!(conflict["conflicts"][0]["yours"], "Another summary.");
    assert_eq!(conflict["conflicts"][0]["theirs"], "Our summary.");
    assert_eq!(app.api(&focal_token, "GET", "/api/v1/cycles/2028/status", None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.api(&focal_token, "GET", "/api/v1/drafts/FRA/2028", None).await.status, StatusCode::NOT_FOUND);
}

async fn sections_are_edited_as_plain_forms_and_autosaved(engine: Engine) {
    let app = TestApp::on(engine).await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let page = "/app/reports/AZE/2028/sections/general-information";
    let form = app.get(&mut focal, page).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let base = form.body.split(r#"name="base_revision" value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    // A plain form post (no JavaScript): saved, then the page again.
    let saved = app
        .submit(
            &mut focal,
            page,
            page,
            &[("base_revision", &base), ("a.gi_consultation_process", "Two meetings with CSOs.")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(app.get(&mut focal, saved.location()).await.body.contains("Two meetings with CSOs."));
    // An autosave of the same field from the old page: a conflict with both values, nothing overwritten.
    let csrf = form.csrf();
    let body = format!("csrf={csrf}&base_revision={base}&a.gi_consultation_process=Three+meetings.");
    let conflict = app
        .send(
            &mut focal,
            "POST",
            page,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    let answer = conflict.json();
    assert_eq!(
        (answer["conflicts"][0]["yours"].as_str(), answer["conflicts"][0]["theirs"].as_str()),
        (Some("Three meetings."), Some("Two meetings with CSOs."))
    );
    assert_eq!(answer["conflicts"][0]["name"], "a.gi_consultation_process");
    // Without JavaScript the same conflict shows both values on the page.
    let html = app
        .submit(&mut focal, page, page, &[("base_revision", &base), ("a.gi_consultation_process", "Three meetings.")])
        .await;
    assert_eq!(html.status, StatusCode::CONFLICT);
    assert!(
        html.body.contains("What you typed: Three meetings.")
            && html.body.contains("Now saved: Two meetings with CSOs."),
        "{}",
        html.body
    );
    // A contributor limited to another section cannot see or post this one.
    let mut contributor = app
        .sign_in(
            "stats@culture.gov.az",
            Some(("AZE", MembershipRole::Contributor, Some(vec!["cultural_creative_sectors".into()]))),
        )
        .await;
    assert_eq!(app.get(&mut contributor, page).await.status, StatusCode::NOT_FOUND);
    let own = "/app/reports/AZE/2028/sections/cultural-creative-sectors";
    assert_eq!(app.get(&mut contributor, own).await.status, StatusCode::OK);
    let sneaky =
        app.submit(&mut contributor, own, page, &[("base_revision", &base), ("a.gi_consultation_process", "x")]).await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND);
    // Adding a measure with two partners through the buttons.
    let area = "/app/reports/AZE/2028/sections/cultural-creative-sectors";
    let page_now = app.get(&mut focal, area).await;
    let base =
        page_now.body.split(r#"name="base_revision" value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    let added =
        app.submit(&mut focal, area, area, &[("base_revision", &base), ("action", "add:a.g1_ccs_measures")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let report = app.store.report_by_key("AZE", 2028).await.unwrap().unwrap();
    let (_, document) = app.store.revision(report.current_revision.unwrap()).await.unwrap();
    assert_eq!(document.policy_measures.len(), 1, "one new measure");
}

/// The API's description is served as JSON (OpenAPI 3.1) and as a page for people, in both
/// languages, with every operation of the description on the page.
#[tokio::test]
async fn the_api_is_described_as_openapi_and_as_a_page() {
    let app = TestApp::new().await;
    let mut visitor = Client::default();
    let description = app.get(&mut visitor, "/api/v1/openapi.json").await;
    assert_eq!(description.status, StatusCode::OK);
    assert_eq!(description.headers["content-type"], "application/json");
    let description = description.json();
    assert_eq!(description["openapi"], "3.1.0");
    let paths = description["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/drafts/{iso3}/{year}") && paths.contains_key("/api/v1/measures"), "{paths:?}");
    for lang in ["en", "fr"] {
        let page = app.get(&mut visitor, &format!("/api/v1/docs?lang={lang}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!(r#"<html lang="{lang}""#)), "{lang}");
        for path in paths.keys() {
            assert!(page.body.contains(&format!("{path}</code>")), "{path} missing from the page");
        }
    }
}
