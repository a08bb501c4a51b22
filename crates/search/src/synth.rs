//! Synthetic reports for scale tests, clearly labelled: every title starts with
//! [`TITLE_PREFIX`] and every document carries `"synthetic": true` (key [`SYNTHETIC_KEY`]).
//! Parties and years are real; the text is generated from the seed report's own words (a word
//! chain over its measures' texts), and facet values follow the seed's proportions.
//!
//! Two kinds: reports holding only measures ([`Generator::plan`], [`Generator::report`], for
//! the search index), and *full* reports ([`Generator::full_plan`], [`Generator::full_report`],
//! for the indicators and the map at the size of the platform): every question of the report's
//! form answered by its type, with per-question distributions (some options far more chosen
//! than others, a share of questions left unanswered, follow-up questions only after the
//! answer that opens them), statistics with years in the report's cycle, and measures.

use std::collections::HashMap;

use qpr_domain::answer::{Answer, Figure};
use qpr_domain::countries::{self, Iso3};
use qpr_domain::document::{CsoMeasure, PartyRef, PolicyMeasure};
use qpr_domain::framework::{AnswerType, Framework, Question, QuestionRole};
use qpr_domain::money::Usd;
use qpr_domain::{MeasureKind, ReportDocument, Year};
use serde_json::Value;

/// The start of every synthetic measure's title.
pub const TITLE_PREFIX: &str = "[SYNTHETIC] ";
/// The document key flagging a synthetic report.
pub const SYNTHETIC_KEY: &str = "synthetic";
/// Report years used (one report per Party and year).
pub const YEARS: std::ops::RangeInclusive<i32> = 2012..=2027;

