//! `/parties` (the Parties by region, with their published reports) and `/parties/{iso3}` (a
//! Party's profile: its reports by cycle, key statistics, measures by area and by domain).
//!
//! Who is a Party, with names, regions and ratifications, comes from the shipped country list
//! (`qpr_domain::countries`, which the store copies at every start); reports come from the
//! store.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use qpr_domain::countries::{self, Iso3, Ratification, Region};

use super::reports::load_published;
use super::{Site, html, latest, listed, sort_key};
use crate::error::{Missing, WebError};
use crate::http::Representation;
use crate::party_view::{self, Profile, ReportInput};
use crate::ui::{Section, Ui};

struct PartyEntry {
    iso3: String,
    name: String,
    years: Vec<i32>,
}

struct RegionGroup {
    id: &'static str,
    name: String,
    parties: Vec<PartyEntry>,
}

#[derive(Template)]
#[template(path = "parties.html")]
struct PartiesPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    count: usize,
    regions: Vec<RegionGroup>,
}

/// The Parties by region.
pub(crate) async fn parties_page(site: Site, ui: Ui, request: HeaderMap) -> Response {
    let ui = ui.in_section(Section::Parties);
    site.page(&ui, &request, || async {
        let reports = listed(&site, ui.language()).await?;
        let mut years: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
        for report in &reports {
            years.entry(report.iso3.as_str()).or_default().push(report.year);
        }
        let entry = |iso3: &str, name: String| PartyEntry {
            iso3: iso3.to_owned(),
            name,
            years: years.get(iso3).cloned().unwrap_or_default(),
        };
        // Parties, and any country with a published report; codes the country list does not
        // know go with the Parties outside the regional groups, under their reports' name.
        let mut by_region: BTreeMap<Option<Region>, Vec<PartyEntry>> = BTreeMap::new();
        for country in
            countries::all().iter().filter(|c| c.ratification.is_some() || years.contains_key(c.iso3.as_str()))
        {
            by_region
                .entry(country.region)
                .or_default()
                .push(entry(country.iso3.as_str(), ui.local(&country.name).to_owned()));
        }
        for report in reports.iter().filter(|r| countries::by_iso3(&r.iso3).is_none()) {
            let others = by_region.entry(None).or_default();
            if !others.iter().any(|p| p.iso3 == report.iso3) {
                others.push(entry(&report.iso3, report.party.clone()));
            }
        }
        let count = by_region.values().map(Vec::len).sum();
        let regions = Region::ALL
            .iter()
            .map(|r| (Some(*r), r.id(), ui.local(&r.name()).to_owned()))
            .chain([(None, "other", ui.t("parties-no-region"))])
            .filter_map(|(region, id, name)| {
                let mut parties = by_region.remove(&region)?;
                parties.sort_by_cached_key(|p| sort_key(&p.name));
                Some(RegionGroup { id, name, parties })
            })
            .collect();
        let modified = latest(reports.iter().map(|r| r.published_at.as_str()));
        html(&PartiesPage { lang: ui.lang(), ui: &ui, count, regions }, modified)
    })
    .await
}

/// A report in the Party's list.
struct ReportLine {
    year: i32,
    /// When it became public (see [`super::released`]).
    released: String,
    measures: usize,
}

#[derive(Template)]
#[template(path = "party.html")]
struct PartyPage<'a> {
    lang: &'static str,
    ui: &'a Ui,
    iso3: String,
    name: String,
    region: String,
    ratification: String,
    reports: Vec<ReportLine>,
    profile: Profile,
    /// Its answers beside its region's and all Parties' (`qpr-indicators`).
    comparison: Option<crate::indicators::PartyComparison>,
}

/// The profile of a Party.
pub(crate) async fn party_page(site: Site, ui: Ui, Path(iso3): Path<String>, request: HeaderMap) -> Response {
    let Ok(code) = Iso3::parse(&iso3).map(Iso3::current) else {
        return WebError::NotFound(Missing::CountryCode(iso3)).page(&ui);
    };
    let ui = ui.in_section(Section::Parties).at(&format!("/parties/{code}"));
    site.page(&ui, &request, || render(&site, &ui, &code)).await
}

