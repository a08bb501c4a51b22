//! Similar measures: the measures of *other* Parties closest to one measure, across English
//! and French, each with why (the words they share, the same area, domains and partner types).
//!
//! Own scoring over the index's analysed fields, not tantivy's `MoreLikeThisQuery`: that
//! query takes its terms from one document in one analysis and cannot add their
//! translations, nor leave out the measure's own Party. Here the measure's text is analysed
//! twice (the index's English and French analyses), each word weighted by tf-idf over the
//! index (words in more than [`MAX_DOC_SHARE`] of the measures are left out, as more-like-this
//! does with its maximum document frequency), each word of the Convention's vocabulary adds its
//! translation from a small bilingual list (`qpr_learn::lexicon`) in the other analysis,
//! and the best [`MAX_TERMS`] words make one OR query scored by tantivy's BM25. A filter on
//! the packed codes (a fast field) keeps the current versions of other Parties' measures.
//! The index follows the outbox, so similar measures do too.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use qpr_domain::ReportDocument;
use qpr_domain::versions::MeasureVersions;
use serde::Serialize;
use tantivy::collector::{FilterCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Language, TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

use crate::SearchError;
use crate::facets::{CURRENT, Facet};
use crate::index::{SearchIndex, analyzer};
use crate::measure::{IndexedMeasure, Origin, measures_of};

/// Default number of similar measures.
pub const DEFAULT_SIMILAR: usize = 5;
/// Most similar measures one request may ask for.
pub const MAX_SIMILAR: usize = 50;
/// Words of a measure that make its query (the best by tf-idf).
pub(crate) const MAX_TERMS: usize = 16;
/// Words in more than this share of the measures are left out of a similarity query: they
/// tell little (tf-idf) and their long lists of postings are what a query spends its time on
/// (all of them are scored, the filter on Party and version needing every candidate).
pub(crate) const MAX_DOC_SHARE: f32 = 0.05;
/// ... but never fewer than this many measures: in a small index a word of a dozen measures
/// still tells.
const MIN_COMMON: f32 = 10.0;
/// Shared words named per similar measure.
const MAX_SHARED: usize = 8;

/// A measure similar to another, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarMeasure {
    /// Measure id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Party code.
    pub party: String,
    /// Party name as in its report.
    pub party_name: String,
    /// Report year (the current version's).
    pub year: i32,
    /// Policy or CSO measure.
    pub kind: qpr_domain::MeasureKind,
    /// Goal, if any.
    pub goal: Option<u8>,
    /// Area of monitoring (policy measures).
    pub area: Option<String>,
    /// BM25 score of the similarity query (higher is closer; comparable within one answer).
    pub score: f32,
    /// Why: what the two measures share.
    pub why: Why,
    /// The measure's results, as reported.
    pub results: Option<String>,
    /// Whether it was evaluated (policy measures; `None` when not answered or a CSO measure).
    pub evaluated: Option<bool>,
}

/// What two similar measures share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    /// Words of the measure (as written in it) that the similar one has too, itself or
    /// translated, most telling first.
    pub shared_terms: Vec<String>,
    /// Both are in the same area of monitoring.
    pub same_area: bool,
    /// Cultural domains both name (keys).
    pub domains: Vec<&'static str>,
    /// Partner types both name (keys).
    pub partner_types: Vec<&'static str>,
}

/// One word of a similarity query.
#[derive(Debug, Clone)]
struct QueryWord {
    field: Field,
    stem: String,
    /// The word as the measure writes it.
    word: String,
    weight: f32,
}

/// The bilingual list with both sides analysed: stems of each analysis to the other's.
#[derive(Debug, Default)]
struct Lexicon {
    en_to_fr: HashMap<String, BTreeSet<String>>,
    fr_to_en: HashMap<String, BTreeSet<String>>,
}

fn single_stem(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let first = stream.next().map(|t| t.text.clone())?;
    stream.next().is_none().then_some(first)
}

