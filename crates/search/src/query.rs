//! Searching: a request parsed from query parameters, the text query it makes, and the
//! answer (a page of hits with snippets, the total, every facet's counts), computed by
//! [`crate::execute`].
//!
//! Facet counts are "multi-select" counts: the counts of a facet are those of the measures
//! that match the text and every *other* facet's filter, so that selecting `domain=music`
//! still shows how many measures each other domain would add (values of one facet are alternatives).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Searcher, Term};

use crate::SearchError;
use crate::execute::TextPlan;
use crate::facets::Facet;
use crate::index::SearchIndex;
use crate::measure::IndexedMeasure;
use crate::request::SearchRequest;

/// One hit of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Measure id (`/measures/{id}`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Party code.
    pub party: String,
    /// Party name as in the report (for pages; not in the API's hits).
    #[serde(skip)]
    pub party_name: String,
    /// Report year.
    pub year: i32,
    /// Goal, if any.
    pub goal: Option<u8>,
    /// Area of monitoring, for policy measures.
    pub area: Option<String>,
    /// Policy or CSO measure (`policy`, `cso` in JSON).
    pub kind: qpr_domain::MeasureKind,
    /// An extract of the text, HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
    /// The years of the Party's reports holding this measure, newest first: the hit is the
    /// version of `year`, the newest unless the search filters on years or form versions.
    pub reported_in: Vec<i32>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching measures.
    pub total: u64,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// For each facet, the number of measures per value (values without measures left out).
    pub facets: BTreeMap<&'static str, BTreeMap<&'static str, u64>>,
}

fn counts_map(counts: Vec<Vec<u64>>) -> BTreeMap<&'static str, BTreeMap<&'static str, u64>> {
    Facet::ALL
        .iter()
        .zip(counts)
        .map(|(facet, counts)| {
            let values =
                facet.values().iter().zip(counts).filter(|(_, n)| *n > 0).map(|(v, n)| (v.as_str(), n)).collect();
            (facet.name(), values)
        })
        .collect()
}

