//! Three `qpr serve` on one PostgreSQL database behind nginx (issue 19): the real binary, the
//! real nginx (Debian's; `scripts/lib/ensure-nginx.sh` installs it, `QPR_TEST_NGINX` names
//! it) with the repository's own proxy settings (`deploy/nginx/qpr-proxy.conf`, included as
//! it is), as an unprivileged process on free loopback ports with a temporary prefix.
//!
//! - An API journey (a Secretariat member from `qpr user add` through password, login, token,
//!   cycle, focal point; the focal point's password, login, token, draft, signature; the
//!   decisions) whose every request lands on another node than the one before: each response
//!   names its node (`X-Qpr-Node`), so sessions, CSRF tokens, tokens, mails' links and the
//!   signing key are shown to work across nodes.
//! - The publication is found by the search of every node, each asked directly, within 5 s.
//! - 190 clients autosave (read the draft, change their own answer, save on that revision)
//!   while one node is killed (SIGKILL): every save a client saw acknowledged is in the database
//!   afterwards and every client finishes its saves through the other nodes.
//! - A rolling restart (SIGTERM, wait, start again; node after node) while clients read pages,
//!   search and save: not one request fails.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PASSWORD: &str = "a long passphrase for three nodes";
const YEAR: i32 = 2028;
/// Clients autosaving at once while a node is killed (the 2027 deadline's focal points, issue 19).
const CLIENTS: usize = 190;
/// Saves each of them makes.
const ROUNDS: usize = 4;
/// The answers the clients change, one per client of a report (free text, no condition).
const FIELDS: [&str; 3] = ["gi_consultation_process", "gi_executive_summary", "g1_ccs_gdp_share_disaggregated"];
/// A word no other measure has: the published measure's title carries it.
const WORD: &str = "zanzibarquill";

#[test]
fn three_nodes_behind_nginx_share_one_postgresql_database() {
    let database = qpr_test_support::postgres_url();
    let work = tempfile::tempdir().unwrap();
    let nginx_port = free_port();
    let public_url = format!("http://127.0.0.1:{nginx_port}");
    let mut nodes: Vec<Node> = ["node-a", "node-b", "node-c"]
        .into_iter()
        .map(|name| Node::new(name, work.path(), &database, &public_url))
        .collect();
    // The first node makes the platform key; the others are given the same file, as production
    // nodes are given a copy.
    nodes[0].start();
    let key = nodes[0].data_dir.join("signing-key.pem");
    for node in &mut nodes[1..] {
        node.signing_key = Some(key.clone());
        node.start();
    }
    let nginx = Nginx::start(nginx_port, &nodes.iter().map(|n| n.port).collect::<Vec<_>>());

    let journey = api_journey(&nginx, &nodes, &database);
    let published_at = journey.published_at;
    for node in &nodes {
        search_finds_the_publication(node, published_at);
    }

    let tokens = focal_point_tokens(&database, &key, &journey.parties);
    autosaves_survive_a_killed_node(&nginx, &mut nodes, &tokens);
    a_rolling_restart_fails_no_request(&nginx, &mut nodes, &tokens, &journey.secretariat_token);
    what_each_node_reports(&nginx, &nodes);
    for node in &nodes {
        assert!(!node.log().contains("panicked"), "{} panicked: {}", node.name, node.log());
    }
}

