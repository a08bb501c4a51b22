//! A year, with the one range of years qpr accepts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A calendar year qpr accepts: the year a report or a cycle is for, the year a figure's data
/// is from, a year a page filters on. The one valid range is [`Year::MIN`]`..=`[`Year::MAX`]
/// (1900–2100): wide enough for the data years of statistics, narrow enough to refuse a
/// mistyped `20211`. Stored and sent as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i32")]
pub struct Year(i32);

/// Why a text or number is not a [`Year`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    /// Not a whole number.
    #[error("`{0}` is not a year")]
    NotANumber(String),
    /// A number outside the range.
    #[error("{0} is not a year between {min} and {max}", min = Year::MIN, max = Year::MAX)]
    OutOfRange(i64),
}

impl Year {
    /// The first year accepted.
    pub const MIN: i32 = 1900;
    /// The last year accepted.
    pub const MAX: i32 = 2100;

    /// The year `year`, if it is in the range.
    pub fn new(year: i64) -> Result<Year, YearError> {
        match i32::try_from(year) {
            Ok(y) if (Year::MIN..=Year::MAX).contains(&y) => Ok(Year(y)),
            _ => Err(YearError::OutOfRange(year)),
        }
    }

    /// A year as typed or written (`2022`, ` 2022 `): a whole number in the range.
    pub fn parse(text: &str) -> Result<Year, YearError> {
        let number: i64 = text.trim().parse().map_err(|_| YearError::NotANumber(text.to_owned()))?;
        Year::new(number)
    }

    /// The year as a number.
    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Year {
    type Err = YearError;

    fn from_str(text: &str) -> Result<Year, YearError> {
        Year::parse(text)
    }
}

impl TryFrom<i64> for Year {
    type Error = YearError;

    fn try_from(year: i64) -> Result<Year, YearError> {
        Year::new(year)
    }
}

impl From<Year> for i32 {
    fn from(year: Year) -> i32 {
        year.0
    }
}

impl From<Year> for i64 {
    fn from(year: Year) -> i64 {
        i64::from(year.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn years_are_whole_numbers_in_one_range() {
        assert_eq!(Year::parse("2022").map(Year::get), Ok(2022));
        assert_eq!(Year::parse(" 1900 ").map(Year::get), Ok(1900));
        assert_eq!(Year::parse("2100").map(Year::get), Ok(2100));
        assert_eq!(Year::parse("1899"), Err(YearError::OutOfRange(1899)));
        assert_eq!(Year::parse("2101"), Err(YearError::OutOfRange(2101)));
        assert_eq!(Year::parse("20211"), Err(YearError::OutOfRange(20211)));
        assert_eq!(Year::parse("2021.5"), Err(YearError::NotANumber("2021.5".into())));
        assert_eq!(Year::parse(""), Err(YearError::NotANumber(String::new())));
        assert_eq!(Year::new(i64::MAX), Err(YearError::OutOfRange(i64::MAX)));
        assert_eq!(YearError::OutOfRange(2101).to_string(), "2101 is not a year between 1900 and 2100");
        assert_eq!("2030".parse::<Year>().map(|y| y.to_string()), Ok("2030".to_owned()));
    }

    #[test]
    fn years_are_json_numbers() {
        let year = Year::parse("2022").unwrap();
        assert_eq!(serde_json::to_string(&year).unwrap(), "2022");
        assert_eq!(serde_json::from_str::<Year>("2022").unwrap(), year);
        assert!(serde_json::from_str::<Year>("1850").is_err());
        assert!(serde_json::from_str::<Year>("\"2022\"").is_err());
    }

    proptest! {
        #[test]
        fn a_year_is_its_text(n in any::<i64>()) {
            match Year::new(n) {
                Ok(year) => {
                    prop_assert!((i64::from(Year::MIN)..=i64::from(Year::MAX)).contains(&n));
                    prop_assert_eq!(Year::parse(&year.to_string()), Ok(year));
                    prop_assert_eq!(i64::from(year), n);
                }
                Err(error) => prop_assert_eq!(error, YearError::OutOfRange(n)),
            }
        }
    }
}