async fn render(site: &Site, ui: &Ui, code: &Iso3) -> Result<Representation, WebError> {
    let lang = ui.language();
    let country = countries::by_iso3(code.as_str());
    let years = super::reports::published_years(site, code).await?;
    if country.is_none() && years.is_empty() {
        return Err(WebError::NotFound(Missing::Party(code.to_string())));
    }
    let mut published = Vec::with_capacity(years.len());
    for year in years {
        published.push(load_published(site, code, year).await?);
    }
    let inputs = published
        .iter()
        .map(|p| Ok(ReportInput { framework: site.app.framework(&p.document.framework)?, document: &p.document }))
        .collect::<Result<Vec<_>, WebError>>()?;
    let profile = party_view::profile(&inputs, lang);
    let name = match (country, published.first()) {
        (Some(country), _) => country.name.get(lang).to_owned(),
        (None, Some(newest)) => newest.document.party.name.clone(),
        (None, None) => code.to_string(),
    };
    let reports = published
        .iter()
        .map(|p| ReportLine {
            year: p.document.year,
            released: super::released(
                ui,
                p.published_at.as_str(),
                p.imported_at.as_ref().map(|at| (at.as_str(), p.submitted_on.as_deref())),
            ),
            measures: p.document.policy_measures.len() + p.document.cso_measures.len(),
        })
        .collect();
    let region = country.and_then(|c| c.region).map_or_else(|| "-".to_owned(), |r| r.name().get(lang).to_owned());
    let ratification = ratification_text(ui, country.and_then(|c| c.ratification.as_ref()));
    let modified = latest(published.iter().map(|p| p.published_at.as_str()));
    let comparison = crate::indicators::party_comparison(site, ui, code.as_str()).await?;
    html(
        &PartyPage {
            lang: ui.lang(),
            ui,
            iso3: code.to_string(),
            name,
            region,
            ratification,
            reports,
            profile,
            comparison,
        },
        modified,
    )
}

/// How and when the Party joined the Convention, in the page's language.
fn ratification_text(ui: &Ui, ratification: Option<&Ratification>) -> String {
    let Some(ratification) = ratification else { return ui.t("party-not-a-party") };
    let instrument = ratification.instrument.as_deref().map(|instrument| match instrument {
        "ratification" | "accession" | "acceptance" | "approval" => ui.t(format!("instrument-{instrument}")),
        other => other.to_owned(),
    });
    match (&ratification.date, instrument) {
        (Some(date), Some(instrument)) => crate::i18n::text_with(
            ui.language(),
            "party-deposited-by",
            &[("date", ui.date(date).into()), ("instrument", instrument.into())],
        ),
        (Some(date), None) => ui.date(date),
        (None, _) => ui.t("party-date-unknown"),
    }
}

#[cfg(test)]
mod tests {
    use qpr_domain::text::Lang;

    use super::*;

    #[test]
    fn ratifications_read_well_in_both_languages() {
        let deposit = |date: Option<&str>, instrument: Option<&str>| Ratification {
            date: date.map(str::to_owned),
            instrument: instrument.map(str::to_owned),
        };
        let en = Ui::new(Lang::En, "/parties/AZE");
        let fr = Ui::new(Lang::Fr, "/parties/AZE");
        assert_eq!(
            ratification_text(&en, Some(&deposit(Some("2010-02-15"), Some("accession")))),
            "15 February 2010 (accession)"
        );
        assert_eq!(
            ratification_text(&fr, Some(&deposit(Some("2010-02-15"), Some("accession")))),
            "15 février 2010 (adhésion)"
        );
        assert_eq!(ratification_text(&en, Some(&deposit(Some("2007"), None))), "2007");
        assert_eq!(ratification_text(&en, Some(&deposit(None, None))), "Party; date of deposit not known");
        assert_eq!(ratification_text(&fr, None), "N’est pas Partie à la Convention");
    }
}