/// `/healthz?format=json` and `/metrics` of each node, asked on the node; `/metrics` through
/// nginx is a 404 (the proxy settings refuse it, and so would the node: a forwarded request).
fn what_each_node_reports(nginx: &Nginx, nodes: &[Node]) {
    let deadline = Instant::now() + Duration::from_secs(30);
    for node in nodes {
        loop {
            let health = request(&node.address(), "GET", "/healthz?format=json", &[], b"").unwrap();
            assert_eq!(health.status, 200, "{health:?}");
            let health = health.json();
            assert_eq!((health["status"].as_str(), health["node"].as_str()), (Some("ok"), Some(node.name)), "{health}");
            assert!(health["outbox_head"].as_i64() >= Some(1), "the publication is in the outbox: {health}");
            if health["index_lag"].as_i64() == Some(0) {
                break;
            }
            assert!(Instant::now() < deadline, "{}'s index does not catch up: {health}", node.name);
            std::thread::sleep(Duration::from_millis(200));
        }
        let metrics = request(&node.address(), "GET", "/metrics", &[], b"").unwrap();
        assert_eq!(metrics.status, 200, "{metrics:?}");
        assert!(metrics.header("content-type").is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
        for line in ["qpr_search_index_lag 0", "qpr_database_up 1", "qpr_save_conflicts_total 0"] {
            assert!(metrics.body.lines().any(|l| l == line), "{}: no `{line}` in {}", node.name, metrics.body);
        }
        // Counters start with the process (each node was restarted): the health checks above.
        assert!(
            metrics.body.contains(r#"qpr_http_request_duration_seconds_count{route="/healthz",method="GET"}"#),
            "{}: requests are timed by route: {}",
            node.name,
            metrics.body
        );
        let forwarded =
            request(&node.address(), "GET", "/metrics", &[("x-forwarded-for", "203.0.113.7")], b"").unwrap();
        assert_eq!(forwarded.status, 404, "a request through a proxy does not read the metrics");
    }
    let public = request(&nginx.address, "GET", "/metrics", &[], b"").unwrap();
    assert_eq!(public.status, 404, "{public:?}");
}

/// What the journey leaves for the next steps.
struct Journey {
    secretariat_token: String,
    /// The Parties with a draft in the cycle, the journey's own (published) left out.
    parties: Vec<String>,
    published_at: Instant,
}

/// A client that checks every answer came from another node than the one before.
struct Walker<'a> {
    nginx: &'a Nginx,
    last_node: Option<String>,
    answered_by: BTreeMap<String, usize>,
    cookies: BTreeMap<String, String>,
}

impl Walker<'_> {
    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if !cookie.is_empty() {
            all.push(("cookie", &cookie));
        }
        let reply = request(&self.nginx.address, method, path, &all, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}; nginx: {}", self.nginx.log()));
        let node = reply.header("x-qpr-node").unwrap_or_else(|| panic!("{method} {path}: no X-Qpr-Node: {reply:?}"));
        assert_ne!(self.last_node.as_deref(), Some(node), "{method} {path} was answered by {node} again");
        self.last_node = Some(node.to_owned());
        *self.answered_by.entry(node.to_owned()).or_default() += 1;
        for (name, value) in &reply.headers {
            if name == "set-cookie"
                && let Some((pair, _)) = value.split_once(';').or(Some((value.as_str(), "")))
                && let Some((k, v)) = pair.split_once('=')
            {
                self.cookies.insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
        reply
    }

    fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, &[], b"")
    }

    /// Posts a form with the CSRF token of the page at `page`.
    fn post_form(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let form = self.get(page);
        let csrf = csrf(&form.body).unwrap_or_else(|| panic!("no form token on {page}: {form:?}"));
        let mut body = vec![("csrf", csrf.as_str())];
        body.extend_from_slice(fields);
        let encoded = body.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        self.send("POST", action, &[("content-type", "application/x-www-form-urlencoded")], encoded.as_bytes())
    }

    fn api(&mut self, token: &str, method: &str, path: &str, body: Option<Value>) -> Reply {
        let bearer = format!("Bearer {token}");
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.send(method, path, &[("authorization", &bearer), ("content-type", "application/json")], body.as_bytes())
    }

    /// A password link, the password, a login and an API token: the person's token.
    fn become_user(&mut self, link: &str, email: &str) -> String {
        self.cookies.clear();
        let path = link.trim_start_matches(&format!("http://{}", self.nginx.address)).to_owned();
        let set = self.post_form(&path, &path, &[("password", PASSWORD), ("confirm", PASSWORD)]);
        assert_eq!(set.status, 303, "{set:?}");
        let login = self.post_form("/login", "/login", &[("email", email), ("password", PASSWORD), ("next", "/app")]);
        assert_eq!(login.status, 303, "{login:?}");
        let created = self.post_form("/app/account", "/app/account", &[("action", "create"), ("label", "nodes")]);
        assert_eq!(created.status, 200, "{created:?}");
        let start = created.body.find("qpr_").unwrap_or_else(|| panic!("no token: {created:?}"));
        created.body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
    }
}

