//! What a node reports about itself: `/metrics` in Prometheus' text exposition format
//! (version 0.0.4, written here: a few counters and histograms do not need a metrics crate)
//! and the JSON variant of `/healthz`.
//!
//! - `qpr_http_request_duration_seconds{route,method}`: a histogram per *route* (the router's
//!   pattern, never the path: `/cso/{token}` carries a secret), until the response's headers.
//! - `qpr_http_responses_total{route,method,status}`: responses by status class (`2xx`…`5xx`).
//! - `qpr_saves_total{outcome}` (`saved`, `merged`) and `qpr_save_conflicts_total`: this
//!   process's saves, from `qpr_workflow::editing::SaveCounts`.
//! - `qpr_outbox_head`, `qpr_search_index_applied` and `qpr_search_index_lag`: the outbox's
//!   last event, the last one this node's search index applied, and the difference.
//! - `qpr_database_up`: 1 when the database answered the metrics request's query.
//!
//! Who may read it ([`may_read`]): a request from the node's own loopback that no proxy
//! forwarded (a monitoring agent on the host), or one carrying the configured
//! `metrics_token` as a bearer token. Everything else is a 404, as for a path that does not
//! exist: request counts and routes are nobody else's business.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// Upper bounds of the histograms' buckets, in seconds (`+Inf` is added).
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// A route's requests of one method: the duration histogram and the responses by class.
#[derive(Debug, Default, Clone)]
struct RouteStats {
    /// Requests at most each bucket's bound (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
    /// Requests slower than the last bound.
    over: u64,
    /// Sum of the durations, in seconds.
    sum: f64,
    /// Responses by status class, index 0 for `1xx` … 4 for `5xx`.
    statuses: [u64; 5],
}

impl RouteStats {
    fn record(&mut self, elapsed: Duration, status: u16) {
        let seconds = elapsed.as_secs_f64();
        match BUCKETS.iter().position(|bound| seconds <= *bound) {
            Some(bucket) => self.buckets[bucket] += 1,
            None => self.over += 1,
        }
        self.sum += seconds;
        let class = usize::from((status / 100).clamp(1, 5)) - 1;
        self.statuses[class] += 1;
    }

    fn count(&self) -> u64 {
        self.buckets.iter().sum::<u64>() + self.over
    }
}

/// The request statistics of this process, by route and method.
#[derive(Debug, Default)]
pub(crate) struct RequestMetrics {
    routes: Mutex<BTreeMap<(String, String), RouteStats>>,
}

impl RequestMetrics {
    fn record(&self, route: &str, method: &str, elapsed: Duration, status: u16) {
        // A poisoned lock only means another request panicked while counting: keep counting.
        let mut routes = self.routes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match routes.get_mut(&(route.to_owned(), method.to_owned())) {
            Some(stats) => stats.record(elapsed, status),
            None => {
                let mut stats = RouteStats::default();
                stats.record(elapsed, status);
                routes.insert((route.to_owned(), method.to_owned()), stats);
            }
        }
    }

