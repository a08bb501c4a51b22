//! `/compare?party=AZE&party=FRA…`: two to five Parties' latest published reports side by
//! side (`qpr_views::compare`). Anything else (one Party, six, a code that is not one, a Party
//! without a published report, the same Party twice) is a 400 that names it, with the form
//! to choose again.

use std::collections::BTreeMap;
use std::time::SystemTime;

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use qpr_domain::countries::Iso3;
use qpr_store::PublishedReport;
use qpr_views::compare::{self, Cell, CompareInput, Comparison, RowKind};
use qpr_views::report::Shown;

use super::reports::load_published;
use super::{Site, latest, listed, sort_key};
use crate::error::WebError;
use crate::http::{Kind, Representation};
use crate::ui::{Section, Ui};

/// How many Parties a comparison takes, at least and at most.
const FEWEST: usize = 2;
const MOST: usize = 5;

/// A Party to choose in one of the form's lists.
struct PartyOption {
    iso3: String,
    name: String,
}

/// The form's lists: the Parties with a published report, and each list's choice.
struct Choice {
    parties: Vec<PartyOption>,
    chosen: Vec<String>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    choice: Choice,
    comparison: Option<Comparison>,
    error: Option<String>,
}

impl ComparePage<'_> {
    /// Whether the Party of list `slot` (0-based) is `iso3`.
    fn is_chosen(&self, slot: &usize, iso3: &str) -> bool {
        self.choice.chosen.get(*slot).is_some_and(|c| c == iso3)
    }

    /// The page of measure `id` in the report of column `column`.
    fn measure_href(&self, column: &&usize, id: &str) -> String {
        match self.comparison.as_ref().and_then(|c| c.columns.get(**column)) {
            Some(report) => self.ui.measure_href(&report.iso3, report.year, id),
            None => String::new(),
        }
    }
}

/// Why the Parties asked for cannot be compared: the message id and its argument.
struct Refusal(&'static str, Option<(&'static str, String)>);

/// `GET /compare`: without `party`, the form; with 2 to 5, the comparison.
pub(crate) async fn compare_page(
    site: Site,
    ui: Ui,
    Query(params): Query<Vec<(String, String)>>,
    request: HeaderMap,
) -> Response {
    let ui = ui.in_section(Section::Parties).at("/compare");
    // Lists of the form left on "choose" send an empty value: not a choice.
    let asked: Vec<&str> =
        params.iter().filter(|(k, v)| k == "party" && !v.trim().is_empty()).map(|(_, v)| v.trim()).collect();
    let codes = match check(&asked) {
        Ok(codes) => codes,
        Err(refusal) => return refused(&site, &ui, &asked, &refusal).await,
    };
    if codes.is_empty() {
        return site.page(&ui, &request, || render(&site, &ui, &[])).await;
    }
    let years = match newest_years(&site, &codes).await {
        Ok(Ok(years)) => years,
        Ok(Err(refusal)) => return refused(&site, &ui, &asked, &refusal).await,
        Err(error) => return error.page(&ui),
    };
    let ui = ui.with_params(codes.iter().map(|c| ("party", c.to_string())).collect());
    site.page(&ui, &request, || render(&site, &ui, &years)).await
}

/// The codes asked for, parsed, distinct and 2 to 5 of them (none: the form alone).
fn check(asked: &[&str]) -> Result<Vec<Iso3>, Refusal> {
    let mut codes: Vec<Iso3> = Vec::with_capacity(asked.len());
    for text in asked {
        let code = Iso3::parse(text).map_err(|_| Refusal("compare-not-a-code", Some(("text", (*text).to_owned()))))?;
        if codes.contains(&code) {
            return Err(Refusal("compare-twice", Some(("code", code.to_string()))));
        }
        codes.push(code);
    }
    match codes.len() {
        0 => Ok(codes),
        n if n < FEWEST => Err(Refusal("compare-too-few", None)),
        n if n > MOST => Err(Refusal("compare-too-many", None)),
        _ => Ok(codes),
    }
}

