//! Human units for prices and costs. The proto gives token prices in 1e-4 USD per million tokens
//! (as the real API does) and costs in USD ticks (1e-10 USD); users read dollars.

/// USD ticks in one dollar.
pub const TICKS_PER_USD: f64 = 1e10;

/// "$3.00 / 1M tokens" for a token price in 1e-4 USD per 1M tokens.
pub fn token_price_per_million(price: i64) -> String {
    format!("{} / 1M tokens", dollars(price as f64 / 1e4))
}

/// "$0.07 / image" for an image price in USD ticks.
pub fn image_price(ticks: i64) -> String {
    format!("{} / image", dollars(ticks as f64 / TICKS_PER_USD))
}

/// A cost in USD ticks, exactly: integer maths down to the tick (1e-10 USD), trailing zeros
/// trimmed but at least cents shown.
pub fn cost(ticks: i64) -> String {
    const TICKS: i64 = TICKS_PER_USD as i64;
    let sign = if ticks < 0 { "-" } else { "" };
    let ticks = ticks.unsigned_abs();
    let whole = ticks / TICKS as u64;
    let fraction = format!("{:010}", ticks % TICKS as u64);
    let mut fraction = fraction.trim_end_matches('0').to_owned();
    while fraction.len() < 2 {
        fraction.push('0');
    }
    format!("{sign}${whole}.{fraction}")
}

/// Dollars with two decimals above a cent and more digits below it, so small costs do not read as
/// "$0.00".
pub fn dollars(amount: f64) -> String {
    if amount == 0.0 {
        "$0".to_owned()
    } else if amount.abs() >= 0.01 {
        format!("${amount:.2}")
    } else {
        let text = format!("${amount:.8}");
        text.trim_end_matches('0').to_owned()
    }
}

/// "256K" for a token count, so context lengths read at a glance.
pub fn tokens(count: i64) -> String {
    match count {
        c if c >= 1_000_000 && c % 1_000_000 == 0 => format!("{}M", c / 1_000_000),
        c if c >= 1_000 && c % 1_000 == 0 => format!("{}K", c / 1_000),
        c if c >= 1_024 && c % 1_024 == 0 => format!("{}K", c / 1_024),
        c => c.to_string(),
    }
}

/// "2025-07-09" for Unix seconds (UTC), or "2025-07-09 14:05 UTC" with `with_time`.
pub fn utc_date(seconds: i64, with_time: bool) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), no time zone database.
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let date = format!("{year:04}-{month:02}-{day:02}");
    if with_time {
        format!("{date} {:02}:{:02} UTC", second_of_day / 3600, second_of_day % 3600 / 60)
    } else {
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_prices_read_in_dollars_per_million() {
        assert_eq!(token_price_per_million(30_000), "$3.00 / 1M tokens");
        assert_eq!(token_price_per_million(2_000), "$0.20 / 1M tokens");
        assert_eq!(token_price_per_million(7_500), "$0.75 / 1M tokens");
    }

    #[test]
    fn image_prices_and_costs_read_in_dollars() {
        assert_eq!(image_price(700_000_000), "$0.07 / image");
        assert_eq!(cost(0), "$0.00");
        assert_eq!(cost(123_450_000), "$0.012345");
        assert_eq!(cost(150_000_000_000), "$15.00");
        assert_eq!(cost(1), "$0.0000000001");
        assert_eq!(cost(-5_000_000_000), "-$0.50");
    }

    #[test]
    fn context_lengths_are_compact() {
        assert_eq!(tokens(256_000), "256K");
        assert_eq!(tokens(131_072), "128K");
        assert_eq!(tokens(2_000_000), "2M");
        assert_eq!(tokens(900), "900");
    }

    #[test]
    fn unix_seconds_read_as_utc_dates() {
        assert_eq!(utc_date(0, false), "1970-01-01");
        assert_eq!(utc_date(1_752_019_200, false), "2025-07-09");
        assert_eq!(utc_date(951_782_400, false), "2000-02-29");
        assert_eq!(utc_date(1_752_019_200 + 14 * 3600 + 5 * 60 + 59, true), "2025-07-09 14:05 UTC");
    }
}