impl SearchIndex {
    /// Runs a search: the requested page of hits with snippets, the total and the facet counts.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.searcher();
        let text = self.text_query(request);
        let limit = (request.page * request.per_page) as usize;
        let pass = self.run(&searcher, text.as_deref(), request, Some(limit), true)?;
        let skip = ((request.page - 1) * request.per_page) as usize;
        let snippets = text.as_deref().map(|q| self.snippet_generators(&searcher, q)).transpose()?;
        let page: Vec<DocAddress> = pass.hits.iter().skip(skip).map(|&(_, address)| address).collect();
        let hit = |address: &DocAddress| self.hit(&searcher, snippets.as_ref(), *address);
        // Reading and highlighting a page of hits is the costliest part of a small result
        // set: two threads share it.
        let hits = if page.len() < 4 {
            page.iter().map(hit).collect::<Result<Vec<_>, SearchError>>()?
        } else {
            let (first, second) = page.split_at(page.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| second.iter().map(hit).collect::<Result<Vec<_>, SearchError>>());
                let mut hits = first.iter().map(hit).collect::<Result<Vec<_>, SearchError>>()?;
                hits.extend(other.join().map_err(|_| SearchError::Io("a snippet thread panicked".into()))??);
                Ok::<_, SearchError>(hits)
            })?
        };
        // No counts when the pass did not count (a page of hits only): no facet values.
        Ok(SearchResults { total: pass.total, hits, facets: pass.counts.map(counts_map).unwrap_or_default() })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        snippets: Option<&[SnippetGenerator; 2]>,
        address: DocAddress,
    ) -> Result<Hit, SearchError> {
        let measure = self.stored(searcher, address)?;
        let snippet = snippet(snippets, &measure);
        Ok(Hit {
            id: measure.id,
            title: measure.title,
            party: measure.party,
            party_name: measure.party_name,
            year: measure.year,
            goal: measure.goal,
            area: measure.area,
            kind: measure.kind,
            snippet,
            reported_in: measure.reported_in,
        })
    }

    /// Every measure a search matches, in its order, read lazily (for downloads).
    pub fn export(self: &Arc<Self>, request: &SearchRequest) -> Result<Export, SearchError> {
        let searcher = self.searcher();
        let text = self.text_query(request);
        let pass = self.run(&searcher, text.as_deref(), request, None, false)?;
        Ok(Export {
            index: Arc::clone(self),
            searcher,
            addresses: pass.hits.into_iter().map(|(_, a)| a).collect::<Vec<_>>().into_iter(),
        })
    }

    pub(crate) fn text_query(&self, request: &SearchRequest) -> Option<Box<dyn Query>> {
        // Lenient: an unbalanced quote or a stray operator is read as words, never an error.
        (!request.q.is_empty()).then(|| self.with_pairs(self.parser.parse_query_lenient(&request.q).0, &request.q))
    }

    /// The query with each exact phrase narrowed by its pairs of adjacent words: a phrase
    /// whose words are frequent but rarely adjacent (`"international cooperation"`) would
    /// otherwise have the positions of both words read in every measure holding both. The
    /// pairs are required, scoring nothing, so hits and scores stay those of the phrase.
    fn with_pairs(&self, query: Box<dyn Query>, q: &str) -> Box<dyn Query> {
        if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
            let clauses = boolean
                .clauses()
                .iter()
                .map(|(occur, clause)| (*occur, self.with_pairs(clause.box_clone(), q)))
                .collect();
            return Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses,
                boolean.get_minimum_number_should_match(),
            ));
        }
        let Some(phrase) = query.downcast_ref::<PhraseQuery>() else { return query };
        let pairs = self.phrase_pairs(phrase, q);
        if pairs.is_empty() {
            return query;
        }
        let required = pairs.into_iter().map(|pair| {
            let term = TermQuery::new(Term::from_field_text(self.fields.pairs, &pair), IndexRecordOption::Basic);
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0)) as Box<dyn Query>)
        });
        Box::new(BooleanQuery::new(std::iter::once((Occur::Must, query)).chain(required).collect()))
    }

    /// The pair terms of a phrase query, found by analysing the quoted parts of the query
    /// text again (tantivy does not expose a phrase's word offsets): those of the quoted
    /// part whose words are the phrase's. None for a phrase with slop (`"…"~2`), whose words
    /// need not be adjacent.
    fn phrase_pairs(&self, phrase: &PhraseQuery, q: &str) -> Vec<String> {
        let Some((mut analyzer, tag)) = self.analysis_of(phrase.field()) else { return Vec::new() };
        let words: Vec<String> =
            phrase.phrase_terms().iter().filter_map(|t| t.value().as_str().map(str::to_owned)).collect();
        let parts: Vec<&str> = q.split('"').collect();
        // Quoted parts are the odd ones; an unclosed quote is not a phrase, and a closed one
        // followed by `~` has slop.
        for (i, part) in parts.iter().enumerate().skip(1).step_by(2) {
            if parts.get(i + 1).is_none_or(|after| after.starts_with('~')) {
                continue;
            }
            let mut stream = analyzer.token_stream(part);
            let mut tokens: Vec<(usize, String)> = Vec::new();
            while let Some(token) = stream.next() {
                tokens.push((token.position, token.text.clone()));
            }
            if tokens.iter().map(|(_, word)| word).eq(words.iter()) {
                return tokens
                    .windows(2)
                    .filter(|pair| pair[0].0 + 1 == pair[1].0)
                    .map(|pair| crate::index::pair_term(tag, &pair[0].1, &pair[1].1))
                    .collect();
            }
        }
        Vec::new()
    }

    fn snippet_generators(&self, searcher: &Searcher, query: &dyn Query) -> Result<[SnippetGenerator; 2], SearchError> {
        let generator = |field| {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(220);
            Ok::<_, SearchError>(generator)
        };
        Ok([generator(self.fields.text_en)?, generator(self.fields.text_fr)?])
    }

    /// Runs a search on the sets resident for the searcher's generation.
    fn run(
        &self,
        searcher: &Searcher,
        text: Option<&dyn Query>,
        request: &SearchRequest,
        limit: Option<usize>,
        count: bool,
    ) -> Result<crate::execute::Outcome, SearchError> {
        let resident = self.resident(searcher)?;
        let plan = text.map(|query| TextPlan::new(searcher, query)).transpose()?;
        crate::execute::run(searcher, &resident, plan.as_ref(), request, limit, count)
    }
}