/// Whether a document is a synthetic one.
pub fn is_synthetic(document: &ReportDocument) -> bool {
    document.extra.get(SYNTHETIC_KEY).and_then(Value::as_bool) == Some(true)
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same corpus.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index below `n`, the first ones most likely (weights 1, 1/2, 1/3…, shifted by
    /// `shift` so that which option leads differs between questions).
    fn skewed(&mut self, n: usize, shift: usize) -> usize {
        let total: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        let mut left = self.unit() * total;
        for k in 1..=n {
            left -= 1.0 / k as f64;
            if left <= 0.0 {
                return (k - 1 + shift) % n.max(1);
            }
        }
        n.saturating_sub(1)
    }
}

/// A number in `[0, 1)` fixed by a text (FNV-1a): each question keeps its own distribution
/// across reports, so figures differ between questions as real ones do.
fn stable_unit(text: &str) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// The share of questions a full synthetic report leaves unanswered.
const UNANSWERED: f64 = 0.08;

/// A word chain: for each word of the seed texts, the words that follow it there.
#[derive(Debug, Default)]
struct Chain {
    starts: Vec<String>,
    next: HashMap<String, Vec<String>>,
}

impl Chain {
    fn learn(&mut self, text: &str) {
        for sentence in text.split(['.', '\n', ';']).map(str::trim).filter(|s| s.split_whitespace().count() > 2) {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            self.starts.push(words[0].to_owned());
            for pair in words.windows(2) {
                self.next.entry(pair[0].to_owned()).or_default().push(pair[1].to_owned());
            }
        }
    }

    /// About `words` words, in sentences.
    fn text(&self, rng: &mut Rng, words: usize) -> String {
        let mut out = String::new();
        let mut count = 0;
        while count < words {
            let Some(mut word) = rng.pick(&self.starts) else { break };
            let mut sentence = vec![word.as_str()];
            while let Some(next) = self.next.get(word).and_then(|n| rng.pick(n)) {
                sentence.push(next);
                word = next;
                if sentence.len() >= 40 || count + sentence.len() >= words {
                    break;
                }
            }
            count += sentence.len();
            if !out.is_empty() {
                out.push_str(". ");
            }
            out.push_str(&sentence.join(" "));
        }
        out
    }
}

/// Makes synthetic reports that look like the seed report.
#[derive(Debug)]
pub struct Generator {
    policies: Vec<PolicyMeasure>,
    csos: Vec<CsoMeasure>,
    domain_sets: Vec<Vec<String>>,
    youth_share: f64,
    chain: Chain,
    title_lengths: Vec<usize>,
    text_lengths: Vec<usize>,
    parties: Vec<(Iso3, String)>,
}

/// Share of IFCD-supported measures: the seed has none, but the facet should not be empty.
const IFCD_SHARE: f64 = 0.03;

impl Generator {
    /// A generator learning from a seed report (its measures' texts and facet proportions).
    pub fn from_seed(seed: &ReportDocument) -> Generator {
        let mut chain = Chain::default();
        let mut title_lengths = Vec::new();
        let mut text_lengths = Vec::new();
        let texts = seed
            .policy_measures
            .iter()
            .map(|m| {
                (
                    m.title.as_str(),
                    [Some(m.description.as_str()), m.results.as_deref(), m.evaluation_conclusions.as_deref()],
                )
            })
            .chain(
                seed.cso_measures
                    .iter()
                    .map(|m| (m.title.as_str(), [Some(m.description.as_str()), m.results.as_deref(), None])),
            );
        for (title, bodies) in texts {
            chain.learn(title);
            title_lengths.push(title.split_whitespace().count().max(3));
            let mut length = 0;
            for body in bodies.into_iter().flatten() {
                chain.learn(body);
                length += body.split_whitespace().count();
            }
            text_lengths.push(length.max(20));
        }
        let all = seed.policy_measures.len() + seed.cso_measures.len();
        let youth = seed.policy_measures.iter().filter(|m| m.targets_youth == Some(true)).count()
            + seed.cso_measures.iter().filter(|m| m.targets_youth == Some(true)).count();
        let domain_sets = seed
            .policy_measures
            .iter()
            .map(|m| m.domains.clone())
            .chain(seed.cso_measures.iter().map(|m| m.domains.clone()))
            .collect();
        let parties = countries::all()
            .iter()
            .filter(|c| c.ratification.is_some() && c.region.is_some())
            .map(|c| (c.iso3.clone(), c.name.en.clone()))
            .collect();
        Generator {
            policies: seed.policy_measures.clone(),
            csos: seed.cso_measures.clone(),
            domain_sets,
            youth_share: if all == 0 { 0.0 } else { youth as f64 / all as f64 },
            chain,
            title_lengths,
            text_lengths,
            parties,
        }
    }

    /// The reports to make for `measures` measures: (Party, year, number of measures), as
    /// many reports as the real average of measures per report allows, at most one per
    /// Party and year.
    pub fn plan(&self, measures: usize, rng: &mut Rng) -> Vec<(Iso3, String, i32, usize)> {
        let per_seed_report = (self.policies.len() + self.csos.len()).max(1);
        let slots = self.parties.len() * YEARS.count();
        let reports = measures.div_ceil(per_seed_report).clamp(1, slots.max(1));
        let mut keys: Vec<(usize, i32)> = (0..self.parties.len()).flat_map(|p| YEARS.map(move |y| (p, y))).collect();
        // A partial shuffle picks `reports` distinct Party-year pairs.
        for i in 0..reports.min(keys.len()) {
            let j = i + rng.below(keys.len() - i);
            keys.swap(i, j);
        }
        keys.truncate(reports);
        keys.sort_unstable();
        keys.iter()
            .enumerate()
            .map(|(i, &(party, year))| {
                let count = measures / reports + usize::from(i < measures % reports);
                let (iso3, name) = &self.parties[party];
                (iso3.clone(), name.clone(), year, count)
            })
            .collect()
    }

    /// The full reports to make: `reports` Parties (the Parties of the country list first, then
    /// other countries with a UNESCO region), each with one report in each window of `cycles`
    /// (first and last year), in a year of the window. Fails when there are not that many.
    pub fn full_plan(
        &self,
        reports: usize,
        cycles: &[(i32, i32)],
        rng: &mut Rng,
    ) -> Result<Vec<(Iso3, String, i32)>, String> {
        let mut candidates = self.parties.clone();
        candidates.extend(
            countries::all()
                .iter()
                .filter(|c| c.ratification.is_none() && c.region.is_some())
                .map(|c| (c.iso3.clone(), c.name.en.clone())),
        );
        if reports > candidates.len() {
            return Err(format!("at most {} Parties can be synthesized (countries with a region)", candidates.len()));
        }
        let mut plan = Vec::with_capacity(reports * cycles.len());
        for (iso3, name) in candidates.into_iter().take(reports) {
            for &(first, last) in cycles {
                let span = usize::try_from(last - first + 1).unwrap_or(1);
                let year = first + i32::try_from(rng.below(span)).unwrap_or(0);
                plan.push((iso3.clone(), name.clone(), year));
            }
        }
        Ok(plan)
    }

    /// A full synthetic report answering `framework` (the form of its year): every question by
    /// its type (a few left unanswered, follow-ups only when they apply) and measures.
    pub fn full_report(
        &self,
        framework: &Framework,
        iso3: &Iso3,
        name: &str,
        year: i32,
        rng: &mut Rng,
    ) -> ReportDocument {
        let measures = 5 + rng.below(2 * (self.policies.len() + self.csos.len()).max(10));
        let mut document = self.report(iso3, name, year, measures, rng);
        document.framework.clone_from(&framework.id);
        // Measures go under the areas of the report's own form (earlier forms name theirs
        // differently).
        let areas: Vec<&str> = framework.sections.iter().filter_map(|s| s.area.as_deref()).collect();
        for measure in &mut document.policy_measures {
            if framework.area_section(&measure.area).is_none()
                && let Some(area) = rng.pick(&areas)
            {
                (*area).clone_into(&mut measure.area);
            }
        }
        // Earlier forms have no goals, hence no CSO measures by goal.
        document.cso_measures.retain(|m| framework.goal(m.goal).is_some());
        for (_, question) in framework.questions() {
            let applies =
                question.condition.as_ref().is_none_or(|c| document.answers.get(&c.question) == Some(&c.equals));
            if !applies || rng.chance(UNANSWERED) {
                continue;
            }
            let value = match question.role {
                // What the platform knows is answered as it would: the Party's name; the other
                // questions with a role (the official, dates) are answered by the generator.
                Some(QuestionRole::PartyName) if question.answer_type == AnswerType::SingleSelect => {
                    Some(Answer::SingleSelect(name.to_owned()).to_value())
                }
                Some(QuestionRole::PartyName) => Some(Answer::ShortText(name.to_owned()).to_value()),
                _ => self.answer(framework, question, year, rng),
            };
            if let Some(value) = value {
                document.answers.insert(question.id.clone(), value);
            }
        }
        document
    }

    /// A synthetic answer to a question, by its type; `None` for types that hold none
    /// (groups, records, signatures, files).
    fn answer(&self, framework: &Framework, question: &Question, year: i32, rng: &mut Rng) -> Option<Value> {
        let bias = stable_unit(&question.id);
        let options = |list: Option<&str>| -> Vec<String> {
            list.and_then(|l| framework.option_lists.get(l))
                .map(|items| items.iter().map(|o| o.en.clone()).collect())
                .unwrap_or_default()
        };
        let several = |rng: &mut Rng, items: &[String]| -> Vec<String> {
            // Each option with its own share; at least one.
            let mut chosen: Vec<String> = items
                .iter()
                .filter(|o| rng.chance(0.15 + 0.6 * stable_unit(&format!("{}/{o}", question.id))))
                .cloned()
                .collect();
            if chosen.is_empty() {
                chosen.extend(rng.pick(items).cloned());
            }
            chosen
        };
        let data_year = |rng: &mut Rng| Year::new(i64::from(year - 1 - i32::try_from(rng.below(3)).unwrap_or(0))).ok();
        let answer = match question.answer_type {
            AnswerType::YesNo => Answer::YesNo(rng.chance(0.25 + 0.6 * bias)),
            AnswerType::SingleSelect => {
                let items = options(question.options.as_deref());
                let shift = (bias * items.len() as f64) as usize;
                Answer::SingleSelect(items.get(rng.skewed(items.len(), shift))?.clone())
            }
            AnswerType::MultiSelect => Answer::MultiSelect(several(rng, &options(question.options.as_deref()))),
            AnswerType::NestedMultiSelect => {
                let mut groups = Vec::new();
                for group in &question.groups {
                    if rng.chance(0.6) {
                        groups.push((group.key.clone(), several(rng, &options(Some(&group.options)))));
                    }
                }
                Answer::NestedMultiSelect(groups)
            }
            AnswerType::PercentWithYear => {
                // Shares of GDP and employment are a few percent; other shares spread wider.
                let percent = 0.3 + rng.unit() * (2.0 + 60.0 * bias * bias);
                let number = serde_json::Number::from_f64((percent * 100.0).round() / 100.0)?;
                Answer::PercentWithYear(Figure::percent(Ok(number), data_year(rng)))
            }
            AnswerType::AmountUsdWithYear | AnswerType::AmountUsd => {
                // Budgets spread over orders of magnitude (log-uniform, 100 thousand to 10 billion).
                let dollars = 10f64.powf(5.0 + 5.0 * rng.unit()).round();
                let cents = (dollars as i64).saturating_mul(100);
                let raw = format!("{dollars:.0} USD");
                let with_year = (question.answer_type == AnswerType::AmountUsdWithYear).then(|| data_year(rng));
                let figure = Figure::amount(raw, Some(Usd::from_cents(cents)), with_year);
                if question.answer_type == AnswerType::AmountUsd {
                    Answer::AmountUsd(figure)
                } else {
                    Answer::AmountUsdWithYear(figure)
                }
            }
            AnswerType::FreeText => Answer::FreeText(format!("{TITLE_PREFIX}{}", self.chain.text(rng, 60))),
            AnswerType::ShortText => Answer::ShortText(format!("{TITLE_PREFIX}{}", self.chain.text(rng, 6))),
            AnswerType::TextList => Answer::TextList(
                (0..1 + rng.below(3)).map(|_| format!("{TITLE_PREFIX}{}", self.chain.text(rng, 5))).collect(),
            ),
            AnswerType::Address => Answer::Address(vec!["[SYNTHETIC] 1 Example Street".into(), "Example City".into()]),
            AnswerType::EmailList => Answer::EmailList(vec!["synthetic@example.org".into()]),
            AnswerType::Email => Answer::Email("synthetic@example.org".into()),
            AnswerType::Url => Answer::Url("https://example.org/synthetic".into()),
            AnswerType::Date => Answer::Date(format!("{year}-0{}-15", 1 + rng.below(9))),
            AnswerType::Rating1To4 => Answer::Rating1To4(1 + u8::try_from(rng.skewed(4, (bias * 4.0) as usize)).ok()?),
            AnswerType::Table => Answer::Table(
                (0..1 + rng.below(3))
                    .map(|_| {
                        question
                            .columns
                            .iter()
                            .map(|c| {
                                let items = options(c.options.as_deref());
                                let cell = match rng.pick(&items) {
                                    Some(option) => Value::String(option.clone()),
                                    None => Value::String(format!("{TITLE_PREFIX}{}", self.chain.text(rng, 3))),
                                };
                                (c.key.clone(), cell)
                            })
                            .collect()
                    })
                    .collect(),
            ),
            AnswerType::Group | AnswerType::Records | AnswerType::Signature | AnswerType::FileList => return None,
        };
        Some(answer.to_value())
    }

    /// One synthetic report of `measures` measures, policy and CSO measures in the seed's
    /// proportion.
    pub fn report(&self, iso3: &Iso3, name: &str, year: i32, measures: usize, rng: &mut Rng) -> ReportDocument {
        let mut document =
            ReportDocument::new("qpr-2020", PartyRef { name: name.to_owned(), iso3: Some(iso3.clone()) }, year);
        document.extra.insert(SYNTHETIC_KEY.to_owned(), Value::Bool(true));
        let cso_share = self.csos.len() as f64 / (self.policies.len() + self.csos.len()).max(1) as f64;
        for n in 1..=measures {
            let id = |kind: &str| format!("{iso3}-{year}-{kind}{n:04}");
            let title_words = *rng.pick(&self.title_lengths).unwrap_or(&8);
            let title = format!("{TITLE_PREFIX}{}", self.chain.text(rng, title_words));
            let text_words = *rng.pick(&self.text_lengths).unwrap_or(&80);
            let description = self.chain.text(rng, text_words);
            // Synthetic data: no domain set to pick from means no domains.
            let domains = rng.pick(&self.domain_sets).cloned().unwrap_or_default();
            let targets_youth = Some(rng.chance(self.youth_share));
            let ifcd = Some(rng.chance(IFCD_SHARE));
            let results = rng.chance(0.85).then(|| self.chain.text(rng, 40));
            if rng.chance(cso_share) {
                if let Some(template) = rng.pick(&self.csos) {
                    let mut measure = template.clone();
                    (measure.id, measure.title, measure.description, measure.domains) =
                        (id(MeasureKind::Cso.id_tag()), title, description, domains);
                    (measure.targets_youth, measure.ifcd_funding, measure.results) = (targets_youth, ifcd, results);
                    document.cso_measures.push(measure);
                }
            } else if let Some(template) = rng.pick(&self.policies) {
                let mut measure = template.clone();
                (measure.id, measure.title, measure.description, measure.domains) =
                    (id(MeasureKind::Policy.id_tag()), title, description, domains);
                (measure.targets_youth, measure.ifcd_support, measure.results) = (targets_youth, ifcd, results);
                document.policy_measures.push(measure);
            }
        }
        document
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> ReportDocument {
        let mut seed = ReportDocument::new("qpr-2020", PartyRef { name: "Azerbaijan".into(), iso3: None }, 2022);
        let json = serde_json::json!({"id": "x", "area": "mobility", "title": "Support for young musicians abroad",
            "description": "The programme funds travel of young musicians. It supports festivals abroad.",
            "domains": ["music"], "targets_youth": true});
        seed.policy_measures.push(serde_json::from_value(json).unwrap());
        seed
    }

    #[test]
    fn reports_are_labelled_and_reuse_the_seed_words() {
        let generator = Generator::from_seed(&seed());
        let mut rng = Rng::new(7);
        let plan = generator.plan(10, &mut rng);
        assert_eq!(plan.iter().map(|p| p.3).sum::<usize>(), 10);
        let (iso3, name, year, count) = &plan[0];
        let report = generator.report(iso3, name, *year, *count, &mut rng);
        assert!(is_synthetic(&report));
        assert_eq!(report.policy_measures.len(), *count);
        let seed_words = "support for young musicians abroad the programme funds travel of it supports festivals";
        for measure in &report.policy_measures {
            assert!(measure.title.starts_with(TITLE_PREFIX), "{}", measure.title);
            for word in measure.description.split([' ', '.']).filter(|w| !w.is_empty()) {
                assert!(seed_words.contains(&word.to_lowercase()), "{word} is not a seed word");
            }
        }
    }

    #[test]
    fn full_reports_answer_every_question_by_its_type_within_their_cycles() {
        let demo =
            qpr_import::import_published(Framework::qpr_2020(), include_str!("../../../demo/qpr-azerbaijan-2022.txt"))
                .unwrap();
        let generator = Generator::from_seed(&demo);
        let mut rng = Rng::new(3);
        let cycles = [(2016, 2019), (2020, 2023)];
        let plan = generator.full_plan(12, &cycles, &mut rng).unwrap();
        assert_eq!(plan.len(), 24);
        let parties: std::collections::BTreeSet<&str> = plan.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(parties.len(), 12);
        for (i, (_, _, year)) in plan.iter().enumerate() {
            let (first, last) = cycles[i % 2];
            assert!((first..=last).contains(year), "{year}");
        }
        assert!(generator.full_plan(500, &cycles, &mut rng).unwrap_err().contains("at most"));
        let mut yes = 0;
        let mut answered = 0;
        let mut asked = 0;
        for (iso3, name, year) in &plan {
            let framework = Framework::builtin_for_year(*year);
            let report = generator.full_report(framework, iso3, name, *year, &mut rng);
            assert!(is_synthetic(&report) && report.framework == framework.id && report.year == *year);
            assert!(!report.policy_measures.is_empty());
            // Every answer reads as its type; no error-level finding.
            for (id, value) in &report.answers {
                let question = framework.question(id).unwrap();
                Answer::read(question.answer_type, value).unwrap();
                yes += usize::from(value == &Value::Bool(true));
            }
            let errors: Vec<_> = qpr_domain::validate::validate(framework, &report)
                .into_iter()
                .filter(|f| f.severity == qpr_domain::validate::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
            let party = framework.question_with_role(QuestionRole::PartyName).map(|q| report.answer(&q.id));
            assert!(party.is_none_or(|a| a.is_none_or(|v| v.as_str() == Some(name.as_str()))), "{party:?}");
            let answerable = framework
                .questions()
                .filter(|(_, q)| {
                    !matches!(
                        q.answer_type,
                        AnswerType::Group | AnswerType::Records | AnswerType::Signature | AnswerType::FileList
                    ) && q.condition.is_none()
                })
                .count();
            asked += answerable;
            answered += report.answers.len();
        }
        // Most questions answered, not all; yes and no both occur.
        assert!(answered * 10 > asked * 8 && yes > 0, "{answered} of {asked}");
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let generator = Generator::from_seed(&seed());
        let make = || {
            let mut rng = Rng::new(42);
            let plan = generator.plan(5, &mut rng);
            plan.iter().map(|(i, n, y, c)| generator.report(i, n, *y, *c, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(make(), make());
    }
}