/// Each Party's newest published year, or the first Party without a published report.
async fn newest_years(site: &Site, codes: &[Iso3]) -> Result<Result<Vec<(Iso3, i32)>, Refusal>, WebError> {
    let listing = site.app.store.published_listing().await?;
    let mut newest: BTreeMap<&str, i32> = BTreeMap::new();
    for report in &listing {
        let year = newest.entry(report.party_iso3.as_str()).or_insert(report.year);
        *year = (*year).max(report.year);
    }
    let mut years = Vec::with_capacity(codes.len());
    for code in codes {
        match newest.get(code.as_str()) {
            Some(year) => years.push((code.clone(), *year)),
            None => return Ok(Err(Refusal("compare-no-report", Some(("code", code.to_string()))))),
        }
    }
    Ok(Ok(years))
}

/// The form with the refusal, answered 400.
async fn refused(site: &Site, ui: &Ui, asked: &[&str], refusal: &Refusal) -> Response {
    let message = match &refusal.1 {
        Some((name, value)) => ui.ts(refusal.0, name, value),
        None => crate::i18n::text_with(ui.language(), refusal.0, &[("fewest", FEWEST.into()), ("most", MOST.into())]),
    };
    let chosen = asked.iter().map(|a| a.to_ascii_uppercase()).collect();
    match build(site, ui, &[], chosen, Some(message)).await {
        Ok((body, _)) => (StatusCode::BAD_REQUEST, Html(body)).into_response(),
        Err(error) => error.page(ui),
    }
}

async fn render(site: &Site, ui: &Ui, years: &[(Iso3, i32)]) -> Result<Representation, WebError> {
    let chosen = years.iter().map(|(c, _)| c.to_string()).collect();
    let (body, modified) = build(site, ui, years, chosen, None).await?;
    Ok(Representation::new(Kind::Page, body, modified))
}

async fn build(
    site: &Site,
    ui: &Ui,
    years: &[(Iso3, i32)],
    chosen: Vec<String>,
    error: Option<String>,
) -> Result<(String, Option<SystemTime>), WebError> {
    let lang = ui.language();
    let all = listed(site, lang).await?;
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for report in &all {
        names.entry(report.iso3.as_str()).or_insert(report.party.as_str());
    }
    let mut parties: Vec<PartyOption> =
        names.iter().map(|(iso3, name)| PartyOption { iso3: (*iso3).to_owned(), name: (*name).to_owned() }).collect();
    parties.sort_by_cached_key(|p| sort_key(&p.name));
    let mut published: Vec<PublishedReport> = Vec::with_capacity(years.len());
    for (code, year) in years {
        published.push(load_published(site, code, *year).await?);
    }
    let comparison = if published.is_empty() {
        None
    } else {
        let inputs = published
            .iter()
            .zip(years)
            .map(|(p, (code, _))| {
                Ok(CompareInput {
                    iso3: code.as_str(),
                    name: names.get(code.as_str()).copied().unwrap_or(p.document.party.name.as_str()),
                    framework: site.app.framework(&p.document.framework)?,
                    document: &p.document,
                })
            })
            .collect::<Result<Vec<_>, WebError>>()?;
        Some(compare::compare(&inputs, lang))
    };
    let modified = latest(published.iter().map(|p| p.published_at.as_str()));
    let page = ComparePage { lang: ui.lang(), ui, choice: Choice { parties, chosen }, comparison, error };
    let body = page.render().map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((body, modified))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(asked: &[&str]) -> Option<(&'static str, Option<(&'static str, String)>)> {
        check(asked).err().map(|r| (r.0, r.1))
    }

    #[test]
    fn two_to_five_distinct_codes_are_taken() {
        assert_eq!(check(&[]).map(|c| c.len()).ok(), Some(0));
        assert_eq!(check(&["aze", "FRA"]).map(|c| c.len()).ok(), Some(2));
        assert_eq!(check(&["AZE", "FRA", "DEU", "ITA", "ESP"]).map(|c| c.len()).ok(), Some(5));
        assert_eq!(refusal(&["AZE"]), Some(("compare-too-few", None)));
        assert_eq!(refusal(&["AZE", "FRA", "DEU", "ITA", "ESP", "PRT"]), Some(("compare-too-many", None)));
        assert_eq!(refusal(&["AZE", "aze"]), Some(("compare-twice", Some(("code", "AZE".into())))));
        assert_eq!(refusal(&["AZE", "F1"]), Some(("compare-not-a-code", Some(("text", "F1".into())))));
    }
}
