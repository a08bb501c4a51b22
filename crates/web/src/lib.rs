//! The HTTP face of qpr: the public site (askama templates, English and French from Fluent
//! files) and the JSON API (axum).
//!
//! Boundary: the only crate that knows HTTP. Handlers parse requests into domain values, call
//! the workflow (`qpr-workflow`, the report's life rules) or the store, and render. They keep no state of their own beyond a cache of rendered pages
//! that is derived from the database and follows it (see `cache`), so several servers can run
//! on one database.
//!
//! Every page extends `templates/base.html`, which needs a `lang` field (the page's language
//! tag). The public pages extend it through `templates/page.html`, which also needs a [`Ui`]
//! (messages, links that keep the language, the language switch that keeps the page).

mod app;
mod assets;
mod cache;
pub mod editor;
mod error;
mod http;
mod i18n;
mod indicators;
mod metrics;
mod pages;
mod pdf;
mod proxies;
mod report_key;
mod search;
mod ui;

use qpr_views::csv;
/// A Party's profile from its published reports (`qpr-views`).
pub use qpr_views::party as party_view;
/// A report page's content as blocks (`qpr-views`).
pub use qpr_views::report as report_view;

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use qpr_domain::Framework;
use qpr_domain::framework::FrameworkRegistry;
use qpr_store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

pub use error::{Missing, WebError};
pub use proxies::{IpNetwork, TrustedProxies};
pub use ui::{Section, Ui};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Framework versions, to render any report by its `framework` id.
    pub frameworks: Arc<FrameworkRegistry>,
    /// The policy monitoring database (search index of every published measure).
    pub search: Arc<qpr_search::SearchIndex>,
    /// The platform's signing key: signs submitted reports; its public half is published.
    pub signing_key: Arc<qpr_signature::PlatformKey>,
    /// Outgoing e-mail (invitations, password links, notifications).
    pub mailer: qpr_mail::Mailer,
    /// How the site is reached.
    pub settings: Arc<SiteSettings>,
    /// The report's life rules (`qpr-workflow`), on the same store, mailer, frameworks and key.
    pub workflow: qpr_workflow::Workflow,
    /// The login throttle (its counts are in the store, shared by every server).
    throttle: app::auth::LoginThrottle,
    /// Request durations by route, for `/metrics`.
    requests: Arc<metrics::RequestMetrics>,
}

/// How the site is reached from outside, for links in e-mails and cookie flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    /// The address people open (`https://qpr.example.org`), without a trailing slash; links in
    /// e-mails start with it.
    pub public_url: String,
    /// Cookies only over HTTPS (`Secure`): on whenever `public_url` is `https://`.
    pub secure_cookies: bool,
    /// The reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client
    /// (for the login throttle); none by default.
    pub trusted_proxies: TrustedProxies,
    /// This server's name among several on one database: sent as the `X-Qpr-Node` header of
    /// every response and in `/healthz?format=json`; none by default.
    pub node_name: Option<String>,
    /// The bearer token that lets a scraper read `/metrics` from elsewhere than loopback.
    pub metrics_token: Option<String>,
}

impl SiteSettings {
    /// Settings for a site reached at `public_url`.
    pub fn new(public_url: &str) -> SiteSettings {
        SiteSettings {
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies: public_url.starts_with("https://"),
            trusted_proxies: TrustedProxies::default(),
            node_name: None,
            metrics_token: None,
        }
    }

    /// The same settings, for the server named `node_name` (`X-Qpr-Node`), whose `/metrics`
    /// also answers `metrics_token`.
    pub fn with_node(self, node_name: Option<String>, metrics_token: Option<String>) -> SiteSettings {
        SiteSettings { node_name, metrics_token, ..self }
    }

    /// The same settings, trusting the forwarding headers of these proxies.
    pub fn with_trusted_proxies(self, trusted_proxies: TrustedProxies) -> SiteSettings {
        SiteSettings { trusted_proxies, ..self }
    }
}

