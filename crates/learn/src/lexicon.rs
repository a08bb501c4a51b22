//! The Convention's vocabulary in English and French (`data/lexicon-en-fr.tsv`): pairs of
//! words that translate each other. Similar measures search a word's translation too; matching
//! measures by content reads a French word as its English pair.

const LEXICON: &str = include_str!("../data/lexicon-en-fr.tsv");

/// Every pair (English, French), in the file's order (a word may have several pairs).
pub fn pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    LEXICON
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(en, fr)| (en.trim(), fr.trim()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_line_is_a_pair_of_single_words() {
        let lines = super::LEXICON.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        assert_eq!(super::pairs().count(), lines, "a line without a tab");
        assert!(lines > 200);
        for (en, fr) in super::pairs() {
            assert!(!en.is_empty() && !fr.is_empty() && !en.contains(' ') && !fr.contains(' '), "{en} / {fr}");
        }
    }
}
