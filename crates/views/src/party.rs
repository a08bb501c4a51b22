//! A Party's profile from its published reports (pure, no HTTP): its key statistics with the
//! years of their data, its measures by area of monitoring and by cultural domain.
//!
//! What counts as a statistic comes from the framework, by answer type: every question
//! answered with a percentage or an amount *with its year* (GDP share, employment share, public
//! budget for culture, and the gender-equality shares of the 2020 form).

use std::collections::BTreeMap;

use qpr_domain::framework::{AnswerType, Framework};
use qpr_domain::text::Lang;
use qpr_domain::versions::{MeasureKey, MeasureVersions};
use qpr_domain::{MeasureKind, ReportDocument};

use crate::report::{domain_text, statistic};

/// A published report of the Party with the framework it answers, newest first.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The framework of the report.
    pub framework: &'a Framework,
    /// The report.
    pub document: &'a ReportDocument,
}

/// One statistic across the Party's reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistic {
    /// The question's label.
    pub label: String,
    /// Its answers, newest report first; reports that did not answer are left out.
    pub values: Vec<StatisticValue>,
}

/// A statistic as one report gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticValue {
    /// The report's year.
    pub report_year: i32,
    /// The value as published.
    pub value: String,
    /// The year the data is from, if given.
    pub data_year: Option<String>,
}

/// A link to a measure, in its newest version.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureLink {
    /// The measure's id.
    pub id: String,
    /// Its title (in the newest report holding it).
    pub title: String,
    /// The year of the newest report holding it.
    pub year: i32,
    /// The years of the earlier reports holding it, newest first.
    pub earlier: Vec<i32>,
}

impl MeasureLink {
    /// The years of the earlier reports, as a list (`2018, 2014`).
    pub fn earlier_years(&self) -> String {
        self.earlier.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// Measures under a heading (an area of monitoring, or a goal for CSO measures).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureGroup {
    /// Heading.
    pub heading: String,
    /// Measures, each once (a measure reported again is shown as the newest report has
    /// it, under that report's area or goal), newest report first, in the report's order.
    pub measures: Vec<MeasureLink>,
}

/// How many measures of each report name a cultural domain.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainRow {
    /// The domain's name.
    pub name: String,
    /// Counts, in the order of [`Profile::years`].
    pub counts: Vec<usize>,
}

/// The profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The years of the reports, newest first (the columns of the domain table).
    pub years: Vec<i32>,
    /// Statistics, in the form's order; those no report answered are left out.
    pub statistics: Vec<Statistic>,
    /// The Party's policies and measures by area of monitoring, in the form's order.
    pub areas: Vec<MeasureGroup>,
    /// Measures reported by civil society organizations, by goal.
    pub cso: Vec<MeasureGroup>,
    /// Measures (of the Party and of CSOs) by cultural domain, in the form's order.
    pub domains: Vec<DomainRow>,
    /// Distinct measures in all the reports: a measure reported again counts once.
    pub distinct_measures: usize,
}