/// The extract shown with a hit: the best passage for the query, or the text's beginning.
fn snippet(generators: Option<&[SnippetGenerator; 2]>, measure: &IndexedMeasure) -> String {
    let body = measure.text.strip_prefix(&measure.title).unwrap_or(&measure.text).trim_start();
    for generator in generators.into_iter().flatten() {
        let mut snippet = generator.snippet(body);
        if !snippet.highlighted().is_empty() {
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            return snippet.to_html();
        }
    }
    let end = body.char_indices().nth(220).map_or(body.len(), |(i, _)| i);
    let ellipsis = if end < body.len() { "…" } else { "" };
    format!("{}{ellipsis}", escape_html(&body[..end]))
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The measures of a result set, read one by one from the index.
pub struct Export {
    index: Arc<SearchIndex>,
    searcher: Searcher,
    addresses: std::vec::IntoIter<DocAddress>,
}

impl Export {
    /// Number of measures left to read.
    pub fn remaining(&self) -> usize {
        self.addresses.len()
    }
}

impl Iterator for Export {
    type Item = Result<IndexedMeasure, SearchError>;

    fn next(&mut self) -> Option<Self::Item> {
        let address = self.addresses.next()?;
        Some(self.index.stored(&self.searcher, address))
    }
}

/// Measures an export's thread reads before handing their text over.
const EXPORT_BATCH: usize = 256;

impl Export {
    /// Writes every measure left (its record, without the searchable text) with `write`, on
    /// `threads` threads, and hands the text of each batch of measures to `emit` in the
    /// result's order; stops early when `emit` returns `false` (the client went away).
    ///
    /// Reading a stored measure (decompressing its block, parsing its JSON) is most of a
    /// download's cost and each is independent: thread `i` takes batches `i`, `i + threads`,
    /// …, and the caller's thread takes their output round-robin, which is the result's
    /// order. Each thread runs at most two batches ahead, so memory stays bounded.
    pub fn write_in_order(
        self,
        threads: usize,
        write: impl Fn(&IndexedMeasure, &mut String) + Sync,
        mut emit: impl FnMut(String) -> bool,
    ) -> Result<(), SearchError> {
        let threads = threads.max(1);
        let addresses: Vec<DocAddress> = self.addresses.collect();
        let batches: Vec<&[DocAddress]> = addresses.chunks(EXPORT_BATCH).collect();
        let (index, searcher, write, batches) = (&self.index, &self.searcher, &write, &batches);
        std::thread::scope(|scope| {
            let outputs: Vec<_> = (0..threads)
                .map(|first| {
                    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<String, SearchError>>(2);
                    scope.spawn(move || {
                        for batch in batches.iter().skip(first).step_by(threads) {
                            let mut text = String::new();
                            let read = batch.iter().try_for_each(|&address| {
                                write(
                                    &index.stored_with(searcher, address, IndexedMeasure::from_stored_record)?,
                                    &mut text,
                                );
                                Ok(())
                            });
                            // A closed channel: the caller stopped; so does this thread.
                            if sender.send(read.map(|()| text)).is_err() {
                                return;
                            }
                        }
                    });
                    receiver
                })
                .collect();
            for batch in 0..batches.len() {
                let text = outputs[batch % threads]
                    .recv()
                    .map_err(|_| SearchError::Io("an export thread stopped".into()))??;
                if !emit(text) {
                    break;
                }
            }
            // Dropping the receivers here ends the threads still reading.
            drop(outputs);
            Ok(())
        })
    }
}