impl AppState {
    /// The state of a site on `store`, with the built-in frameworks.
    pub fn new(
        store: Store,
        search: Arc<qpr_search::SearchIndex>,
        mailer: qpr_mail::Mailer,
        settings: SiteSettings,
        signing_key: Arc<qpr_signature::PlatformKey>,
    ) -> AppState {
        let frameworks = Arc::new(FrameworkRegistry::builtin());
        let workflow = qpr_workflow::Workflow::new(store.clone(), mailer.clone(), &settings.public_url)
            .with_frameworks(frameworks.clone())
            .with_signing_key(signing_key.clone());
        let throttle = app::auth::LoginThrottle::new(store.clone());
        AppState {
            store,
            signing_key,
            frameworks,
            search,
            mailer,
            settings: Arc::new(settings),
            workflow,
            throttle,
            requests: Arc::default(),
        }
    }

    /// The framework a report answers.
    pub fn framework(&self, id: &str) -> Result<&Framework, WebError> {
        self.frameworks
            .get(id)
            .map(AsRef::as_ref)
            .ok_or_else(|| WebError::Internal(format!("report uses unknown framework `{id}`")))
    }
}

/// The strict Content-Security-Policy of every response: no script at all, styles and images
/// from this origin only, no framing.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Sets the security headers every response carries, unless a handler set its own. One layer
/// for all of them: axum clones every layer of a route for each request.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// How long `/healthz` waits for the database.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// The query of `/healthz`: `?format=json` for the JSON answer.
#[derive(Debug, serde::Deserialize)]
struct HealthQuery {
    format: Option<String>,
}

/// `GET /healthz`, for load balancers and monitoring: `ok` when the database answers a query
/// within two seconds, else 503 with the reason; never cached, no session needed.
/// `?format=json` answers the same status with `{"status", "database", "node", "outbox_head",
/// "index_applied", "index_lag"}`: the lag is how many outbox events (publications,
/// withdrawals) this node's search index has not applied yet; a lagging index does not make
/// the node unhealthy (its pages are right, its search is late), monitoring watches the lag.
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Query(query): axum::extract::Query<HealthQuery>,
) -> Response {
    let database = match tokio::time::timeout(HEALTH_TIMEOUT, state.store.outbox_head()).await {
        Ok(Ok(head)) => Ok(head),
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "Health check: the database does not answer: {error}");
            Err(format!("database unavailable ({})", error.code()))
        }
        Err(_) => Err(format!("database unavailable (no answer within {} s)", HEALTH_TIMEOUT.as_secs())),
    };
    let status = if database.is_ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    if query.format.as_deref() == Some("json") {
        let node = node_state(&state, database.as_ref().ok().copied());
        let body = serde_json::json!({
            "status": if database.is_ok() { "ok" } else { "unavailable" },
            "database": database.as_ref().map_or_else(String::clone, |_| "ok".to_owned()),
            "node": state.settings.node_name,
            "outbox_head": node.outbox_head,
            "index_applied": node.index_applied,
            "index_lag": node.lag(),
        });
        let headers = [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")];
        return (status, headers, body.to_string()).into_response();
    }
    let body = database.map_or_else(|reason| reason, |_| "ok".to_owned());
    let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    (status, headers, body).into_response()
}

/// The outbox's head (when the database gave it) and what this node's index applied.
fn node_state(state: &AppState, outbox_head: Option<i64>) -> metrics::NodeState {
    let index_applied = match state.search.applied_seq() {
        Ok(seq) => Some(seq),
        Err(error) => {
            tracing::warn!(error = %error, "Cannot read the search index's outbox position: {error}");
            None
        }
    };
    metrics::NodeState { outbox_head, index_applied }
}

/// `GET /metrics`: Prometheus' text format (see `metrics`), for loopback or the metrics token;
/// a 404 for everyone else.
async fn metrics_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    ui: Ui,
    request: axum::extract::Request,
) -> Response {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
    if !metrics::may_read(state.settings.metrics_token.as_deref(), peer, request.headers()) {
        return pages::not_found(ui).await;
    }
    let outbox_head = match tokio::time::timeout(HEALTH_TIMEOUT, state.store.outbox_head()).await {
        Ok(Ok(head)) => Some(head),
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "Metrics: the database does not answer: {error}");
            None
        }
        Err(_) => None,
    };
    let body = metrics::exposition(&state.requests, &state.workflow.save_counts, node_state(&state, outbox_head));
    let headers =
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    (StatusCode::OK, headers, body).into_response()
}