/// Builds the profile of a Party from its reports, newest first. Labels come from the newest
/// report's framework.
pub fn profile(reports: &[ReportInput<'_>], lang: Lang) -> Profile {
    let Some(newest) = reports.first() else {
        return Profile {
            years: Vec::new(),
            statistics: Vec::new(),
            areas: Vec::new(),
            cso: Vec::new(),
            domains: Vec::new(),
            distinct_measures: 0,
        };
    };
    let framework = newest.framework;
    let statistics = framework
        .questions()
        .map(|(_, question)| question)
        .filter(|q| matches!(q.answer_type, AnswerType::PercentWithYear | AnswerType::AmountUsdWithYear))
        .map(|question| Statistic {
            label: question.label.get(lang).to_owned(),
            values: reports
                .iter()
                .filter_map(|r| {
                    let (value, data_year) = statistic(question.answer_type, r.document.answer(&question.id)?);
                    Some(StatisticValue { report_year: r.document.year, value, data_year })
                })
                .collect(),
        })
        .filter(|s| !s.values.is_empty())
        .collect();

    // A measure reported again is listed once, where its newest version is.
    let versions = MeasureVersions::of(reports.iter().map(|r| r.document));
    let current = |kind: MeasureKind, id: &str, year: i32| versions.is_current(&MeasureKey::new(kind, id), year);
    let link = |kind: MeasureKind, id: &str, title: &str, year: i32| MeasureLink {
        id: id.to_owned(),
        title: title.to_owned(),
        year,
        earlier: versions.other_years(&MeasureKey::new(kind, id), year),
    };
    let areas = framework
        .sections
        .iter()
        .filter_map(|section| Some((section, section.area.as_deref()?)))
        .map(|(section, area)| MeasureGroup {
            heading: section.heading.get(lang).to_owned(),
            measures: reports
                .iter()
                .flat_map(|r| {
                    let year = r.document.year;
                    r.document
                        .measures_in_area(area)
                        .filter(move |m| current(MeasureKind::Policy, &m.id, year))
                        .map(move |m| link(MeasureKind::Policy, &m.id, &m.title, year))
                })
                .collect(),
        })
        .filter(|g| !g.measures.is_empty())
        .collect();
    let cso = framework
        .goals
        .iter()
        .map(|goal| MeasureGroup {
            heading: goal.heading.get(lang).to_owned(),
            measures: reports
                .iter()
                .flat_map(|r| {
                    let year = r.document.year;
                    r.document
                        .cso_measures_of_goal(goal.number)
                        .filter(move |m| current(MeasureKind::Cso, &m.id, year))
                        .map(move |m| link(MeasureKind::Cso, &m.id, &m.title, year))
                })
                .collect(),
        })
        .filter(|g| !g.measures.is_empty())
        .collect();

    // Domains in the form's order, then any the form does not know, by key.
    let mut counts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (column, report) in reports.iter().enumerate() {
        let document = report.document;
        let named =
            document.policy_measures.iter().map(|m| &m.domains).chain(document.cso_measures.iter().map(|m| &m.domains));
        for key in named.flatten() {
            counts.entry(key.as_str()).or_insert_with(|| vec![0; reports.len()])[column] += 1;
        }
    }
    let known: Vec<&str> =
        framework.option_lists.get("cultural_domains").into_iter().flatten().map(|o| o.key.as_str()).collect();
    let mut domains: Vec<DomainRow> = known
        .iter()
        .filter_map(|key| Some(DomainRow { name: domain_text(framework, key, lang), counts: counts.remove(key)? }))
        .collect();
    domains
        .extend(counts.into_iter().map(|(key, counts)| DomainRow { name: domain_text(framework, key, lang), counts }));

    Profile {
        years: reports.iter().map(|r| r.document.year).collect(),
        statistics,
        areas,
        cso,
        domains,
        distinct_measures: versions.distinct(),
    }
}

#[cfg(test)]
mod tests {
    use qpr_domain::document::PolicyMeasure;

    use super::*;

    fn seed() -> ReportDocument {
        qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../demo/qpr-azerbaijan-2022.txt"))
            .unwrap()
    }

    #[test]
    fn the_seed_gives_statistics_with_years_areas_and_domains() {
        let document = seed();
        let mut older = seed();
        older.year = 2018;
        older.answers.remove("g1_ccs_gdp_share");
        older.policy_measures.truncate(1);
        older.policy_measures[0].id = "AZE-2018-pm01".into();
        older.cso_measures.clear();
        let framework = Framework::qpr_2020();
        let reports = [ReportInput { framework, document: &document }, ReportInput { framework, document: &older }];
        let profile = profile(&reports, Lang::En);
        assert_eq!(profile.years, [2022, 2018]);

        let gdp = &profile.statistics[0];
        assert_eq!(gdp.label, "Share of cultural and creative sectors in Gross Domestic Product (GDP)");
        assert_eq!(gdp.values.len(), 1, "the 2018 report does not answer it");
        let expected = statistic(AnswerType::PercentWithYear, &document.answers["g1_ccs_gdp_share"]);
        assert_eq!(
            (gdp.values[0].report_year, gdp.values[0].value.clone(), gdp.values[0].data_year.clone()),
            (2022, expected.0, expected.1)
        );
        assert!(profile.statistics.iter().any(|s| s.label == "Total public budget for culture (in USD)"));
        assert!(
            profile.statistics.iter().any(|s| s.label == "Share of employment in the cultural and creative sectors")
        );

        let listed: usize = profile.areas.iter().map(|g| g.measures.len()).sum();
        assert_eq!(listed, document.policy_measures.len() + 1);
        assert_eq!(profile.areas[0].heading, "Cultural and Creative Sectors");
        assert_eq!(
            profile.areas[0].measures.last().map(|m| (m.id.as_str(), m.year)),
            Some(("AZE-2018-pm01", 2018)),
            "newest first"
        );
        assert_eq!(profile.cso.iter().map(|g| g.measures.len()).sum::<usize>(), document.cso_measures.len());

        let names: Vec<&str> = profile.domains.iter().map(|d| d.name.as_str()).collect();
        assert!(names.windows(2).all(|w| w[0] != w[1]), "{names:?}");
        let music = profile.domains.iter().find(|d| d.name == "Music").unwrap();
        let expected = document.policy_measures.iter().filter(|m| m.domains.iter().any(|d| d == "music")).count()
            + document.cso_measures.iter().filter(|m| m.domains.iter().any(|d| d == "music")).count();
        assert_eq!(music.counts[0], expected);
        let french = super::profile(&reports, Lang::Fr);
        assert!(french.domains.iter().any(|d| d.name == "Musique"));
    }

    #[test]
    fn a_measure_reported_again_is_listed_once_in_its_newest_version() {
        let newer = seed();
        let mut older = seed();
        older.year = 2018;
        older.policy_measures[0].title = "The 2018 wording".into();
        older.policy_measures.push(PolicyMeasure { id: "AZE-2018-pm99".into(), ..older.policy_measures[1].clone() });
        let framework = Framework::qpr_2020();
        let reports = [ReportInput { framework, document: &newer }, ReportInput { framework, document: &older }];
        let profile = profile(&reports, Lang::En);
        let listed: Vec<&MeasureLink> = profile.areas.iter().flat_map(|g| &g.measures).collect();
        assert_eq!(listed.len(), newer.policy_measures.len() + 1, "each measure once, and the one of 2018 only");
        let again = listed.iter().find(|m| m.id == newer.policy_measures[0].id).unwrap();
        assert_eq!(
            (again.year, again.title.as_str(), again.earlier.as_slice()),
            (2022, newer.policy_measures[0].title.as_str(), &[2018][..])
        );
        let dropped = listed.iter().find(|m| m.id == "AZE-2018-pm99").unwrap();
        assert_eq!((dropped.year, dropped.earlier.len()), (2018, 0));
        assert_eq!(profile.cso.iter().map(|g| g.measures.len()).sum::<usize>(), newer.cso_measures.len());
        assert_eq!(profile.distinct_measures, newer.policy_measures.len() + newer.cso_measures.len() + 1);
    }

    #[test]
    fn a_party_without_reports_has_an_empty_profile() {
        let profile = profile(&[], Lang::En);
        assert!(profile.years.is_empty() && profile.statistics.is_empty() && profile.domains.is_empty());
    }
}
