//! Bar charts drawn on the server as SVG (no script): a title, axis labels, the number on each
//! bar, one colour that colour-blind readers and black-and-white printers tell from the white
//! ground (Okabe and Ito's blue, black text), readable without the stylesheet. The page puts
//! a table of the same numbers beside each chart; `templates/indicators/chart.html` draws it.

/// Width of the drawing (the page scales it).
const WIDTH: u32 = 640;
/// Where the bars start (the labels are left of it).
const BARS_X: u32 = 250;
/// The longest bar (100%).
const BARS_WIDTH: u32 = 300;
/// Characters per line of a label.
const LABEL_CHARS: usize = 36;
/// Lines of a label at most (the table beside has the whole text).
const LABEL_LINES: usize = 3;
/// Height of a line of text.
const LINE: u32 = 14;
/// Space above the bars (the title) and below (the axis).
const TOP: u32 = 44;
const BOTTOM: u32 = 52;

/// One bar.
pub(crate) struct Bar {
    /// The label's lines (wrapped).
    pub lines: Vec<String>,
    /// The label's first line's baseline.
    pub label_y: u32,
    /// The bar's top and height.
    pub y: u32,
    pub height: u32,
    /// Its length.
    pub width: u32,
    /// The number written after it, and where.
    pub value: String,
    pub value_x: u32,
    pub value_y: u32,
}

/// A tick of the horizontal axis.
pub(crate) struct Tick {
    pub x: u32,
    pub text: String,
}

/// A horizontal bar chart of shares.
pub(crate) struct BarChart {
    /// Unique within the page (the ids of its title and description).
    pub id: String,
    pub title: String,
    /// What the chart shows, for screen readers (the table beside has the numbers).
    pub description: String,
    pub x_label: String,
    pub y_label: String,
    pub width: u32,
    pub height: u32,
    pub bars_x: u32,
    pub axis_y: u32,
    pub axis_end: u32,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

/// A bar to draw: its label, its share (0 to 1) and the number to write on it.
pub(crate) struct BarInput {
    pub label: String,
    pub share: f64,
    pub value: String,
}

/// Splits a label into lines of at most [`LABEL_CHARS`] characters, at spaces; at most
/// [`LABEL_LINES`] lines, the last ending with `…` when the text goes on.
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > LABEL_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > LABEL_LINES {
        lines.truncate(LABEL_LINES);
        if let Some(last) = lines.last_mut() {
            let mut cut: String = last.chars().take(LABEL_CHARS - 1).collect();
            cut.push('…');
            *last = cut;
        }
    }
    for line in &mut lines {
        if line.chars().count() > LABEL_CHARS {
            *line = line.chars().take(LABEL_CHARS - 1).chain(std::iter::once('…')).collect();
        }
    }
    lines
}

impl BarChart {
    /// The chart of `bars`, a bar per option in the given order.
    pub(crate) fn new(
        id: String,
        title: String,
        description: String,
        (x_label, y_label): (String, String),
        bars: Vec<BarInput>,
        percent: impl Fn(u32) -> String,
    ) -> BarChart {
        let mut y = TOP;
        let bars = bars
            .into_iter()
            .map(|bar| {
                let lines = wrap(&bar.label);
                let rows = u32::try_from(lines.len().max(1)).unwrap_or(1);
                let height = rows * LINE + 6;
                #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 to 300")]
                let width = (bar.share.clamp(0.0, 1.0) * f64::from(BARS_WIDTH)).round() as u32;
                let drawn = Bar {
                    lines,
                    label_y: y + LINE,
                    y: y + 2,
                    height: height - 4,
                    width,
                    value: bar.value,
                    value_x: BARS_X + width + 6,
                    value_y: y + height / 2 + 4,
                };
                y += height + 6;
                drawn
            })
            .collect();
        let ticks = [0, 25, 50, 75, 100]
            .into_iter()
            .map(|p| Tick { x: BARS_X + BARS_WIDTH * p / 100, text: percent(p) })
            .collect();
        BarChart {
            id,
            title,
            description,
            x_label,
            y_label,
            width: WIDTH,
            height: y + BOTTOM,
            bars_x: BARS_X,
            axis_y: y,
            axis_end: BARS_X + BARS_WIDTH,
            bars,
            ticks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_and_bars_scale() {
        assert_eq!(wrap("YES"), ["YES"]);
        let long = "Support job creation in the cultural and creative sectors through many many many words that go on and on and on, well beyond three lines of label";
        let lines = wrap(long);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_CHARS), "{lines:?}");
        assert!(lines[2].ends_with('…'));
        let chart = BarChart::new(
            "c".into(),
            "t".into(),
            "d".into(),
            ("x".into(), "y".into()),
            vec![
                BarInput { label: "YES".into(), share: 0.5, value: "1 (50%)".into() },
                BarInput { label: "NO".into(), share: 1.0, value: "2".into() },
            ],
            |p| format!("{p}%"),
        );
        assert_eq!(chart.bars[0].width, BARS_WIDTH / 2);
        assert_eq!(chart.bars[1].width, BARS_WIDTH);
        assert!(chart.bars[1].y > chart.bars[0].y + chart.bars[0].height);
        assert_eq!(chart.ticks.last().map(|t| t.text.as_str()), Some("100%"));
        assert!(chart.height > chart.axis_y);
    }
}
