//! `/parties/{iso3}/changes?from=2018&to=2022` and `GET /api/v1/parties/{iso3}/changes`: what
//! changed between two published reports of a Party (`qpr_learn::changes`). Without `to`, the
//! newest report; without `from`, the published report before `to`. A report that is not
//! published (never, or withdrawn) is not there to compare: `404` naming it. A Party's first
//! report has nothing to compare with: the page says so, the JSON has `"changes": null`.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use qpr_domain::Year;
use qpr_domain::countries::Iso3;
use qpr_learn::changes::{self, ReportChanges, Side};
use serde::Serialize;

use super::reports::{load_published, published_years};
use super::{Site, html, party_name};
use crate::error::{ApiError, Missing, WebError};
use crate::ui::{Section, Ui};

/// The query of both addresses.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ChangesQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A parameter that is not a year, or a `from` not before `to`.
struct BadYears {
    param: &'static str,
    value: String,
}

/// The two years compared (`from` `None`: `to` is the first report), or what is wrong.
async fn years(
    site: &Site,
    code: &Iso3,
    query: &ChangesQuery,
) -> Result<Result<(Option<i32>, i32), BadYears>, WebError> {
    let parse = |param: &'static str, value: &Option<String>| match value.as_deref().filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Year::parse(v).map(|y| Some(y.get())).map_err(|_| BadYears { param, value: v.to_owned() }),
    };
    let (from, to) = match (parse("from", &query.from), parse("to", &query.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(bad), _) | (_, Err(bad)) => return Ok(Err(bad)),
    };
    let mut published = published_years(site, code).await?;
    published.sort_unstable();
    if published.is_empty() && qpr_domain::countries::by_iso3(code.as_str()).is_none() {
        return Err(WebError::NotFound(Missing::Party(code.to_string())));
    }
    let to = match to.or_else(|| published.last().copied()) {
        Some(to) => to,
        None => return Err(WebError::NotFound(Missing::Party(code.to_string()))),
    };
    if let Some(from) = from
        && from >= to
    {
        return Ok(Err(BadYears { param: "from", value: from.to_string() }));
    }
    for year in from.into_iter().chain([to]) {
        if !published.contains(&year) {
            return Err(WebError::NotFound(Missing::Report { party: code.to_string(), year }));
        }
    }
    let from = from.or_else(|| published.iter().copied().filter(|&y| y < to).max());
    Ok(Ok((from, to)))
}

/// The comparison of the Party's published reports of `from` and `to`.
async fn compare(site: &Site, code: &Iso3, from: i32, to: i32, ui: &Ui) -> Result<ReportChanges, WebError> {
    let (older, newer) = (load_published(site, code, from).await?, load_published(site, code, to).await?);
    let older_side = Side { framework: site.app.framework(&older.document.framework)?, document: &older.document };
    let newer_side = Side { framework: site.app.framework(&newer.document.framework)?, document: &newer.document };
    Ok(changes::compare(older_side, newer_side, ui.language()))
}

/// A message with two arguments.
fn two(ui: &Ui, id: &str, a: (&'static str, &str), b: (&'static str, &str)) -> String {
    crate::i18n::text_with(ui.language(), id, &[(a.0, a.1.to_owned().into()), (b.0, b.1.to_owned().into())])
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    iso3: String,
    party: String,
    to: i32,
    /// `None`: the first report.
    changes: Option<ReportChanges>,
    /// The other published years, to pick another comparison.
    years: Vec<i32>,
}

impl ChangesPage<'_> {
    /// The name of a changed part (`title`, `results`…).
    fn part(&self, part: &str) -> String {
        self.ui.t(format!("changes-part-{part}"))
    }

    /// How a continued measure continues, named.
    fn how(&self, link: &qpr_learn::matching::Link) -> String {
        use qpr_learn::matching::Link;
        match link {
            Link::SameId { .. } => self.ui.t("changes-same-id"),
            Link::Matched { score, .. } => self.ui.ts("changes-matched", "score", format!("{score:.2}")),
            Link::Split { .. } => self.ui.t("changes-split"),
            Link::Merged { .. } => self.ui.t("changes-merged"),
        }
    }

    /// Funding before → after.
    fn funding(&self, funding: &(Option<String>, Option<String>)) -> String {
        let given = |v: &Option<String>| {
            v.clone().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| self.ui.t("timeline-not-given"))
        };
        format!("{} → {}", given(&funding.0), given(&funding.1))
    }

    /// A figure with its year.
    fn figure(&self, figure: &Option<changes::Figure>) -> String {
        match figure {
            None => self.ui.t("timeline-not-given"),
            Some(changes::Figure { value, year: Some(year) }) => {
                two(self.ui, "changes-figure-year", ("value", value), ("year", year))
            }
            Some(changes::Figure { value, year: None }) => value.clone(),
        }
    }

    /// The page's heading: the Party's reports compared.
    fn heading(&self, changes: &ReportChanges) -> String {
        crate::i18n::text_with(
            self.ui.language(),
            "changes-heading",
            &[
                ("party", self.party.clone().into()),
                ("from", changes.from.to_string().into()),
                ("to", changes.to.to_string().into()),
            ],
        )
    }

    /// The notice of two form versions.
    fn versions(&self, changes: &ReportChanges) -> String {
        let version = |id: &str| id.trim_start_matches("qpr-").to_owned();
        two(
            self.ui,
            "changes-versions",
            ("from", &version(&changes.from_framework)),
            ("to", &version(&changes.to_framework)),
        )
    }

    /// A shown answer, or "not given".
    fn shown(&self, answer: &str) -> String {
        if answer.is_empty() { self.ui.t("timeline-not-given") } else { answer.to_owned() }
    }
}

