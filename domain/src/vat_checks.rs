//! VAT checks on a performance's ticket rates: the base of every tax (CNM, ASTP, SACEM, SACD)
//! is the receipts excluding VAT, so a wrong rate moves every declaration.
//!
//! The super-reduced rate of 2.1 % applies only to the first 140 performances of a creation
//! (a new dramatic, lyric, musical or choreographic work, or a classical work in a new staging;
//! CGI art. 281 quater, restated by CIBS L213-231 from the 2025 recodification). The checks:
//!
//! - 2.1 % on a performance of a show not marked `creation` → warning `vat.super_reduced.not_creation`;
//! - 2.1 % beyond the show's 140th performance (counted over the stored history of the
//!   organisation, cancelled performances left out) → warning `vat.super_reduced.beyond_limit`;
//! - a creation within its first 140 performances sold at 5.5 % → warning
//!   `vat.creation_at_reduced_rate` (the 2.1 % rate may have been forgotten).
//!
//! Warnings, not blocking: the rate is the seller's choice and releve cannot see the whole
//! history of a touring production (other venues' performances count too).

use crate::facts::PerformanceFacts;
use crate::issue::Issue;
use crate::vat::VatRate;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// The number of performances of a creation that may be sold at 2.1 %.
pub const SUPER_REDUCED_LIMIT: u64 = 140;

fn has_rate(p: &PerformanceFacts, percent: Decimal) -> bool {
    p.vat.iter().any(|v| v.rate.percent() == percent)
}

fn describe(p: &PerformanceFacts) -> String {
    format!(
        "« {} » du {} ({})",
        p.show_title,
        p.starts_at
            .with_timezone(&crate::calendar::PARIS)
            .format("%d/%m/%Y à %H:%M"),
        p.performance_id
    )
}

/// The rank of a performance among its show's performances (1 for the first), from the start
/// times of every stored, not cancelled performance of the show.
pub fn rank(starts_of_show: &[DateTime<Utc>], starts_at: DateTime<Utc>) -> u64 {
    starts_of_show.iter().filter(|s| **s < starts_at).count() as u64 + 1
}

/// The VAT points to check on one performance; `rank` is its rank in the show's history, when
/// known.
pub fn check(p: &PerformanceFacts, rank: Option<u64>) -> Vec<Issue> {
    let super_reduced = VatRate::parse("2.1").expect("known rate").percent();
    let reduced = VatRate::parse("5.5").expect("known rate").percent();
    let mut issues = Vec::new();
    let what = describe(p);
    if has_rate(p, super_reduced) && !p.creation {
        issues.push(Issue::warning(
            "vat.super_reduced.not_creation",
            format!(
                "Des billets de la représentation {what} sont vendus à 2,1 % alors que le spectacle n'est pas marqué \
                 création dans le programme : ce taux est réservé aux 140 premières représentations d'une création \
                 (CGI art. 281 quater). Vérifiez le taux, ou indiquez creation = yes ; la base de toutes les taxes \
                 (CNM, ASTP, SACEM, SACD) en dépend."
            ),
        ));
    }
    if let Some(rank) = rank.filter(|r| *r > SUPER_REDUCED_LIMIT) {
        if has_rate(p, super_reduced) && p.creation {
            issues.push(Issue::warning(
                "vat.super_reduced.beyond_limit",
                format!(
                    "La représentation {what} est la {rank}e du spectacle dans l'historique de releve : au-delà de la \
                     140e, le taux de 2,1 % ne s'applique plus (CGI art. 281 quater), le taux normal des spectacles \
                     est 5,5 %. Vérifiez le taux de billetterie ; la base de toutes les taxes en dépend."
                ),
            ));
        }
    }
    let within_limit = rank.is_none_or(|r| r <= SUPER_REDUCED_LIMIT);
    if p.creation && within_limit && has_rate(p, reduced) {
        issues.push(Issue::warning(
            "vat.creation_at_reduced_rate",
            format!(
                "La représentation {what} est une création vendue à 5,5 % : les 140 premières représentations d'une \
                 création relèvent du taux de 2,1 % (CGI art. 281 quater). Vérifiez le taux de billetterie ; la \
                 base de toutes les taxes en dépend."
            ),
        ));
    }
    issues
        .into_iter()
        .map(|i| i.for_performance(&p.performance_id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{build_month_facts, FactsInput};
    use crate::testing;
    use crate::{Discipline, Month};

    fn facts_with(rate: &str, creation: bool) -> PerformanceFacts {
        let org = testing::organisation(false);
        let record = testing::performance("P1", "Les Vagues", "2025-11-14 20:30");
        let tickets = testing::tickets("P1", 1, 10, "18.00", rate, crate::model::PriceKind::Full);
        let mut row = testing::programme(
            Some("P1"),
            "Les Vagues",
            "2025-11-14 20:30",
            Discipline::Theatre,
        );
        row.creation = creation;
        let facts = build_month_facts(FactsInput {
            organisation: &org,
            month: "2025-11".parse::<Month>().unwrap(),
            records: &[record],
            tickets: &tickets,
            programme: &[row],
        });
        facts.performances[0].clone()
    }

    fn codes(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn a_super_reduced_ticket_on_a_show_not_marked_creation_is_a_point_to_check() {
        // 10 tickets at 18.00 at 2.1 %: 180.00 incl., 176.30 excl. (180 / 1.021 = 176.297…).
        let p = facts_with("2.1", false);
        assert_eq!(p.receipts_excl_vat.to_string(), "176.30");
        let issues = check(&p, Some(1));
        assert_eq!(codes(&issues), ["vat.super_reduced.not_creation"]);
        assert!(issues[0].message.contains("2,1 %"));
        assert_eq!(issues[0].performance_id.as_deref(), Some("tickets_csv:P1"));
    }

    #[test]
    fn a_creation_keeps_2_1_for_140_performances_only() {
        let p = facts_with("2.1", true);
        assert!(check(&p, Some(140)).is_empty());
        assert_eq!(
            codes(&check(&p, Some(141))),
            ["vat.super_reduced.beyond_limit"]
        );
    }

    #[test]
    fn a_creation_sold_at_5_5_is_a_point_to_check_until_its_140th() {
        let p = facts_with("5.5", true);
        assert_eq!(codes(&check(&p, Some(3))), ["vat.creation_at_reduced_rate"]);
        assert!(check(&p, Some(141)).is_empty());
        assert!(check(&facts_with("5.5", false), Some(3)).is_empty());
    }

    #[test]
    fn rank_counts_the_earlier_performances() {
        let t = |s: &str| crate::calendar::parse_instant(s).unwrap();
        let starts = [
            t("2025-11-01 20:30"),
            t("2025-11-02 20:30"),
            t("2025-11-03 20:30"),
        ];
        assert_eq!(rank(&starts, t("2025-11-01 20:30")), 1);
        assert_eq!(rank(&starts, t("2025-11-03 20:30")), 3);
    }
}
