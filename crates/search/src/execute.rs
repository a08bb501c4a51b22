//! Running a search on the resident sets ([`crate::resident`]): which measures match, the
//! multi-select counts of every facet, and the best hits in order.
//!
//! - **Matching.** The text query becomes a [`BitSet`] per segment: a word's set is resident
//!   when the word is frequent, read from its postings otherwise; the boolean structure of the
//!   query is word-wise AND / OR / AND NOT; anything else (phrases, boosts) is matched by
//!   tantivy itself, without scoring, into a set. The hits are that set AND each filter's
//!   set (the OR of its values' sets).
//! - **Counting.** A facet's counts are over the measures matching the text and every *other*
//!   filter. Each count is a popcount of that set AND the value's set; when the set is small,
//!   one pass over its documents reading their packed codes is cheaper, and is used instead.
//! - **Ranking.** Scores are tantivy's BM25 scores, bit for bit, computed only for the
//!   documents that can reach the page: from the words' postings when the query's sums can
//!   be redone exactly ([`Sums`]), else by tantivy's scorer. With few hits, all are scored. With many, a threshold
//!   algorithm walks each query word's best-scoring documents ([`Impacts`]) and stops when
//!   no document not yet scored can beat the last hit of the page: its score is at most the
//!   sum, over the words, of the score where each walk stands. When that cannot be decided
//!   (a phrase, a boost, a walk running out of its kept prefix), every match is scored as
//!   tantivy would.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::postings::Postings;
use tantivy::query::{Bm25Weight, BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TERMINATED, Term};

use crate::SearchError;
use crate::bitsets::BitSet;
use crate::facets::Facet;
use crate::request::{Filter, SearchRequest, Sort};
use crate::resident::{Impacts, Resident, SegmentSets, term_docs};

/// Up to this many hits, all are scored (the walk would read about as many). Tiny in unit
/// tests, so that their small indexes take every path.
const SCORE_ALL_BELOW: u64 = if cfg!(test) { 8 } else { 4096 };

/// Documents taken from each word's walk in the first round (doubling each round).
const FIRST_BATCH: usize = if cfg!(test) { 2 } else { 256 };

/// Relative slack on the walk's bound: tantivy adds a document's word scores in its own
/// order, and float additions in another order may differ in the last bits.
const BOUND_SLACK: f32 = 1e-4;

/// Ranking key of a hit: greater is better; ties go to the earlier document.
pub(crate) type RankKey = (u64, u64, Reverse<(u32, DocId)>);

/// What a search gathers.
pub(crate) struct Outcome {
    pub total: u64,
    /// Best hits (all of them when unlimited), best first.
    pub hits: Vec<(RankKey, DocAddress)>,
    /// Per facet, per value code, the count.
    pub counts: Option<Vec<Vec<u64>>>,
}

/// The text query, ready to match and score.
pub(crate) struct TextPlan<'a> {
    searcher: &'a Searcher,
    query: &'a dyn Query,
    weight: Box<dyn Weight>,
    /// The words whose scores add up to a document's score, when that is all the score is.
    scored_terms: Option<Vec<Term>>,
    /// How those scores add up, when tantivy's sums can be done again exactly.
    sums: Option<Sums>,
}

/// A query's score as a tree of sums over its words (indexes into
/// [`TextPlan::scored_terms`]), for queries where every sum has at most two operands:
/// tantivy adds a union's or an intersection's operands in an order of its own, and a sum of
/// two floats is the same in either order (`0 + a + b == 0 + b + a`), so the score computed
/// here from the words' postings is bit for bit tantivy's, without its union scorers
/// (whose seeks refill a window of 4,096 documents each).
#[derive(Debug)]
enum Sums {
    Term(usize),
    /// The sum of the operands that match (all of them for an intersection).
    Sum(Vec<Sums>),
}

