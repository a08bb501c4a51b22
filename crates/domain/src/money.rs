//! Amounts of money as reports write them: kept raw, with a derived USD figure.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in US dollars, held exactly in cents (never a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd {
    cents: i64,
}

impl Usd {
    /// The largest amount a report can state: 10 trillion USD. Beyond it a JSON number could
    /// not carry the cents exactly, and no cultural budget comes near it.
    pub const MAX_CENTS: i64 = 1_000_000_000_000_000;

    /// An amount from whole cents.
    pub fn from_cents(cents: i64) -> Usd {
        Usd { cents }
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.cents
    }

    /// Derives a USD figure from a raw amount as written in a report.
    ///
    /// - An explicit USD figure inside the text wins: `5 million manats (2.94 mln. USD)` is
    ///   2,940,000 (the local-currency amount is not converted).
    /// - A bare number with `,` or space thousands separators is taken as USD: `65 000`,
    ///   `38,000`, `104,403,692USD`, `0.00`.
    /// - Prose without such a figure gives `None`; the raw text is what counts then.
    pub fn derive(raw: &str) -> Option<Usd> {
        let text = raw.trim();
        if let Some(usd) = explicit_usd_figure(text) {
            return Some(usd);
        }
        let bare = text
            .strip_suffix("USD")
            .or_else(|| text.strip_prefix("USD"))
            .or_else(|| text.strip_prefix('$'))
            .unwrap_or(text)
            .trim();
        parse_plain_number(bare).and_then(|number| number.scaled(1))
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.cents / 100;
        let digits = whole.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let sign = if self.cents < 0 { "-" } else { "" };
        match self.cents.unsigned_abs() % 100 {
            0 => write!(f, "{sign}{grouped} USD"),
            cents => write!(f, "{sign}{grouped}.{cents:02} USD"),
        }
    }
}

/// Serialized as a JSON number of dollars: an integer when there are no cents.
impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.cents % 100 == 0 {
            serializer.serialize_i64(self.cents / 100)
        } else {
            // Two decimals are exact in decimal text; the float only carries them to JSON.
            #[expect(clippy::cast_precision_loss, reason = "report amounts are far below 2^53 cents")]
            let dollars = self.cents as f64 / 100.0;
            serializer.serialize_f64(dollars)
        }
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Usd, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        parse_plain_number(&number.to_string())
            .and_then(|n| n.scaled(1))
            .ok_or_else(|| serde::de::Error::custom(format!("{number} is not an amount in USD")))
    }
}

/// A non-negative decimal number read from text, exact.
#[derive(Debug, Clone, Copy)]
struct Decimal {
    /// All digits, without the point.
    mantissa: i128,
    /// Digits after the point.
    scale: u32,
}

impl Decimal {
    /// The value times `factor`, in cents, if it fits.
    fn scaled(self, factor: i128) -> Option<Usd> {
        let cents = self.mantissa.checked_mul(factor)?.checked_mul(100)? / 10_i128.pow(self.scale);
        i64::try_from(cents).ok().filter(|c| c.abs() <= Usd::MAX_CENTS).map(Usd::from_cents)
    }
}

/// `780000`, `65 000`, `38,000`, `104,403,692`, `0.00`, `2.94`; nothing else.
fn parse_plain_number(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((int_part, frac)) => (int_part, Some(frac)),
        None => (text, None),
    };
    let groups: Vec<&str> = int_part.split([',', ' ', '\u{a0}']).collect();
    let separators_ok = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !separators_ok || groups.iter().any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let frac = frac_part.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
        return None;
    }
    let digits: String = groups.concat() + frac;
    let mantissa = digits.parse::<i128>().ok()?;
    Some(Decimal { mantissa, scale: u32::try_from(frac.len()).ok()? })
}