/// `GET /parties/{iso3}/changes`.
pub(crate) async fn changes_page(
    site: Site,
    ui: Ui,
    Path(iso3): Path<String>,
    Query(query): Query<ChangesQuery>,
    request: HeaderMap,
) -> Response {
    let Ok(code) = Iso3::parse(&iso3) else {
        return WebError::NotFound(Missing::CountryCode(iso3)).page(&ui);
    };
    let mut params = Vec::new();
    for (name, value) in [("from", &query.from), ("to", &query.to)] {
        if let Some(value) = value.clone().filter(|v| !v.is_empty()) {
            params.push((name, value));
        }
    }
    let ui = ui.in_section(Section::Parties).at(&format!("/parties/{code}/changes")).with_params(params);
    site.page(&ui, &request, || async {
        let (from, to) = match years(&site, &code, &query).await? {
            Ok(years) => years,
            Err(bad) => {
                return Err(WebError::Invalid(two(
                    &ui,
                    "changes-bad-year",
                    ("param", bad.param),
                    ("value", &bad.value),
                )));
            }
        };
        let changes = match from {
            Some(from) => Some(compare(&site, &code, from, to, &ui).await?),
            None => None,
        };
        let mut years = published_years(&site, &code).await?;
        years.sort_unstable();
        let party = party_name(code.as_str(), ui.language()).unwrap_or_else(|| code.to_string());
        let page = ChangesPage { lang: ui.lang(), ui: &ui, iso3: code.to_string(), party, to, changes, years };
        html(&page, None)
    })
    .await
}

/// The answer of `GET /api/v1/parties/{iso3}/changes`.
#[derive(Serialize)]
struct ChangesBody {
    party: String,
    from: Option<i32>,
    to: i32,
    /// `null` when `to` is the Party's first published report.
    changes: Option<ReportChanges>,
}

/// What changed between two published reports of a Party: measures per area (new,
/// continued with what changed, no longer reported; split and merged ones as such), CSO
/// measures, yes/no, option and checklist answers that changed, statistics with their
/// years, and questions only one form version asks.
#[utoipa::path(get, path = "/api/v1/parties/{iso3}/changes", tag = "public", security(()),
    params(("iso3" = String, Path, description = "ISO 3166-1 alpha-3 code of the Party"),
        ("from" = Option<String>, Query, description = "The older report's year (default: the report before `to`)"),
        ("to" = Option<String>, Query, description = "The newer report's year (default: the newest)")),
    responses(
        (status = 200, body = Object, description = "`{\"party\", \"from\", \"to\", \"changes\": {\"from\", \"to\", \"from_framework\", \"to_framework\", \"areas\": [{\"area\", \"heading\", \"new\", \"continued\", \"no_longer_reported\"}], \"cso\", \"answers\", \"statistics\", \"unmapped\"}}`; `changes` is null for a first report"),
        crate::app::api_types::Errors,
    ))]
pub(crate) async fn changes_api(
    site: Site,
    ui: Ui,
    Path(iso3): Path<String>,
    Query(query): Query<ChangesQuery>,
) -> Response {
    let reply = async {
        let code = Iso3::parse(&iso3).map_err(|_| WebError::NotFound(Missing::CountryCode(iso3.clone())))?;
        let (from, to) = match years(&site, &code, &query).await? {
            Ok(years) => years,
            Err(bad) => {
                let message = if bad.param == "from" && Year::parse(&bad.value).is_ok() {
                    format!("parameter `from`: {} is not before `to`", bad.value)
                } else {
                    format!("parameter `{}`: `{}` is not a year", bad.param, bad.value)
                };
                let body =
                    serde_json::json!({"error": {"code": "bad_parameter", "parameter": bad.param, "message": message}});
                return Ok((axum::http::StatusCode::BAD_REQUEST, axum::Json(body)).into_response());
            }
        };
        let changes = match from {
            Some(from) => Some(compare(&site, &code, from, to, &ui).await?),
            None => None,
        };
        Ok::<_, WebError>(axum::Json(ChangesBody { party: code.to_string(), from, to, changes }).into_response())
    };
    reply.await.unwrap_or_else(|error| ApiError(error).into_response())
}