    fn snapshot(&self) -> BTreeMap<(String, String), RouteStats> {
        self.routes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

/// The middleware that times every request by route (the router's `MatchedPath`; the
/// fallback's requests are `(no route)`), until its response's headers.
pub(crate) async fn record(
    axum::extract::State(metrics): axum::extract::State<std::sync::Arc<RequestMetrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("(no route)", MatchedPath::as_str).to_owned();
    // A method outside the standard ones is `OTHER`: a client inventing methods must not grow
    // the table (routes are the router's, a bounded set).
    let method = match *request.method() {
        Method::GET | Method::HEAD | Method::POST | Method::PUT | Method::DELETE | Method::PATCH | Method::OPTIONS => {
            request.method().as_str().to_owned()
        }
        _ => "OTHER".to_owned(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(&route, &method, started.elapsed(), response.status().as_u16());
    response
}

/// Whether this request may read `/metrics`: the configured token as `Authorization: Bearer`,
/// or, without one, a loopback peer with no forwarding header (a proxy on the same host,
/// nginx, forwards the public's requests from loopback too, with those headers).
pub(crate) fn may_read(token: Option<&str>, peer: Option<&ConnectInfo<SocketAddr>>, headers: &HeaderMap) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if let (Some(token), Some(bearer)) = (token, bearer) {
        return same_secret(token.as_bytes(), bearer.trim().as_bytes());
    }
    let forwarded = headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for");
    peer.is_some_and(|ConnectInfo(address)| address.ip().is_loopback()) && !forwarded
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// Where a node stands: what `/metrics` and `/healthz?format=json` report beyond requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeState {
    /// The outbox's last event, when the database answered.
    pub outbox_head: Option<i64>,
    /// The last outbox event this node's search index applied, when the index could say.
    pub index_applied: Option<i64>,
}

impl NodeState {
    /// Events of the outbox this node's search index has not applied yet.
    pub(crate) fn lag(&self) -> Option<i64> {
        Some((self.outbox_head? - self.index_applied?).max(0))
    }
}

/// The text of `/metrics`.
pub(crate) fn exposition(
    requests: &RequestMetrics,
    saves: &qpr_workflow::editing::SaveCounts,
    node: NodeState,
) -> String {
    let mut out = String::new();
    let routes = requests.snapshot();
    out.push_str("# HELP qpr_http_request_duration_seconds Time until a response's headers, by route.\n");
    out.push_str("# TYPE qpr_http_request_duration_seconds histogram\n");
    for ((route, method), stats) in &routes {
        let labels = format!("route=\"{}\",method=\"{}\"", label(route), label(method));
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(stats.buckets) {
            cumulative += count;
            let _ = writeln!(out, "qpr_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(out, "qpr_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", stats.count());
        let _ = writeln!(out, "qpr_http_request_duration_seconds_sum{{{labels}}} {}", stats.sum);
        let _ = writeln!(out, "qpr_http_request_duration_seconds_count{{{labels}}} {}", stats.count());
    }
    out.push_str("# HELP qpr_http_responses_total Responses by route and status class.\n");
    out.push_str("# TYPE qpr_http_responses_total counter\n");
    for ((route, method), stats) in &routes {
        for (class, count) in stats.statuses.iter().enumerate().filter(|(_, count)| **count > 0) {
            let _ = writeln!(
                out,
                "qpr_http_responses_total{{route=\"{}\",method=\"{}\",status=\"{}xx\"}} {count}",
                label(route),
                label(method),
                class + 1
            );
        }
    }
    out.push_str("# HELP qpr_saves_total Saves of reports by this process, by outcome.\n");
    out.push_str("# TYPE qpr_saves_total counter\n");
    let _ = writeln!(out, "qpr_saves_total{{outcome=\"saved\"}} {}", saves.saved());
    let _ = writeln!(out, "qpr_saves_total{{outcome=\"merged\"}} {}", saves.merged());
    out.push_str("# HELP qpr_save_conflicts_total Saves refused because the same fields changed meanwhile.\n");
    out.push_str("# TYPE qpr_save_conflicts_total counter\n");
    let _ = writeln!(out, "qpr_save_conflicts_total {}", saves.conflicts());
    out.push_str("# HELP qpr_database_up Whether the database answered this scrape's query.\n");
    out.push_str("# TYPE qpr_database_up gauge\n");
    let _ = writeln!(out, "qpr_database_up {}", u8::from(node.outbox_head.is_some()));
    for (name, help, value) in [
        ("qpr_outbox_head", "The outbox's last event.", node.outbox_head),
        ("qpr_search_index_applied", "The last outbox event this node's search index applied.", node.index_applied),
        ("qpr_search_index_lag", "Outbox events this node's search index has not applied yet.", node.lag()),
    ] {
        if let Some(value) = value {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
    }
    out
}

/// A label value as the text format wants it: `\`, `"` and line feeds escaped.
fn label(value: &str) -> String {
    value.replace('\\', r"\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counts_add_up() {
        let requests = RequestMetrics::default();
        requests.record("/reports/{iso3}/{year}", "GET", Duration::from_millis(3), 200);
        requests.record("/reports/{iso3}/{year}", "GET", Duration::from_millis(30), 404);
        requests.record("/reports/{iso3}/{year}", "GET", Duration::from_secs(20), 200);
        let text = exposition(
            &requests,
            &qpr_workflow::editing::SaveCounts::default(),
            NodeState { outbox_head: Some(7), index_applied: Some(5) },
        );
        let labels = r#"route="/reports/{iso3}/{year}",method="GET""#;
        for line in [
            format!(r#"qpr_http_request_duration_seconds_bucket{{{labels},le="0.0025"}} 0"#),
            format!(r#"qpr_http_request_duration_seconds_bucket{{{labels},le="0.005"}} 1"#),
            format!(r#"qpr_http_request_duration_seconds_bucket{{{labels},le="0.05"}} 2"#),
            format!(r#"qpr_http_request_duration_seconds_bucket{{{labels},le="10"}} 2"#),
            format!(r#"qpr_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} 3"#),
            format!("qpr_http_request_duration_seconds_count{{{labels}}} 3"),
            format!(r#"qpr_http_responses_total{{{labels},status="2xx"}} 2"#),
            format!(r#"qpr_http_responses_total{{{labels},status="4xx"}} 1"#),
            "qpr_search_index_lag 2".to_owned(),
            "qpr_database_up 1".to_owned(),
            "qpr_save_conflicts_total 0".to_owned(),
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing from\n{text}");
        }
    }

    #[test]
    fn metrics_are_for_loopback_without_a_proxy_or_for_the_token() {
        let local = ConnectInfo("127.0.0.1:5000".parse::<SocketAddr>().unwrap());
        let remote = ConnectInfo("203.0.113.9:5000".parse::<SocketAddr>().unwrap());
        let none = HeaderMap::new();
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        let mut wrong = HeaderMap::new();
        wrong.insert(header::AUTHORIZATION, "Bearer s3creT".parse().unwrap());
        assert!(may_read(None, Some(&local), &none));
        assert!(!may_read(None, Some(&local), &proxied), "nginx on the host forwards the public");
        assert!(!may_read(None, Some(&remote), &none));
        assert!(!may_read(None, None, &none));
        assert!(may_read(Some("s3cret"), Some(&remote), &bearer));
        assert!(!may_read(Some("s3cret"), Some(&remote), &wrong));
        assert!(!may_read(Some("s3cret"), Some(&local), &wrong), "a wrong token is refused, also from loopback");
        assert!(!may_read(None, Some(&remote), &bearer), "no token configured: none is accepted");
    }
}