fn sums(query: &dyn Query, next: &mut usize) -> Option<Sums> {
    if query.downcast_ref::<TermQuery>().is_some() {
        *next += 1;
        return Some(Sums::Term(*next - 1));
    }
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let scoring: Vec<(Occur, &dyn Query)> = boolean
        .clauses()
        .iter()
        .filter(|(occur, _)| *occur != Occur::MustNot)
        .map(|(occur, clause)| (*occur, clause.as_ref()))
        .collect();
    // Required and optional clauses together are scored by another scorer: not done here.
    let uniform = scoring.iter().all(|(occur, _)| *occur == Occur::Must)
        || scoring.iter().all(|(occur, _)| *occur == Occur::Should);
    if !uniform || scoring.is_empty() || scoring.len() > 2 {
        return None;
    }
    scoring.into_iter().map(|(_, clause)| sums(clause, next)).collect::<Option<Vec<_>>>().map(Sums::Sum)
}

impl<'a> TextPlan<'a> {
    pub(crate) fn new(searcher: &'a Searcher, query: &'a dyn Query) -> Result<TextPlan<'a>, SearchError> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut terms = Vec::new();
        let scored_terms = scored_terms(query, &mut terms).then_some(terms).filter(|t| !t.is_empty());
        // Both walk the query in the same order, so the tree's indexes are the terms'.
        let sums = scored_terms.as_ref().and_then(|_| sums(query, &mut 0));
        Ok(TextPlan { searcher, query, weight, scored_terms, sums })
    }
}

/// Collects the words scoring a query; false when its score is not just a sum of word
/// scores (a phrase, a boost, a minimum of two or more optional clauses).
fn scored_terms(query: &dyn Query, terms: &mut Vec<Term>) -> bool {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        terms.push(term.term().clone());
        return true;
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else { return false };
    boolean.get_minimum_number_should_match() <= 1
        && boolean
            .clauses()
            .iter()
            .filter(|(occur, _)| *occur != Occur::MustNot)
            .all(|(_, clause)| scored_terms(clause.as_ref(), terms))
}

/// One search over every segment.
pub(crate) fn run(
    searcher: &Searcher,
    resident: &Resident,
    text: Option<&TextPlan<'_>>,
    request: &SearchRequest,
    limit: Option<usize>,
    count: bool,
) -> Result<Outcome, SearchError> {
    let mut outcome = Outcome {
        total: 0,
        hits: Vec::new(),
        counts: count.then(|| Facet::ALL.iter().map(|f| vec![0; f.values().len()]).collect()),
    };
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let sets =
            resident.segments.get(ord).ok_or_else(|| SearchError::Io("resident sets of another generation".into()))?;
        let matching = text.map(|plan| matches(searcher, segment, sets, plan.query)).transpose()?;
        let mut filters: Vec<(usize, BitSet)> =
            request.filters.iter().map(|f| (f.facet.index(), filter_set(sets, f))).collect();
        // One measure, one hit: its current version, unless the search picks reports'
        // versions by their year or form version.
        if !request.filters.iter().any(|f| VERSION_FACETS.contains(&f.facet)) {
            filters.push((CURRENT_FILTER, sets.current.clone()));
        }
        let mut hits = matching.clone().unwrap_or_else(|| sets.alive.clone());
        filters.iter().for_each(|(_, set)| hits.and_with(set));
        outcome.total += hits.count();
        let segment_ord = ord as u32;
        let rank = || rank(segment_ord, segment, sets, &hits, text, request.sort, limit);
        let ranked = match outcome.counts.as_mut() {
            // Counting and ranking are independent: two threads share them.
            Some(counts) => std::thread::scope(|scope| {
                let ranking = scope.spawn(rank);
                count_facets(sets, matching.as_ref(), &filters, &hits, counts);
                ranking.join().map_err(|_| SearchError::Io("a ranking thread panicked".into()))?
            })?,
            None => rank()?,
        };
        outcome.hits.extend(ranked);
    }
    outcome.hits.sort_unstable_by_key(|&(key, _)| Reverse(key));
    if let Some(limit) = limit {
        outcome.hits.truncate(limit);
    }
    Ok(outcome)
}

/// The documents of a segment matching a query, alive ones only.
fn matches(
    searcher: &Searcher,
    segment: &SegmentReader,
    sets: &SegmentSets,
    query: &dyn Query,
) -> Result<BitSet, SearchError> {
    let mut set = matches_any(searcher, segment, sets, query)?.into_owned();
    set.and_with(&sets.alive);
    Ok(set)
}

