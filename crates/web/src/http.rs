//! Responses made once and served many times: a body with its validators (a strong `ETag`
//! from the content, `Last-Modified` from the data), compressed on first demand in gzip and
//! brotli, answered with `304 Not Modified` when the client holds it already.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED, VARY,
};
use axum::http::{Response, StatusCode};
use bytes::Bytes;

/// What a representation is, which fixes its content type and caching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An HTML page: shared caches may keep it a minute, then revalidate; it varies with the
    /// browser's languages.
    Page,
    /// A JSON document of the API.
    Json,
    /// A PDF file (compressed inside already: never compressed again).
    Pdf,
    /// A CSV download of data that follows the published reports.
    Csv,
    /// An asset under its plain name, of this content type.
    Asset(&'static str),
    /// An asset under a name with its content hash: never changes.
    ImmutableAsset(&'static str),
}

impl Kind {
    fn content_type(self) -> &'static str {
        match self {
            Kind::Page => "text/html; charset=utf-8",
            Kind::Json => "application/json",
            Kind::Pdf => "application/pdf",
            Kind::Csv => "text/csv; charset=utf-8",
            Kind::Asset(content_type) | Kind::ImmutableAsset(content_type) => content_type,
        }
    }

    fn cache_control(self) -> &'static str {
        match self {
            Kind::Page | Kind::Json | Kind::Pdf | Kind::Csv => "public, max-age=60",
            Kind::Asset(_) => "public, max-age=3600",
            Kind::ImmutableAsset(_) => "public, max-age=31536000, immutable",
        }
    }

    fn vary(self) -> &'static str {
        match self {
            Kind::Page => "Accept-Encoding, Accept-Language",
            Kind::Pdf => "Accept-Language",
            Kind::Json | Kind::Csv | Kind::Asset(_) | Kind::ImmutableAsset(_) => "Accept-Encoding",
        }
    }
}

/// A response body with its validators and its compressed forms.
#[derive(Debug)]
pub(crate) struct Representation {
    kind: Kind,
    identity: Bytes,
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    etag: HeaderValue,
    /// Seconds since the epoch (HTTP dates have no finer precision) and the header value.
    last_modified: Option<(u64, HeaderValue)>,
}

/// A 64-bit hash of some bytes. `DefaultHasher::new()` has fixed keys, so every server process
/// of one build gives the same hash, which is what `ETag`s behind a load balancer need.
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

