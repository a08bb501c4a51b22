//! The figures: the facts of every published report, one report per Party per cycle, and
//! the counts the pages and the API show.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Cycle;
use crate::catalog::{Catalog, ChoiceOption, Indicator, StatisticDef};
use crate::facts::{Flag, ReportFacts, Said, StatisticSaid};
use crate::group::Group;

/// A published report given to [`Figures::new`].
#[derive(Debug, Clone)]
pub struct PublishedReport {
    /// The Party's code.
    pub iso3: String,
    /// The report's year.
    pub year: i32,
    /// What it says ([`ReportFacts::of`]).
    pub facts: Arc<ReportFacts>,
}

/// A report not counted because its Party has a later one in the same cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The Party's code.
    pub iso3: String,
    /// The year of the report set aside.
    pub year: i32,
    /// The year of the report that counts.
    pub counted_year: i32,
}

#[derive(Debug, Clone)]
struct Counted {
    iso3: String,
    year: i32,
    group: Group,
    facts: Arc<ReportFacts>,
}

/// Every figure of a set of published reports. Made once per change of what is published.
#[derive(Debug, Clone)]
pub struct Figures<'c> {
    catalog: &'c Catalog,
    cycles: BTreeMap<Cycle, Vec<Counted>>,
    set_aside: BTreeMap<Cycle, Vec<SetAside>>,
}

/// Who an indicator's figure is about, out of the Parties that reported in the cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Base {
    /// Parties that reported in the cycle (in the region, when one is chosen).
    pub reporting: usize,
    /// Those that answered.
    pub answered: usize,
    /// Those that left the question unanswered (never counted as "no").
    pub not_answered: usize,
    /// Those a follow-up did not apply to (their answer to its parent question does not ask it).
    pub not_applicable: usize,
    /// Those whose report answers an earlier form that does not ask this question the same way.
    pub earlier_form: usize,
}

/// How many of those who answered chose an option.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionCount<'c> {
    /// The option.
    pub option: &'c ChoiceOption,
    /// How many Parties chose it.
    pub count: usize,
    /// `count / answered`; `None` when nobody answered.
    pub share: Option<f64>,
}

/// An indicator's counts over some Parties.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally<'c> {
    /// The base.
    pub base: Base,
    /// Counts per option, in the form's order.
    pub values: Vec<OptionCount<'c>>,
}

/// What a Party's report says for an indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading<'c> {
    /// Its form does not ask the question the same way.
    EarlierForm,
    /// A follow-up its parent answer does not ask.
    NotApplicable,
    /// Unanswered.
    NotAnswered,
    /// The options chosen.
    Chose(Vec<&'c ChoiceOption>),
}

/// A Party's answer to an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyAnswer<'c> {
    /// The Party's code.
    pub iso3: String,
    /// The year of the report that counts.
    pub year: i32,
    /// Its group.
    pub group: Group,
    /// What it said.
    pub reading: Reading<'c>,
}

/// One indicator in one cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFigure<'c> {
    /// The indicator.
    pub indicator: &'c Indicator,
    /// The cycle.
    pub cycle: Cycle,
    /// The group chosen, if any (`all` is then that group's).
    pub within: Option<Group>,
    /// The counts over the Parties chosen.
    pub all: Tally<'c>,
    /// The counts of each group with a Party that reported in the cycle, whatever is chosen.
    pub by_group: Vec<(Group, Tally<'c>)>,
    /// Every Party chosen, by code.
    pub parties: Vec<PartyAnswer<'c>>,
}

/// A statistic in one cycle: median and quartiles of the figures given.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticFigure<'c> {
    /// The statistic.
    pub statistic: &'c StatisticDef,
    /// Who gave a figure (`answered`), who did not.
    pub base: Base,
    /// Lower quartile, median, upper quartile (linear interpolation between the nearest
    /// ranks, as R's default and `NumPy`'s); `None` when no figure was given.
    pub quartiles: Option<[f64; 3]>,
    /// The smallest and largest figures.
    pub range: Option<[f64; 2]>,
    /// How many figures are of each year of data, oldest first.
    pub data_years: Vec<(i64, usize)>,
    /// Figures given without the year of their data.
    pub without_year: usize,
}