/// The documents matching a query, deleted ones included (as tantivy's scorers give them).
fn matches_any<'s>(
    searcher: &Searcher,
    segment: &SegmentReader,
    sets: &'s SegmentSets,
    query: &dyn Query,
) -> Result<Cow<'s, BitSet>, SearchError> {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        return Ok(match sets.terms.get(term.term()) {
            Some(resident) => Cow::Borrowed(&resident.docs),
            None => Cow::Owned(term_docs(segment, term.term())?),
        });
    }
    // A boolean query of words and boolean queries is done here; one holding a phrase is
    // left whole to tantivy, which narrows the phrase by its other clauses (word pairs).
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>()
        && boolean.get_minimum_number_should_match() <= 1
        && boolean.clauses().iter().all(|(_, clause)| {
            clause.downcast_ref::<TermQuery>().is_some() || clause.downcast_ref::<BooleanQuery>().is_some()
        })
    {
        let of = |occur: Occur| {
            boolean.clauses().iter().filter(move |(o, _)| *o == occur).map(|(_, clause)| clause.as_ref())
        };
        let (has_must, has_should) = (of(Occur::Must).next().is_some(), of(Occur::Should).next().is_some());
        // As tantivy: required clauses all match; optional ones must match (one of them)
        // when there are no required ones or a minimum of one is asked, else only score;
        // excluded ones never match. A query of excluded clauses only is left to tantivy.
        let optional_required = has_should && (!has_must || boolean.get_minimum_number_should_match() == 1);
        let required_missing = !has_should && boolean.get_minimum_number_should_match() == 1;
        if has_must || has_should {
            let mut set: Option<BitSet> = required_missing.then(|| BitSet::empty(segment.max_doc()));
            for clause in of(Occur::Must) {
                let clause = matches_any(searcher, segment, sets, clause)?;
                match set.as_mut() {
                    Some(set) => set.and_with(&clause),
                    None => set = Some(clause.into_owned()),
                }
            }
            if optional_required {
                let mut any = BitSet::empty(segment.max_doc());
                for clause in of(Occur::Should) {
                    any.or_with(&*matches_any(searcher, segment, sets, clause)?);
                }
                match set.as_mut() {
                    Some(set) => set.and_with(&any),
                    None => set = Some(any),
                }
            }
            let mut set = set.unwrap_or_else(|| BitSet::empty(segment.max_doc()));
            for clause in of(Occur::MustNot) {
                set.and_not_with(&*matches_any(searcher, segment, sets, clause)?);
            }
            return Ok(Cow::Owned(set));
        }
    }
    // Phrases and anything else: tantivy matches, without scoring.
    let mut set = BitSet::empty(segment.max_doc());
    query.weight(EnableScoring::disabled_from_searcher(searcher))?.for_each_no_score(segment, &mut |docs| {
        docs.iter().for_each(|&doc| set.insert(doc));
    })?;
    Ok(Cow::Owned(set))
}

/// The alive documents having any of a filter's values.
fn filter_set(sets: &SegmentSets, filter: &Filter) -> BitSet {
    let mut set = BitSet::empty(sets.alive.max_doc());
    for &code in &filter.values {
        if let Some(value) = sets.values[filter.facet.index()].get(usize::from(code)) {
            set.or_any(value);
        }
    }
    set
}

/// The facets whose filters pick a report's version of a measure rather than its current one.
const VERSION_FACETS: [Facet; 2] = [Facet::Year, Facet::Framework];

/// The filter index of the implicit filter on current versions (past every facet's index):
/// it belongs to the [`VERSION_FACETS`], so their counts are over every version, as a
/// filter on one of their values finds.
const CURRENT_FILTER: usize = Facet::ALL.len();

/// Whether a filter (by its index) restricts the values of a facet (by its index): its own,
/// or the implicit current-version filter for the version facets.
fn owns(filter: usize, facet: usize) -> bool {
    filter == facet || (filter == CURRENT_FILTER && VERSION_FACETS.iter().any(|f| f.index() == facet))
}

