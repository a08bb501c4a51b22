//! Synthetic reports for scale tests, clearly labelled: every title starts with
//! [`TITLE_PREFIX`] and every document carries `"synthetic": true` (key [`SYNTHETIC_KEY`]).
//! Parties and years are real; the text is generated from the seed report's own words (a word
//! chain over its measures' texts), and facet values follow the seed's proportions.

use std::collections::HashMap;

use qpr_domain::countries::{self, Iso3};
use qpr_domain::document::{CsoMeasure, PartyRef, PolicyMeasure};
use qpr_domain::{MeasureKind, ReportDocument};

/// The start of every synthetic measure's title.
pub const TITLE_PREFIX: &str = "[SYNTHETIC] ";
/// The document key flagging a synthetic report.
pub const SYNTHETIC_KEY: &str = "synthetic";
/// Report years used (one report per Party and year).
pub const YEARS: std::ops::RangeInclusive<i32> = 2012..=2027;

/// Whether a document is a synthetic one.
pub fn is_synthetic(document: &ReportDocument) -> bool {
    document.extra.get(SYNTHETIC_KEY).and_then(serde_json::Value::as_bool) == Some(true)
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
}

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

    /// One synthetic report of `measures` measures, policy and CSO measures in the seed's
    /// proportion.
    pub fn report(&self, iso3: &Iso3, name: &str, year: i32, measures: usize, rng: &mut Rng) -> ReportDocument {
        let mut document =
            ReportDocument::new("qpr-2020", PartyRef { name: name.to_owned(), iso3: Some(iso3.clone()) }, year);
        document.extra.insert(SYNTHETIC_KEY.to_owned(), serde_json::Value::Bool(true));
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
