//! "My reviews": the reports a member of the Secretariat is assigned to review, those awaiting
//! a decision first.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qpr_workflow::board::Review;

use super::auth::Viewer;
use super::{Chrome, page_error, private_page};
use crate::AppState;
use crate::error::WebError;
use crate::ui::Ui;

#[derive(Template)]
#[template(path = "app/reviews.html")]
struct ReviewsPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    chrome: &'a Chrome,
    reviews: Vec<Review>,
}

/// `GET /app/reviews`.
pub(crate) async fn reviews_page(State(state): State<AppState>, viewer: Viewer, ui: Ui) -> Response {
    let result: Result<Response, WebError> = async {
        let signed_in = viewer.require()?;
        let reviews = qpr_workflow::board::my_reviews(&state.workflow, signed_in, ui.language()).await?;
        let (chrome, cookie) = Chrome::new(&state, &viewer)?;
        Ok(private_page(&ReviewsPage { lang: ui.lang(), ui: &ui, chrome: &chrome, reviews }, cookie))
    }
    .await;
    result.unwrap_or_else(|error| page_error(error, &ui))
}