/// Adds a segment's multi-select counts: unfiltered facets over the hits, a filtered facet
/// over the measures matching the text and the other filters.
fn count_facets(
    sets: &SegmentSets,
    matching: Option<&BitSet>,
    filters: &[(usize, BitSet)],
    hits: &BitSet,
    counts: &mut [Vec<u64>],
) {
    let unfiltered: Vec<usize> = (0..Facet::ALL.len()).filter(|&f| !filters.iter().any(|(g, _)| owns(*g, f))).collect();
    count_over(sets, Some(hits), &unfiltered, counts);
    // Facets restricted by the same filters share the set they are counted over.
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for facet in (0..Facet::ALL.len()).filter(|f| !unfiltered.contains(f)) {
        let owners: Vec<usize> = (0..filters.len()).filter(|&i| owns(filters[i].0, facet)).collect();
        match groups.iter_mut().find(|(o, _)| *o == owners) {
            Some((_, facets)) => facets.push(facet),
            None => groups.push((owners, vec![facet])),
        }
    }
    for (owners, facets) in groups {
        let others = (0..filters.len()).filter(|i| !owners.contains(i)).map(|i| &filters[i].1);
        let context = match matching {
            Some(matching) => Some(others.fold(matching.clone(), |mut set, other| {
                set.and_with(other);
                set
            })),
            None => {
                let mut others = others.peekable();
                // Without text and other filters, the facet counts over every measure.
                others.peek().is_some().then(|| {
                    others.fold(sets.alive.clone(), |mut set, other| {
                        set.and_with(other);
                        set
                    })
                })
            }
        };
        count_over(sets, context.as_ref(), &facets, counts);
    }
}

/// Adds the counts of some facets over a set of documents (`None`: every alive one), by
/// popcounts or by reading the codes of its documents, whichever reads less.
fn count_over(sets: &SegmentSets, context: Option<&BitSet>, facets: &[usize], counts: &mut [Vec<u64>]) {
    let Some(context) = context else {
        for &facet in facets {
            for (count, value) in counts[facet].iter_mut().zip(&sets.values[facet]) {
                *count += value.count();
            }
        }
        return;
    };
    let popcount_words: usize =
        facets.iter().map(|&f| sets.values[f].iter().map(|v| v.bytes() / 8).sum::<usize>()).sum();
    let documents = context.count() as usize;
    // A document costs a code read and a few increments per facet; a word one AND and popcount.
    if documents * facets.len() * 2 < popcount_words + context.word_len() {
        let layouts: Vec<(u32, u64, bool)> = facets
            .iter()
            .map(|&f| (Facet::ALL[f].shift_and_mask().0, Facet::ALL[f].shift_and_mask().1, Facet::ALL[f].is_multi()))
            .collect();
        for doc in context.docs() {
            let code = sets.codes[doc as usize];
            for (&facet, &(shift, mask, multi)) in facets.iter().zip(&layouts) {
                let mut value = (code >> shift) & mask;
                if multi {
                    while value != 0 {
                        counts[facet][value.trailing_zeros() as usize] += 1;
                        value &= value - 1;
                    }
                } else if value != 0 {
                    counts[facet][value as usize] += 1;
                }
            }
        }
    } else {
        for &facet in facets {
            for (count, value) in counts[facet].iter_mut().zip(&sets.values[facet]) {
                if value.count() > 0 {
                    *count += context.count_and(value);
                }
            }
        }
    }
}

/// The best `limit` hits of a segment (all when unlimited), best first.
fn rank(
    segment_ord: u32,
    segment: &SegmentReader,
    sets: &SegmentSets,
    hits: &BitSet,
    text: Option<&TextPlan<'_>>,
    sort: Sort,
    limit: Option<usize>,
) -> Result<Vec<(RankKey, DocAddress)>, SearchError> {
    let ranker = Ranker { segment_ord, segment, sets, sort };
    let best = |subset: &BitSet, limit: Option<usize>| match text {
        Some(plan) => ranker.best(plan, subset, limit),
        // Without text every score is 0: newest first, then in index order.
        None => {
            let mut top = Top::new(limit, sort);
            // Within a year (the only way this is called with a limit) doc order is rank order.
            subset.docs().take(limit.unwrap_or(usize::MAX)).for_each(|doc| top.push(ranker.key(doc, 0.0)));
            Ok(top.into_sorted())
        }
    };
    let Some(limit) = limit.filter(|_| text.is_none() || sort == Sort::Year) else { return best(hits, limit) };
    // Newest year first: whole years, then the best of the year that fills the page, and
    // measures without a year last.
    let mut ranked = Vec::new();
    let mut rest = hits.clone();
    for year in sets.values[Facet::Year.index()].iter().rev().filter(|year| year.count() > 0) {
        if ranked.len() >= limit {
            return Ok(ranked);
        }
        let mut subset = BitSet::empty(hits.max_doc());
        subset.or_any(year);
        subset.and_with(hits);
        rest.and_not_with(&subset);
        if subset.count() > 0 {
            ranked.extend(best(&subset, Some(limit - ranked.len()))?);
        }
    }
    if ranked.len() < limit {
        ranked.extend(best(&rest, Some(limit - ranked.len()))?);
    }
    Ok(ranked)
}

