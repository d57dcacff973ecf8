//! Property-style tests of money, VAT, SIRET and the Paris calendar: thousands of cases drawn
//! from a small deterministic generator (fixed seeds, so a failure is reproducible), each
//! checked against an independent oracle written with integer arithmetic or the EU
//! summer-time rule rather than against the code under test.

use crate::calendar::{parse_instant, rfc3339_paris, Month};
use crate::facts::{build_month_facts, FactsInput};
use crate::model::{PriceKind, TicketStatus};
use crate::money::{Money, MoneyError};
use crate::siret::{Siret, SiretError};
use crate::testing;
use crate::vat::{VatRate, KNOWN_RATES};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// xorshift64*: tiny, deterministic, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Amounts in cents, biased towards ticket prices but reaching a season's receipts.
    fn cents(&mut self) -> i64 {
        match self.below(4) {
            0 => self.below(100) as i64,
            1 => self.below(10_000) as i64,
            2 => self.below(10_000_000) as i64,
            _ => self.below(100_000_000_000) as i64,
        }
    }
}

/// A rate in hundredths of a percent (`5.5` → 550, `1.05` → 105), for integer oracles.
fn basis(rate: VatRate) -> i64 {
    let hundredths = rate.percent() * Decimal::ONE_HUNDRED;
    assert!(hundredths.fract().is_zero(), "{rate}");
    i64::try_from(hundredths.trunc()).unwrap()
}

/// `round_half_up(numerator / denominator)` for non-negative integers.
fn div_half_up(numerator: i128, denominator: i128) -> i128 {
    (2 * numerator + denominator) / (2 * denominator)
}

fn known_rates() -> Vec<VatRate> {
    KNOWN_RATES
        .iter()
        .map(|r| VatRate::parse(r).unwrap())
        .collect()
}

#[test]
fn excl_and_vat_add_up_to_incl_for_every_rate() {
    let mut rng = Rng::new(0xFEED_0001);
    let rates = known_rates();
    let tolerance = Decimal::new(5, 3); // 0.005 €
    for _ in 0..20_000 {
        let incl = Money::from_cents(rng.cents());
        for &rate in &rates {
            let excl = rate.excl_from_incl(incl);
            let vat = incl - excl;
            // Both parts are whole cents, so what is declared adds up exactly.
            assert!(excl.to_cents().is_some() && vat.to_cents().is_some());
            assert_eq!(excl + vat, incl);
            assert!(excl <= incl && vat >= Money::ZERO, "{incl} at {rate}");
            // Oracle: excl (cents) = round_half_up(incl × 10000 / (10000 + rate in 1/100 %)).
            let d = 10_000 + basis(rate) as i128;
            let expected = div_half_up(incl.to_cents().unwrap() as i128 * 10_000, d);
            assert_eq!(
                excl.to_cents().unwrap() as i128,
                expected,
                "{incl} at {rate}"
            );
            // Never further than half a cent from the exact quotient.
            let exact = incl.amount() / (Decimal::ONE + rate.percent() / Decimal::ONE_HUNDRED);
            assert!(
                (excl.amount() - exact).abs() <= tolerance,
                "{incl} at {rate}"
            );
            if rate == VatRate::ZERO {
                assert_eq!(excl, incl);
            }
        }
    }
}

