//! Reporting cycles as the Global Report counts them: four-year windows (2012–2015,
//! 2016–2019, 2020–2023, 2024–2027), each report placed by its year.

use std::fmt;

/// One four-year reporting window, named by its first and last year (`2020-2023`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportingCycle {
    first: i32,
}

/// A text that names no reporting cycle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a reporting cycle; cycles are 2012-2015, 2016-2019, 2020-2023 and 2024-2027")]
pub struct UnknownCycle(pub String);

impl ReportingCycle {
    /// Every cycle, oldest first.
    pub const ALL: [ReportingCycle; 4] = [
        ReportingCycle { first: 2012 },
        ReportingCycle { first: 2016 },
        ReportingCycle { first: 2020 },
        ReportingCycle { first: 2024 },
    ];

    /// The cycle a report of `year` belongs to, if any.
    pub fn of_year(year: i32) -> Option<ReportingCycle> {
        ReportingCycle::ALL.into_iter().find(|c| c.contains(year))
    }

    /// Reads `2020-2023` (also with an en dash), or a single year within a cycle (`2022`).
    pub fn parse(text: &str) -> Result<ReportingCycle, UnknownCycle> {
        let unknown = || UnknownCycle(text.to_owned());
        let trimmed = text.trim();
        if let Ok(year) = trimmed.parse::<i32>() {
            return ReportingCycle::of_year(year).ok_or_else(unknown);
        }
        let (first, last) = trimmed.split_once(['-', '–']).ok_or_else(unknown)?;
        let (first, last) = (first.trim().parse::<i32>().map_err(|_| unknown())?, last.trim().parse::<i32>());
        ReportingCycle::ALL.into_iter().find(|c| c.first == first && last == Ok(c.last())).ok_or_else(unknown)
    }

    /// The first year.
    pub fn first(self) -> i32 {
        self.first
    }

    /// The last year.
    pub fn last(self) -> i32 {
        self.first + 3
    }

    /// Whether a report of `year` belongs to the cycle.
    pub fn contains(self, year: i32) -> bool {
        (self.first..=self.last()).contains(&year)
    }

    /// The parameter value, `2020-2023`.
    pub fn id(self) -> String {
        format!("{}-{}", self.first, self.last())
    }

    /// As a reader sees it, `2020–2023`.
    pub fn label(self) -> String {
        format!("{}–{}", self.first, self.last())
    }
}

impl fmt::Display for ReportingCycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_fall_into_their_window_and_texts_read_back() {
        assert_eq!(ReportingCycle::of_year(2012).map(ReportingCycle::id).as_deref(), Some("2012-2015"));
        assert_eq!(ReportingCycle::of_year(2019).map(ReportingCycle::id).as_deref(), Some("2016-2019"));
        assert_eq!(ReportingCycle::of_year(2020).map(ReportingCycle::id).as_deref(), Some("2020-2023"));
        assert_eq!(ReportingCycle::of_year(2027).map(ReportingCycle::id).as_deref(), Some("2024-2027"));
        assert_eq!(ReportingCycle::of_year(2011), None);
        assert_eq!(ReportingCycle::of_year(2028), None);
        for cycle in ReportingCycle::ALL {
            assert_eq!(ReportingCycle::parse(&cycle.id()), Ok(cycle));
            assert_eq!(ReportingCycle::parse(&cycle.label()), Ok(cycle));
        }
        assert_eq!(ReportingCycle::parse("2022").map(ReportingCycle::first), Ok(2020));
        for bad in ["", "2020-2022", "2021-2024", "1999", "cycle", "2020-"] {
            assert_eq!(ReportingCycle::parse(bad), Err(UnknownCycle(bad.to_owned())), "{bad}");
        }
    }
}