struct Ranker<'a> {
    segment_ord: u32,
    segment: &'a SegmentReader,
    sets: &'a SegmentSets,
    sort: Sort,
}

impl Ranker<'_> {
    fn key(&self, doc: DocId, score: f32) -> (RankKey, DocAddress) {
        let score = u64::from(score.max(0.0).to_bits());
        let year = Facet::Year.bits(self.sets.codes[doc as usize]);
        let tie = Reverse((self.segment_ord, doc));
        let key = match self.sort {
            Sort::Relevance => (score, year, tie),
            Sort::Year => (year, score, tie),
        };
        (key, DocAddress::new(self.segment_ord, doc))
    }

    /// The best `limit` documents of `subset` (all matching the text) by score.
    fn best(
        &self,
        plan: &TextPlan<'_>,
        subset: &BitSet,
        limit: Option<usize>,
    ) -> Result<Vec<(RankKey, DocAddress)>, SearchError> {
        if let Some(limit) = limit {
            let docs: Vec<DocId> = if subset.count() <= SCORE_ALL_BELOW { subset.docs().collect() } else { Vec::new() };
            if !docs.is_empty() {
                let mut top = Top::new(Some(limit), self.sort);
                if self.score_docs(plan, &docs, &mut top)? {
                    return Ok(top.into_sorted());
                }
            } else if let Some(terms) = &plan.scored_terms
                && let Some(top) = self.walk(plan, terms, subset, limit)?
            {
                return Ok(top.into_sorted());
            }
        }
        self.score_every_match(plan, subset, limit)
    }

    /// Scores given documents (ascending, all matching) with tantivy's scorer; false if
    /// the scorer does not match one of them (the sets and tantivy disagree: the caller
    /// falls back to tantivy alone).
    fn score_docs(&self, plan: &TextPlan<'_>, docs: &[DocId], top: &mut Top) -> Result<bool, SearchError> {
        if let (Some(sums), Some(terms)) = (&plan.sums, &plan.scored_terms) {
            let mut postings = Vec::new();
            for term in terms {
                let weight = Bm25Weight::for_terms(plan.searcher, std::slice::from_ref(term))?;
                let norms = self.segment.get_fieldnorms_reader(term.field())?;
                let list = self
                    .segment
                    .inverted_index(term.field())?
                    .read_postings(term, IndexRecordOption::WithFreqs)
                    .map_err(|e| SearchError::Io(e.to_string()))?;
                postings.push((list, norms, weight));
            }
            for &doc in docs {
                let Some(score) = add(sums, &mut |term| {
                    let (list, norms, weight) = &mut postings[term];
                    let list = list.as_mut()?;
                    if list.doc() < doc {
                        list.seek(doc);
                    }
                    (list.doc() == doc).then(|| weight.score(norms.fieldnorm_id(doc), list.term_freq()))
                }) else {
                    tracing::warn!(
                        doc,
                        "The search sets and the postings disagree on a match; scoring every match instead"
                    );
                    return Ok(false);
                };
                top.push(self.key(doc, score));
            }
            return Ok(true);
        }
        let mut scorer = plan.weight.scorer(self.segment, 1.0)?;
        for &doc in docs {
            let at = if scorer.doc() < doc { scorer.seek(doc) } else { scorer.doc() };
            if at != doc {
                tracing::warn!(doc, "The search sets and tantivy disagree on a match; scoring every match instead");
                return Ok(false);
            }
            top.push(self.key(doc, scorer.score()));
        }
        Ok(true)
    }

    /// The threshold algorithm over the words' best-scoring documents; `None` when it
    /// cannot decide.
    fn walk(
        &self,
        plan: &TextPlan<'_>,
        terms: &[Term],
        subset: &BitSet,
        limit: usize,
    ) -> Result<Option<Top>, SearchError> {
        let mut owned = Vec::new();
        for term in terms {
            if !self.sets.terms.contains_key(term) {
                owned.push(Impacts::of_term(plan.searcher, self.segment, term, usize::MAX)?);
            }
        }
        let mut owned = owned.iter();
        let walks: Vec<&Impacts> = terms
            .iter()
            .filter_map(|term| self.sets.terms.get(term).map(|t| &t.impacts).or_else(|| owned.next()))
            .collect();
        let mut seen = BitSet::empty(subset.max_doc());
        let mut top = Top::new(Some(limit), self.sort);
        let (mut depth, mut batch) = (0, FIRST_BATCH);
        loop {
            let end = depth + batch;
            let mut docs = Vec::new();
            for walk in &walks {
                for &doc in &walk.docs[depth.min(walk.docs.len())..end.min(walk.docs.len())] {
                    if subset.contains(doc) && !seen.contains(doc) {
                        seen.insert(doc);
                        docs.push(doc);
                    }
                }
            }
            docs.sort_unstable();
            if !self.score_docs(plan, &docs, &mut top)? {
                return Ok(None);
            }
            depth = end;
            // What a document not scored yet can reach at most.
            let mut bound = 0.0;
            let mut ran_out = false;
            let mut finished = true;
            for walk in &walks {
                match walk.scores.get(depth) {
                    Some(score) => {
                        bound += score;
                        finished = false;
                    }
                    None if walk.complete => {}
                    None => {
                        bound += walk.rest;
                        ran_out = true;
                    }
                }
            }
            if top.lowest_score().is_some_and(|lowest| lowest > bound * (1.0 + BOUND_SLACK) + f32::EPSILON) {
                return Ok(Some(top));
            }
            if ran_out || finished {
                return Ok(None);
            }
            batch *= 2;
        }
    }

    /// Scores every match of the text with tantivy, keeping those of `subset`.
    fn score_every_match(
        &self,
        plan: &TextPlan<'_>,
        subset: &BitSet,
        limit: Option<usize>,
    ) -> Result<Vec<(RankKey, DocAddress)>, SearchError> {
        let mut top = Top::new(limit, self.sort);
        let mut scorer = plan.weight.scorer(self.segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if subset.contains(doc) {
                top.push(self.key(doc, scorer.score()));
            }
            doc = scorer.advance();
        }
        Ok(top.into_sorted())
    }
}

