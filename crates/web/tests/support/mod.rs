//! What the in-process HTTP tests share: a server on a fresh data directory, and a request
//! sent to it with the whole answer read.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use qpr_store::Store;
use tower::ServiceExt;

/// A server on a fresh database in its own data directory (removed when this is dropped).
pub struct Server {
    pub router: axum::Router,
    pub store: Store,
    _dir: tempfile::TempDir,
}

/// An answer, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Server {
    /// A server as `qpr serve` makes it, on an empty data directory (mail to a folder).
    pub async fn new() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_data_dir(dir.path()).await.unwrap();
        let search = Arc::new(qpr_search::SearchIndex::open(&qpr_search::index_dir(dir.path())).unwrap());
        let state = qpr_web::AppState::new(
            store.clone(),
            search,
            qpr_mail::Mailer::to_folder("qpr@localhost", dir.path().join("mail")).unwrap(),
            qpr_web::SiteSettings::new("http://127.0.0.1"),
        );
        Server { router: qpr_web::router(state), store, _dir: dir }
    }

    /// Sends `request` and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Reply { status, headers, bytes, body }
    }
}