#[test]
fn performance_excl_is_the_sum_of_per_rate_rounded_amounts() {
    let mut rng = Rng::new(0xFEED_0002);
    let rates = known_rates();
    let org = testing::organisation(true);
    let record = testing::performance("P1", "Le Banc", "2025-11-14 20:30");
    let month: Month = "2025-11".parse().unwrap();
    let mut differs_from_per_ticket = 0;
    for case in 0..1_500 {
        let count = 1 + rng.below(40) as usize;
        let mut tickets = Vec::with_capacity(count);
        // Expected, per rate: (Σ incl of valid paid tickets, count).
        let mut by_rate: BTreeMap<VatRate, (i64, u64)> = BTreeMap::new();
        let mut per_ticket_excl = 0i64;
        for i in 0..count {
            let rate = rates[rng.below(rates.len() as u64) as usize];
            let cents = if rng.below(8) == 0 {
                0
            } else {
                rng.below(20_000) as i64
            };
            let price = Money::from_cents(cents).to_string();
            let mut ticket = testing::tickets(
                "P1",
                case * 100 + i,
                1,
                &price,
                &rate.to_string(),
                PriceKind::Full,
            )
            .remove(0);
            ticket.status = match rng.below(10) {
                0 => TicketStatus::Refunded,
                1 => TicketStatus::Cancelled,
                _ => TicketStatus::Valid,
            };
            if ticket.status == TicketStatus::Valid && cents > 0 {
                let e = by_rate.entry(rate).or_default();
                e.0 += cents;
                e.1 += 1;
                per_ticket_excl += rate
                    .excl_from_incl(Money::from_cents(cents))
                    .to_cents()
                    .unwrap();
            }
            tickets.push(ticket);
        }
        let facts = build_month_facts(FactsInput {
            organisation: &org,
            month,
            records: std::slice::from_ref(&record),
            tickets: &tickets,
            programme: &[],
        });
        let p = &facts.performances[0];
        let expected_excl: i64 = by_rate
            .iter()
            .map(|(rate, (incl, _))| {
                div_half_up(*incl as i128 * 10_000, 10_000 + basis(*rate) as i128) as i64
            })
            .sum();
        let expected_incl: i64 = by_rate.values().map(|(incl, _)| incl).sum();
        assert_eq!(p.receipts_excl_vat, Money::from_cents(expected_excl));
        assert_eq!(p.receipts_incl_vat, Money::from_cents(expected_incl));
        assert_eq!(
            p.paid_tickets,
            by_rate.values().map(|(_, n)| n).sum::<u64>()
        );
        // One breakdown per rate actually sold, sorted, each rounded on its own total.
        let rates_sold: Vec<VatRate> = by_rate.keys().copied().collect();
        assert_eq!(p.vat.iter().map(|v| v.rate).collect::<Vec<_>>(), rates_sold);
        for v in &p.vat {
            let (incl, n) = by_rate[&v.rate];
            assert_eq!(v.receipts_incl_vat, Money::from_cents(incl));
            assert_eq!(
                v.receipts_excl_vat,
                v.rate.excl_from_incl(v.receipts_incl_vat)
            );
            assert_eq!(v.paid_tickets, n);
        }
        assert_eq!(
            p.vat.iter().map(|v| v.receipts_excl_vat).sum::<Money>(),
            p.receipts_excl_vat
        );
        if per_ticket_excl != expected_excl {
            differs_from_per_ticket += 1;
        }
    }
    // Rounding per rate (not per ticket) matters: the cases must show it, else the test
    // above could not tell the two rules apart.
    assert!(differs_from_per_ticket > 100, "{differs_from_per_ticket}");
}

/// `1234567` cents → digits grouped by three with `sep`, decimal comma: `12 345,67`.
fn french_form(cents: i64, sep: &str) -> String {
    let int = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push_str(sep);
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", cents % 100)
}

#[test]
fn money_parse_round_trips_every_written_form() {
    let mut rng = Rng::new(0xFEED_0003);
    for _ in 0..20_000 {
        let cents = rng.cents();
        let m = Money::from_cents(cents);
        assert_eq!(Money::parse(&m.to_string()), Ok(m));
        assert_eq!(Money::parse(&m.to_french()), Ok(m), "{}", m.to_french());
        for sep in [" ", "\u{a0}", "\u{202f}", ""] {
            let french = french_form(cents, sep);
            assert_eq!(Money::parse(&french), Ok(m), "{french:?}");
            assert_eq!(Money::parse(&format!("{french} €")), Ok(m), "{french:?}");
        }
        // A third decimal is refused unless it is zero.
        let third = 1 + rng.below(9);
        assert!(matches!(
            Money::parse(&format!("{m}{third}")),
            Err(MoneyError::TooPrecise(_))
        ));
        assert_eq!(Money::parse(&format!("{m}0")), Ok(m));
        if cents > 0 {
            assert!(matches!(
                Money::parse(&format!("-{m}")),
                Err(MoneyError::Negative(_))
            ));
        }
        assert_eq!(m.to_cents(), Some(cents));
    }
}

#[test]
fn percent_rounds_half_up_including_exact_half_cents() {
    let mut rng = Rng::new(0xFEED_0004);
    for _ in 0..20_000 {
        let cents = rng.cents();
        // Any rate with two decimals, 0 to 100 %.
        let hundredths = rng.below(10_001) as i64;
        let rate = Decimal::new(hundredths, 2);
        let got = Money::from_cents(cents).percent(rate);
        // cents × rate / 100 = cents × hundredths / 10000.
        let expected = div_half_up(cents as i128 * hundredths as i128, 10_000);
        assert_eq!(
            got.to_cents().unwrap() as i128,
            expected,
            "{cents} × {rate} %"
        );
    }
    for _ in 0..5_000 {
        // 50 % of an odd number of cents is exactly x.5 cents: rounds up.
        let q = rng.below(1_000_000_000) as i64;
        let got = Money::from_cents(2 * q + 1).percent(Decimal::from(50));
        assert_eq!(got, Money::from_cents(q + 1));
        // 12.5 % of (8m + 4) cents = m + 0.5 cents: rounds up.
        let m = rng.below(1_000_000_000) as i64;
        let got = Money::from_cents(8 * m + 4).percent(Decimal::new(125, 1));
        assert_eq!(got, Money::from_cents(m + 1));
        // 3.5 % of (2000k + 1000) cents = 70k + 35 cents exactly: nothing to round.
        let k = rng.below(1_000_000) as i64;
        let got = Money::from_cents(2000 * k + 1000).percent(Decimal::new(35, 1));
        assert_eq!(got, Money::from_cents(70 * k + 35));
    }
}

