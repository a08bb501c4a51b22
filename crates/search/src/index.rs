//! The tantivy index: its schema, opening (and discarding when unreadable), writing a report's
//! measures, and reading stored measures back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use qpr_domain::ReportDocument;
use qpr_domain::framework::FrameworkRegistry;
use qpr_domain::versions::MeasureVersions;
use qpr_store::{ReportId, RevisionId};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::query::QueryParser;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TantivyDocument, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, PreTokenizedString, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenStream,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term, Warmer};

use crate::SearchError;
use crate::measure::{IndexedMeasure, Origin, measures_of};
use crate::resident::{Resident, ResidentWarmer};

/// Version of the schema and of what is derived into it; an index written with another
/// version is discarded and rebuilt (it is a cache). 3: no facet terms (facets are searched
/// through the resident sets built from the packed codes); 4: the `framework` facet and the
/// areas of the earlier form versions; 5: a measure reported again is indexed with the years
/// of the reports holding it and whether it is the current version (the `CURRENT` bit of
/// the packed code), and searches show current versions only.
const SCHEMA_VERSION: u32 = 5;

/// Memory of the index writer (split between its threads).
const WRITER_MEMORY: usize = 96 * 1024 * 1024;

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// The report a measure belongs to (deleting a report's measures goes through it).
    pub report: Field,
    /// Packed facet values (fast field).
    pub code: Field,
    /// All searchable text, English analysis.
    pub text_en: Field,
    /// All searchable text, French analysis.
    pub text_fr: Field,
    /// Every pair of adjacent words of the text, per analysis (`en intern cooper`): a phrase
    /// query first narrows to the measures having its pairs (one posting list each) and
    /// checks word positions in those only (see [`crate::query`]).
    pub pairs: Field,
    /// The indexed measure as JSON (stored only).
    pub stored: Field,
}

/// What the index records with each commit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    schema: u32,
    /// The last outbox event whose effect is in the index.
    seq: i64,
}

/// The policy monitoring database: every published measure, searchable by text and facets.
///
/// It is a cache of the store: [`crate::rebuild`] recreates it from the database, and
/// [`crate::catch_up`] applies the outbox events after the last one it recorded.
pub struct SearchIndex {
    pub(crate) index: Index,
    reader: IndexReader,
    /// `None` when opened read-only.
    writer: Option<Mutex<IndexWriter>>,
    pub(crate) fields: Fields,
    pub(crate) parser: QueryParser,
    pub(crate) frameworks: FrameworkRegistry,
    /// The sets searches read, per searcher generation (built when the reader loads one).
    resident: Arc<ResidentWarmer>,
    dir: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).field("writable", &self.writer.is_some()).finish()
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        report: builder.add_u64_field("report", INDEXED),
        code: builder.add_u64_field("code", FAST),
        text_en: builder.add_text_field("text_en", text("qpr_en")),
        text_fr: builder.add_text_field("text_fr", text("qpr_fr")),
        pairs: builder.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
            ),
        ),
        stored: builder.add_text_field("measure", STORED),
    };
    (builder.build(), fields)
}

/// The analysis of the index's text fields in one language.
pub(crate) fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::new())))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

