//! What searches keep in memory besides the index files, built once per searcher generation
//! (when the index opens and each time the reader reloads, as a tantivy [`Warmer`], so that
//! no search pays for it): per segment, the alive documents, the packed facet codes, one
//! [`SparseSet`] per facet value, and for the most frequent words (within a memory budget) a
//! [`BitSet`] of the measures holding them and their best-scoring measures ([`Impacts`]).
//!
//! Rare words are not kept: their posting lists are short, reading them is cheap.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Term, Warmer};

use crate::SearchError;
use crate::bitsets::{BitSet, SparseBuilder, SparseSet};
use crate::facets::Facet;

/// Memory for the sets and impacts of frequent words, over all segments.
const TERM_BUDGET: usize = 64 * 1024 * 1024;

/// A word is kept only if it is in at least this fraction of a segment's documents
/// (1 / `RARE`): rarer words' postings are cheap to read per search.
const RARE: u32 = 64;

/// How many best-scoring measures of a frequent word are kept, sorted (few in unit tests, so
/// that walks run out of them).
const IMPACT_PREFIX: usize = if cfg!(test) { 32 } else { 16 * 1024 };

/// Everything resident for one searcher generation, by segment ordinal.
#[derive(Debug)]
pub(crate) struct Resident {
    pub segments: Vec<SegmentSets>,
}

impl Resident {
    /// Heap bytes held (what the memory budget is about).
    pub(crate) fn bytes(&self) -> usize {
        self.segments.iter().map(SegmentSets::bytes).sum()
    }
}

/// What is resident for one segment.
#[derive(Debug)]
pub(crate) struct SegmentSets {
    /// Documents not deleted.
    pub alive: BitSet,
    /// Packed facet codes by doc id.
    pub codes: Vec<u64>,
    /// The alive documents that are their measure's current version ([`crate::facets::CURRENT`]).
    pub current: BitSet,
    /// Per facet, per value code, the alive documents having that value (code 0 of a
    /// single-valued facet, "no value", stays empty).
    pub values: Vec<Vec<SparseSet>>,
    /// Frequent words of the text fields.
    pub terms: HashMap<Term, TermSets>,
}

impl SegmentSets {
    fn bytes(&self) -> usize {
        self.alive.bytes()
            + self.current.bytes()
            + self.codes.len() * 8
            + self.values.iter().flatten().map(SparseSet::bytes).sum::<usize>()
            + self.terms.values().map(TermSets::bytes).sum::<usize>()
    }
}

/// A frequent word of one segment.
#[derive(Debug)]
pub(crate) struct TermSets {
    /// Documents holding it (deleted ones included; searches keep alive ones only).
    pub docs: BitSet,
    /// Its best-scoring documents.
    pub impacts: Impacts,
}

impl TermSets {
    fn bytes(&self) -> usize {
        self.docs.bytes() + self.impacts.docs.len() * 8
    }
}

/// Documents of a word sorted by its BM25 score in them, best first (ties: lower doc id
/// first), as tantivy's `TermScorer` scores them in this searcher generation; a prefix
/// when the word is frequent.
#[derive(Debug, Default)]
pub(crate) struct Impacts {
    pub docs: Vec<DocId>,
    pub scores: Vec<f32>,
    /// The highest score of a document not in the list (0 when the list is complete).
    pub rest: f32,
    /// Whether every document of the word is in the list.
    pub complete: bool,
}

impl Impacts {
    /// Scores every document of a word and keeps the best `keep` of them.
    pub(crate) fn of_term(
        searcher: &Searcher,
        segment: &SegmentReader,
        term: &Term,
        keep: usize,
    ) -> Result<Impacts, SearchError> {
        let weight = Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?;
        let norms = segment.get_fieldnorms_reader(term.field())?;
        let index = segment.inverted_index(term.field())?;
        let Some(info) = index.get_term_info(term).map_err(|e| SearchError::Io(e.to_string()))? else {
            return Ok(Impacts { complete: true, ..Impacts::default() });
        };
        let mut postings = index
            .read_block_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)
            .map_err(|e| SearchError::Io(e.to_string()))?;
        let mut scored: Vec<(f32, DocId)> = Vec::with_capacity(info.doc_freq as usize);
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            for (&doc, &freq) in docs.iter().zip(postings.freqs()) {
                scored.push((weight.score(norms.fieldnorm_id(doc), freq), doc));
            }
            postings.advance();
        }
        let better = |a: &(f32, DocId), b: &(f32, DocId)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let mut rest = 0.0;
        let complete = scored.len() <= keep;
        if !complete {
            scored.select_nth_unstable_by(keep, better);
            rest = scored[keep..].iter().map(|s| s.0).fold(0.0, f32::max);
            scored.truncate(keep);
        }
        scored.sort_unstable_by(better);
        Ok(Impacts {
            docs: scored.iter().map(|s| s.1).collect(),
            scores: scored.iter().map(|s| s.0).collect(),
            rest,
            complete,
        })
    }
}