fn api_journey(nginx: &Nginx, nodes: &[Node], database: &str) -> Journey {
    let output = Command::new(env!("CARGO_BIN_EXE_qpr"))
        .args(["--data-dir", nodes[0].data_dir.to_str().unwrap(), "--database", database])
        .args(["user", "add", "--role", "secretariat", "--name", "Secretariat", "sec@unesco.test"])
        .env("QPR_PUBLIC_URL", format!("http://{}", nginx.address))
        .output()
        .unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "qpr user add: {printed}");
    let link = link_in(&printed).unwrap_or_else(|| panic!("no link in: {printed}"));

    let mut walker = Walker { nginx, last_node: None, answered_by: BTreeMap::new(), cookies: BTreeMap::new() };
    let sec = walker.become_user(&link, "sec@unesco.test");
    let opened = walker.api(
        &sec,
        "POST",
        "/api/v1/cycles",
        Some(json!({"year": YEAR, "framework": "qpr-2020", "deadline": "2028-04-30", "parties": []})),
    );
    assert_eq!(opened.status, 201, "{opened:?}");
    let named = walker.api(
        &sec,
        "POST",
        &format!("/api/v1/cycles/{YEAR}/focal-points"),
        Some(json!({"email": "fp@culture.gov.az", "name": "Focal point", "party": "AZE"})),
    );
    assert_eq!(named.status, 201, "{named:?}");
    // The invitation was mailed by whichever node answered, into its own outbox folder.
    let link = nodes
        .iter()
        .flat_map(|node| files_under(&node.data_dir.join("mail-outbox")))
        .filter_map(|file| std::fs::read_to_string(file).ok())
        // Quoted-printable: soft line breaks joined.
        .map(|mail| mail.replace("=\r\n", "").replace("=\n", ""))
        .filter(|mail| mail.contains("fp@culture.gov.az"))
        .find_map(|mail| link_in(&mail))
        .expect("the focal point's password link in a node's mail outbox");
    let focal = walker.become_user(&link, "fp@culture.gov.az");

    let draft = walker.api(&focal, "GET", &format!("/api/v1/drafts/AZE/{YEAR}"), None);
    assert_eq!(draft.status, 200, "{draft:?}");
    let draft = draft.json();
    let saved = walker.api(&focal, "PUT", &format!("/api/v1/drafts/AZE/{YEAR}"), Some(submittable(&draft)));
    assert_eq!(saved.status, 200, "{saved:?}");
    let official = json!({
        "sub_signatory_title": "Mr.",
        "sub_signatory_first_name": "Ramil",
        "sub_signatory_family_name": "Abbakirov",
        "sub_signatory_organization": "Ministry of Culture",
        "sub_signatory_position": "Head of Department",
    });
    let submitted = walker.api(
        &focal,
        "POST",
        &format!("/api/v1/drafts/AZE/{YEAR}/submit"),
        Some(json!({"official": official, "password": PASSWORD})),
    );
    assert_eq!(submitted.status, 200, "signed with the key every node shares: {submitted:?}");
    for decision in ["accept", "publish"] {
        let decided = walker.api(
            &sec,
            "POST",
            &format!("/api/v1/drafts/AZE/{YEAR}/decision"),
            Some(json!({"decision": decision})),
        );
        assert_eq!(decided.status, 200, "{decision}: {decided:?}");
    }
    let published_at = Instant::now();
    let page = walker.get(&format!("/reports/AZE/{YEAR}"));
    assert_eq!(page.status, 200, "{page:?}");
    let status = walker.api(&sec, "GET", &format!("/api/v1/cycles/{YEAR}/status"), None);
    assert_eq!(status.status, 200, "{status:?}");
    let status = status.json();
    let parties: Vec<String> = status["parties"]
        .as_array()
        .unwrap_or_else(|| panic!("no parties in {status}"))
        .iter()
        .map(|r| r["iso3"].as_str().unwrap_or_else(|| panic!("no iso3 in {r}")).to_owned())
        .filter(|party| party != "AZE")
        .collect();
    assert!(parties.len() > 100, "a draft per Party: {parties:?}");
    assert_eq!(walker.answered_by.len(), 3, "every node answered: {:?}", walker.answered_by);
    eprintln!("journey: {} requests answered by {:?}", walker.answered_by.values().sum::<usize>(), walker.answered_by);
    Journey { secretariat_token: sec, parties, published_at }
}