impl SearchIndex {
    /// Opens the index in `dir` for reading and writing, creating it when missing and
    /// starting afresh when it is unreadable or of another schema version. Fails when another
    /// process holds it for writing.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        match SearchIndex::open_existing(dir, true) {
            Ok(Some(index)) => return Ok(index),
            Ok(None) => {}
            Err(SearchError::Locked(path)) => return Err(SearchError::Locked(path)),
            Err(error) => {
                tracing::warn!(error = %error, "The search index in {} is unreadable; it is rebuilt", dir.display())
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| SearchError::Io(format!("cannot remove {}: {e}", dir.display())))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, _) = schema();
        Index::create_in_dir(dir, schema)?;
        let index = SearchIndex::open_existing(dir, true)?
            .ok_or_else(|| SearchError::Io(format!("{} vanished", dir.display())))?;
        index.commit(0)?;
        Ok(index)
    }

    /// Opens an existing index for reading only (while a server writes it, for example).
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_existing(dir, false)?.ok_or_else(|| {
            SearchError::Io(format!("no search index of this version in {}; run `qpr reindex`", dir.display()))
        })
    }

    /// `Ok(None)` when there is no index of the current version.
    fn open_existing(dir: &Path, writable: bool) -> Result<Option<SearchIndex>, SearchError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Io(format!("{}: {e}", dir.display())))?;
        let index = Index::open(directory)?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Ok(None);
        }
        let payload = read_payload(&index)?;
        if payload.is_some_and(|p| p.schema != SCHEMA_VERSION) {
            return Ok(None);
        }
        index.tokenizers().register("qpr_en", analyzer(Language::English));
        index.tokenizers().register("qpr_fr", analyzer(Language::French));
        let writer = if writable {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
            match index.writer_with_num_threads(threads, WRITER_MEMORY) {
                Ok(writer) => Some(Mutex::new(writer)),
                Err(tantivy::TantivyError::LockFailure(..)) => return Err(SearchError::Locked(dir.to_owned())),
                Err(error) => return Err(error.into()),
            }
        } else {
            None
        };
        let resident = Arc::new(ResidentWarmer::new(vec![fields.text_en, fields.text_fr]));
        let warmer: Arc<dyn Warmer> = Arc::clone(&resident) as Arc<dyn Warmer>;
        let reader = index
            .reader_builder()
            .reload_policy(if writable { ReloadPolicy::Manual } else { ReloadPolicy::OnCommitWithDelay })
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.text_en, fields.text_fr]);
        parser.set_conjunction_by_default();
        Ok(Some(SearchIndex {
            index,
            reader,
            writer,
            fields,
            parser,
            frameworks: FrameworkRegistry::builtin(),
            resident,
            dir: dir.to_owned(),
        }))
    }

    /// The last outbox event applied (0 for a new index).
    pub fn applied_seq(&self) -> Result<i64, SearchError> {
        Ok(read_payload(&self.index)?.map_or(0, |p| p.seq))
    }

    /// Number of measures in the index.
    pub fn len(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// Whether the index holds no measure.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        let writer = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        writer.lock().map_err(|_| SearchError::Io("the index writer panicked".into()))
    }

    /// Replaces the measures of a report alone (uncommitted until [`SearchIndex::commit`]):
    /// removes what the index holds of it and, when it is published, adds the measures of
    /// its published document, each its own current version. The index follows the
    /// database with [`SearchIndex::replace_party`], which also knows the Party's other
    /// reports; this is for reports no other report shares measures with.
    pub fn replace_report(
        &self,
        report_id: ReportId,
        published: Option<(RevisionId, &ReportDocument)>,
    ) -> Result<usize, SearchError> {
        let published: Vec<(ReportId, RevisionId, &ReportDocument)> =
            published.map(|(revision, document)| (report_id, revision, document)).into_iter().collect();
        self.replace_party(&[report_id], &published)
    }

    /// Replaces the measures of a Party's reports (uncommitted until
    /// [`SearchIndex::commit`]): removes what the index holds of `reports` and of the
    /// published ones, and adds the measures of `published`, which must be every published
    /// report of the Party: a measure reported again is current only in the newest of them
    /// ([`MeasureVersions`]).
    pub fn replace_party(
        &self,
        reports: &[ReportId],
        published: &[(ReportId, RevisionId, &ReportDocument)],
    ) -> Result<usize, SearchError> {
        let writer = self.writer()?;
        for report_id in reports.iter().chain(published.iter().map(|(report, _, _)| report)) {
            writer.delete_term(Term::from_field_u64(self.fields.report, report_key(report_id.get())));
        }
        let versions = MeasureVersions::of(published.iter().map(|(_, _, document)| *document));
        let mut added = 0;
        for (report_id, revision_id, document) in published {
            let origin = Origin { report_id: report_id.get(), revision_id: revision_id.get() };
            let measures = measures_of(&self.frameworks, document, origin, &versions);
            for measure in &measures {
                writer.add_document(self.document(measure)?)?;
            }
            added += measures.len();
        }
        Ok(added)
    }

    /// Removes every measure (uncommitted until [`SearchIndex::commit`]).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Makes the changes since the last commit durable and visible, recording that the
    /// index now reflects the outbox up to `seq`.
    pub fn commit(&self, seq: i64) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        let payload = serde_json::to_string(&Payload { schema: SCHEMA_VERSION, seq })
            .map_err(|e| SearchError::Io(e.to_string()))?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Merges every segment into one (after a rebuild: fewer, larger segments search faster).
    /// The index is committed before, so a failed merge only leaves it less compact.
    pub fn optimize(&self) -> Result<(), SearchError> {
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            let merge = self.writer()?.merge(&ids);
            if let Err(error) = merge.wait() {
                tracing::warn!(error = %error, "Merging the search index's segments failed: {error}");
            }
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Turns background merges off (during a rebuild, which merges everything at the end)
    /// or back on.
    pub fn set_background_merges(&self, on: bool) -> Result<(), SearchError> {
        let policy: Box<dyn tantivy::merge_policy::MergePolicy> = if on {
            Box::new(tantivy::merge_policy::LogMergePolicy::default())
        } else {
            Box::new(tantivy::merge_policy::NoMergePolicy)
        };
        self.writer()?.set_merge_policy(policy);
        Ok(())
    }

    fn document(&self, measure: &IndexedMeasure) -> Result<TantivyDocument, SearchError> {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.report, report_key(measure.report_id));
        doc.add_u64(f.code, measure.code);
        // Each analysis runs once: its tokens are indexed as they are (pre-tokenized) and
        // give the pairs of adjacent words.
        let mut pairs = BTreeSet::new();
        for field in [f.text_en, f.text_fr] {
            match self.tokens_of(field, &measure.text, &mut pairs) {
                Some(tokens) => {
                    doc.add_pre_tokenized_text(field, PreTokenizedString { text: measure.text.clone(), tokens })
                }
                None => doc.add_text(field, &measure.text),
            }
        }
        for pair in pairs {
            doc.add_text(f.pairs, pair);
        }
        doc.add_text(f.stored, serde_json::to_string(measure).map_err(|e| SearchError::Io(e.to_string()))?);
        Ok(doc)
    }

    /// The analyzer of a text field (`qpr_en` or `qpr_fr`) and the tag of its pairs.
    pub(crate) fn analysis_of(&self, field: Field) -> Option<(TextAnalyzer, &'static str)> {
        let (name, tag) = if field == self.fields.text_en {
            ("qpr_en", "en")
        } else if field == self.fields.text_fr {
            ("qpr_fr", "fr")
        } else {
            return None;
        };
        self.index.tokenizers().get(name).map(|analyzer| (analyzer, tag))
    }

    /// The tokens of a text in the analysis of a text field, adding to `pairs` those of
    /// adjacent words: two words are adjacent when their positions follow each other (a stop
    /// word removed between them leaves a gap, as it does for phrase queries).
    fn tokens_of(&self, field: Field, text: &str, pairs: &mut BTreeSet<String>) -> Option<Vec<Token>> {
        let (mut analyzer, tag) = self.analysis_of(field)?;
        let mut stream = analyzer.token_stream(text);
        let mut tokens: Vec<Token> = Vec::new();
        while let Some(token) = stream.next() {
            if let Some(previous) = tokens.last()
                && previous.position + 1 == token.position
            {
                pairs.insert(pair_term(tag, &previous.text, &token.text));
            }
            tokens.push(token.clone());
        }
        Some(tokens)
    }

    /// The stored measure at an address.
    pub(crate) fn stored(&self, searcher: &Searcher, address: DocAddress) -> Result<IndexedMeasure, SearchError> {
        self.stored_with(searcher, address, IndexedMeasure::from_stored)
    }

    /// A stored measure read by `read` (with or without its searchable text).
    pub(crate) fn stored_with(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        read: fn(&str) -> Result<IndexedMeasure, serde_json::Error>,
    ) -> Result<IndexedMeasure, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.fields.stored)
            .and_then(|v| v.as_str())
            .ok_or_else(|| SearchError::Corrupt(format!("stored measure at {address:?}: no stored JSON")))?;
        read(json).map_err(|e| SearchError::Corrupt(format!("stored measure at {address:?}: {e}")))
    }

    /// The sets resident for a searcher's generation.
    pub(crate) fn resident(&self, searcher: &Searcher) -> Result<Arc<Resident>, SearchError> {
        self.resident.get(searcher)
    }
}

/// The term of two adjacent words in one analysis (words never hold a space).
pub(crate) fn pair_term(tag: &str, first: &str, second: &str) -> String {
    format!("{tag} {first} {second}")
}

/// Report ids are positive (the database's identity column); the term stores them as u64, and
/// the unreachable 0 names no report.
fn report_key(report_id: i64) -> u64 {
    u64::try_from(report_id).unwrap_or(0)
}

/// The payload of the last commit; `None` before the first. One that does not parse is an
/// error (`SearchIndex::open` then rebuilds the index), not a new index's 0.
fn read_payload(index: &Index) -> Result<Option<Payload>, SearchError> {
    let metas = index.load_metas()?;
    metas
        .payload
        .as_deref()
        .map(|p| {
            serde_json::from_str(p).map_err(|e| SearchError::Corrupt(format!("the index's commit payload `{p}`: {e}")))
        })
        .transpose()
}