/// A yes/no field of measures, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagCount {
    /// Measures answered YES.
    pub yes: usize,
    /// Measures answered NO.
    pub no: usize,
    /// Measures where it was left empty.
    pub not_answered: usize,
    /// Measures whose form does not ask it.
    pub not_asked: usize,
}

impl FlagCount {
    fn add(&mut self, flag: Flag) {
        match flag {
            Flag::Yes => self.yes += 1,
            Flag::No => self.no += 1,
            Flag::NotAnswered => self.not_answered += 1,
            Flag::NotAsked => self.not_asked += 1,
        }
    }

    /// Measures that answered (YES or NO).
    pub fn answered(&self) -> usize {
        self.yes + self.no
    }
}

/// Policy measures in one cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureFigures {
    /// Reports counted.
    pub reports: usize,
    /// Reports with at least one measure (in the area, when one is chosen).
    pub reports_with: usize,
    /// Measures.
    pub measures: usize,
    /// Per area of monitoring (ids in the form's order, then others as found): measures and
    /// reports with at least one.
    pub by_area: Vec<(String, usize, usize)>,
    /// Measures naming each cultural domain (keys of `cultural_domains`, then `unlisted`).
    pub by_domain: Vec<(ChoiceOption, usize)>,
    /// Measures with a partner of each entity type (keys of `entity_types`, then `unlisted`).
    pub by_partner_type: Vec<(ChoiceOption, usize)>,
    /// Measures whose form asks for partners.
    pub partner_base: usize,
    /// Measures targeting young people.
    pub youth: FlagCount,
    /// Measures supported by the IFCD.
    pub ifcd: FlagCount,
    /// Measures evaluated.
    pub evaluated: FlagCount,
}

/// Measures reported by civil society organizations in one cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsoFigures {
    /// Reports counted.
    pub reports: usize,
    /// Reports with at least one CSO measure.
    pub reports_with: usize,
    /// CSO measures.
    pub measures: usize,
    /// CSO measures per goal (1–4).
    pub by_goal: Vec<(u8, usize)>,
}

/// A Party's answer beside its group's and all Parties' counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'c> {
    /// The indicator.
    pub indicator: &'c Indicator,
    /// The Party's answer.
    pub party: Reading<'c>,
    /// Its group's counts.
    pub group: Tally<'c>,
    /// All Parties' counts.
    pub all: Tally<'c>,
}

