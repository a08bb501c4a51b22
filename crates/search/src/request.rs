//! A search request, parsed from query parameters once (`SearchRequest::from_params`): the
//! text, the filters, the sort and the page. Kept apart from `query` (which builds and runs the
//! search) so that `execute` can read a request without importing `query`, which imports it.

use std::collections::BTreeMap;

use crate::facets::Facet;

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
        SearchRequest {
            q: String::new(),
            filters: Vec::new(),
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
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
                        _ => {
                            return Err(param_error(
                                "sort",
                                format!("`{value}` is not an order; use `relevance` or `year`"),
                            ));
                        }
                    }
                }
                "page" => request.page = number("page", value, 1, MAX_DEPTH)?,
                "per_page" => request.per_page = number("per_page", value, 1, MAX_PER_PAGE)?,
                _ => {
                    let facet = Facet::from_name(name).ok_or_else(|| {
                        let known = Facet::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
                        param_error(
                            name,
                            format!("unknown parameter; use q, sort, page, per_page or a facet ({known})"),
                        )
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
                format!(
                    "pages reach the first {MAX_DEPTH} hits only; download the whole result set as CSV or JSON lines"
                ),
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
