//! The agency's time zone: one of the IANA database's zones, as a chrono `TimeZone`, so a
//! UTC instant reads as the agency's wall-clock time and back.
//!
//! The rules come from tzdb's tables of each zone's transitions (`tzdb_data`, on `tz-rs`),
//! not chrono-tz's: chrono-tz gives every transition its abbreviation as a `&str`, and in
//! a position-independent binary each of those 27,000 pointers is a relocation the loader
//! applies at start: the database was 1.4 MB of the desktop's 12.9 (#17). tzdb's
//! transitions are plain numbers.

use chrono::{FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use std::fmt;
use std::str::FromStr;

/// A zone of the IANA database, by its name ("Europe/London").
#[derive(Clone, Copy)]
pub struct Zone {
    name: &'static str,
    rules: &'static tz::TimeZoneRef<'static>,
}

impl Zone {
    /// Europe/London: the zone of a new agency.
    pub fn london() -> Self {
        Self { name: "Europe/London", rules: &tzdb_data::time_zone::europe::LONDON }
    }

    /// Whether `name` is a zone's name, spelt as the database spells it. It looks only at
    /// the names, so the UI can check a name without carrying every zone's rules.
    pub fn is_known(name: &str) -> bool {
        Self::known_name(name).is_some()
    }

    fn known_name(name: &str) -> Option<&'static str> {
        tzdb_data::TZ_NAMES.iter().copied().find(|known| *known == name)
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The offset from UTC in force at `unix_time` (seconds).
    fn offset_at(&self, unix_time: i64) -> FixedOffset {
        // tz-rs refuses only an instant its arithmetic cannot hold (billions of years
        // away): there, the zone's standard time will do.
        let seconds = self.rules.find_local_time_type(unix_time).map_or_else(
            |_| self.rules.local_time_types().first().map_or(0, tz::LocalTimeType::ut_offset),
            tz::LocalTimeType::ut_offset,
        );
        FixedOffset::east_opt(seconds).unwrap_or(Utc.fix())
    }

    fn offset(&self, fixed: FixedOffset) -> ZoneOffset {
        ZoneOffset { zone: *self, fixed }
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A name that is no zone of the database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a time zone such as Europe/London")]
pub struct UnknownZone(pub String);

impl FromStr for Zone {
    type Err = UnknownZone;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownZone(name.to_owned());
        let name = Self::known_name(name).ok_or_else(unknown)?;
        let rules = tzdb_data::find_tz(name.as_bytes()).ok_or_else(unknown)?;
        Ok(Self { name, rules })
    }
}

/// An offset from UTC in a zone: what chrono keeps beside a `DateTime<Zone>`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Debug for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.fixed, self.zone)
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.fixed, f)
    }
}