impl<'c> Figures<'c> {
    /// The figures of these published reports. Within a cycle each Party counts once, by its
    /// latest report (its most recent statement); its earlier reports of the cycle are listed
    /// in [`Figures::set_aside`].
    pub fn new(catalog: &'c Catalog, reports: Vec<PublishedReport>) -> Figures<'c> {
        let mut latest: BTreeMap<(Cycle, String), PublishedReport> = BTreeMap::new();
        let mut set_aside: BTreeMap<Cycle, Vec<SetAside>> = BTreeMap::new();
        for report in reports {
            let key = (Cycle::of_year(report.year), report.iso3.clone());
            let (kept, dropped) = match latest.remove(&key) {
                Some(other) if other.year >= report.year => (other, Some(report)),
                Some(other) => (report, Some(other)),
                None => (report, None),
            };
            if let Some(dropped) = dropped {
                set_aside.entry(key.0).or_default().push(SetAside {
                    iso3: dropped.iso3,
                    year: dropped.year,
                    counted_year: kept.year,
                });
            }
            latest.insert(key, kept);
        }
        let mut cycles: BTreeMap<Cycle, Vec<Counted>> = BTreeMap::new();
        for ((cycle, iso3), report) in latest {
            let group = Group::of(&iso3);
            cycles.entry(cycle).or_default().push(Counted { iso3, year: report.year, group, facts: report.facts });
        }
        for list in set_aside.values_mut() {
            list.sort_by(|a, b| (&a.iso3, a.year).cmp(&(&b.iso3, b.year)));
        }
        Figures { catalog, cycles, set_aside }
    }

    /// The catalog.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The cycles with a published report, newest first.
    pub fn cycles(&self) -> Vec<Cycle> {
        self.cycles.keys().rev().copied().collect()
    }

    /// The newest cycle with a published report.
    pub fn latest_cycle(&self) -> Option<Cycle> {
        self.cycles.keys().next_back().copied()
    }

    /// Reports of the cycle not counted (their Party has a later one in the cycle).
    pub fn set_aside(&self, cycle: Cycle) -> &[SetAside] {
        self.set_aside.get(&cycle).map_or(&[], Vec::as_slice)
    }

    fn counted(&self, cycle: Cycle, within: Option<Group>) -> impl Iterator<Item = &Counted> {
        self.cycles.get(&cycle).into_iter().flatten().filter(move |c| within.is_none_or(|g| c.group == g))
    }

    /// The reports counted in a cycle (in a group): Party code, year and group, by code.
    pub fn reports(&self, cycle: Cycle, within: Option<Group>) -> Vec<(&str, i32, Group)> {
        self.counted(cycle, within).map(|c| (c.iso3.as_str(), c.year, c.group)).collect()
    }

    /// How many Parties reported in a cycle (in a group).
    pub fn reporting(&self, cycle: Cycle, within: Option<Group>) -> usize {
        self.counted(cycle, within).count()
    }

    fn tally<'a>(
        &self,
        index: usize,
        indicator: &'c Indicator,
        reports: impl Iterator<Item = &'a Counted>,
    ) -> Tally<'c> {
        let mut base = Base::default();
        let mut counts = vec![0usize; indicator.options.len()];
        for report in reports {
            base.reporting += 1;
            match report.facts.said.get(index) {
                Some(Said::Chose(chosen)) => {
                    base.answered += 1;
                    for &option in chosen {
                        if let Some(count) = counts.get_mut(usize::from(option)) {
                            *count += 1;
                        }
                    }
                }
                Some(Said::NotApplicable) => base.not_applicable += 1,
                Some(Said::EarlierForm) => base.earlier_form += 1,
                // Facts made from another catalog have no reading: nothing was read, so
                // nothing was answered.
                Some(Said::NotAnswered) | None => base.not_answered += 1,
            }
        }
        let values = indicator
            .options
            .iter()
            .zip(counts)
            .map(|(option, count)| OptionCount { option, count, share: share(count, base.answered) })
            .collect();
        Tally { base, values }
    }

    fn reading(&self, index: usize, indicator: &'c Indicator, facts: &ReportFacts) -> Reading<'c> {
        match facts.said.get(index) {
            Some(Said::Chose(chosen)) => {
                Reading::Chose(chosen.iter().filter_map(|&i| indicator.options.get(usize::from(i))).collect())
            }
            Some(Said::NotApplicable) => Reading::NotApplicable,
            Some(Said::EarlierForm) => Reading::EarlierForm,
            Some(Said::NotAnswered) | None => Reading::NotAnswered,
        }
    }

    /// An indicator in a cycle, over the Parties of a group or all; `None` for an unknown id.
    pub fn indicator(&self, id: &str, cycle: Cycle, within: Option<Group>) -> Option<IndicatorFigure<'c>> {
        let index = self.catalog.indicators.iter().position(|i| i.id == id)?;
        let indicator = &self.catalog.indicators[index];
        let all = self.tally(index, indicator, self.counted(cycle, within));
        let by_group = Group::ALL
            .into_iter()
            .map(|group| (group, self.tally(index, indicator, self.counted(cycle, Some(group)))))
            .filter(|(_, tally)| tally.base.reporting > 0)
            .collect();
        let parties = self
            .counted(cycle, within)
            .map(|c| PartyAnswer {
                iso3: c.iso3.clone(),
                year: c.year,
                group: c.group,
                reading: self.reading(index, indicator, &c.facts),
            })
            .collect();
        Some(IndicatorFigure { indicator, cycle, within, all, by_group, parties })
    }

    /// What each Party that reported in the cycle chose for an indicator, by code (for a map
    /// coloured by answer): the options chosen, empty when its report gives no answer that
    /// counts (unanswered, not applicable, an earlier form). `None` for an unknown id.
    pub fn party_answers(&self, indicator: &str, cycle: Cycle) -> Option<BTreeMap<String, Vec<&'c ChoiceOption>>> {
        let figure = self.indicator(indicator, cycle, None)?;
        Some(
            figure
                .parties
                .into_iter()
                .map(|p| {
                    let chosen = match p.reading {
                        Reading::Chose(options) => options,
                        _ => Vec::new(),
                    };
                    (p.iso3, chosen)
                })
                .collect(),
        )
    }

    /// A statistic in a cycle; `None` for an unknown question.
    pub fn statistic(&self, question: &str, cycle: Cycle, within: Option<Group>) -> Option<StatisticFigure<'c>> {
        let index = self.catalog.statistics.iter().position(|s| s.question == question)?;
        let statistic = &self.catalog.statistics[index];
        let mut base = Base::default();
        let mut values = Vec::new();
        let mut years: BTreeMap<i64, usize> = BTreeMap::new();
        let mut without_year = 0;
        for report in self.counted(cycle, within) {
            base.reporting += 1;
            match report.facts.statistics.get(index) {
                Some(StatisticSaid::Value(value, year)) => {
                    base.answered += 1;
                    values.push(*value);
                    match year {
                        Some(year) => *years.entry(*year).or_default() += 1,
                        None => without_year += 1,
                    }
                }
                Some(StatisticSaid::EarlierForm) => base.earlier_form += 1,
                Some(StatisticSaid::NotAnswered) | None => base.not_answered += 1,
            }
        }
        values.sort_by(f64::total_cmp);
        let quartiles =
            (!values.is_empty()).then(|| [quantile(&values, 0.25), quantile(&values, 0.5), quantile(&values, 0.75)]);
        let range = values.first().zip(values.last()).map(|(low, high)| [*low, *high]);
        Some(StatisticFigure {
            statistic,
            base,
            quartiles,
            range,
            data_years: years.into_iter().collect(),
            without_year,
        })
    }

    /// Policy measures in a cycle, of one area or all.
    pub fn measures(&self, cycle: Cycle, within: Option<Group>, area: Option<&str>) -> MeasureFigures {
        let framework = &self.catalog.framework;
        let list = |name: &str| -> Vec<ChoiceOption> {
            framework
                .option_lists
                .get(name)
                .into_iter()
                .flatten()
                .map(|o| ChoiceOption {
                    key: o.key.clone(),
                    label: qpr_domain::text::LocalizedText { en: o.en.clone(), fr: o.fr.clone(), es: None },
                })
                // A list with "Other (please specify)" counts the values outside it there.
                .chain(framework.other_entry(name).is_none().then(|| ChoiceOption {
                    key: ChoiceOption::UNLISTED.to_owned(),
                    label: qpr_domain::text::LocalizedText {
                        en: "Others (not in the form's list)".to_owned(),
                        fr: "Autres (hors de la liste du formulaire)".to_owned(),
                        es: None,
                    },
                }))
                .collect()
        };
        let mut by_domain: Vec<(ChoiceOption, usize)> = list("cultural_domains").into_iter().map(|o| (o, 0)).collect();
        let mut by_partner_type: Vec<(ChoiceOption, usize)> =
            list("entity_types").into_iter().map(|o| (o, 0)).collect();
        let mut by_area: Vec<(String, usize, usize)> =
            self.catalog.areas.iter().map(|a| (a.id.clone(), 0, 0)).collect();
        let mut figures = MeasureFigures {
            reports: 0,
            reports_with: 0,
            measures: 0,
            by_area: Vec::new(),
            by_domain: Vec::new(),
            by_partner_type: Vec::new(),
            partner_base: 0,
            youth: FlagCount::default(),
            ifcd: FlagCount::default(),
            evaluated: FlagCount::default(),
        };
        let add = |counts: &mut Vec<(ChoiceOption, usize)>, key: &str| {
            if let Some(entry) = counts.iter_mut().find(|(o, _)| o.key == key) {
                entry.1 += 1;
            }
        };
        for report in self.counted(cycle, within) {
            figures.reports += 1;
            let mut areas_seen: Vec<&str> = Vec::new();
            let mut any = false;
            for measure in report.facts.measures.iter() {
                match by_area.iter_mut().find(|(id, _, _)| *id == measure.area) {
                    Some(entry) => entry.1 += 1,
                    None => by_area.push((measure.area.clone(), 1, 0)),
                }
                if !areas_seen.contains(&measure.area.as_str()) {
                    areas_seen.push(&measure.area);
                }
                if area.is_some_and(|a| a != measure.area) {
                    continue;
                }
                any = true;
                figures.measures += 1;
                for domain in &measure.domains {
                    add(&mut by_domain, domain);
                }
                if let Some(types) = &measure.partner_types {
                    figures.partner_base += 1;
                    for kind in types {
                        add(&mut by_partner_type, kind);
                    }
                }
                figures.youth.add(measure.youth);
                figures.ifcd.add(measure.ifcd);
                figures.evaluated.add(measure.evaluated);
            }
            for seen in areas_seen {
                if let Some(entry) = by_area.iter_mut().find(|(id, _, _)| id == seen) {
                    entry.2 += 1;
                }
            }
            if any {
                figures.reports_with += 1;
            }
        }
        figures.by_area =
            by_area.into_iter().filter(|(id, count, _)| *count > 0 || self.catalog.area(id).is_some()).collect();
        figures.by_domain = by_domain;
        figures.by_partner_type = by_partner_type;
        figures
    }

    /// Measures reported by civil society organizations in a cycle.
    pub fn cso(&self, cycle: Cycle, within: Option<Group>) -> CsoFigures {
        let mut figures = CsoFigures {
            reports: 0,
            reports_with: 0,
            measures: 0,
            by_goal: self.catalog.goals.iter().map(|(n, _)| (*n, 0)).collect(),
        };
        for report in self.counted(cycle, within) {
            figures.reports += 1;
            if !report.facts.cso_measures.is_empty() {
                figures.reports_with += 1;
            }
            for measure in &report.facts.cso_measures {
                figures.measures += 1;
                if let Some(entry) = figures.by_goal.iter_mut().find(|(n, _)| *n == measure.goal) {
                    entry.1 += 1;
                }
            }
        }
        figures
    }

    /// A Party's answers beside its group's and all Parties' counts, for every indicator, in
    /// the newest cycle it reported in (with that cycle); `None` when it reported in none.
    pub fn compare(&self, iso3: &str) -> Option<(Cycle, i32, Vec<Comparison<'c>>)> {
        let (cycle, report) = self
            .cycles
            .iter()
            .rev()
            .find_map(|(cycle, reports)| Some((*cycle, reports.iter().find(|r| r.iso3 == iso3)?)))?;
        let comparisons = self
            .catalog
            .indicators
            .iter()
            .enumerate()
            .map(|(index, indicator)| Comparison {
                indicator,
                party: self.reading(index, indicator, &report.facts),
                group: self.tally(index, indicator, self.counted(cycle, Some(report.group))),
                all: self.tally(index, indicator, self.counted(cycle, None)),
            })
            .collect();
        Some((cycle, report.year, comparisons))
    }
}