fn lexicon() -> &'static Lexicon {
    static LEXICON_STEMS: OnceLock<Lexicon> = OnceLock::new();
    LEXICON_STEMS.get_or_init(|| {
        let (mut en, mut fr) = (analyzer(Language::English), analyzer(Language::French));
        let mut lexicon = Lexicon::default();
        for (english, french) in qpr_learn::lexicon::pairs() {
            let (Some(e), Some(f)) = (single_stem(&mut en, english.trim()), single_stem(&mut fr, french.trim())) else {
                continue;
            };
            lexicon.en_to_fr.entry(e.clone()).or_default().insert(f.clone());
            lexicon.fr_to_en.entry(f).or_default().insert(e);
        }
        lexicon
    })
}

/// How a similarity query is made (the bilingual list can be left out, to measure it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimilarOptions {
    /// Add the translations of the Convention's words.
    pub translate: bool,
}

impl Default for SimilarOptions {
    fn default() -> SimilarOptions {
        SimilarOptions { translate: true }
    }
}

/// The measure `id` of a document as the index would hold it (its text and facets), if the
/// document has one.
pub fn measure_in(index: &SearchIndex, document: &ReportDocument, id: &str) -> Option<IndexedMeasure> {
    let versions = MeasureVersions::of([document]);
    let origin = Origin { report_id: 0, revision_id: 0 };
    measures_of(&index.frameworks, document, origin, &versions).into_iter().find(|m| m.id == id)
}

impl SearchIndex {
    /// The `limit` (at most [`MAX_SIMILAR`]) measures of other Parties most similar to the
    /// measure `id` of `document`; `None` when the document has no such measure.
    pub fn similar(
        &self,
        document: &ReportDocument,
        id: &str,
        limit: usize,
    ) -> Result<Option<Vec<SimilarMeasure>>, SearchError> {
        let Some(measure) = measure_in(self, document, id) else { return Ok(None) };
        self.similar_to(&measure, limit, SimilarOptions::default()).map(Some)
    }