/// A document's score from its words' scores (`None` when it matches none), adding as
/// tantivy does.
fn add(sums: &Sums, term_score: &mut impl FnMut(usize) -> Option<f32>) -> Option<f32> {
    match sums {
        Sums::Term(term) => term_score(*term),
        Sums::Sum(operands) => operands.iter().fold(None, |sum, operand| match add(operand, term_score) {
            Some(score) => Some(sum.unwrap_or(0.0) + score),
            None => sum,
        }),
    }
}

/// The best entries seen (all of them when unlimited).
struct Top {
    limit: Option<usize>,
    sort: Sort,
    heap: BinaryHeap<Reverse<(RankKey, DocAddress)>>,
    all: Vec<(RankKey, DocAddress)>,
}

impl Top {
    fn new(limit: Option<usize>, sort: Sort) -> Top {
        Top { limit, sort, heap: BinaryHeap::new(), all: Vec::new() }
    }

    fn push(&mut self, entry: (RankKey, DocAddress)) {
        match self.limit {
            None => self.all.push(entry),
            Some(limit) if self.heap.len() < limit => self.heap.push(Reverse(entry)),
            Some(_) => {
                if self.heap.peek().is_some_and(|Reverse(worst)| entry > *worst) {
                    self.heap.pop();
                    self.heap.push(Reverse(entry));
                }
            }
        }
    }

    /// The score of the last kept entry, once `limit` are kept (for a sort by year, of
    /// entries all of one year).
    fn lowest_score(&self) -> Option<f32> {
        let limit = self.limit?;
        let Reverse(((first, second, _), _)) = self.heap.peek().filter(|_| self.heap.len() >= limit)?;
        let score = if self.sort == Sort::Relevance { first } else { second };
        Some(f32::from_bits(u32::try_from(*score).unwrap_or(u32::MAX)))
    }