/// Finds `2.94 mln. USD`, `941,000 USD`, `USD 5 million` style figures inside text.
fn explicit_usd_figure(text: &str) -> Option<Usd> {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == '(' || c == ')').filter(|w| !w.is_empty()).collect();
    for (i, word) in words.iter().enumerate() {
        let is_usd = word.trim_end_matches(['.', ',', ';']).eq_ignore_ascii_case("usd");
        if !is_usd || i == 0 {
            continue;
        }
        // `<number> [multiplier] USD`
        let (number_at, factor) = match multiplier(words[i - 1]) {
            Some(factor) if i >= 2 => (i - 2, factor),
            _ => (i - 1, 1),
        };
        // Thousands may be separated by spaces, which split the number into several words
        // (`120 000 USD`): take the longest run of digit groups before `USD` that reads as one
        // number.
        let mut first = number_at;
        while first > 0 && words[first - 1].bytes().all(|b| b.is_ascii_digit()) {
            first -= 1;
        }
        if let Some(number) =
            (first..=number_at).find_map(|start| parse_plain_number(&words[start..=number_at].join(" ")))
        {
            return number.scaled(factor);
        }
    }
    None
}

fn multiplier(word: &str) -> Option<i128> {
    match word.trim_end_matches('.').to_ascii_lowercase().as_str() {
        "thousand" | "k" => Some(1_000),
        "million" | "millions" | "mln" | "mio" | "m" => Some(1_000_000),
        "billion" | "billions" | "bln" | "bn" => Some(1_000_000_000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(raw: &str) -> Option<i64> {
        Usd::derive(raw).map(|u| u.cents() / 100)
    }

    #[test]
    fn the_seed_report_amounts() {
        assert_eq!(
            usd(
                "5 million manats (2.94 mln. USD) (Source: Reserve fund of the President of the Republic of Azerbaijan)"
            ),
            Some(2_940_000)
        );
        assert_eq!(usd("780000"), Some(780_000));
        assert_eq!(usd("65 000"), Some(65_000));
        assert_eq!(usd("38,000"), Some(38_000));
        assert_eq!(usd("27,000"), Some(27_000));
        assert_eq!(usd("104,403,692USD"), Some(104_403_692));
        assert_eq!(usd("0.00"), Some(0));
        assert_eq!(usd("120 000 USD"), Some(120_000));
        assert_eq!(usd("in 2021 1 250 000 USD"), Some(1_250_000));
        assert_eq!(usd("2021 150 000 USD"), Some(150_000));
        assert_eq!(usd("5 000 million USD"), Some(5_000_000_000));
        assert_eq!(usd("The measures envisaged by the State Program were funded from the state budget."), None);
    }

    #[test]
    fn amounts_beyond_the_limit_are_not_derived() {
        assert_eq!(usd("10,000,000,000,000"), Some(10_000_000_000_000));
        assert_eq!(usd("10,000,000,000,001"), None);
        assert!(serde_json::from_str::<Usd>("92233720368547758.07").is_err());
    }

    #[test]
    fn ambiguous_numbers_are_not_guessed() {
        assert_eq!(usd("1,2345"), None);
        assert_eq!(usd("12 AZN"), None);
        assert_eq!(usd("-"), None);
        assert_eq!(usd(""), None);
    }

    #[test]
    fn json_is_an_integer_without_cents() {
        assert_eq!(serde_json::to_string(&Usd::from_cents(6_500_000)).unwrap(), "65000");
        assert_eq!(serde_json::to_string(&Usd::from_cents(1_050)).unwrap(), "10.5");
        let back: Usd = serde_json::from_str("10.5").unwrap();
        assert_eq!(back.cents(), 1_050);
        assert_eq!(Usd::from_cents(294_000_000).to_string(), "2,940,000 USD");
    }

    proptest::proptest! {
        #[test]
        fn derive_never_panics(raw in "\\PC{0,40}") {
            let _ = Usd::derive(&raw);
        }

        #[test]
        fn json_round_trips_every_amount_within_the_limit(cents in 0_i64..=Usd::MAX_CENTS) {
            let json = serde_json::to_string(&Usd::from_cents(cents)).unwrap();
            proptest::prop_assert_eq!(serde_json::from_str::<Usd>(&json).unwrap().cents(), cents);
        }

        #[test]
        fn grouped_integers_round_trip(n in 0_i64..10_000_000_000) {
            let grouped = Usd::from_cents(n * 100).to_string();
            let digits = grouped.trim_end_matches(" USD");
            proptest::prop_assert_eq!(usd(digits), Some(n));
        }
    }
}
