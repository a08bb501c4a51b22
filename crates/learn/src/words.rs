//! Word-level changes between two texts, for the comparison of long answers: which words were
//! deleted, which inserted, which kept. Texts are cut into words (runs of letters and digits,
//! in any script), runs of white space, and single other characters (punctuation, symbols),
//! and the two sequences are compared with Myers' algorithm (`similar`). The pieces are plain
//! text: escaping them is the page's job.
//!
//! The pieces always add up: the kept and deleted pieces, in order, are the old text; the kept
//! and inserted pieces are the new text (tested on tricky input).

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

/// A piece of a word diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text in both versions.
    Same(String),
    /// Text only in the old version.
    Deleted(String),
    /// Text only in the new version.
    Inserted(String),
}

impl Piece {
    /// The text of the piece.
    pub fn text(&self) -> &str {
        match self {
            Piece::Same(text) | Piece::Deleted(text) | Piece::Inserted(text) => text,
        }
    }
}

/// How long a comparison may search for the smallest difference before it settles for a
/// larger one (still correct: the pieces add up either way). Bounds the cost of two very long,
/// very different texts.
const DEADLINE: Duration = Duration::from_millis(250);

/// What a character is, for cutting a text into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Other,
}

fn class(c: char) -> Class {
    if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// The tokens of a text: words, runs of white space, single other characters.
fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (at, c) in text.char_indices() {
        let kind = class(c);
        let continues = current == Some(kind) && kind != Class::Other;
        if !continues && at > start {
            tokens.push(&text[start..at]);
            start = at;
        }
        current = Some(kind);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// The word-level changes from `old` to `new`, in reading order: within one change, what was
/// deleted comes before what was inserted. White space between two changed words is shown as
/// part of the change (a replaced phrase reads as one deletion and one insertion, not word by
/// word).
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let (old_tokens, new_tokens) = (tokens(old), tokens(new));
    let deadline = Instant::now().checked_add(DEADLINE);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_tokens, &new_tokens, deadline);
    // Each token with what happened to it: (kept, deleted, inserted).
    let mut marked: Vec<(DiffTag, &str)> = Vec::new();
    for op in &ops {
        match op.tag() {
            DiffTag::Equal => marked.extend(old_tokens[op.old_range()].iter().map(|t| (DiffTag::Equal, *t))),
            DiffTag::Delete => marked.extend(old_tokens[op.old_range()].iter().map(|t| (DiffTag::Delete, *t))),
            DiffTag::Insert => marked.extend(new_tokens[op.new_range()].iter().map(|t| (DiffTag::Insert, *t))),
            DiffTag::Replace => {
                marked.extend(old_tokens[op.old_range()].iter().map(|t| (DiffTag::Delete, *t)));
                marked.extend(new_tokens[op.new_range()].iter().map(|t| (DiffTag::Insert, *t)));
            }
        }
    }
    // Kept white space with changes on both sides joins the change.
    let changed = |tag: Option<&(DiffTag, &str)>| tag.is_some_and(|(tag, _)| *tag != DiffTag::Equal);
    let joined: Vec<bool> = (0..marked.len())
        .map(|i| {
            marked[i].0 == DiffTag::Equal
                && marked[i].1.chars().all(char::is_whitespace)
                && i > 0
                && changed(marked.get(i - 1))
                && changed(marked.get(i + 1))
        })
        .collect();
    let mut pieces = Vec::new();
    let (mut same, mut deleted, mut inserted) = (String::new(), String::new(), String::new());
    let flush_change = |pieces: &mut Vec<Piece>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            pieces.push(Piece::Deleted(std::mem::take(deleted)));
        }
        if !inserted.is_empty() {
            pieces.push(Piece::Inserted(std::mem::take(inserted)));
        }
    };
    for (i, (tag, text)) in marked.iter().enumerate() {
        match tag {
            DiffTag::Equal if joined[i] => {
                deleted.push_str(text);
                inserted.push_str(text);
            }
            DiffTag::Equal => {
                flush_change(&mut pieces, &mut deleted, &mut inserted);
                same.push_str(text);
            }
            DiffTag::Delete | DiffTag::Replace => {
                if !same.is_empty() {
                    pieces.push(Piece::Same(std::mem::take(&mut same)));
                }
                deleted.push_str(text);
            }
            DiffTag::Insert => {
                if !same.is_empty() {
                    pieces.push(Piece::Same(std::mem::take(&mut same)));
                }
                inserted.push_str(text);
            }
        }
    }
    flush_change(&mut pieces, &mut deleted, &mut inserted);
    if !same.is_empty() {
        pieces.push(Piece::Same(same));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The old and new texts the pieces add up to.
    fn sides(pieces: &[Piece]) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
        for piece in pieces {
            match piece {
                Piece::Same(text) => {
                    old.push_str(text);
                    new.push_str(text);
                }
                Piece::Deleted(text) => old.push_str(text),
                Piece::Inserted(text) => new.push_str(text),
            }
        }
        (old, new)
    }

    fn same(text: &str) -> Piece {
        Piece::Same(text.into())
    }
    fn del(text: &str) -> Piece {
        Piece::Deleted(text.into())
    }
    fn ins(text: &str) -> Piece {
        Piece::Inserted(text.into())
    }

    #[test]
    fn a_changed_word_is_one_deletion_and_one_insertion_among_kept_words() {
        assert_eq!(
            diff("Ministries and CSOs met twice.", "Ministries and CSOs met three times."),
            vec![same("Ministries and CSOs met "), del("twice"), ins("three times"), same(".")]
        );
        assert_eq!(
            diff("The arts unions.", "The arts unions and the film guild."),
            vec![same("The arts unions"), ins(" and the film guild"), same(".")]
        );
        let pieces = diff("a b c", "a c");
        assert!(
            pieces == [same("a "), del("b "), same("c")] || pieces == [same("a"), del(" b"), same(" c")],
            "{pieces:?}"
        );
    }

    #[test]
    fn empty_texts_are_all_inserted_all_deleted_or_nothing() {
        assert_eq!(diff("", ""), Vec::<Piece>::new());
        assert_eq!(diff("", "New text"), vec![ins("New text")]);
        assert_eq!(diff("Old text", ""), vec![del("Old text")]);
        assert_eq!(diff("Same", "Same"), vec![same("Same")]);
    }

    #[test]
    fn white_space_changes_are_changes_and_are_kept_as_typed() {
        assert_eq!(diff("one two", "one  two"), vec![same("one"), del(" "), ins("  "), same("two")]);
        assert_eq!(
            diff("para one\n\npara two", "para one\npara two"),
            vec![same("para one"), del("\n\n"), ins("\n"), same("para two")]
        );
        assert_eq!(diff("   ", "\t"), vec![del("   "), ins("\t")]);
    }

    #[test]
    fn words_of_any_script_are_whole_words() {
        assert_eq!(
            diff("Politique culturelle adoptée en 2019", "Politique culturelle révisée en 2021"),
            vec![same("Politique culturelle "), del("adoptée"), ins("révisée"), same(" en "), del("2019"), ins("2021")]
        );
        assert_eq!(diff("文化 政策", "文化 法律"), vec![same("文化 "), del("政策"), ins("法律")]);
        // A decomposed accent and an emoji are characters of their own; the pieces still add up.
        let pieces = diff("cafe\u{301} 🎭 ok", "café 🎭 ok");
        assert_eq!(sides(&pieces), ("cafe\u{301} 🎭 ok".to_owned(), "café 🎭 ok".to_owned()));
        assert!(pieces.contains(&same(" 🎭 ok")), "{pieces:?}");
    }

    #[test]
    fn markup_is_text_like_any_other() {
        let pieces = diff("<b>bold</b> & \"quoted\"", "<i>bold</i> & 'quoted'");
        assert_eq!(sides(&pieces), ("<b>bold</b> & \"quoted\"".to_owned(), "<i>bold</i> & 'quoted'".to_owned()));
        assert_eq!(pieces[0..3], [same("<"), del("b"), ins("i")]);
        assert!(pieces.iter().any(|p| *p == del("\"")) && pieces.iter().any(|p| *p == ins("'")), "{pieces:?}");
    }

    #[test]
    fn the_pieces_add_up_to_both_texts_and_no_two_neighbours_are_alike() {
        let texts = [
            "",
            " ",
            "a",
            "The quick brown fox jumps over the lazy dog.",
            "The quick red fox jumped over the lazy dogs!",
            "Line one\n\nLine two\n\n\nLine three ",
            "ÉÀÇ œuvre — « citation » ; fin.",
            "a  b\tc\r\nd",
            "<script>alert('x')</script>",
            "1,000,000 USD (2019) / 2 000 000 € (2020)",
        ];
        for old in texts {
            for new in texts {
                let pieces = diff(old, new);
                assert_eq!(sides(&pieces), (old.to_owned(), new.to_owned()), "{old:?} → {new:?}: {pieces:?}");
                assert!(pieces.iter().all(|p| !p.text().is_empty()), "{pieces:?}");
                for pair in pieces.windows(2) {
                    let alike = std::mem::discriminant(&pair[0]) == std::mem::discriminant(&pair[1]);
                    assert!(!alike, "{old:?} → {new:?}: neighbours of one kind in {pieces:?}");
                    assert!(!matches!(pair, [Piece::Inserted(_), Piece::Deleted(_)]), "deletion first: {pieces:?}");
                }
            }
        }
    }

    #[test]
    fn a_long_text_with_one_word_changed_keeps_the_rest() {
        let old: String = (0..3000).map(|i| format!("word{i} ")).collect();
        let new = old.replace("word1500 ", "changed ");
        let pieces = diff(&old, &new);
        assert_eq!(pieces.len(), 4, "{:?}", &pieces[1..pieces.len().min(4)]);
        assert_eq!((&pieces[1], &pieces[2]), (&del("word1500"), &ins("changed")));
    }
}