/// The draft of `draft` (the API's answer) with every required answer of the demo report and
/// its measures, the first one titled with [`WORD`]: a save body that can be signed.
fn submittable(draft: &Value) -> Value {
    let framework = qpr_domain::Framework::qpr_2020();
    let demo = qpr_import::import_published(framework, include_str!("../../../../demo/qpr-azerbaijan-2022.txt"))
        .expect("the demo report imports");
    let mut document: qpr_domain::ReportDocument = serde_json::from_value(draft["document"].clone()).unwrap();
    loop {
        let missing: Vec<_> = qpr_domain::validate::missing_required(framework, &document)
            .into_iter()
            .filter(|m| {
                framework
                    .question(&m.question)
                    .is_some_and(|q| q.role.is_none_or(|r| r == qpr_domain::framework::QuestionRole::ExecutiveSummary))
            })
            .collect();
        if missing.is_empty() {
            break;
        }
        for missing in missing {
            let answer = demo.answer(&missing.question).cloned().expect("the demo report answers it");
            document.answers.insert(missing.question, answer);
        }
    }
    document.policy_measures.clone_from(&demo.policy_measures);
    document.policy_measures[0].title = format!("{} ({WORD})", document.policy_measures[0].title);
    json!({"base_revision": draft["revision"], "document": document})
}

fn search_finds_the_publication(node: &Node, published_at: Instant) {
    loop {
        let reply = request(&node.address(), "GET", &format!("/api/v1/measures?q={WORD}"), &[], b"").unwrap();
        assert_eq!(reply.status, 200, "{}: {reply:?}", node.name);
        if reply.json()["total"].as_u64().is_some_and(|total| total >= 1) {
            eprintln!("{} finds the publication {:?} after it", node.name, published_at.elapsed());
            return;
        }
        assert!(
            published_at.elapsed() < Duration::from_secs(5),
            "{} does not find the published measure 5 s after the publication: {reply:?}\nits log: {}",
            node.name,
            node.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A focal point with an API token for each Party, made in the database directly: the tokens
/// are the test's setup, the saves with them are what it tests.
fn focal_point_tokens(database: &str, key: &Path, parties: &[String]) -> Vec<(String, String)> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let key = Arc::new(qpr_signature::PlatformKey::load(key).unwrap());
        let store = qpr_store::Store::open(database).await.unwrap().with_audit_key(key);
        let mut tokens = Vec::new();
        for (i, party) in parties.iter().enumerate() {
            let email = format!("fp-{}@nodes.test", party.to_lowercase());
            let user = store
                .create_user(
                    &qpr_store::NewUser {
                        email: &email,
                        display_name: &email,
                        password_hash: None,
                        is_secretariat: false,
                    },
                    "test",
                )
                .await
                .unwrap();
            let membership = qpr_store::Membership {
                user_id: user,
                party_iso3: party.clone(),
                role: qpr_store::MembershipRole::FocalPoint,
                sections: None,
            };
            store.set_membership(&membership, "test").await.unwrap();
            let token = format!("qpr_{:032x}{:032x}", std::process::id(), i);
            store.create_user_token(user, qpr_store::TokenPurpose::Api, &token, "autosave", None).await.unwrap();
            tokens.push((party.clone(), token));
        }
        store.close().await;
        tokens
    })
}

/// How one client's saves went.
#[derive(Debug, Default)]
struct Saves {
    /// The last value the server acknowledged.
    acknowledged: Option<String>,
    /// Requests that failed (the killed node's), each tried again.
    failed: usize,
    conflicts: usize,
}

