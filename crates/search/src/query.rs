//! Searching: a request parsed from query parameters, run as one pass over the matching
//! measures that ranks the hits and counts every facet.
//!
//! Facet counts are "multi-select" counts: the counts of a facet are those of the measures
//! that match the text and every *other* facet's filter, so that selecting `domain=music`
//! still shows how many measures each other domain would add (values of one facet are alternatives).
//! One pass computes them all: a measure failing no filter is a hit and counts for every
//! facet; a measure failing exactly one facet's filter counts for that facet only.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::query::{EnableScoring, Query};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Searcher, TERMINATED};

use crate::SearchError;
use crate::facets::Facet;
use crate::index::SearchIndex;
use crate::measure::IndexedMeasure;

/// Hits per page when the request does not say.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// The most hits a page can hold.
pub const MAX_PER_PAGE: u32 = 100;
/// The deepest hit a page can reach; whole result sets are for the CSV and JSON lines export.
pub const MAX_DEPTH: u32 = 10_000;

/// Order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (BM25); without query text, newest first.
    #[default]
    Relevance,
    /// Newest report year first, best match first within a year.
    Year,
}

impl Sort {
    /// The parameter value.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Year => "year",
        }
    }
}

/// The values a facet must take (any of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The facet.
    pub facet: Facet,
    /// Codes of the accepted values.
    pub values: Vec<u16>,
}

/// A search, as the API and the page take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// Query text (words, `"phrases"`, `-excluded`); empty for none.
    pub q: String,
    /// At most one filter per facet, in facet order.
    pub filters: Vec<Filter>,
    /// Order of the hits.
    pub sort: Sort,
    /// Page, from 1.
    pub page: u32,
    /// Hits per page.
    pub per_page: u32,
}

impl Default for SearchRequest {
    fn default() -> SearchRequest {
        SearchRequest { q: String::new(), filters: Vec::new(), sort: Sort::Relevance, page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

/// A query parameter that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{param}`: {message}")]
pub struct ParamError {
    /// The parameter.
    pub param: String,
    /// What is wrong with it.
    pub message: String,
}

fn param_error(param: &str, message: impl Into<String>) -> ParamError {
    ParamError { param: param.to_owned(), message: message.into() }
}

fn number(param: &str, value: &str, min: u32, max: u32) -> Result<u32, ParamError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| param_error(param, format!("`{value}` is not a whole number from {min} to {max}")))
}

impl SearchRequest {
    /// Parses query parameters: `q`, a filter per facet name (repeated = any of the values),
    /// `sort`, `page`, `per_page`. Empty values are ignored (as empty form fields send them).
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<SearchRequest, ParamError> {
        let mut request = SearchRequest::default();
        let mut filters: BTreeMap<Facet, Vec<u16>> = BTreeMap::new();
        let mut q_seen = false;
        for (name, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name {
                "q" if q_seen => return Err(param_error("q", "give the query text once")),
                "q" => {
                    q_seen = true;
                    value.clone_into(&mut request.q);
                }
                "sort" => {
                    request.sort = match value {
                        "relevance" => Sort::Relevance,
                        "year" => Sort::Year,
                        _ => return Err(param_error("sort", format!("`{value}` is not an order; use `relevance` or `year`"))),
                    }
                }
                "page" => request.page = number("page", value, 1, MAX_DEPTH)?,
                "per_page" => request.per_page = number("per_page", value, 1, MAX_PER_PAGE)?,
                _ => {
                    let facet = Facet::from_name(name).ok_or_else(|| {
                        let known = Facet::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
                        param_error(name, format!("unknown parameter; use q, sort, page, per_page or a facet ({known})"))
                    })?;
                    let code = facet.code(value).ok_or_else(|| param_error(name, unknown_value(facet, value)))?;
                    let values = filters.entry(facet).or_default();
                    if !values.contains(&code) {
                        values.push(code);
                    }
                }
            }
        }
        if request.page.saturating_mul(request.per_page) > MAX_DEPTH {
            return Err(param_error(
                "page",
                format!("pages reach the first {MAX_DEPTH} hits only; download the whole result set as CSV or JSON lines"),
            ));
        }
        request.filters = filters.into_iter().map(|(facet, values)| Filter { facet, values }).collect();
        Ok(request)
    }