    /// The measures of other Parties most similar to `measure` (see the module's doc).
    pub fn similar_to(
        &self,
        measure: &IndexedMeasure,
        limit: usize,
        options: SimilarOptions,
    ) -> Result<Vec<SimilarMeasure>, SearchError> {
        let limit = limit.clamp(1, MAX_SIMILAR);
        let searcher = self.searcher();
        let words = self.query_words(&searcher, &measure.text, options)?;
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| {
                let term = TermQuery::new(Term::from_field_text(w.field, &w.stem), IndexRecordOption::WithFreqs);
                let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), w.weight));
                (Occur::Should, boosted)
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let party = Facet::Party.bits(measure.code);
        let other_current = move |code: u64| code & CURRENT != 0 && Facet::Party.bits(code) != party;
        let collector =
            FilterCollector::new("code".to_owned(), other_current, TopDocs::with_limit(limit).order_by_score());
        let top = searcher.search(&query, &collector)?;
        top.into_iter()
            .map(|(score, address)| {
                let other = self.stored(&searcher, address)?;
                Ok(self.explain(measure, &words, other, score))
            })
            .collect()
    }

    /// Up to `n` stored measures spread evenly over the index (with their text): the measures
    /// a benchmark asks similar measures of.
    pub fn sample(&self, n: usize) -> Result<Vec<IndexedMeasure>, SearchError> {
        let searcher = self.searcher();
        let total = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX).max(1);
        let step = (total / n.max(1)).max(1);
        let mut sample = Vec::with_capacity(n);
        let mut seen = 0usize;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in segment.doc_ids_alive() {
                if seen.is_multiple_of(step) && sample.len() < n {
                    let address = tantivy::DocAddress::new(u32::try_from(ord).unwrap_or(u32::MAX), doc);
                    sample.push(self.stored(&searcher, address)?);
                }
                seen += 1;
            }
        }
        Ok(sample)
    }

    /// The words of a text that make its similarity query, best first.
    fn query_words(
        &self,
        searcher: &Searcher,
        text: &str,
        options: SimilarOptions,
    ) -> Result<Vec<QueryWord>, SearchError> {
        let total = searcher.num_docs().max(1) as f32;
        let common = (total * MAX_DOC_SHARE).max(MIN_COMMON);
        let lexicon = lexicon();
        // (field, stem) -> (term frequency, word as written)
        let mut counts: HashMap<(Field, String), (u32, String)> = HashMap::new();
        for (field, other_field, translations) in [
            (self.fields.text_en, self.fields.text_fr, &lexicon.en_to_fr),
            (self.fields.text_fr, self.fields.text_en, &lexicon.fr_to_en),
        ] {
            let Some((mut analyzer, _)) = self.analysis_of(field) else { continue };
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let word = text.get(token.offset_from..token.offset_to).unwrap_or(&token.text).to_owned();
                let mut add = |field: Field, stem: &str| {
                    let entry = counts.entry((field, stem.to_owned())).or_insert((0, word.clone()));
                    entry.0 += 1;
                };
                add(field, &token.text);
                if options.translate
                    && let Some(others) = translations.get(&token.text)
                {
                    for other in others {
                        add(other_field, other);
                    }
                }
            }
        }
        let mut words = Vec::with_capacity(counts.len());
        for ((field, stem), (tf, word)) in counts {
            let df = searcher.doc_freq(&Term::from_field_text(field, &stem))? as f32;
            if df == 0.0 || df > common {
                continue;
            }
            let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
            let weight = (1.0 + (tf as f32).ln()) * idf;
            words.push(QueryWord { field, stem, word, weight });
        }
        words.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.stem.cmp(&b.stem)));
        words.truncate(MAX_TERMS);
        // Boosts relative to the best word: BM25 brings its own idf.
        if let Some(best) = words.first().map(|w| w.weight) {
            for w in &mut words {
                w.weight = (w.weight / best).max(0.1);
            }
        }
        Ok(words)
    }

    /// A similar measure with what it shares with `measure`.
    fn explain(
        &self,
        measure: &IndexedMeasure,
        words: &[QueryWord],
        other: IndexedMeasure,
        score: f32,
    ) -> SimilarMeasure {
        let mut stems: BTreeSet<(Field, String)> = BTreeSet::new();
        for field in [self.fields.text_en, self.fields.text_fr] {
            if let Some((mut analyzer, _)) = self.analysis_of(field) {
                let mut stream = analyzer.token_stream(&other.text);
                while let Some(token) = stream.next() {
                    stems.insert((field, token.text.clone()));
                }
            }
        }
        let mut shared_terms: Vec<String> = Vec::new();
        for w in words {
            if shared_terms.len() < MAX_SHARED
                && stems.contains(&(w.field, w.stem.clone()))
                && !shared_terms.iter().any(|s| s.eq_ignore_ascii_case(&w.word))
            {
                shared_terms.push(w.word.clone());
            }
        }
        let both = |facet: Facet| -> Vec<&'static str> {
            let mine = measure.facet(facet);
            other.facet(facet).into_iter().filter(|v| *v != crate::facets::OTHER && mine.contains(v)).collect()
        };
        let same_area = measure.area.is_some() && measure.area == other.area;
        let why =
            Why { shared_terms, same_area, domains: both(Facet::Domain), partner_types: both(Facet::PartnerType) };
        let results = other.record.get("results").and_then(|v| v.as_str()).map(str::to_owned);
        let evaluated = other.record.get("evaluated").and_then(serde_json::Value::as_bool);
        SimilarMeasure {
            id: other.id,
            title: other.title,
            party: other.party,
            party_name: other.party_name,
            year: other.year,
            kind: other.kind,
            goal: other.goal,
            area: other.area,
            score,
            why,
            results,
            evaluated,
        }
    }
}
