//! The typed values of stored rows: one id type per table, and [`Timestamp`] for the
//! instants they record.
//!
//! Ids of different kinds do not mix: a [`ReportId`] cannot be passed where a [`RevisionId`]
//! is expected, nor a bare number where either is. That is the compiler's check, so no test
//! repeats it. An id prints, serializes and is stored as its number, as before.
//!
//! A [`Timestamp`] is parsed once, when its row is read; a stored instant that is not
//! RFC 3339 is a [`StoreError::CorruptTimestamp`] naming the table, column and row, never an
//! empty string or the epoch.

use std::fmt;
use std::str::FromStr;

use sqlx::any::AnyRow;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Row, Type};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::StoreError;

/// Text that is not an id (a link or form field with letters in it, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {kind} id")]
pub struct ParseIdError {
    /// What the id was to name (`report`, `comment`, …).
    pub kind: &'static str,
    /// The text given.
    pub text: String,
}

/// Defines id newtypes over the `i64` the database stores: printed, serialized (transparently)
/// and bound to queries as that number, parsed from text with [`ParseIdError`].
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $kind:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id with this number (as stored, or as a link or an API client gives it).
            pub const fn new(number: i64) -> $name {
                $name(number)
            }

            /// The number.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;

            fn from_str(text: &str) -> Result<$name, ParseIdError> {
                text.parse().map($name).map_err(|_| ParseIdError { kind: $kind, text: text.to_owned() })
            }
        }

        impl Type<Any> for $name {
            fn type_info() -> <Any as Database>::TypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &<Any as Database>::TypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl Encode<'_, Any> for $name {
            fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'_, Any>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> Decode<'r, Any> for $name {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<$name, BoxDynError> {
                <i64 as Decode<'r, Any>>::decode(value).map($name)
            }
        }
    )*};
}

ids! {
    /// A user's id (`users.id`).
    UserId => "user";
    /// A report's id (`reports.id`).
    ReportId => "report";
    /// A revision's id (`revisions.id`); revisions of all reports share one increasing sequence.
    RevisionId => "revision";
    /// A review comment's id (`comments.id`).
    CommentId => "comment";
    /// A CSO invitation's id (`cso_invitations.id`).
    InvitationId => "invitation";
    /// An annex's id (`annexes.id`).
    AnnexId => "annex";
    /// A reporting cycle's id (`cycles.id`).
    CycleId => "cycle";
}

/// A stored instant (UTC), as RFC 3339 text: `2026-03-01T09:30:00.123456Z`.
///
/// It keeps the text it was read as, so that writing it back (and hashing it, as the audit log
/// does) gives the same bytes; one made here ([`Timestamp::now`], [`Timestamp::from_instant`])
/// has the text every timestamp has been stored with: UTC, `Z`, fractional seconds without
/// trailing zeros. Timestamps compare and hash by instant.
#[derive(Debug, Clone)]
pub struct Timestamp {
    instant: OffsetDateTime,
    text: String,
}

/// Text that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 timestamp")]
pub struct ParseTimestampError(pub String);

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp::from_instant(OffsetDateTime::now_utc())
    }

    /// An instant, in UTC. Instants outside the years 0000–9999 have no RFC 3339 text and are
    /// brought to the nearest end of that range (no clock or expiry comes near it).
    pub fn from_instant(instant: OffsetDateTime) -> Timestamp {
        // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z.
        let first = OffsetDateTime::UNIX_EPOCH - time::Duration::seconds(62_167_219_200);
        let last = OffsetDateTime::UNIX_EPOCH + time::Duration::new(253_402_300_799, 999_999_999);
        let instant = instant.to_offset(time::UtcOffset::UTC).clamp(first, last);
        match instant.format(&Rfc3339) {
            Ok(text) => Timestamp { instant, text },
            Err(error) => unreachable!("a UTC instant within 0000–9999 formats as RFC 3339: {error}"),
        }
    }

    /// The instant.
    pub fn instant(&self) -> OffsetDateTime {
        self.instant
    }

    /// The RFC 3339 text, as stored.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(text: &str) -> Result<Timestamp, ParseTimestampError> {
        let instant = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| ParseTimestampError(text.to_owned()))?;
        Ok(Timestamp { instant, text: text.to_owned() })
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(instant: OffsetDateTime) -> Timestamp {
        Timestamp::from_instant(instant)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Timestamp) -> bool {
        self.instant == other.instant
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Timestamp) -> std::cmp::Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Type<Any> for Timestamp {
    fn type_info() -> <Any as Database>::TypeInfo {
        <String as Type<Any>>::type_info()
    }
}

