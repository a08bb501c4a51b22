//! The authorization matrix: every workspace route × every role — anonymous, a CSO holding its
//! link, a contributor limited to one section, the focal point of another Party, the Party's
//! focal point, the Secretariat. Nobody reads or writes what is not theirs: another Party's
//! draft is a 404, a role without the right gets a 403, a visitor is sent to sign in (401 on the
//! API). Writes carry valid tokens and valid input, so a refusal can only come from the rules.

// Test helpers are plain functions, so clippy's test exemption misses them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Client, Reply, TestApp, link_in};
use axum::http::StatusCode;
use qpr_store::MembershipRole;

/// The roles, in the order of the expectation strings.
const ROLES: [&str; 6] = ["anonymous", "cso link", "contributor", "other Party", "focal point", "Secretariat"];

/// What a role gets: `L` sign in first (login redirect, or 401 on the API), `N` not found,
/// `F` forbidden, `A` allowed (anything else: 2xx, a redirect elsewhere, or a 409/422 that says
/// the request itself cannot be done now).
fn outcome(reply: &Reply) -> char {
    match reply.status {
        StatusCode::UNAUTHORIZED => 'L',
        StatusCode::SEE_OTHER if reply.location().starts_with("/login") => 'L',
        StatusCode::NOT_FOUND => 'N',
        StatusCode::FORBIDDEN => 'F',
        _ => 'A',
    }
}

/// One request of the matrix.
struct Route {
    method: &'static str,
    path: String,
    /// Form fields (pages) or a JSON body (API).
    body: Body,
    expected: &'static str,
}