/// Builds what is resident for a searcher generation.
fn build(searcher: &Searcher, text_fields: &[Field]) -> Result<Resident, SearchError> {
    let mut segments = Vec::new();
    for segment in searcher.segment_readers() {
        let max_doc = segment.max_doc();
        let alive = match segment.alive_bitset() {
            Some(bits) => {
                let mut alive = BitSet::empty(max_doc);
                bits.iter_alive().for_each(|doc| alive.insert(doc));
                alive
            }
            None => BitSet::full(max_doc),
        };
        let column = segment.fast_fields().u64("code")?;
        // Every measure is indexed with a code; 0 (no facet value) is what a missing one would mean.
        let codes: Vec<u64> = (0..max_doc).map(|doc| column.first(doc).unwrap_or(0)).collect();
        let values = Facet::ALL.iter().map(|&facet| value_sets(facet, &codes, &alive)).collect();
        let mut current = BitSet::empty(max_doc);
        alive
            .docs()
            .filter(|&doc| codes[doc as usize] & crate::facets::CURRENT != 0)
            .for_each(|doc| current.insert(doc));
        segments.push(SegmentSets { alive, codes, current, values, terms: HashMap::new() });
    }
    // Frequent words, most frequent first, while the budget lasts.
    let mut candidates: Vec<(u32, usize, Term)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for &field in text_fields {
            let index = segment.inverted_index(field)?;
            let mut stream = index.terms().stream().map_err(|e| SearchError::Io(e.to_string()))?;
            while stream.advance() {
                let doc_freq = stream.value().doc_freq;
                // Terms of text fields are UTF-8 and searched as text.
                if doc_freq >= segment.max_doc() / RARE
                    && doc_freq > 0
                    && let Ok(word) = std::str::from_utf8(stream.key())
                {
                    candidates.push((doc_freq, ord, Term::from_field_text(field, word)));
                }
            }
        }
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut budget = TERM_BUDGET;
    for (_, ord, term) in candidates {
        let segment = &searcher.segment_readers()[ord];
        let cost = (segment.max_doc() as usize).div_ceil(64) * 8 + IMPACT_PREFIX * 8;
        if cost > budget {
            break;
        }
        budget -= cost;
        let docs = term_docs(segment, &term)?;
        let impacts = Impacts::of_term(searcher, segment, &term, IMPACT_PREFIX)?;
        segments[ord].terms.insert(term, TermSets { docs, impacts });
    }
    Ok(Resident { segments })
}

/// The documents of a word in a segment, from its postings.
pub(crate) fn term_docs(segment: &SegmentReader, term: &Term) -> Result<BitSet, SearchError> {
    let mut set = BitSet::empty(segment.max_doc());
    let index = segment.inverted_index(term.field())?;
    if let Some(info) = index.get_term_info(term).map_err(|e| SearchError::Io(e.to_string()))? {
        let mut postings = index
            .read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)
            .map_err(|e| SearchError::Io(e.to_string()))?;
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            docs.iter().for_each(|&doc| set.insert(doc));
            postings.advance();
        }
    }
    Ok(set)
}

/// The alive documents of each value of a facet.
fn value_sets(facet: Facet, codes: &[u64], alive: &BitSet) -> Vec<SparseSet> {
    let mut builders: Vec<SparseBuilder> = facet.values().iter().map(|_| SparseBuilder::default()).collect();
    for doc in alive.docs() {
        let mut bits = facet.bits(codes[doc as usize]);
        if facet.is_multi() {
            while bits != 0 {
                if let Some(builder) = builders.get_mut(bits.trailing_zeros() as usize) {
                    builder.push(doc);
                }
                bits &= bits - 1;
            }
        } else if bits != 0
            && let Some(builder) = builders.get_mut(bits as usize)
        {
            builder.push(doc);
        }
    }
    builders.into_iter().map(|b| b.finish(alive.max_doc())).collect()
}

/// The segments of a searcher generation and their deletions: what the resident sets
/// (and BM25's statistics) depend on. A reload that changes neither reuses the sets.
type Segments = BTreeMap<SegmentId, Option<u64>>;

/// Builds [`Resident`] sets when the reader loads a searcher generation with new segments
/// or deletions, and keeps them while a generation of those segments lives.
pub(crate) struct ResidentWarmer {
    text_fields: Vec<Field>,
    generations: Mutex<HashMap<Segments, Arc<Resident>>>,
}

impl ResidentWarmer {
    pub(crate) fn new(text_fields: Vec<Field>) -> ResidentWarmer {
        ResidentWarmer { text_fields, generations: Mutex::new(HashMap::new()) }
    }

    /// The sets of a searcher's generation, built now if missing (the reader reloaded
    /// between the warm-up and this search).
    pub(crate) fn get(&self, searcher: &Searcher) -> Result<Arc<Resident>, SearchError> {
        let segments = searcher.generation().segments();
        if let Some(resident) = self.lock()?.get(segments) {
            return Ok(Arc::clone(resident));
        }
        let started = std::time::Instant::now();
        let resident = Arc::new(build(searcher, &self.text_fields)?);
        tracing::info!(
            bytes = resident.bytes(),
            words = resident.segments.iter().map(|s| s.terms.len()).sum::<usize>(),
            seconds = started.elapsed().as_secs_f64(),
            "Search sets built for {} measures",
            searcher.num_docs()
        );
        self.lock()?.insert(segments.clone(), Arc::clone(&resident));
        Ok(resident)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<Segments, Arc<Resident>>>, SearchError> {
        self.generations.lock().map_err(|_| SearchError::Io("the resident sets' lock was poisoned".into()))
    }
}

impl Warmer for ResidentWarmer {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        self.get(searcher).map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?;
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        if let Ok(mut generations) = self.generations.lock() {
            generations.retain(|segments, _| live.iter().any(|g| g.segments() == segments));
        }
    }
}