/// Reads the draft, sets `field` to `value`, saves on the revision read; until acknowledged.
fn save_until_acknowledged(address: &str, (party, token): (&str, &str), field: &str, value: &str, saves: &mut Saves) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let bearer = format!("Bearer {token}");
    let path = format!("/api/v1/drafts/{party}/{YEAR}");
    let headers = [("authorization", bearer.as_str()), ("content-type", "application/json")];
    loop {
        assert!(Instant::now() < deadline, "{party} {field}: `{value}` not saved within 120 s ({saves:?})");
        let draft = match request(address, "GET", &path, &headers, b"") {
            Ok(reply) if reply.status == 200 => reply.json(),
            _ => {
                saves.failed += 1;
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let mut document = draft["document"].clone();
        document["answers"][field] = json!(value);
        let body = json!({"base_revision": draft["revision"], "document": document}).to_string();
        match request(address, "PUT", &path, &headers, body.as_bytes()) {
            Ok(reply) if reply.status == 200 => {
                saves.acknowledged = Some(value.to_owned());
                return;
            }
            Ok(reply) if reply.status == 409 => saves.conflicts += 1,
            _ => saves.failed += 1,
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn autosaves_survive_a_killed_node(nginx: &Nginx, nodes: &mut [Node], tokens: &[(String, String)]) {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (party, token) = tokens[i % tokens.len()].clone();
            let field = FIELDS[i / tokens.len()];
            let (address, acknowledged) = (nginx.address.clone(), Arc::clone(&acknowledged));
            std::thread::spawn(move || {
                let mut saves = Saves::default();
                for round in 0..ROUNDS {
                    let value = format!("client {i}, save {round}");
                    save_until_acknowledged(&address, (&party, &token), field, &value, &mut saves);
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                (party, field, saves)
            })
        })
        .collect();
    // Once a third of the saves are acknowledged, the second node dies mid-burst.
    let deadline = Instant::now() + Duration::from_secs(300);
    while acknowledged.load(Ordering::SeqCst) < CLIENTS * ROUNDS / 3 {
        assert!(Instant::now() < deadline, "the burst did not get a third through within 300 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    let log_before = nginx.log().lines().count();
    nodes[1].kill();
    let at_kill = acknowledged.load(Ordering::SeqCst);
    let outcomes: Vec<_> = clients.into_iter().map(|client| client.join().unwrap()).collect();
    let failed: usize = outcomes.iter().map(|(_, _, saves)| saves.failed).sum();
    let conflicts: usize = outcomes.iter().map(|(_, _, saves)| saves.conflicts).sum();
    eprintln!(
        "burst: {} saves acknowledged ({at_kill} before the kill), {failed} failed requests tried again",
        acknowledged.load(Ordering::SeqCst)
    );
    let upstream_errors = nginx.log().lines().skip(log_before).filter(|l| l.contains("upstream")).count();
    eprintln!("burst: nginx logged {upstream_errors} errors of upstreams after the kill");
    assert_eq!(conflicts, 0, "each client changes its own answer: merges, never conflicts");
    // Every acknowledged save is in the database: each client's last one is its answer now.
    let node = &nodes[0];
    for (party, token) in tokens {
        let reply = request(
            &node.address(),
            "GET",
            &format!("/api/v1/drafts/{party}/{YEAR}"),
            &[("authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
        assert_eq!(reply.status, 200, "{reply:?}");
        let answers = &reply.json()["document"]["answers"];
        for (_, field, saves) in outcomes.iter().filter(|(p, _, _)| p == party) {
            let expected = saves.acknowledged.as_deref().expect("every client finished");
            assert_eq!(answers[*field].as_str(), Some(expected), "{party} {field}: an acknowledged save was lost");
        }
    }
    nodes[1].start();
}

fn a_rolling_restart_fails_no_request(nginx: &Nginx, nodes: &mut [Node], tokens: &[(String, String)], sec: &str) {
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let answered = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..24)
        .map(|i| {
            let (party, token) = tokens[i].clone();
            let (address, sec) = (nginx.address.clone(), sec.to_owned());
            let (stop, failures, answered) = (Arc::clone(&stop), Arc::clone(&failures), Arc::clone(&answered));
            std::thread::spawn(move || {
                let mut round = 0;
                while !stop.load(Ordering::SeqCst) {
                    let bearer = format!("Bearer {sec}");
                    let (method, path, headers, body): (&str, String, Vec<(&str, &str)>, String) = match round % 4 {
                        0 => ("GET", format!("/reports/AZE/{YEAR}"), vec![], String::new()),
                        1 => ("GET", format!("/api/v1/measures?q={WORD}"), vec![], String::new()),
                        2 => (
                            "GET",
                            format!("/api/v1/cycles/{YEAR}/status"),
                            vec![("authorization", bearer.as_str())],
                            String::new(),
                        ),
                        _ => {
                            let mut saves = Saves::default();
                            save_until_acknowledged(
                                &address,
                                (&party, &token),
                                FIELDS[0],
                                &format!("restart {round}"),
                                &mut saves,
                            );
                            if saves.failed + saves.conflicts > 0 {
                                failures
                                    .lock()
                                    .unwrap()
                                    .push(format!("client {i}: a save needed tries again: {saves:?}"));
                            }
                            answered.fetch_add(2, Ordering::SeqCst);
                            round += 1;
                            continue;
                        }
                    };
                    match request(&address, method, &path, &headers, body.as_bytes()) {
                        Ok(reply) if reply.status == 200 => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        outcome => failures.lock().unwrap().push(format!("{method} {path}: {outcome:?}")),
                    }
                    round += 1;
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    for node in nodes.iter_mut() {
        let before = answered.load(Ordering::SeqCst);
        let status = node.terminate();
        assert!(status.success(), "{} stopped with {status} after SIGTERM: {}", node.name, node.log());
        node.start();
        // Traffic went on meanwhile, and goes on to the restarted node. As an operator does (README,
        // "Running in production"), the next node stops only once nginx counts this one again:
        // it skips a node that failed for `fail_timeout` (5 s), and three skipped at once would
        // leave it no node to send a request to.
        std::thread::sleep(Duration::from_secs(6));
        assert!(answered.load(Ordering::SeqCst) > before, "no request answered while {} restarted", node.name);
    }
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    eprintln!("rolling restart: {} requests answered, {} failed", answered.load(Ordering::SeqCst), failures.len());
    assert!(failures.is_empty(), "requests failed during the rolling restart: {failures:#?}\nnginx: {}", nginx.log());
    for node in nodes.iter() {
        assert!(node.log().contains("waiting for"), "{} drained on SIGTERM: {}", node.name, node.log());
    }
}

/// One `qpr serve` of the three: its own port, data directory (search index, mail outbox) and
/// log; the database and the signing key are shared.
struct Node {
    name: &'static str,
    port: u16,
    data_dir: PathBuf,
    database: String,
    public_url: String,
    signing_key: Option<PathBuf>,
    child: Option<Child>,
}

impl Node {
    fn new(name: &'static str, work: &Path, database: &str, public_url: &str) -> Node {
        Node {
            name,
            port: free_port(),
            data_dir: work.join(name),
            database: database.to_owned(),
            public_url: public_url.to_owned(),
            signing_key: None,
            child: None,
        }
    }

    fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.data_dir.with_extension("log")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Starts the node and waits until its `/healthz` answers `ok`.
    fn start(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.log_path()).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_qpr"));
        command
            .args(["--data-dir", self.data_dir.to_str().unwrap(), "--database", &self.database])
            .args(["serve", "--no-demo", "--listen", &self.address()])
            .env("QPR_NODE_NAME", self.name)
            .env("QPR_TRUSTED_PROXIES", "127.0.0.1")
            .env("QPR_PUBLIC_URL", &self.public_url)
            .env("QPR_DRAIN_TIMEOUT", "20")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log);
        if let Some(key) = &self.signing_key {
            command.arg("--signing-key").arg(key);
        }
        let mut child = command.spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(reply) = request(&self.address(), "GET", "/healthz", &[], b"")
                && reply.status == 200
            {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "{} did not start: {}", self.name, self.log());
            assert!(Instant::now() < deadline, "{} did not answer within 90 s: {}", self.name, self.log());
            std::thread::sleep(Duration::from_millis(100));
        }
        self.child = Some(child);
    }

    /// SIGTERM, and the exit status once it stopped (within the drain timeout and a margin).
    fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the node runs");
        signal(child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "{} did not stop within 40 s of SIGTERM: {}", self.name, self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: the node dies with whatever it was doing.
    fn kill(&mut self) {
        let mut child = self.child.take().expect("the node runs");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill -{name} {pid}");
}

/// nginx as an unprivileged process (`nobody` when the tests run as root), with a temporary
/// prefix, one worker (so its round robin is one sequence the journey can check), the
/// upstream of the three nodes, and `deploy/nginx/qpr-proxy.conf` as the server's settings.
struct Nginx {
    address: String,
    dir: PathBuf,
    /// A shell that runs nginx and stops it when this test process is gone.
    watchdog: Child,
    _temp: tempfile::TempDir,
}

impl Nginx {
    fn start(port: u16, upstreams: &[u16]) -> Nginx {
        let binary = std::env::var("QPR_TEST_NGINX")
            .ok()
            .filter(|path| !path.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].map(PathBuf::from).into_iter().find(|p| p.is_file())
            })
            .unwrap_or_else(|| {
                panic!(
                    "nginx not found: install Debian's nginx (scripts/lib/ensure-nginx.sh does) or set QPR_TEST_NGINX"
                )
            });
        let temp = tempfile::Builder::new().prefix("qpr-test-nginx-").tempdir().unwrap();
        let dir = temp.path().to_owned();
        let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx");
        std::fs::copy(deploy.join("qpr-proxy.conf"), dir.join("qpr-proxy.conf")).unwrap();
        // The http-level lines the proxy settings need, as the site file has them.
        let site = std::fs::read_to_string(deploy.join("qpr.conf")).unwrap();
        let zones: String =
            site.lines().filter(|l| l.starts_with("limit_req_zone")).map(|l| format!("    {l}\n")).collect();
        assert!(!zones.is_empty(), "qpr.conf defines the login zone");
        let servers: String = upstreams
            .iter()
            .map(|port| format!("        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n"))
            .collect();
        let d = dir.display();
        let config = format!(
            "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 2048; }}\n\
             http {{\n    access_log off;\n    client_body_temp_path {d}/body;\n    proxy_temp_path {d}/proxy;\n\
             \x20   fastcgi_temp_path {d}/fastcgi;\n    uwsgi_temp_path {d}/uwsgi;\n    scgi_temp_path {d}/scgi;\n\
             {zones}    upstream qpr {{\n{servers}    }}\n\
             \x20   server {{\n        listen 127.0.0.1:{port};\n        server_name localhost;\n        include {d}/qpr-proxy.conf;\n    }}\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let user = running_as_root().then_some("nobody");
        if let Some(user) = user {
            let status = Command::new("chown").args(["-R", user]).arg(&dir).status().unwrap();
            assert!(status.success(), "cannot give {d} to {user}");
        }
        let script = format!(
            "{nginx} -p {d}/ -c {d}/nginx.conf -e {d}/error.log & ng=$!; \
             trap 'kill -TERM $ng; wait $ng; exit 0' TERM; \
             while kill -0 $ng 2>/dev/null && [ -d /proc/{parent} ]; do sleep 0.2; done; kill -TERM $ng 2>/dev/null; wait $ng",
            nginx = binary.display(),
            parent = std::process::id(),
        );
        let mut command = match user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--", "/bin/sh", "-c", &script]);
                command
            }
            None => {
                let mut command = Command::new("/bin/sh");
                command.args(["-c", &script]);
                command
            }
        };
        let watchdog = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let nginx = Nginx { address: format!("127.0.0.1:{port}"), dir, watchdog, _temp: temp };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(&nginx.address).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start: {}", nginx.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("nginx.pid")) {
            let _ = Command::new("kill").args(["-TERM", pid.trim()]).status();
        }
        let _ = self.watchdog.wait();
    }
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { files_under(&path) } else { vec![path] }
        })
        .collect()
}

/// The first password link (`…/password/set/<secret>`, the secret in hex) in a text.
fn link_in(text: &str) -> Option<String> {
    let at = text.find("/password/set/")? + "/password/set/".len();
    let start = text[..at].rfind("http")?;
    let secret: String = text[at..].chars().take_while(char::is_ascii_hexdigit).collect();
    Some(format!("{}{secret}", &text[start..at]))
}

fn csrf(page: &str) -> Option<String> {
    let at = page.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    Some(page[at..].split('"').next()?.to_owned())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Names in lower case, in order.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`), its whole response.
fn request(address: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| {
        std::io::Error::other(format!("no complete response: {:?}", String::from_utf8_lossy(&response)))
    })?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {head}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let raw = &response[split + 4..];
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked { dechunk(raw)? } else { raw.to_vec() };
    Ok(Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

fn dechunk(mut raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| std::io::Error::other("a chunk without its size line"))?;
        let size = std::str::from_utf8(&raw[..line_end]).ok().map(|s| s.split(';').next().unwrap_or("").trim());
        let size = size
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .ok_or_else(|| std::io::Error::other("a chunk size that is not hexadecimal"))?;
        if size == 0 {
            return Ok(body);
        }
        let start = line_end + 2;
        let chunk = raw.get(start..start + size).ok_or_else(|| std::io::Error::other("a chunk cut short"))?;
        body.extend_from_slice(chunk);
        raw = raw.get(start + size + 2..).ok_or_else(|| std::io::Error::other("a chunk without its line end"))?;
    }
}