/// `count / of`, `None` when `of` is 0.
fn share(count: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| count as f64 / of as f64)
}

/// The `q` quantile of sorted values, interpolating linearly between the nearest ranks.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let low = position.floor() as usize;
    let high = position.ceil() as usize;
    let fraction = position - low as f64;
    sorted[low] + (sorted[high] - sorted[low]) * fraction
}

#[cfg(test)]
mod tests {
    use qpr_domain::{Framework, ReportDocument};
    use serde_json::{Value, json};

    use super::*;

    const DEMO: &str = include_str!("../../../demo/qpr-azerbaijan-2022.txt");

    fn demo() -> ReportDocument {
        qpr_import::import_published(Framework::qpr_2020(), DEMO).expect("the demo report imports")
    }

    fn of(document: &ReportDocument, iso3: &str, year: i32) -> PublishedReport {
        let mut document = document.clone();
        document.year = year;
        PublishedReport { iso3: iso3.to_owned(), year, facts: Arc::new(ReportFacts::of(Catalog::builtin(), &document)) }
    }

    /// The demo report, and variants of it for other Parties.
    fn reports() -> Vec<(String, i32, ReportDocument)> {
        let aze = demo();
        let mut fra = demo();
        fra.answers.insert("g1_ccs_ministry".into(), json!(false));
        fra.answers.insert("g1_ccs_regulatory_frameworks".into(), json!(false));
        fra.answers.remove("g1_ccs_interministerial");
        fra.answers.insert(
            "g1_media_content_diversity".into(),
            json!(["Regional and/or local broadcasters", "A text of our own"]),
        );
        fra.answers.insert("g1_ccs_gdp_share".into(), json!({"percent": 3.0, "year": 2019}));
        fra.cso_measures.clear();
        let mut sen = demo();
        for id in ["g1_ccs_ministry", "g1_ccs_regulatory_frameworks", "g1_ccs_interministerial", "g1_ccs_gdp_share"] {
            sen.answers.insert(id.into(), Value::Null);
        }
        sen.answers.insert("g2_flow_export_strategies_domains".into(), json!(["Music", "Gastronomy"]));
        sen.policy_measures.truncate(2);
        let mut eu = demo();
        eu.answers.insert("g1_ccs_gdp_share".into(), json!({"percent": 5.0, "year": null}));
        let mut aze_earlier = demo();
        aze_earlier.answers.insert("g1_ccs_ministry".into(), json!(false));
        vec![
            ("AZE".into(), 2022, aze),
            ("AZE".into(), 2020, aze_earlier),
            ("FRA".into(), 2021, fra),
            ("SEN".into(), 2023, sen),
            ("EUE".into(), 2022, eu),
        ]
    }