    fn into_sorted(self) -> Vec<(RankKey, DocAddress)> {
        let mut entries =
            if self.limit.is_some() { self.heap.into_iter().map(|Reverse(e)| e).collect() } else { self.all };
        entries.sort_unstable_by_key(|&(key, _)| Reverse(key));
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SearchIndex;
    use crate::measure::IndexedMeasure;
    use crate::synth::{Generator, Rng};

    /// The answer as plain tantivy gives it: every match scored by its scorer, filters and
    /// counts checked measure by measure on the packed codes.
    fn reference(index: &SearchIndex, request: &SearchRequest) -> (u64, Vec<Vec<u64>>, Vec<DocAddress>) {
        let searcher = index.searcher();
        let text = index.text_query(request);
        let weight = text.as_ref().map(|q| q.weight(EnableScoring::enabled_from_searcher(&searcher)).unwrap());
        let mut counts: Vec<Vec<u64>> = Facet::ALL.iter().map(|f| vec![0; f.values().len()]).collect();
        let mut total = 0;
        let mut keys = Vec::new();
        let count = |counts: &mut Vec<Vec<u64>>, facet: Facet, code: u64| {
            let bits = facet.bits(code);
            if facet.is_multi() {
                (0..64).filter(|b| bits & (1 << b) != 0).for_each(|b| counts[facet.index()][b] += 1);
            } else if bits != 0 {
                counts[facet.index()][bits as usize] += 1;
            }
        };
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64("code").unwrap();
            let mut matched: Vec<(DocId, f32)> = Vec::new();
            match &weight {
                Some(weight) => {
                    let mut scorer = weight.scorer(segment, 1.0).unwrap();
                    while scorer.doc() != TERMINATED {
                        matched.push((scorer.doc(), scorer.score()));
                        scorer.advance();
                    }
                }
                None => matched.extend((0..segment.max_doc()).map(|d| (d, 0.0))),
            }
            for (doc, score) in matched.into_iter().filter(|(d, _)| !segment.is_deleted(*d)) {
                let code = column.first(doc).unwrap();
                // Each failed filter with the facets it restricts: its own, and the version
                // facets for the implicit filter on current versions.
                let mut failed: Vec<Vec<Facet>> = request
                    .filters
                    .iter()
                    .filter(|f| {
                        let bits = f.facet.bits(code);
                        !f.values
                            .iter()
                            .any(|&v| if f.facet.is_multi() { bits & (1 << v) != 0 } else { bits == u64::from(v) })
                    })
                    .map(|f| vec![f.facet])
                    .collect();
                let picks_versions = request.filters.iter().any(|f| VERSION_FACETS.contains(&f.facet));
                if !picks_versions && code & crate::facets::CURRENT == 0 {
                    failed.push(VERSION_FACETS.to_vec());
                }
                match failed.as_slice() {
                    [] => {
                        total += 1;
                        Facet::ALL.iter().for_each(|&f| count(&mut counts, f, code));
                        let year = Facet::Year.bits(code);
                        let score = u64::from(score.max(0.0).to_bits());
                        let tie = Reverse((ord as u32, doc));
                        let key = if request.sort == Sort::Relevance { (score, year, tie) } else { (year, score, tie) };
                        keys.push((key, DocAddress::new(ord as u32, doc)));
                    }
                    [only] => only.iter().for_each(|&facet| count(&mut counts, facet, code)),
                    _ => {}
                }
            }
        }
        keys.sort_by_key(|&(key, _)| Reverse(key));
        let skip = ((request.page - 1) * request.per_page) as usize;
        let page = keys.into_iter().skip(skip).take(request.per_page as usize).map(|(_, a)| a).collect();
        (total, counts, page)
    }

    fn seed() -> qpr_domain::ReportDocument {
        let text = include_str!("../../../demo/qpr-azerbaijan-2022.txt");
        qpr_import::import_published(qpr_domain::Framework::qpr_2020(), text).unwrap()
    }