    /// The request as query parameters (the inverse of [`SearchRequest::from_params`]),
    /// without `page` and `per_page`, for links that keep the search.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.q.is_empty() {
            params.push(("q", self.q.clone()));
        }
        for filter in &self.filters {
            for &code in &filter.values {
                params.push((filter.facet.name(), filter.facet.values()[usize::from(code)].clone()));
            }
        }
        if self.sort != Sort::Relevance {
            params.push(("sort", self.sort.name().to_owned()));
        }
        params
    }

    /// Whether the request filters on `facet = value`.
    pub fn has_filter(&self, facet: Facet, value: &str) -> bool {
        facet.code(value).is_some_and(|code| self.filters.iter().any(|f| f.facet == facet && f.values.contains(&code)))
    }

    /// The request with `facet = value` added to its filters, or removed when present;
    /// back on page 1.
    pub fn toggled(&self, facet: Facet, value: &str) -> SearchRequest {
        let mut request = self.clone();
        request.page = 1;
        let Some(code) = facet.code(value) else { return request };
        match request.filters.iter_mut().find(|f| f.facet == facet) {
            Some(filter) if filter.values.contains(&code) => filter.values.retain(|&c| c != code),
            Some(filter) => filter.values.push(code),
            None => {
                request.filters.push(Filter { facet, values: vec![code] });
                request.filters.sort_by_key(|f| f.facet);
            }
        }
        request.filters.retain(|f| !f.values.is_empty());
        request
    }
}

fn unknown_value(facet: Facet, value: &str) -> String {
    match facet {
        Facet::Party => format!("`{value}` is not the ISO 3166-1 alpha-3 code of a Party"),
        Facet::Year => format!("`{value}` is not a report year"),
        Facet::TargetsYouth | Facet::Ifcd | Facet::Evaluated => format!("`{value}` is not `true` or `false`"),
        _ => {
            let known: Vec<&str> = facet.values().iter().map(String::as_str).filter(|v| !v.is_empty()).collect();
            format!("`{value}` is not a value of this facet; use one of {}", known.join(", "))
        }
    }
}

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
    /// `policy` or `cso`.
    pub kind: String,
    /// An extract of the text, HTML: escaped text with the matched words in `<mark>`.
    pub snippet: String,
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

/// A filter compiled to bit tests on packed codes.
struct CompiledFilter {
    facet: usize,
    shift: u32,
    mask: u64,
    multi: bool,
    /// Accepted codes (single-valued facets) as a bit set over up to 512 codes.
    allowed: [u64; 8],
    /// Accepted values (multi-valued facets) as a bit mask.
    any_of: u64,
}

impl CompiledFilter {
    fn new(filter: &Filter) -> CompiledFilter {
        let (shift, mask) = layout(filter.facet);
        let mut compiled =
            CompiledFilter { facet: filter.facet.index(), shift, mask, multi: filter.facet.is_multi(), allowed: [0; 8], any_of: 0 };
        for &code in &filter.values {
            if compiled.multi {
                compiled.any_of |= 1 << code;
            } else if let Some(word) = compiled.allowed.get_mut(usize::from(code) / 64) {
                *word |= 1 << (code % 64);
            }
        }
        compiled
    }

    #[inline]
    fn passes(&self, code: u64) -> bool {
        let value = (code >> self.shift) & self.mask;
        if self.multi { value & self.any_of != 0 } else { (self.allowed[(value as usize / 64) & 7] >> (value % 64)) & 1 != 0 }
    }
}

fn layout(facet: Facet) -> (u32, u64) {
    facet.shift_and_mask()
}

/// Per-facet counters, indexed by value code.
struct Counts {
    layouts: Vec<(u32, u64, bool)>,
    counts: Vec<Vec<u64>>,
}

impl Counts {
    fn new() -> Counts {
        Counts {
            layouts: Facet::ALL.iter().map(|&f| (layout(f).0, layout(f).1, f.is_multi())).collect(),
            counts: Facet::ALL.iter().map(|f| vec![0; f.values().len()]).collect(),
        }
    }

    #[inline]
    fn add(&mut self, facet: usize, code: u64) {
        let (shift, mask, multi) = self.layouts[facet];
        let mut value = (code >> shift) & mask;
        let counts = &mut self.counts[facet];
        if multi {
            while value != 0 {
                counts[value.trailing_zeros() as usize] += 1;
                value &= value - 1;
            }
        } else if value != 0 {
            counts[value as usize] += 1;
        }
    }

    #[inline]
    fn add_all(&mut self, code: u64) {
        for facet in 0..self.layouts.len() {
            self.add(facet, code);
        }
    }

    fn into_map(self) -> BTreeMap<&'static str, BTreeMap<&'static str, u64>> {
        Facet::ALL
            .iter()
            .zip(self.counts)
            .map(|(facet, counts)| {
                let values = facet.values().iter().zip(counts).filter(|(_, n)| *n > 0).map(|(v, n)| (v.as_str(), n)).collect();
                (facet.name(), values)
            })
            .collect()
    }
}

/// Ranking key of a hit: greater is better; ties go to the earlier document.
type RankKey = (u64, u64, Reverse<(u32, DocId)>);

/// What one pass over the matching measures gathers.
struct Pass {
    total: u64,
    /// Best hits (all of them when unlimited), best first.
    hits: Vec<(RankKey, DocAddress)>,
    counts: Option<Counts>,
}