/// The application's routes with their middleware.
pub fn router(state: AppState) -> Router {
    let pages = Arc::new(cache::PageCache::default());
    let figures = Arc::new(indicators::FigureCache::new(state.store.clone()));
    indicators::keep_current(&figures);
    let requests = Arc::clone(&state.requests);
    let node = state.settings.node_name.as_deref().map(HeaderValue::from_str).transpose().unwrap_or_else(|error| {
        tracing::warn!("The node name cannot be a header value ({error}); responses will not name the node");
        None
    });
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_page))
        .route("/reports", get(pages::reports_page))
        .route("/reports/{iso3}/{year}", get(pages::report_page_or_pdf))
        .route("/reports/{iso3}/{year}/signed.json", get(pages::signed_document))
        .route("/reports/{iso3}/{year}/signature.json", get(pages::signature_file))
        .route("/parties", get(pages::parties_page))
        .route("/parties/{iso3}", get(pages::party_page))
        .route("/compare", get(pages::compare_page))
        .route("/indicators/map", get(pages::map_page))
        .route("/parties/{iso3}/changes", get(pages::changes::changes_page))
        .route("/api/v1/parties/{iso3}/changes", get(pages::changes::changes_api))
        .route("/measures/{id}", get(pages::measure_page))
        .route("/measures/{iso3}/{year}/{id}", get(pages::measure_in_report_page))
        .route("/api/v1/reports/{iso3}/{year}", get(pages::report_json))
        .route("/api/v1/reports/{iso3}/{year}/translations", get(pages::translations_json))
        .route(qpr_signature::WELL_KNOWN_PATH, get(pages::signing_keys))
        .route(assets::STYLESHEET_PLAIN_PATH, get(pages::stylesheet_plain))
        .route(assets::stylesheet_path(), get(pages::stylesheet))
        .route(assets::editor_script_path(), get(pages::editor_script))
        .merge(search::routes())
        .merge(indicators::routes())
        .merge(app::routes())
        .fallback(pages::not_found)
        .with_state(state)
        .layer(Extension(pages))
        .layer(Extension(Arc::new(pdf::PdfCache::default())))
        .layer(Extension(figures))
        // PDF annexes are compressed inside already: gzip would spend CPU on megabytes for nothing.
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/pdf"))),
        )
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response(move |mut response: Response| {
            let node = node.clone();
            async move {
                if let Some(node) = node {
                    response.headers_mut().insert(NODE_HEADER, node);
                }
                response
            }
        }))
        .layer(axum::middleware::from_fn_with_state(requests, metrics::record))
        .layer(request_trace())
}

/// The response header naming the server that answered (`SiteSettings::node_name`).
pub const NODE_HEADER: &str = "x-qpr-node";

/// A span per request (method and *route*, never the path: `/cso/{token}` and
/// `/password/set/{token}` carry secrets) around everything logged while it is served, and a
/// line with its status and time when it ends, at DEBUG (`RUST_LOG=info,tower_http=debug`
/// shows them; a busy public site does not pay for an access log it did not ask for); server
/// errors are logged at ERROR, in their request's span.
fn request_trace() -> RequestTrace {
    fn span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
        let route = request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map_or("(no route)", axum::extract::MatchedPath::as_str);
        tracing::info_span!("request", method = %request.method(), route)
    }
    tower_http::trace::TraceLayer::new_for_http().make_span_with(span as MakeSpan)
}

/// How a request's span is made: see [`request_trace`].
type MakeSpan = fn(&axum::http::Request<axum::body::Body>) -> tracing::Span;

/// The tracing layer of [`router`].
type RequestTrace = tower_http::trace::TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    MakeSpan,
>;