impl Representation {
    /// A representation of `body`, last changed at `modified` when the data says so.
    pub(crate) fn new(kind: Kind, body: impl Into<Bytes>, modified: Option<SystemTime>) -> Representation {
        let identity = body.into();
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", content_hash(&identity)))
            .unwrap_or(HeaderValue::from_static("\"\""));
        let last_modified = modified.and_then(|time| {
            let seconds = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
            let value =
                HeaderValue::from_str(&httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds))).ok()?;
            Some((seconds, value))
        });
        Representation { kind, identity, gzip: OnceLock::new(), brotli: OnceLock::new(), etag, last_modified }
    }

    /// Whether the client's copy (named by its conditional headers) is this one.
    fn not_modified(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
            // `If-None-Match` wins over `If-Modified-Since` (RFC 9110, 13.2.2); weak
            // comparison, as it requires for GET.
            let ours = self.etag.to_str().unwrap_or_default();
            return tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours);
        }
        let since = request
            .get(IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        match (since, &self.last_modified) {
            (Some(since), Some((modified, _))) => {
                since.duration_since(UNIX_EPOCH).is_ok_and(|since| *modified <= since.as_secs())
            }
            _ => false,
        }
    }

    /// The response to a GET or HEAD with these request headers.
    pub(crate) fn respond(&self, request: &HeaderMap) -> Response<Body> {
        let mut response = if self.not_modified(request) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let encoding = if self.kind == Kind::Pdf { Encoding::Identity } else { preferred_encoding(request) };
            let (body, encoding) = match encoding {
                Encoding::Brotli => self.compressed(&self.brotli, brotli, "br"),
                Encoding::Gzip => self.compressed(&self.gzip, gzip, "gzip"),
                Encoding::Identity => (self.identity.clone(), None),
            };
            let mut response = Response::new(Body::from(body));
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(self.kind.content_type()));
            if let Some(encoding) = encoding {
                response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(ETAG, self.etag.clone());
        if let Some((_, value)) = &self.last_modified {
            headers.insert(LAST_MODIFIED, value.clone());
        }
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(self.kind.cache_control()));
        headers.insert(VARY, HeaderValue::from_static(self.kind.vary()));
        response
    }

    /// The body in an encoding, compressed once; identity if the encoder failed.
    fn compressed(
        &self,
        cell: &OnceLock<Option<Bytes>>,
        encode: fn(&[u8]) -> std::io::Result<Vec<u8>>,
        name: &'static str,
    ) -> (Bytes, Option<&'static str>) {
        match cell.get_or_init(|| encode(&self.identity).ok().map(Bytes::from)) {
            Some(bytes) => (bytes.clone(), Some(name)),
            None => (self.identity.clone(), None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Brotli if the client takes it, else gzip, else none (`q=0` refuses; `*` accepts both).
fn preferred_encoding(request: &HeaderMap) -> Encoding {
    let Some(accepted) = request.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else { return Encoding::Identity };
    let weight = |name: &str| {
        accepted.split(',').find_map(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim();
            (coding.eq_ignore_ascii_case(name)).then(|| {
                parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0))
            })
        })
    };
    let wildcard = weight("*").unwrap_or(0.0);
    if weight("br").unwrap_or(wildcard) > 0.0 {
        Encoding::Brotli
    } else if weight("gzip").unwrap_or(wildcard) > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    // Quality 9 of 11: within a few percent of the best, at a fraction of its time (pages are
    // compressed once per published revision, on the first request that asks for brotli).
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    let mut out = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (axum::http::HeaderName::from_static(k), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn encodings_follow_the_client() {
        assert_eq!(preferred_encoding(&headers(&[])), Encoding::Identity);
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "gzip, deflate, br")])), Encoding::Brotli);
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "gzip, br;q=0")])), Encoding::Gzip);
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "*")])), Encoding::Brotli);
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "identity, *;q=0")])), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decompress_to_the_page() {
        let page = "<p>Quadrennial Periodic Report</p>".repeat(100);
        let representation = Representation::new(Kind::Page, page.clone(), None);
        let (gz, name) = representation.compressed(&representation.gzip, gzip, "gzip");
        assert_eq!(name, Some("gzip"));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
        assert_eq!(text, page);
        let (br, _) = representation.compressed(&representation.brotli, brotli, "br");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut brotli::Decompressor::new(&br[..], 4096), &mut text).unwrap();
        assert_eq!(text, page);
        assert!(br.len() < page.len() / 10);
    }

    #[test]
    fn validators_answer_304() {
        let modified = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let representation = Representation::new(Kind::Page, "page", Some(modified));
        let etag = representation.etag.to_str().unwrap().to_owned();
        let status = |pairs: &[(&'static str, &str)]| representation.respond(&headers(pairs)).status();
        assert_eq!(status(&[]), StatusCode::OK);
        assert_eq!(status(&[("if-none-match", &etag)]), StatusCode::NOT_MODIFIED);
        assert_eq!(status(&[("if-none-match", &format!("\"other\", W/{etag}"))]), StatusCode::NOT_MODIFIED);
        assert_eq!(status(&[("if-none-match", "\"other\"")]), StatusCode::OK);
        let date = httpdate::fmt_http_date(modified);
        assert_eq!(status(&[("if-modified-since", &date)]), StatusCode::NOT_MODIFIED);
        assert_eq!(
            status(&[("if-modified-since", &httpdate::fmt_http_date(modified - Duration::from_secs(1)))]),
            StatusCode::OK
        );
        assert_eq!(
            status(&[("if-none-match", "\"other\""), ("if-modified-since", &date)]),
            StatusCode::OK,
            "the ETag wins"
        );
    }
}
