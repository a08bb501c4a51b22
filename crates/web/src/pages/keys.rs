//! The published signing keys, with which anyone verifies a submitted report offline.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::api;
use crate::AppState;
use crate::error::WebError;
use crate::http::{Kind, Representation};

/// `GET /.well-known/qpr-signing-keys.json`: the platform's public key set.
pub(crate) async fn signing_keys(State(state): State<AppState>, request: HeaderMap) -> Response {
    let json = serde_json::to_vec_pretty(&state.signing_key.public_key_set())
        .map_err(|e| WebError::Internal(format!("key set to JSON: {e}")))
        .map(|json| Arc::new(Representation::new(Kind::Json, json, None)));
    api(json, &request)
}
