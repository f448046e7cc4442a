//! The conversation list's date groups (Today, Yesterday, Previous 7 days, Older), decided from a
//! conversation's last change in the reader's local days.

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;

/// Which group a conversation is listed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateGroup {
    Today,
    Yesterday,
    PreviousSevenDays,
    Older,
}

impl DateGroup {
    /// The heading shown above the group.
    pub fn label(self) -> &'static str {
        match self {
            DateGroup::Today => "Today",
            DateGroup::Yesterday => "Yesterday",
            DateGroup::PreviousSevenDays => "Previous 7 days",
            DateGroup::Older => "Older",
        }
    }

    /// The group of something changed at `updated_ms`, seen at `now_ms`, both milliseconds since
    /// the Unix epoch. `utc_offset_minutes` is how far local time is ahead of UTC (the negated
    /// `Date.getTimezoneOffset()`): days start at local midnight. A time in the future (another
    /// device's clock) counts as today.
    pub fn of(updated_ms: f64, now_ms: f64, utc_offset_minutes: i32) -> DateGroup {
        let local_day = |ms: f64| ((ms + f64::from(utc_offset_minutes) * 60_000.0) / DAY_MS).floor();
        match local_day(now_ms) - local_day(updated_ms) {
            days if days < 1.0 => DateGroup::Today,
            days if days < 2.0 => DateGroup::Yesterday,
            days if days < 8.0 => DateGroup::PreviousSevenDays,
            _ => DateGroup::Older,
        }
    }
}

/// `items` (with the time each was last changed) in their groups, the groups in the order
/// above, and the items of a group in the order given. Empty groups are left out.
pub fn grouped<T>(items: impl IntoIterator<Item = (T, f64)>, now_ms: f64, utc_offset_minutes: i32) -> Vec<(DateGroup, Vec<T>)> {
    let mut groups: Vec<(DateGroup, Vec<T>)> = Vec::new();
    for (item, updated_ms) in items {
        let group = DateGroup::of(updated_ms, now_ms, utc_offset_minutes);
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(item),
            None => groups.push((group, vec![item])),
        }
    }
    groups.sort_by_key(|(group, _)| *group);
    groups
}

/// Milliseconds from `now_ms` to the next local midnight, when every group moves on a day.
pub fn ms_until_next_day(now_ms: f64, utc_offset_minutes: i32) -> f64 {
    let local_ms = now_ms + f64::from(utc_offset_minutes) * 60_000.0;
    DAY_MS - local_ms.rem_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: f64 = 3_600_000.0;
    /// 2026-12-02 10:00 UTC.
    const NOW: f64 = 1_796_205_600_000.0;

    #[test]
    fn days_are_counted_from_local_midnight() {
        // 10:00 UTC now; 01:00 UTC the same day.
        assert_eq!(DateGroup::of(NOW - 9.0 * HOUR, NOW, 0), DateGroup::Today);
        // 23:00 UTC the day before: yesterday in UTC …
        assert_eq!(DateGroup::of(NOW - 11.0 * HOUR, NOW, 0), DateGroup::Yesterday);
        // … but today at UTC+2, where it was 01:00 and it is now 12:00.
        assert_eq!(DateGroup::of(NOW - 11.0 * HOUR, NOW, 120), DateGroup::Today);
        // At UTC-11 it is 23:00 the day before now; 01:00 UTC today was 14:00 yesterday there:
        // the same local day.
        assert_eq!(DateGroup::of(NOW - 9.0 * HOUR, NOW, -660), DateGroup::Today);
    }

    #[test]
    fn the_previous_seven_days_then_older() {
        assert_eq!(DateGroup::of(NOW - 2.0 * 24.0 * HOUR, NOW, 0), DateGroup::PreviousSevenDays);
        assert_eq!(DateGroup::of(NOW - 7.0 * 24.0 * HOUR, NOW, 0), DateGroup::PreviousSevenDays);
        assert_eq!(DateGroup::of(NOW - 8.0 * 24.0 * HOUR, NOW, 0), DateGroup::Older);
        assert_eq!(DateGroup::of(0.0, NOW, 0), DateGroup::Older);
        assert_eq!(DateGroup::of(NOW + HOUR, NOW, 0), DateGroup::Today, "a clock ahead counts as today");
    }

    #[test]
    fn groups_come_in_date_order_and_keep_the_order_of_their_items() {
        let items = [("new", NOW), ("old", 0.0), ("yesterday", NOW - 24.0 * HOUR), ("also new", NOW - HOUR), ("older", 1.0)];
        let groups = grouped(items, NOW, 0);
        assert_eq!(
            groups,
            vec![
                (DateGroup::Today, vec!["new", "also new"]),
                (DateGroup::Yesterday, vec!["yesterday"]),
                (DateGroup::Older, vec!["old", "older"]),
            ]
        );
        assert!(grouped(Vec::<(&str, f64)>::new(), NOW, 0).is_empty());
    }

    #[test]
    fn the_next_day_starts_at_local_midnight() {
        // 2026-12-07 23:59:30 UTC.
        let now = 1_796_687_970_000.0;
        assert_eq!(ms_until_next_day(now, 0), 30_000.0);
        // Two hours ahead of UTC it is already 01:59:30 on the 8th: 22 h to go.
        assert_eq!(ms_until_next_day(now, 120), 22.0 * 3_600_000.0 + 30_000.0);
        // Exactly at midnight, a whole day.
        assert_eq!(ms_until_next_day(now + 30_000.0, 0), DAY_MS);
    }
}