/// Bound to queries as its text: timestamps are stored, and compared in SQL, as text.
impl Encode<'_, Any> for Timestamp {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <String as Encode<'_, Any>>::encode_by_ref(&self.text, buf)
    }
}

/// Reads the timestamp in `column` of a row of `table`, the row named by `key` (`id 12`,
/// `seq 3`) in the error when the text is not a timestamp.
pub(crate) fn timestamp(
    row: &AnyRow,
    table: &'static str,
    column: &'static str,
    key: &dyn fmt::Display,
) -> Result<Timestamp, StoreError> {
    let text: String = row.try_get(column)?;
    parse_stored(text, table, column, key)
}

/// Reads a nullable timestamp column (see [`timestamp`]).
pub(crate) fn opt_timestamp(
    row: &AnyRow,
    table: &'static str,
    column: &'static str,
    key: &dyn fmt::Display,
) -> Result<Option<Timestamp>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|text| parse_stored(text, table, column, key)).transpose()
}

fn parse_stored(
    text: String,
    table: &'static str,
    column: &'static str,
    key: &dyn fmt::Display,
) -> Result<Timestamp, StoreError> {
    match OffsetDateTime::parse(&text, &Rfc3339) {
        Ok(instant) => Ok(Timestamp { instant, text }),
        Err(_) => Err(StoreError::CorruptTimestamp { table, column, row: key.to_string(), value: text }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_parse_and_serialize_as_their_number() {
        let id = ReportId::new(42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<ReportId>(), Ok(id));
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<ReportId>("42").unwrap(), id);
        let error = "4x".parse::<CommentId>().unwrap_err();
        assert_eq!(error.to_string(), "`4x` is not a valid comment id");
    }

    #[test]
    fn a_timestamp_keeps_the_stored_text() {
        for text in ["2026-03-01T09:30:00Z", "2026-03-01T09:30:00.1234Z", "2026-03-01T10:30:00+01:00"] {
            let stamp: Timestamp = text.parse().unwrap();
            assert_eq!(stamp.as_str(), text);
            assert_eq!(serde_json::to_string(&stamp).unwrap(), format!("\"{text}\""));
        }
        let utc: Timestamp = "2026-03-01T09:30:00Z".parse().unwrap();
        let paris: Timestamp = "2026-03-01T10:30:00+01:00".parse().unwrap();
        assert_eq!(utc, paris, "the same instant");
        assert!("yesterday".parse::<Timestamp>().is_err());
        assert!("".parse::<Timestamp>().is_err());
    }

    #[test]
    fn a_new_timestamp_has_the_text_every_timestamp_was_stored_with() {
        // What `OffsetDateTime::format(&Rfc3339)` of a UTC instant gave before this type.
        let instant = OffsetDateTime::from_unix_timestamp_nanos(1_772_357_400_120_000_000).unwrap();
        assert_eq!(Timestamp::from_instant(instant).as_str(), "2026-03-01T09:30:00.12Z");
        let paris = instant.replace_nanosecond(0).unwrap().to_offset(time::UtcOffset::from_hms(1, 0, 0).unwrap());
        assert_eq!(Timestamp::from_instant(paris).as_str(), "2026-03-01T09:30:00Z");
        let far = instant.saturating_add(time::Duration::days(4_000_000));
        assert_eq!(
            Timestamp::from_instant(far).as_str(),
            "9999-12-31T23:59:59.999999999Z",
            "the end of RFC 3339's years"
        );
        let now = Timestamp::now();
        assert_eq!(now.as_str().parse::<Timestamp>().unwrap(), now);
        assert!(now.as_str().ends_with('Z'));
    }
}
