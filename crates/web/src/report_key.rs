//! The report a request's address names: the `{iso3}/{year}` of `/reports/…`,
//! `/app/reports/…` and `/api/v1/…/reports/…`, parsed once into domain values by an extractor
//! ([`ReportKey`]), and the other named segments of those routes.
//!
//! A segment that is not a country code or not a year is `404` before the handler runs: an
//! error page in the visitor's language, or the API's JSON error on `/api/` routes (as every
//! other error of those routes).

use std::fmt;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use qpr_domain::Year;
use qpr_domain::countries::Iso3;
use serde::Deserialize;

use crate::error::{ApiError, Missing, WebError};
use crate::ui::Ui;

/// A Party's report of a year, as its address names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReportKey {
    /// The Party's current code (upper case, whatever case the address used).
    pub iso3: Iso3,
    /// The report's year.
    pub year: Year,
}

impl ReportKey {
    /// The key of the segments `iso3` and `year`; `404` naming the segment that is wrong. A
    /// Party's former code names the Party (`/reports/EUE/2021` is the EU's `EUU` report).
    pub(crate) fn parse(iso3: &str, year: &str) -> Result<ReportKey, WebError> {
        let code = Iso3::parse(iso3).map_err(|_| WebError::NotFound(Missing::CountryCode(iso3.to_owned())))?.current();
        let year = Year::parse(year).map_err(|_| WebError::NotFound(Missing::Year(year.to_owned())))?;
        Ok(ReportKey { iso3: code, year })
    }
}

/// `AZE/2022`, as addresses write it.
impl fmt::Display for ReportKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.iso3, self.year)
    }
}

/// A key that does not parse: the error, answered as its route answers errors.
pub(crate) struct KeyRejection {
    error: WebError,
    api: bool,
    ui: Ui,
}

impl IntoResponse for KeyRejection {
    fn into_response(self) -> Response {
        if self.api { ApiError(self.error).into_response() } else { self.error.page(&self.ui) }
    }
}

/// The key of a request's `{iso3}` and `{year}` segments, and whether the year ended with
/// `suffix` (removed before it is read); or the answer to a request that names no report.
async fn key_of<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    suffix: Option<&str>,
) -> Result<(ReportKey, bool), KeyRejection> {
    let params = RawPathParams::from_request_parts(parts, state).await;
    let key = match &params {
        Ok(params) => {
            let segment = |name: &str| params.iter().find(|(key, _)| *key == name).map(|(_, value)| value);
            match (segment("iso3"), segment("year")) {
                (Some(iso3), Some(year)) => {
                    let stripped = suffix.and_then(|suffix| year.strip_suffix(suffix));
                    ReportKey::parse(iso3, stripped.unwrap_or(year)).map(|key| (key, stripped.is_some()))
                }
                _ => Err(WebError::Internal(format!("route {} has no {{iso3}}/{{year}}", parts.uri.path()))),
            }
        }
        // A segment that is not UTF-8 once decoded names nothing.
        Err(_) => Err(WebError::NotFound(Missing::Page)),
    };
    match key {
        Ok(key) => Ok(key),
        Err(error) => {
            let api = parts.uri.path().starts_with("/api/");
            let Ok(ui) = Ui::from_request_parts(parts, state).await;
            Err(KeyRejection { error, api, ui })
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ReportKey {
    type Rejection = KeyRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ReportKey, KeyRejection> {
        key_of(parts, state, None).await.map(|(key, _)| key)
    }
}

/// What a public report's address names: its page, or its PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    /// `/reports/{iso3}/{year}`.
    Page,
    /// `/reports/{iso3}/{year}.pdf`.
    Pdf,
}

/// `/reports/{iso3}/{year}` or `/reports/{iso3}/{year}.pdf`: one route, since the router takes
/// no suffix after a parameter; `.pdf` is read off the year here, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublicReport {
    /// The report.
    pub key: ReportKey,
    /// Page or PDF.
    pub format: ReportFormat,
}

impl<S: Send + Sync> FromRequestParts<S> for PublicReport {
    type Rejection = KeyRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PublicReport, KeyRejection> {
        let (key, pdf) = key_of(parts, state, Some(".pdf")).await?;
        Ok(PublicReport { key, format: if pdf { ReportFormat::Pdf } else { ReportFormat::Page } })
    }
}

/// The section segment of `/app/reports/{iso3}/{year}/sections/{slug}`.
#[derive(Debug, Deserialize)]
pub(crate) struct SectionSegment {
    /// The section's slug.
    pub slug: String,
}

/// The annex segment of `…/annexes/{sha256}`.
#[derive(Debug, Deserialize)]
pub(crate) struct AnnexSegment {
    /// The annex file's SHA-256, as hex.
    pub sha256: String,
}

/// The member segment of `/api/v1/drafts/{iso3}/{year}/members/{user}`.
#[derive(Debug, Deserialize)]
pub(crate) struct MemberSegment {
    /// The user's id, as written (parsed by the handler: not a number is `404`).
    pub user: String,
}

/// The invitation segment of `…/cso-invitations/{invitation}`.
#[derive(Debug, Deserialize)]
pub(crate) struct InvitationSegment {
    /// The invitation's id, as written (parsed by the handler: not a number is `404`).
    pub invitation: String,
}

/// The segments of `…/cso-invitations/{invitation}/measures/{measure}`.
#[derive(Debug, Deserialize)]
pub(crate) struct CsoMeasureSegment {
    /// The invitation's id, as written (parsed by the handler: not a number is `404`).
    pub invitation: String,
    /// The id of the measure the CSO submitted.
    pub measure: String,
}

/// The measure segment of `/measures/{iso3}/{year}/{id}`.
#[derive(Debug, Deserialize)]
pub(crate) struct MeasureSegment {
    /// The measure's id.
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_a_country_code_and_a_year_whatever_the_case() {
        let key = ReportKey::parse("aze", "2022").unwrap();
        assert_eq!(key.to_string(), "AZE/2022");
        assert!(
            matches!(ReportKey::parse("AZ1", "2022"), Err(WebError::NotFound(Missing::CountryCode(c))) if c == "AZ1")
        );
        assert!(matches!(ReportKey::parse("AZE", "20x2"), Err(WebError::NotFound(Missing::Year(y))) if y == "20x2"));
        assert!(matches!(ReportKey::parse("AZE", "3022"), Err(WebError::NotFound(Missing::Year(_)))));
    }
}
