//! Reporting cycles: the four-year windows 2012–2015, 2016–2019, 2020–2023, 2024–2027 (and on
//! every four years), each report placed by its year.

use std::fmt;

/// The first year of the first window.
const FIRST: i32 = 2012;

/// A four-year reporting window, named by its first and last years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cycle {
    first: i32,
}

/// Text that names no reporting cycle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a reporting cycle: give its first and last years, a four-year window such as 2020-2023")]
pub struct CycleError(String);

impl Cycle {
    /// The window a report of `year` falls in.
    pub fn of_year(year: i32) -> Cycle {
        Cycle { first: FIRST + (year - FIRST).div_euclid(4) * 4 }
    }

    /// Every window from the first (2012–2015) to the one holding `year`, oldest first.
    pub fn up_to(year: i32) -> Vec<Cycle> {
        let last = Cycle::of_year(year.max(FIRST));
        (0..).map(|i| Cycle { first: FIRST + 4 * i }).take_while(|c| *c <= last).collect()
    }

    /// Its first year.
    pub fn first_year(self) -> i32 {
        self.first
    }

    /// Its last year.
    pub fn last_year(self) -> i32 {
        self.first + 3
    }

    /// Whether a report of `year` falls in it.
    pub fn holds(self, year: i32) -> bool {
        Cycle::of_year(year) == self
    }

    /// The id used in addresses and JSON: `2020-2023`.
    pub fn id(self) -> String {
        format!("{}-{}", self.first, self.last_year())
    }

    /// Parses an id (`2020-2023`; an en dash is accepted too).
    pub fn parse(text: &str) -> Result<Cycle, CycleError> {
        let error = || CycleError(text.to_owned());
        let (first, last) = text.trim().split_once(['-', '–']).ok_or_else(error)?;
        let (first, last): (i32, i32) = (first.parse().map_err(|_| error())?, last.parse().map_err(|_| error())?);
        if !(1900..=2100).contains(&first) {
            return Err(error());
        }
        let cycle = Cycle::of_year(first);
        if cycle.first == first && cycle.last_year() == last { Ok(cycle) } else { Err(error()) }
    }
}

impl fmt::Display for Cycle {
    /// `2020–2023`, with an en dash, as pages show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.first, self.last_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_fall_in_four_year_windows() {
        for (year, id) in [
            (2012, "2012-2015"),
            (2015, "2012-2015"),
            (2016, "2016-2019"),
            (2019, "2016-2019"),
            (2020, "2020-2023"),
            (2022, "2020-2023"),
            (2024, "2024-2027"),
            (2027, "2024-2027"),
            (2028, "2028-2031"),
            (2011, "2008-2011"),
        ] {
            assert_eq!(Cycle::of_year(year).id(), id, "{year}");
        }
        assert_eq!(Cycle::of_year(2021).to_string(), "2020–2023");
        assert!(Cycle::of_year(2020).holds(2023) && !Cycle::of_year(2020).holds(2024));
        let ids: Vec<String> = Cycle::up_to(2027).into_iter().map(Cycle::id).collect();
        assert_eq!(ids, ["2012-2015", "2016-2019", "2020-2023", "2024-2027"]);
        assert_eq!(Cycle::up_to(2000).len(), 1, "the first window at least");
    }

    #[test]
    fn ids_parse_and_bad_ones_say_what_is_expected() {
        assert_eq!(Cycle::parse("2020-2023"), Ok(Cycle::of_year(2022)));
        assert_eq!(Cycle::parse("2016–2019"), Ok(Cycle::of_year(2016)));
        for bad in ["2021-2024", "2020", "2020-2024", "abcd-efgh", "", "0-3"] {
            let error = Cycle::parse(bad).unwrap_err().to_string();
            assert!(error.contains("2020-2023") && error.contains(bad), "{error}");
        }
    }
}