    /// Random searches on a synthetic index of several segments with deletions give what
    /// plain tantivy gives: total, every facet count, and the page of hits in order.
    #[test]
    fn searches_answer_as_plain_tantivy_does() {
        let dir = tempfile::tempdir().unwrap();
        let index = std::sync::Arc::new(SearchIndex::open(dir.path()).unwrap());
        let generator = Generator::from_seed(&seed());
        let mut rng = Rng::new(7);
        let plan = generator.plan(3000, &mut rng);
        for (n, (iso3, name, year, measures)) in plan.iter().enumerate() {
            let report = generator.report(iso3, name, *year, *measures, &mut rng);
            let (id, revision) = (qpr_store::ReportId::new(2 * n as i64 + 1), qpr_store::RevisionId::new(1));
            if n % 4 == 1 {
                // Reported again four years later (ids kept): the earlier versions are not current.
                let mut again = report.clone();
                again.year += 4;
                let again_id = qpr_store::ReportId::new(2 * n as i64 + 2);
                index.replace_party(&[], &[(id, revision, &report), (again_id, revision, &again)]).unwrap();
            } else {
                index.replace_report(id, Some((revision, &report))).unwrap();
            }
            if n % 3 == 2 {
                index.commit(0).unwrap();
            }
        }
        index.replace_report(qpr_store::ReportId::new(3), None).unwrap();
        index.commit(0).unwrap();
        let searcher = index.searcher();
        assert!(searcher.segment_readers().len() > 1, "several segments");
        assert!(searcher.segment_readers().iter().any(|s| s.has_deletes()), "deleted measures");
        assert!(
            index.resident(&searcher).unwrap().segments.iter().any(|s| !s.terms.is_empty()),
            "frequent words are resident"
        );
        assert!(
            index.resident(&searcher).unwrap().segments.iter().any(|s| s.current.count() < s.alive.count()),
            "some measures are earlier versions"
        );

        let measures: Vec<IndexedMeasure> =
            index.export(&SearchRequest::default()).unwrap().map(Result::unwrap).collect();
        let words: Vec<String> = measures
            .iter()
            .take(200)
            .flat_map(|m| m.text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
            .collect();
        let word = |rng: &mut Rng| rng.pick(&words).unwrap().trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
        let mut walked = 0;
        for case in 0..300 {
            let (a, b) = (word(&mut rng), word(&mut rng));
            let q = match case % 7 {
                0 => String::new(),
                1 => a,
                2 => format!("{a} {b}"),
                3 => format!("\"{a} {b}\""),
                4 => format!("{a} -{b}"),
                5 => format!("{a} OR {b}"),
                _ => format!("{a} {b} {}", word(&mut rng)),
            };
            let mut params = vec![("q".to_owned(), q)];
            let measure = rng.pick(&measures).unwrap();
            for facet in Facet::ALL {
                if rng.chance(0.25) {
                    for value in measure.facet(facet).into_iter().chain(rng.pick(&measures).unwrap().facet(facet)) {
                        params.push((facet.name().to_owned(), value.to_owned()));
                    }
                }
            }
            params.push(("sort".into(), if rng.chance(0.3) { "year" } else { "relevance" }.into()));
            params.push(("page".into(), (1 + rng.below(3)).to_string()));
            params.push(("per_page".into(), (1 + rng.below(20)).to_string()));
            let request = SearchRequest::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
            let (total, counts, page) = reference(&index, &request);
            let limit = (request.page * request.per_page) as usize;
            let outcome = run(
                &searcher,
                &index.resident(&searcher).unwrap(),
                index.text_query(&request).as_deref().map(|q| TextPlan::new(&searcher, q).unwrap()).as_ref(),
                &request,
                Some(limit),
                true,
            )
            .unwrap();
            assert_eq!(outcome.total, total, "total of {params:?}");
            assert_eq!(outcome.counts.unwrap(), counts, "counts of {params:?}");
            let skip = ((request.page - 1) * request.per_page) as usize;
            let got: Vec<DocAddress> = outcome.hits.iter().skip(skip).map(|&(_, a)| a).collect();
            assert_eq!(got, page, "page of {params:?}");
            walked += usize::from(total > SCORE_ALL_BELOW && !request.q.is_empty());
        }
        assert!(walked > 50, "the walk ran ({walked} times)");
    }
}