#[test]
fn average_rounds_half_up_and_never_divides_by_zero() {
    let mut rng = Rng::new(0xFEED_0005);
    for _ in 0..20_000 {
        let cents = rng.cents();
        let total = Money::from_cents(cents);
        assert_eq!(total.average(0), None);
        let count = 1 + rng.below(5_000);
        let expected = div_half_up(cents as i128, count as i128);
        let got = total.average(count).unwrap();
        assert_eq!(
            got.to_cents().unwrap() as i128,
            expected,
            "{total} / {count}"
        );
    }
}

/// The Luhn check digit that completes 13 digits.
fn luhn_key(digits13: &[u8]) -> u8 {
    // Counting from the right of the full 14-digit number, the key is position 0, so the
    // 13th digit (position 1) is doubled, the 12th not, and so on.
    let sum: u32 = digits13
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = d as u32;
            if i % 2 == 0 {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn text(digits: &[u8]) -> String {
    digits.iter().map(|d| (b'0' + d) as char).collect()
}

#[test]
fn siret_accepts_every_luhn_number_and_refuses_any_single_digit_change() {
    let mut rng = Rng::new(0xFEED_0006);
    let la_poste = b"356000000".map(|b| b - b'0');
    let mut checked = 0;
    while checked < 3_000 {
        let mut digits: Vec<u8> = (0..13).map(|_| rng.below(10) as u8).collect();
        // La Poste's numbers follow another rule (digit sum multiple of 5): keep away from
        // its SIREN, even after one change.
        let near_la_poste = digits[..9]
            .iter()
            .zip(&la_poste)
            .filter(|(a, b)| a != b)
            .count()
            <= 1;
        if near_la_poste {
            continue;
        }
        digits.push(luhn_key(&digits));
        let valid = text(&digits);
        let siret = Siret::parse(&valid).unwrap();
        assert_eq!(siret.as_str(), valid);
        assert_eq!(siret.siren(), &valid[..9]);
        let spaced = format!(
            "{} {} {} {}",
            &valid[..3],
            &valid[3..6],
            &valid[6..9],
            &valid[9..]
        );
        assert_eq!(Siret::parse(&spaced).unwrap(), siret);
        for position in 0..14 {
            for replacement in 0..10u8 {
                if replacement == digits[position] {
                    continue;
                }
                let mut changed = digits.clone();
                changed[position] = replacement;
                assert!(
                    matches!(Siret::parse(&text(&changed)), Err(SiretError::Checksum(_))),
                    "{} accepted",
                    text(&changed)
                );
            }
        }
        checked += 1;
    }
}

/// The last Sunday of a month, 01:00 UTC: when the EU changes clocks.
fn eu_switch(year: i32, month: u32) -> DateTime<Utc> {
    let mut day = crate::calendar::last_day_of_month(year, month);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap())
}

/// Paris date of an instant by the EU rule (UTC+2 from the last Sunday of March to the last
/// Sunday of October, at 01:00 UTC; UTC+1 otherwise), independent of the tz database.
fn paris_date_by_rule(t: DateTime<Utc>) -> NaiveDate {
    let summer = t >= eu_switch(t.year(), 3) && t < eu_switch(t.year(), 10);
    let offset = if summer { 2 } else { 1 };
    (t + Duration::hours(offset)).date_naive()
}

#[test]
fn calendar_months_follow_the_paris_date_of_random_instants() {
    let mut rng = Rng::new(0xFEED_0007);
    // 1996 (first year of the current EU rule) to 2099, whole seconds.
    let from = Utc
        .with_ymd_and_hms(1996, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    let to = Utc
        .with_ymd_and_hms(2099, 12, 31, 0, 0, 0)
        .unwrap()
        .timestamp();
    let second = Duration::seconds(1);
    for case in 0..20_000 {
        let mut seconds = from + rng.below((to - from) as u64) as i64;
        if case % 4 == 0 {
            // A quarter of the cases land within two hours of a Paris midnight around a
            // month change, where UTC and Paris months differ.
            let m = Month::of_instant(DateTime::from_timestamp(seconds, 0).unwrap());
            seconds = m.end_utc().timestamp() + rng.below(4 * 3600) as i64 - 2 * 3600;
        }
        let t = DateTime::from_timestamp(seconds, 0).unwrap();
        let date = paris_date_by_rule(t);
        let month = Month::of_instant(t);
        assert_eq!(crate::calendar::local_date(t), date, "{t}");
        assert_eq!(
            (month.year(), month.month()),
            (date.year(), date.month()),
            "{t}"
        );
        // The month's bounds contain exactly its instants.
        assert!(month.start_utc() <= t && t < month.end_utc(), "{t}");
        assert_eq!(Month::of_instant(month.start_utc()), month);
        assert_eq!(
            Month::of_instant(month.start_utc() - second),
            month.previous()
        );
        assert_eq!(Month::of_instant(month.end_utc() - second), month);
        assert_eq!(Month::of_instant(month.end_utc()), month.next());
        assert_eq!(paris_date_by_rule(month.start_utc()), month.first_day());
        // The written form reads back as the same instant.
        let written = rfc3339_paris(t);
        assert_eq!(parse_instant(&written), Ok(t), "{written}");
    }
}