/// Far enough either side of a wall time to see the offsets before and after any
/// transition near it: no zone changes its clocks twice within two days.
const A_DAY: i64 = 86_400;

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Self {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<ZoneOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    /// The offsets under which the wall time `local` happens: one; two where the clocks
    /// go back (the earlier instant first); none in the hour skipped when they go forward.
    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<ZoneOffset> {
        let wall = local.and_utc().timestamp();
        let happens_under = |offset: FixedOffset| self.offset_at(wall - i64::from(offset.local_minus_utc())) == offset;
        let (before, after) = (self.offset_at(wall - A_DAY), self.offset_at(wall + A_DAY));
        match (happens_under(before), happens_under(after)) {
            (true, true) if before != after => {
                // The larger offset from UTC is the earlier instant.
                let (earlier, later) =
                    if before.local_minus_utc() > after.local_minus_utc() { (before, after) } else { (after, before) };
                LocalResult::Ambiguous(self.offset(earlier), self.offset(later))
            }
            (true, _) => LocalResult::Single(self.offset(before)),
            (false, true) => LocalResult::Single(self.offset(after)),
            (false, false) => LocalResult::None,
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset(self.offset_at(utc.and_utc().timestamp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    fn wall(text: &str) -> NaiveDateTime {
        text.parse().expect("a wall time")
    }

    #[test]
    fn names_are_the_databases_spelt_as_it_spells_them() {
        assert_eq!("Europe/London".parse::<Zone>(), Ok(Zone::london()));
        assert_eq!("Australia/Sydney".parse::<Zone>().map(|z| z.name()), Ok("Australia/Sydney"));
        assert!(Zone::is_known("America/New_York"));
        for wrong in ["europe/london", "Europe/Londn", "", "London", "UTC+1"] {
            assert!(!Zone::is_known(wrong), "{wrong}");
            assert_eq!(wrong.parse::<Zone>(), Err(UnknownZone(wrong.to_owned())));
        }
    }

    #[test]
    fn london_is_on_gmt_in_winter_and_bst_in_summer() {
        let london = Zone::london();
        assert_eq!(utc("2026-01-15T12:00:00Z").with_timezone(&london).naive_local(), wall("2026-01-15T12:00:00"));
        assert_eq!(utc("2026-07-15T12:00:00Z").with_timezone(&london).naive_local(), wall("2026-07-15T13:00:00"));
    }

    #[test]
    fn the_hour_skipped_in_spring_is_no_time_and_the_hour_repeated_in_autumn_is_two() {
        let london = Zone::london();
        // 2026: the clocks go forward at 01:00 UTC on 29 March, back at 01:00 UTC on 25 October.
        assert_eq!(london.from_local_datetime(&wall("2026-03-29T01:30:00")), LocalResult::None);
        let LocalResult::Ambiguous(earlier, later) = london.from_local_datetime(&wall("2026-10-25T01:30:00")) else {
            panic!("01:30 happens twice");
        };
        assert_eq!(earlier.with_timezone(&Utc), utc("2026-10-25T00:30:00Z"));
        assert_eq!(later.with_timezone(&Utc), utc("2026-10-25T01:30:00Z"));
        let single = london.from_local_datetime(&wall("2026-10-25T03:00:00")).single().map(|t| t.with_timezone(&Utc));
        assert_eq!(single, Some(utc("2026-10-25T03:00:00Z")));
    }

    #[test]
    fn half_hour_and_southern_zones_turn_alike() {
        let lord_howe: Zone = "Australia/Lord_Howe".parse().expect("a zone");
        // +10:30 in winter (July), +11:00 in summer (January).
        assert_eq!(utc("2026-07-01T00:00:00Z").with_timezone(&lord_howe).naive_local(), wall("2026-07-01T10:30:00"));
        assert_eq!(utc("2026-01-01T00:00:00Z").with_timezone(&lord_howe).naive_local(), wall("2026-01-01T11:00:00"));
        let kiritimati: Zone = "Pacific/Kiritimati".parse().expect("a zone");
        assert_eq!(utc("2026-07-01T00:00:00Z").with_timezone(&kiritimati).naive_local(), wall("2026-07-01T14:00:00"));
    }

    proptest! {
        /// Any wall time that happens maps back to itself, and any instant read as a wall
        /// time is one of the instants that wall time maps to.
        #[test]
        fn wall_times_and_instants_round_trip(
            seconds in 946_684_800_i64..2_208_988_800,
            name in prop::sample::select(vec![
                "Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns", "Europe/Dublin",
            ]),
        ) {
            let zone: Zone = name.parse().expect("a zone");
            let instant = DateTime::from_timestamp(seconds, 0).expect("in range");
            let local = instant.with_timezone(&zone).naive_local();
            let back: Vec<DateTime<Utc>> = match zone.from_local_datetime(&local) {
                LocalResult::Single(t) => vec![t.with_timezone(&Utc)],
                LocalResult::Ambiguous(a, b) => {
                    prop_assert!(a.with_timezone(&Utc) < b.with_timezone(&Utc), "the earlier first");
                    vec![a.with_timezone(&Utc), b.with_timezone(&Utc)]
                }
                LocalResult::None => vec![],
            };
            prop_assert!(back.contains(&instant), "{local} in {name}: {back:?} lacks {instant}");
        }
    }
}
