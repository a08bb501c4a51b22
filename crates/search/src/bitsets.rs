//! Sets of documents of one segment as bits: dense ([`BitSet`], one bit per document) for
//! query results and frequent words, sparse ([`SparseSet`], only the non-zero 64-bit words)
//! for facet values.
//!
//! Why: a search counts every facet value over up to a million matching measures. With the
//! matches as a bit set and each facet value as a set, a count is a popcount of an AND, 64
//! measures per instruction, and the unions and intersections of query words are word-wise
//! operations instead of merges of posting lists.

use tantivy::DocId;

/// Documents of a segment, one bit each (doc id `d` is bit `d % 64` of word `d / 64`).
/// Bits at or past `max_doc` are always zero, so counts need no masking.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BitSet {
    words: Vec<u64>,
    max_doc: DocId,
}

impl std::fmt::Debug for BitSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BitSet").field("max_doc", &self.max_doc).field("count", &self.count()).finish()
    }
}

fn words_for(max_doc: DocId) -> usize {
    (max_doc as usize).div_ceil(64)
}

impl BitSet {
    /// No document.
    pub(crate) fn empty(max_doc: DocId) -> BitSet {
        BitSet { words: vec![0; words_for(max_doc)], max_doc }
    }

    /// Every document below `max_doc`.
    pub(crate) fn full(max_doc: DocId) -> BitSet {
        let mut set = BitSet { words: vec![u64::MAX; words_for(max_doc)], max_doc };
        if let Some(last) = set.words.last_mut()
            && !max_doc.is_multiple_of(64)
        {
            *last = (1 << (max_doc % 64)) - 1;
        }
        set
    }

    /// Number of documents the set ranges over.
    pub(crate) fn max_doc(&self) -> DocId {
        self.max_doc
    }

    /// Adds a document (ignored at or past `max_doc`).
    #[inline]
    pub(crate) fn insert(&mut self, doc: DocId) {
        if doc < self.max_doc {
            self.words[doc as usize / 64] |= 1 << (doc % 64);
        }
    }

    /// Whether the set holds a document.
    #[inline]
    pub(crate) fn contains(&self, doc: DocId) -> bool {
        self.words.get(doc as usize / 64).is_some_and(|word| word & (1 << (doc % 64)) != 0)
    }

    /// Number of documents in the set.
    pub(crate) fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Keeps the documents also in `other`.
    pub(crate) fn and_with(&mut self, other: &BitSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    /// Adds the documents of `other`.
    pub(crate) fn or_with(&mut self, other: &BitSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    /// Removes the documents of `other`.
    pub(crate) fn and_not_with(&mut self, other: &BitSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= !b);
    }

    /// Adds the documents of a sparse set.
    pub(crate) fn or_sparse(&mut self, other: &SparseSet) {
        for (&at, &word) in other.index.iter().zip(&other.words) {
            if let Some(mine) = self.words.get_mut(at as usize) {
                *mine |= word;
            }
        }
    }

    /// Number of documents in both this set and a sparse set.
    #[inline]
    pub(crate) fn count_and(&self, other: &SparseSet) -> u64 {
        match &other.dense {
            Some(dense) => self.words.iter().zip(&dense.words).map(|(a, b)| u64::from((a & b).count_ones())).sum(),
            None => other
                .index
                .iter()
                .zip(&other.words)
                // A word past this set's end holds no bit.
                .map(|(&at, &word)| u64::from((self.words.get(at as usize).copied().unwrap_or(0) & word).count_ones()))
                .sum(),
        }
    }

    /// The documents in ascending order.
    pub(crate) fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(at, &word)| Ones { word, base: (at as DocId) * 64 })
    }

    /// Number of 64-bit words.
    pub(crate) fn word_len(&self) -> usize {
        self.words.len()
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.words.len() * 8
    }
}

/// The set bits of one word, as doc ids.
struct Ones {
    word: u64,
    base: DocId,
}

impl Iterator for Ones {
    type Item = DocId;

    #[inline]
    fn next(&mut self) -> Option<DocId> {
        if self.word == 0 {
            return None;
        }
        let bit = self.word.trailing_zeros();
        self.word &= self.word - 1;
        Some(self.base + bit)
    }
}

/// A set of documents that keeps only its non-zero words (with their positions), or, when
/// most words are non-zero, all of them: a facet value held by measures of a few reports
/// costs what those measures cost, and counting it against a [`BitSet`] reads only them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SparseSet {
    /// Positions of the non-zero words (empty when dense).
    index: Vec<u32>,
    /// The non-zero words (empty when dense).
    words: Vec<u64>,
    /// All words, when more than half of them are non-zero.
    dense: Option<BitSet>,
    count: u64,
}