impl SearchIndex {
    /// Runs a search: the requested page of hits with snippets, the total and the facet counts.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.searcher();
        let query = self.text_query(request);
        let limit = (request.page * request.per_page) as usize;
        let pass = self.pass(&searcher, query.as_deref(), request, Some(limit), true)?;
        let skip = ((request.page - 1) * request.per_page) as usize;
        let snippets = query.as_deref().map(|q| self.snippet_generators(&searcher, q)).transpose()?;
        let hits = pass
            .hits
            .iter()
            .skip(skip)
            .map(|&(_, address)| {
                let measure = self.stored(&searcher, address)?;
                let snippet = snippet(snippets.as_ref(), &measure);
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
                })
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        Ok(SearchResults { total: pass.total, hits, facets: pass.counts.map(Counts::into_map).unwrap_or_default() })
    }

    /// Every measure a search matches, in its order, read lazily (for downloads).
    pub fn export(self: &Arc<Self>, request: &SearchRequest) -> Result<Export, SearchError> {
        let searcher = self.searcher();
        let query = self.text_query(request);
        let pass = self.pass(&searcher, query.as_deref(), request, None, false)?;
        Ok(Export { index: Arc::clone(self), searcher, addresses: pass.hits.into_iter().map(|(_, a)| a).collect::<Vec<_>>().into_iter() })
    }

    fn text_query(&self, request: &SearchRequest) -> Option<Box<dyn Query>> {
        // Lenient: an unbalanced quote or a stray operator is read as words, never an error.
        (!request.q.is_empty()).then(|| self.parser.parse_query_lenient(&request.q).0)
    }

    fn snippet_generators(&self, searcher: &Searcher, query: &dyn Query) -> Result<[SnippetGenerator; 2], SearchError> {
        let generator = |field| {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(220);
            Ok::<_, SearchError>(generator)
        };
        Ok([generator(self.fields.text_en)?, generator(self.fields.text_fr)?])
    }

    /// One pass over the measures matching the text: hits (best `limit`, or all) and counts.
    fn pass(
        &self,
        searcher: &Searcher,
        query: Option<&dyn Query>,
        request: &SearchRequest,
        limit: Option<usize>,
        count: bool,
    ) -> Result<Pass, SearchError> {
        let filters: Vec<CompiledFilter> = request.filters.iter().map(CompiledFilter::new).collect();
        let (year_shift, year_mask) = layout(Facet::Year);
        let weight = query.map(|q| q.weight(EnableScoring::enabled_from_searcher(searcher))).transpose()?;
        let mut counts = count.then(Counts::new);
        let mut total = 0u64;
        let mut best: BinaryHeap<Reverse<(RankKey, DocAddress)>> = BinaryHeap::new();
        let mut all = Vec::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let segment_ord = segment_ord as u32;
            let codes = self.segment_codes(segment)?;
            let alive = segment.alive_bitset();
            let mut scorer = weight.as_ref().map(|w| w.scorer(segment, 1.0)).transpose()?;
            let mut doc: DocId = match &scorer {
                Some(scorer) => scorer.doc(),
                None => 0,
            };
            let max_doc = segment.max_doc();
            while doc != TERMINATED && doc < max_doc {
                let next = |scorer: &mut Option<Box<dyn tantivy::query::Scorer>>| match scorer {
                    Some(scorer) => scorer.advance(),
                    None => doc + 1,
                };
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    doc = next(&mut scorer);
                    continue;
                }
                let code = codes[doc as usize];
                let mut failed = None;
                let mut failures = 0;
                for filter in &filters {
                    if !filter.passes(code) {
                        failures += 1;
                        failed = Some(filter.facet);
                        if failures > 1 {
                            break;
                        }
                    }
                }
                match (failures, failed, counts.as_mut()) {
                    (0, _, _) => {
                        total += 1;
                        if let Some(counts) = counts.as_mut() {
                            counts.add_all(code);
                        }
                        let score = scorer.as_mut().map_or(0.0, |s| s.score());
                        let year = (code >> year_shift) & year_mask;
                        let score = u64::from(score.max(0.0).to_bits());
                        let key = match request.sort {
                            Sort::Relevance => (score, year, Reverse((segment_ord, doc))),
                            Sort::Year => (year, score, Reverse((segment_ord, doc))),
                        };
                        let entry = (key, DocAddress::new(segment_ord, doc));
                        match limit {
                            None => all.push(entry),
                            Some(limit) => {
                                best.push(Reverse(entry));
                                if best.len() > limit {
                                    best.pop();
                                }
                            }
                        }
                    }
                    (1, Some(facet), Some(counts)) => counts.add(facet, code),
                    _ => {}
                }
                doc = next(&mut scorer);
            }
        }
        let mut hits: Vec<(RankKey, DocAddress)> = if limit.is_some() { best.into_iter().map(|Reverse(e)| e).collect() } else { all };
        hits.sort_unstable_by_key(|&(key, _)| Reverse(key));
        Ok(Pass { total, hits, counts })
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
