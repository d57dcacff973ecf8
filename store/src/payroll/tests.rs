use releve_domain::employment::{Engagement, Role, Sex};
use releve_domain::{Money, Month};
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::test_support::each_backend;

fn month(m: u32) -> Month {
    Month::new(2026, m).unwrap()
}

fn eng(contract: &str, m: u32, gross_cents: i64) -> Engagement {
    Engagement {
        source: "dsn".into(),
        employer_siret: "81234567600009".into(),
        month: month(m),
        person_key: format!("key-{contract}"),
        sex: Some(Sex::Female),
        role: Role::Artist,
        contract_id: contract.into(),
        contract_nature: Some("02".into()),
        pcs_ese: Some("354c".into()),
        intermittent: true,
        numero_objet: Some("26XZ00123442".into()),
        period_start: chrono::NaiveDate::from_ymd_opt(2026, m, 18).unwrap(),
        period_end: chrono::NaiveDate::from_ymd_opt(2026, m, 21).unwrap(),
        hours: Decimal::from_str("24.00").unwrap(),
        cachets: Some(Decimal::from_str("3.00").unwrap()),
        gross_pay: Money::from_cents(gross_cents),
        conges_spectacles: Some(Money::from_cents(11700)),
    }
}

#[tokio::test]
async fn engagements_round_trip_and_are_replaced_per_employer_and_month() {
    each_backend(|store| async move {
        let siret = "81234567600009";
        let first = vec![eng("C1", 3, 78000), eng("C2", 3, 25000)];
        store
            .replace_engagements("digues", "dsn", siret, month(3), &first)
            .await
            .unwrap();
        let mut other = eng("X1", 3, 100);
        other.employer_siret = "81234567600017".into();
        store
            .replace_engagements(
                "digues",
                "dsn",
                "81234567600017",
                month(3),
                &[other.clone()],
            )
            .await
            .unwrap();
        store
            .replace_engagements("digues", "dsn", siret, month(4), &[eng("C9", 4, 5000)])
            .await
            .unwrap();
        let got = store.engagements("digues", &[month(3)]).await.unwrap();
        assert_eq!(got, vec![first[0].clone(), first[1].clone(), other.clone()]);

        // "Annule et remplace": C2 corrected, C1 gone; the other establishment and month stay.
        let replaced = vec![eng("C2", 3, 28000)];
        store
            .replace_engagements("digues", "dsn", siret, month(3), &replaced)
            .await
            .unwrap();
        // Twice: idempotent.
        store
            .replace_engagements("digues", "dsn", siret, month(3), &replaced)
            .await
            .unwrap();
        let got = store
            .engagements("digues", &[month(3), month(4)])
            .await
            .unwrap();
        let contracts: Vec<&str> = got.iter().map(|e| e.contract_id.as_str()).collect();
        assert_eq!(contracts, ["C2", "X1", "C9"]);
        assert_eq!(got[0].gross_pay, Money::from_cents(28000));
        assert!(store
            .engagements("autre", &[month(3)])
            .await
            .unwrap()
            .is_empty());

        // Empty replacement clears the key.
        store
            .replace_engagements("digues", "dsn", siret, month(3), &[])
            .await
            .unwrap();
        assert_eq!(
            store.engagements("digues", &[month(3)]).await.unwrap(),
            vec![other]
        );
    })
    .await;
}

#[tokio::test]
async fn rows_of_another_key_are_refused() {
    each_backend(|store| async move {
        let err = store
            .replace_engagements(
                "digues",
                "dsn",
                "81234567600009",
                month(4),
                &[eng("C1", 3, 1)],
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("81234567600009 2026-03"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn the_first_salt_is_kept() {
    each_backend(|store| async move {
        assert_eq!(store.pseudonym_salt("digues").await.unwrap(), None);
        assert_eq!(
            store
                .keep_pseudonym_salt("digues", "premier")
                .await
                .unwrap(),
            "premier"
        );
        assert_eq!(
            store.keep_pseudonym_salt("digues", "second").await.unwrap(),
            "premier"
        );
        assert_eq!(
            store.keep_pseudonym_salt("autre", "second").await.unwrap(),
            "second"
        );
    })
    .await;
}