impl SparseSet {
    /// Number of documents in the set.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// Heap bytes held.
    pub(crate) fn bytes(&self) -> usize {
        self.index.len() * 4 + self.words.len() * 8 + self.dense.as_ref().map_or(0, BitSet::bytes)
    }
}

/// Builds a [`SparseSet`] from documents given in ascending order.
#[derive(Debug, Default)]
pub(crate) struct SparseBuilder {
    set: SparseSet,
}

impl SparseBuilder {
    /// Adds a document; documents must come in ascending order.
    #[inline]
    pub(crate) fn push(&mut self, doc: DocId) {
        let at = doc / 64;
        let bit = 1 << (doc % 64);
        match (self.set.index.last(), self.set.words.last_mut()) {
            (Some(&last), Some(word)) if last == at => *word |= bit,
            _ => {
                self.set.index.push(at);
                self.set.words.push(bit);
            }
        }
        self.set.count += 1;
    }

    /// The set, over documents below `max_doc`.
    pub(crate) fn finish(self, max_doc: DocId) -> SparseSet {
        let mut set = self.set;
        if set.index.len() * 2 > words_for(max_doc) {
            let mut dense = BitSet::empty(max_doc);
            dense.or_sparse(&set);
            return SparseSet { index: Vec::new(), words: Vec::new(), dense: Some(dense), count: set.count };
        }
        set.index.shrink_to_fit();
        set.words.shrink_to_fit();
        set
    }
}

impl BitSet {
    /// Adds the documents of a sparse set, whatever its form.
    pub(crate) fn or_any(&mut self, other: &SparseSet) {
        match &other.dense {
            Some(dense) => self.or_with(dense),
            None => self.or_sparse(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(max_doc: DocId, docs: &[DocId]) -> BitSet {
        let mut set = BitSet::empty(max_doc);
        docs.iter().for_each(|&d| set.insert(d));
        set
    }

    fn sparse(max_doc: DocId, docs: &[DocId]) -> SparseSet {
        let mut builder = SparseBuilder::default();
        docs.iter().for_each(|&d| builder.push(d));
        builder.finish(max_doc)
    }

    #[test]
    fn full_sets_stop_at_max_doc() {
        for max_doc in [0, 1, 63, 64, 65, 130] {
            let full = BitSet::full(max_doc);
            assert_eq!(full.count(), u64::from(max_doc));
            assert_eq!(full.docs().collect::<Vec<_>>(), (0..max_doc).collect::<Vec<_>>());
            assert!(!full.contains(max_doc));
        }
    }

    #[test]
    fn operations_are_those_of_sets() {
        let a = set(200, &[0, 5, 63, 64, 130, 199]);
        let b = set(200, &[5, 64, 65, 198, 199]);
        let mut and = a.clone();
        and.and_with(&b);
        assert_eq!(and.docs().collect::<Vec<_>>(), [5, 64, 199]);
        let mut or = a.clone();
        or.or_with(&b);
        assert_eq!(or.docs().collect::<Vec<_>>(), [0, 5, 63, 64, 65, 130, 198, 199]);
        let mut not = a;
        not.and_not_with(&b);
        assert_eq!(not.docs().collect::<Vec<_>>(), [0, 63, 130]);
        let mut ignored = BitSet::empty(10);
        ignored.insert(10);
        assert_eq!(ignored.count(), 0, "documents past max_doc are ignored");
    }

    #[test]
    fn sparse_sets_count_and_merge_like_dense_ones() {
        // Few non-zero words stay sparse; many become dense; both answer the same.
        for docs in [vec![3, 4, 700, 701, 5000], (0..6000).step_by(3).collect::<Vec<_>>()] {
            let other = set(6000, &(0..6000).step_by(2).collect::<Vec<_>>());
            let value = sparse(6000, &docs);
            assert_eq!(value.count(), docs.len() as u64);
            let expected = docs.iter().filter(|&&d| other.contains(d)).count() as u64;
            assert_eq!(other.count_and(&value), expected);
            let mut union = BitSet::empty(6000);
            union.or_any(&value);
            assert_eq!(union.docs().collect::<Vec<_>>(), docs);
        }
        assert!(sparse(6000, &[1, 2]).dense.is_none());
        assert!(sparse(6000, &(0..6000).collect::<Vec<_>>()).dense.is_some());
    }
}