    fn figures(reports: &[(String, i32, ReportDocument)]) -> Figures<'static> {
        Figures::new(Catalog::builtin(), reports.iter().map(|(iso3, year, d)| of(d, iso3, *year)).collect())
    }

    #[test]
    fn every_yes_no_figure_is_the_count_of_the_documents() {
        let reports = reports();
        let figures = figures(&reports);
        let cycle = Cycle::of_year(2022);
        assert_eq!(figures.reporting(cycle, None), 4, "AZE once, by its 2022 report");
        assert_eq!(figures.set_aside(cycle), [SetAside { iso3: "AZE".into(), year: 2020, counted_year: 2022 }]);
        let counted: Vec<_> = reports.iter().filter(|(iso3, year, _)| !(iso3 == "AZE" && *year == 2020)).collect();
        for indicator in
            Catalog::builtin().indicators.iter().filter(|i| i.options.len() == 2 && i.options[0].key == "yes")
        {
            let figure = figures.indicator(&indicator.id, cycle, None).unwrap();
            let answers: Vec<Option<bool>> =
                counted.iter().map(|(_, _, d)| d.answer(&indicator.question).and_then(Value::as_bool)).collect();
            let yes = answers.iter().filter(|a| **a == Some(true)).count();
            let no = answers.iter().filter(|a| **a == Some(false)).count();
            assert_eq!(figure.all.values[0].count, yes, "{}", indicator.id);
            assert_eq!(figure.all.values[1].count, no, "{}", indicator.id);
            assert_eq!(figure.all.base.answered, yes + no, "{}", indicator.id);
            let base = figure.all.base;
            assert_eq!(base.reporting, 4);
            assert_eq!(
                base.answered + base.not_answered + base.not_applicable + base.earlier_form,
                4,
                "{}",
                indicator.id
            );
            if yes + no > 0 {
                assert_eq!(figure.all.values[0].share, Some(yes as f64 / (yes + no) as f64));
            }
        }
        // A follow-up whose parent says NO does not apply; unanswered is not "no".
        let follow_up = figures.indicator("g1_ccs_interministerial", cycle, None).unwrap();
        assert_eq!(follow_up.all.base.not_applicable, 1, "FRA answered NO to its parent");
        assert_eq!(follow_up.all.base.not_answered, 1, "SEN answered neither");
        assert_eq!(follow_up.all.values[1].count, 2, "AZE and the EU answered NO");
        let digital = figures.indicator("g1_digital_creativity_competencies", cycle, None).unwrap();
        assert_eq!((digital.all.base.answered, digital.all.base.not_answered), (0, 4));
        assert_eq!(digital.all.values[1].share, None, "no share of nobody");
    }

    #[test]
    fn regions_the_eu_and_the_parties_answers() {
        let figures = figures(&reports());
        let cycle = Cycle::of_year(2021);
        let ministry = figures.indicator("g1_ccs_ministry", cycle, None).unwrap();
        let groups: Vec<_> = ministry.by_group.iter().map(|(g, t)| (g.id(), t.base.reporting)).collect();
        assert_eq!(groups, [("africa", 1), ("europe_north_america", 2), ("european_union", 1)]);
        let europe = figures.indicator("g1_ccs_ministry", cycle, Group::from_id("europe_north_america")).unwrap();
        assert_eq!((europe.all.base.reporting, europe.all.values[0].count, europe.all.values[1].count), (2, 1, 1));
        assert_eq!(europe.parties.iter().map(|p| p.iso3.as_str()).collect::<Vec<_>>(), ["AZE", "FRA"]);
        let answers = figures.party_answers("g1_ccs_ministry", cycle).unwrap();
        let keys = |iso3: &str| answers[iso3].iter().map(|o| o.key.as_str()).collect::<Vec<_>>();
        assert_eq!(
            (keys("AZE"), keys("FRA"), keys("SEN"), keys("EUE")),
            (vec!["yes"], vec!["no"], vec![], vec!["yes"])
        );
        assert!(figures.party_answers("no_such_question", cycle).is_none());
        let (compared_cycle, year, comparisons) = figures.compare("FRA").unwrap();
        assert_eq!((compared_cycle, year), (cycle, 2021));
        let ministry = comparisons.iter().find(|c| c.indicator.id == "g1_ccs_ministry").unwrap();
        assert_eq!(ministry.group.base.reporting, 2);
        assert_eq!(ministry.all.base.reporting, 4);
        assert!(matches!(&ministry.party, Reading::Chose(o) if o[0].key == "no"));
    }

    #[test]
    fn options_outside_the_list_go_to_other_or_unlisted() {
        let figures = figures(&reports());
        let cycle = Cycle::of_year(2021);
        let content = figures.indicator("g1_media_content_diversity", cycle, None).unwrap();
        let count = |key: &str| content.all.values.iter().find(|v| v.option.key == key).unwrap().count;
        assert_eq!(count("regional_local_broadcasters"), 4);
        let other = content.indicator.options.iter().find(|o| o.label.en.starts_with("Other")).unwrap();
        assert_eq!(count(&other.key), 1, "FRA's own text is its “Other (please specify)”");
        let domains = figures.indicator("g2_flow_export_strategies_domains", cycle, None).unwrap();
        let unlisted = domains.all.values.iter().find(|v| v.option.key == ChoiceOption::UNLISTED).unwrap();
        assert_eq!(unlisted.count, 1, "SEN's Gastronomy");
        let music = domains.all.values.iter().find(|v| v.option.key == "music").unwrap();
        assert_eq!(music.count, 4);
    }

    /// Issue 15: a group of a nested multi-select and the partners' types have “Other (please
    /// specify)” too: a text outside the list counts there, and no `unlisted` bucket is shown.
    #[test]
    fn texts_outside_the_lists_of_groups_and_partner_types_count_under_other() {
        let mut reports = reports();
        let fra = &mut reports[2].2;
        fra.answers.insert("g1_ccs_education_training".into(), json!({"tvet": ["Music", "Puppetry"]}));
        fra.policy_measures[0].partners =
            serde_json::from_value(json!([{"name": "A school", "entity_type": "Academia"}])).unwrap();
        let figures = figures(&reports);
        let cycle = Cycle::of_year(2021);
        let tvet = figures.indicator("g1_ccs_education_training.tvet", cycle, None).unwrap();
        let count = |key: &str| tvet.all.values.iter().find(|v| v.option.key == key).map(|v| v.count);
        assert_eq!(count("other"), Some(1), "FRA's Puppetry");
        assert_eq!(count(ChoiceOption::UNLISTED), None);
        let measures = figures.measures(cycle, None, None);
        let types: Vec<(&str, usize)> = measures.by_partner_type.iter().map(|(o, n)| (o.key.as_str(), *n)).collect();
        assert_eq!(types.last(), Some(&("other", 1)), "{types:?}");
        assert!(types.iter().all(|(key, _)| *key != ChoiceOption::UNLISTED), "{types:?}");
    }

    #[test]
    fn statistics_measures_and_cso() {
        let reports = reports();
        let figures = figures(&reports);
        let cycle = Cycle::of_year(2021);
        let gdp = figures.statistic("g1_ccs_gdp_share", cycle, None).unwrap();
        // AZE 1.0 (2021), FRA 3.0 (2019), EU 5.0 (no year); SEN none.
        assert_eq!((gdp.base.answered, gdp.base.not_answered), (3, 1));
        assert_eq!(gdp.quartiles, Some([2.0, 3.0, 4.0]));
        assert_eq!(gdp.range, Some([1.0, 5.0]));
        assert_eq!((gdp.data_years.clone(), gdp.without_year), (vec![(2019, 1), (2021, 1)], 1));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
        let measures = figures.measures(cycle, None, None);
        let demo = demo();
        assert_eq!(measures.measures, 3 * demo.policy_measures.len() + 2);
        assert_eq!((measures.reports, measures.reports_with), (4, 4));
        let youth = demo.policy_measures.iter().filter(|m| m.targets_youth == Some(true)).count();
        let sen_youth = demo.policy_measures[..2].iter().filter(|m| m.targets_youth == Some(true)).count();
        assert_eq!(measures.youth.yes, 3 * youth + sen_youth);
        let in_area = |area: &str| demo.policy_measures.iter().filter(|m| m.area == area).count();
        let ccs = figures.measures(cycle, None, Some("cultural_creative_sectors"));
        let sen_ccs = demo.policy_measures[..2].iter().filter(|m| m.area == "cultural_creative_sectors").count();
        assert_eq!(ccs.measures, 3 * in_area("cultural_creative_sectors") + sen_ccs);
        let music = ccs.by_domain.iter().find(|(o, _)| o.key == "music").unwrap().1;
        let music_expected = reports
            .iter()
            .filter(|(iso3, year, _)| !(iso3 == "AZE" && *year == 2020))
            .flat_map(|(_, _, d)| d.policy_measures.iter())
            .filter(|m| m.area == "cultural_creative_sectors" && m.domains.iter().any(|d| d == "music"))
            .count();
        assert_eq!(music, music_expected);
        let cso = figures.cso(cycle, None);
        assert_eq!((cso.reports, cso.reports_with, cso.measures), (4, 3, 3 * demo.cso_measures.len()));
    }

    #[test]
    fn reports_of_an_earlier_form_are_outside_the_base_of_what_it_does_not_ask() {
        let mut old =
            ReportDocument::new("qpr-2016", qpr_domain::document::PartyRef { name: "Sweden".into(), iso3: None }, 2017);
        old.answers.insert("g1_ccs_ministry".into(), json!(true));
        let mut measure = demo().policy_measures[0].clone();
        measure.targets_youth = Some(true);
        old.policy_measures.push(measure);
        let figures = Figures::new(Catalog::builtin(), vec![of(&old, "SWE", 2017)]);
        let cycle = Cycle::of_year(2017);
        let ministry = figures.indicator("g1_ccs_ministry", cycle, None).unwrap();
        assert_eq!(ministry.all.base, Base { reporting: 1, earlier_form: 1, ..Base::default() });
        let measures = figures.measures(cycle, None, None);
        assert_eq!(measures.measures, 1);
        assert_eq!(measures.youth, FlagCount { not_asked: 1, ..FlagCount::default() }, "2016 did not ask it");
        assert_eq!(measures.partner_base, 0);
        let gdp = figures.statistic("g1_ccs_gdp_share", cycle, None).unwrap();
        assert_eq!((gdp.base.earlier_form, gdp.quartiles), (1, None));
    }
}