enum Body {
    None,
    Form(Vec<(&'static str, String)>),
    Json(serde_json::Value),
}

fn get(path: impl Into<String>, expected: &'static str) -> Route {
    Route { method: "GET", path: path.into(), body: Body::None, expected }
}

fn post(path: impl Into<String>, form: &[(&'static str, &str)], expected: &'static str) -> Route {
    Route {
        method: "POST",
        path: path.into(),
        body: Body::Form(form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()),
        expected,
    }
}

fn json(method: &'static str, path: impl Into<String>, body: serde_json::Value, expected: &'static str) -> Route {
    Route { method, path: path.into(), body: Body::Json(body), expected }
}

/// Sends a route as `client`, with the form token of its session (or of its CSRF cookie).
async fn send(app: &TestApp, client: &mut Client, route: &Route) -> Reply {
    // Any page gives the client its form token (a session's, or a visitor's cookie).
    let csrf = app.get(client, "/login").await;
    let token =
        if csrf.body.contains(r#"name="csrf""#) { csrf.csrf() } else { app.get(client, "/app/account").await.csrf() };
    match &route.body {
        Body::None => app.send(client, route.method, &route.path, None, Vec::new(), &[]).await,
        Body::Form(fields) => {
            let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
            all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            app.post_form(client, &route.path, &all).await
        }
        Body::Json(value) => {
            let body = value.to_string().into_bytes();
            app.send(client, route.method, &route.path, Some("application/json"), body, &[("x-csrf-token", &token)])
                .await
        }
    }
}

#[tokio::test]
async fn every_route_for_every_role() {
    let app = TestApp::new().await;
    let mut secretariat = app.sign_in("sec@unesco.test", None).await;
    app.open_cycle(&mut secretariat, "AZE FRA").await;
    let mut focal = app.sign_in("fp@culture.gov.az", Some(("AZE", MembershipRole::FocalPoint, None))).await;
    let contributor = app
        .sign_in(
            "stats@culture.gov.az",
            Some(("AZE", MembershipRole::Contributor, Some(vec!["cultural_creative_sectors".into()]))),
        )
        .await;
    let other = app.sign_in("fp@culture.gouv.fr", Some(("FRA", MembershipRole::FocalPoint, None))).await;
    let invited = app
        .submit(
            &mut focal,
            "/app/reports/AZE/2028/cso",
            "/app/reports/AZE/2028/cso",
            &[("action", "invite"), ("organization", "Arts Union")],
        )
        .await;
    let cso_link = link_in(&invited.body, "http://qpr.test/cso/")
        .trim_end_matches("</code></p>")
        .trim_start_matches("http://qpr.test")
        .to_owned();
    let mut cso = Client::default();
    assert_eq!(app.get(&mut cso, &cso_link).await.status, StatusCode::OK);
    let base = app.get(&mut focal, "/api/v1/drafts/AZE/2028").await.json()["revision"].as_i64().unwrap().to_string();
    let document = app.get(&mut focal, "/api/v1/drafts/AZE/2028").await.json()["document"].clone();

    let report = "/app/reports/AZE/2028";
    let api = "/api/v1/drafts/AZE/2028";
    let routes = vec![
        //                                                                       anon, cso, contributor, other, focal, Secretariat
        get("/app", "LLAAAA"),
        get("/app/account", "LLAAAA"),
        get("/app/cycles", "LLFFFA"),
        get("/app/cycles/2028", "LLFFFA"),
        get("/app/admin/mail", "LLFFFA"),
        post("/app/cycles/2028/focal-points", &[("party", "AZE"), ("email", "deputy@culture.gov.az")], "LLFFFA"),
        get(report, "LLANAA"),
        get(format!("{report}/sections/general-information"), "LLNNAA"),
        get(format!("{report}/sections/cultural-creative-sectors"), "LLANAA"),
        post(
            format!("{report}/sections/general-information"),
            &[("base_revision", &base), ("a.gi_consultation_process", "x")],
            "LLNNAF",
        ),
        post(format!("{report}/sections/cultural-creative-sectors"), &[("base_revision", &base)], "LLANAF"),
        post(format!("{report}/members"), &[("action", "invite"), ("email", "new@culture.gov.az")], "LLFNAF"),
        get(format!("{report}/history"), "LLANAA"),
        get(format!("{report}/draft.pdf"), "LLANAA"),
        get(format!("{report}/annexes"), "LLFNAA"),
        get(format!("{report}/workbook"), "LLFNAA"),
        get(format!("{report}/cso"), "LLFNAA"),
        post(format!("{report}/cso"), &[("action", "invite"), ("organization", "Film Guild")], "LLFNAF"),
        get(format!("{report}/submit"), "LLFNAF"),
        get(format!("{report}/review"), "LLFNAA"),
        post(format!("{report}/comments"), &[("field", "answers.gi_consultation_process"), ("body", "Why?")], "LLFNAA"),
        post(format!("{report}/decision"), &[("decision", "accept")], "LLFNFA"),
        // The Secretariat only (a draft: refused for its state, 409, after the authorization).
        post(format!("{report}/translations"), &[("lang", "fr"), ("text", "Résumé.")], "LLFNFA"),
        post(format!("{report}/prefill"), &[], "LLFNAF"),
        get(cso_link.clone(), "AAAAAA"),
        get("/cso/0000", "NNNNNN"),
        get("/api/v1/me", "LLAAAA"),
        get("/api/v1/cycles/2028/status", "LLFFFA"),
        get(api, "LLFNAA"),
        json(
            "PUT",
            api,
            serde_json::json!({"base_revision": base.parse::<i64>().unwrap(), "document": document}),
            "LLFNAF",
        ),
        get(format!("{api}/revisions"), "LLANAA"),
        get(format!("{api}/comments"), "LLFNAA"),
        get(format!("{api}/cso-invitations"), "LLFNAA"),
        get(format!("{api}/annexes"), "LLFNAA"),
        get(format!("{api}/workbook"), "LLFNAA"),
        json("POST", format!("{api}/members"), serde_json::json!({"email": "api@culture.gov.az"}), "LLFNAF"),
        json("POST", format!("{api}/decision"), serde_json::json!({"decision": "accept"}), "LLFNFA"),
    ];
    let mut clients = [Client::default(), cso, contributor, other, focal, secretariat];
    let mut wrong = Vec::new();
    for route in &routes {
        let mut seen = String::new();
        for (i, client) in clients.iter_mut().enumerate() {
            let reply = send(&app, client, route).await;
            let got = outcome(&reply);
            seen.push(got);
            if got != route.expected.chars().nth(i).unwrap() {
                wrong.push(format!(
                    "{} {} as {}: got {got} ({}) {}",
                    route.method,
                    route.path,
                    ROLES[i],
                    reply.status,
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
        }
        assert_eq!(seen.len(), ROLES.len());
    }
    assert!(wrong.is_empty(), "{} unexpected answers:\n{}", wrong.len(), wrong.join("\n"));
}
