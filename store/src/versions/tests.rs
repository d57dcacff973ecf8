//! The version workflow on both backends: idempotent drafts, approval freezing a version,
//! amendments linked to the approved version, submissions, answers and the audit log.

use super::*;
use crate::test_support::{at, each_backend};
use serde_json::json;

const ORG: &str = "theatre-des-digues";

fn month() -> Month {
    "2025-11".parse().unwrap()
}

fn model(paid: u64, receipts: &str) -> serde_json::Value {
    json!({ "schema_version": 1, "organisation": ORG, "month": "2025-11",
            "lines": [ { "performance_id": "tickets_csv:P1", "paid_tickets": paid,
                         "receipts_excl_vat": receipts } ] })
}

fn files(pdf: &str) -> Vec<(String, String)> {
    vec![
        ("cnm.json".into(), "a".repeat(64)),
        ("cnm.pdf".into(), pdf.repeat(64)),
    ]
}

#[tokio::test]
async fn same_model_same_version_then_new_draft_supersedes() {
    each_backend(|store| async move {
        let v1 = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(312, "5567.77"),
                &files("b"),
                at("2025-12-01 08:00"),
            )
            .await
            .unwrap();
        assert_eq!(
            (v1.number, v1.status, v1.is_amendment),
            (1, VersionStatus::Draft, false)
        );
        assert_eq!(v1.previous_approved, None);
        assert_eq!(v1.model, model(312, "5567.77"));
        // Same model, another PDF (generation time): still version 1, hashes refreshed.
        let again = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(312, "5567.77"),
                &files("c"),
                at("2025-12-02 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((again.id, again.number), (v1.id, 1));
        assert_eq!(again.files[1].sha256, "c".repeat(64));
        assert_eq!(again.created_at, at("2025-12-01 08:00"));
        // Different model before approval: version 2, version 1 superseded, no amendment.
        let v2 = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(311, "5549.93"),
                &files("d"),
                at("2025-12-03 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((v2.number, v2.is_amendment), (2, false));
        let all = store
            .versions(ORG, Some("cnm"), Some(month()))
            .await
            .unwrap();
        let statuses: Vec<(u32, VersionStatus)> =
            all.iter().map(|v| (v.number, v.status)).collect();
        assert_eq!(
            statuses,
            [(1, VersionStatus::Superseded), (2, VersionStatus::Draft)]
        );
        // Other bodies and months are separate.
        assert!(store
            .versions(ORG, Some("astp"), None)
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .versions("autre-org", None, None)
            .await
            .unwrap()
            .is_empty());
        // Drafts are not audited (only corrections are).
        assert!(store.audit_log(ORG).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn approval_freezes_and_a_later_difference_is_an_amendment() {
    each_backend(|store| async move {
        let v1 = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(312, "5567.77"),
                &files("b"),
                at("2025-12-01 08:00"),
            )
            .await
            .unwrap();
        let approved = store
            .approve(
                ORG,
                "cnm",
                month(),
                v1.number,
                "claire",
                at("2025-12-01 10:00"),
            )
            .await
            .unwrap();
        assert_eq!(approved.status, VersionStatus::Approved);
        assert_eq!(approved.approved_by.as_deref(), Some("claire"));
        assert_eq!(approved.approved_at, Some(at("2025-12-01 10:00")));
        // Approving twice is refused, with a French message.
        let err = store
            .approve(ORG, "cnm", month(), 1, "claire", at("2025-12-01 10:05"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("version approuvée"), "{err}");
        // The same model after approval: the approved version, untouched (frozen).
        let same = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(312, "5567.77"),
                &files("z"),
                at("2025-12-02 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((same.number, same.status), (1, VersionStatus::Approved));
        assert_eq!(same.files[1].sha256, "b".repeat(64));

        let submitted = store
            .mark_submitted(
                ORG,
                "cnm",
                month(),
                1,
                "claire",
                "portail",
                "accusé CNM-2025-118",
                at("2025-12-02 09:00"),
            )
            .await
            .unwrap();
        assert_eq!(submitted.status, VersionStatus::Submitted);
        assert_eq!(
            submitted.submission,
            Some(Submission {
                channel: "portail".into(),
                receipt: "accusé CNM-2025-118".into(),
                at: at("2025-12-02 09:00"),
            })
        );

        // A refund after submission changes the figures: amendment draft 2 linked to 1.
        let v2 = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(311, "5549.93"),
                &files("e"),
                at("2025-12-05 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((v2.number, v2.status), (2, VersionStatus::Draft));
        assert_eq!((v2.previous_approved, v2.is_amendment), (Some(1), true));
        // A further change replaces the amendment draft, still linked to 1.
        let v3 = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(310, "5532.09"),
                &files("f"),
                at("2025-12-06 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((v3.number, v3.previous_approved), (3, Some(1)));
        assert_eq!(
            store.version(ORG, "cnm", month(), 2).await.unwrap().status,
            VersionStatus::Superseded
        );
        // Back to the submitted figures: no amendment, the pending draft is dropped.
        let back = store
            .record_draft(
                ORG,
                "cnm",
                month(),
                &model(312, "5567.77"),
                &files("g"),
                at("2025-12-07 08:00"),
            )
            .await
            .unwrap();
        assert_eq!((back.number, back.status), (1, VersionStatus::Submitted));
        assert_eq!(
            store.version(ORG, "cnm", month(), 3).await.unwrap().status,
            VersionStatus::Superseded
        );
        // A submitted version cannot be approved; an unknown one is named.
        assert!(matches!(
            store
                .approve(ORG, "cnm", month(), 1, "x", at("2025-12-07 09:00"))
                .await,
            Err(VersionError::InvalidTransition { .. })
        ));
        let err = store
            .approve(ORG, "cnm", month(), 9, "x", at("2025-12-07 09:00"))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "déclaration cnm de 2025-11 : version 9 inconnue (voir la liste des versions)"
        );

        let accepted = store
            .record_answer(
                ORG,
                "cnm",
                month(),
                1,
                true,
                "déclaration enregistrée",
                "releve",
                at("2025-12-08 09:00"),
            )
            .await
            .unwrap();
        assert_eq!(accepted.status, VersionStatus::Accepted);
        assert_eq!(accepted.answer.as_deref(), Some("déclaration enregistrée"));

        let log = store.audit_log(ORG).await.unwrap();
        let actions: Vec<(&str, &str, serde_json::Value)> = log
            .iter()
            .map(|e| {
                (
                    e.actor.as_str(),
                    e.action.as_str(),
                    e.details["version"].clone(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                ("claire", "approve", json!(1)),
                ("claire", "submit", json!(1)),
                ("releve", "amendment_draft", json!(2)),
                ("releve", "amendment_draft", json!(3)),
                ("releve", "accept", json!(1)),
            ]
        );
        assert_eq!(log[0].details["files"][0]["name"], "cnm.json");
        assert_eq!(log[1].details["receipt"], "accusé CNM-2025-118");
        assert_eq!(log[2].details["amends"], 1);
        assert_eq!(log[0].body.as_deref(), Some("cnm"));
        assert_eq!(log[0].month, Some(month()));
    })
    .await;
}

#[tokio::test]
async fn submission_needs_approval_and_answer_needs_submission() {
    each_backend(|store| async move {
        store
            .record_draft(
                ORG,
                "sacem",
                month(),
                &model(1, "10.00"),
                &[],
                at("2025-12-01 08:00"),
            )
            .await
            .unwrap();
        let err = store
            .mark_submitted(
                ORG,
                "sacem",
                month(),
                1,
                "claire",
                "email",
                "",
                at("2025-12-01 09:00"),
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("seule une version approuvée peut être transmise"),
            "{err}"
        );
        let err = store
            .record_answer(
                ORG,
                "sacem",
                month(),
                1,
                false,
                "refus",
                "claire",
                at("2025-12-01 09:00"),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, VersionError::InvalidTransition { .. }),
            "{err}"
        );
        assert!(store.audit_log(ORG).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_override_is_audited_and_a_replacement_supersedes_the_unsent_version() {
    each_backend(|store| async move {
        let cnm = |paid, receipts, day| {
            let store = store.clone();
            async move {
                store
                    .record_draft(
                        ORG,
                        "cnm",
                        month(),
                        &model(paid, receipts),
                        &files("b"),
                        at(day),
                    )
                    .await
                    .unwrap()
            }
        };
        cnm(312, "5567.77", "2025-12-01 08:00").await;
        let approval = Approval {
            despite: Some("billet en double déjà compté".into()),
            overridden: vec!["Source tickets_csv, ligne 4 : prix illisible".into()],
            frozen_files: vec![FileHash {
                name: "cnm.v1.pdf".into(),
                sha256: "d".repeat(64),
            }],
        };
        store
            .approve_with(
                ORG,
                "cnm",
                month(),
                1,
                "Claire Martin",
                &approval,
                at("2025-12-02 09:00"),
            )
            .await
            .unwrap();
        let log = store.audit_log(ORG).await.unwrap();
        let entry = log.iter().find(|e| e.action == "approve").unwrap();
        assert_eq!(entry.details["despite"], "billet en double déjà compté");
        assert_eq!(
            entry.details["overridden"][0],
            "Source tickets_csv, ligne 4 : prix illisible"
        );
        assert_eq!(entry.details["frozen_files"][0]["name"], "cnm.v1.pdf");

        // v1 approved, never sent; new figures give v2, whose approval supersedes v1.
        let v2 = cnm(313, "5585.55", "2025-12-03 08:00").await;
        assert_eq!((v2.number, v2.previous_approved), (2, Some(1)));
        store
            .approve(
                ORG,
                "cnm",
                month(),
                2,
                "Claire Martin",
                at("2025-12-03 09:00"),
            )
            .await
            .unwrap();
        let v1 = store.version(ORG, "cnm", month(), 1).await.unwrap();
        assert_eq!(v1.status, VersionStatus::Superseded);
        assert!(v1.approved_at.is_some(), "it was approved once");
        let log = store.audit_log(ORG).await.unwrap();
        let second = log.iter().filter(|e| e.action == "approve").nth(1).unwrap();
        assert_eq!(second.details["supersedes"], 1);
        assert!(second.details.get("despite").is_none());

        // A sent version is never superseded: v3 after v2 was sent is a rectificatif of it.
        store
            .mark_submitted(
                ORG,
                "cnm",
                month(),
                2,
                "Claire Martin",
                "portail",
                "R-1",
                at("2025-12-04 09:00"),
            )
            .await
            .unwrap();
        cnm(314, "5603.33", "2025-12-05 08:00").await;
        store
            .approve(
                ORG,
                "cnm",
                month(),
                3,
                "Claire Martin",
                at("2025-12-05 09:00"),
            )
            .await
            .unwrap();
        let v2 = store.version(ORG, "cnm", month(), 2).await.unwrap();
        assert_eq!(v2.status, VersionStatus::Submitted);
    })
    .await;
}

/// A SACD period has its own numbers beside the month's, is listed apart, and its approval and
/// submission go through the same lifecycle and audit log.
#[tokio::test]
async fn a_period_has_its_own_versions_beside_the_month() {
    each_backend(|store| async move {
        let week = Span::parse("2025-11-14_2025-11-20").unwrap();
        let monthly = store
            .record_draft(
                ORG,
                "sacd",
                month(),
                &model(1, "1.00"),
                &files("b"),
                at("2025-12-01 08:00"),
            )
            .await
            .unwrap();
        let weekly = store
            .record_draft(
                ORG,
                "sacd",
                week,
                &model(2, "2.00"),
                &files("b"),
                at("2025-12-01 08:00"),
            )
            .await
            .unwrap();
        // Both are version 1 of their own span.
        assert_eq!((monthly.number, weekly.number), (1, 1));
        assert_eq!(weekly.span, week);
        assert_eq!(weekly.month, month());
        let listed = store
            .versions(ORG, Some("sacd"), Some(month()))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "the month's list has the month only");
        assert_eq!(listed[0].span, Span::Month(month()));
        let periods = store.period_versions(ORG, Some("sacd")).await.unwrap();
        assert_eq!(periods.len(), 1);
        assert_eq!(periods[0].span, week);

        store
            .approve(
                ORG,
                "sacd",
                week,
                1,
                "Claire Martin",
                at("2025-12-02 09:00"),
            )
            .await
            .unwrap();
        let sent = store
            .mark_submitted(
                ORG,
                "sacd",
                week,
                1,
                "releve",
                "sacd_ws",
                "dec 42",
                at("2025-12-02 10:00"),
            )
            .await
            .unwrap();
        assert_eq!(sent.status, VersionStatus::Submitted);
        // The month's version is untouched.
        let monthly = store.version(ORG, "sacd", month(), 1).await.unwrap();
        assert_eq!(monthly.status, VersionStatus::Draft);
        // A new model for the week is a correction of the version sent.
        let corrected = store
            .record_draft(
                ORG,
                "sacd",
                week,
                &model(3, "3.00"),
                &files("b"),
                at("2025-12-03 08:00"),
            )
            .await
            .unwrap();
        assert_eq!(
            (corrected.number, corrected.previous_approved),
            (2, Some(1))
        );
        let log = store.audit_log(ORG).await.unwrap();
        let approve = log.iter().find(|e| e.action == "approve").unwrap();
        assert_eq!(approve.month, Some(month()));
        assert_eq!(approve.details["period"]["from"], "2025-11-14");
        assert_eq!(approve.details["period"]["to"], "2025-11-20");
    })
    .await;
}
