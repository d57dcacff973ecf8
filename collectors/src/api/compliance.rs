//! The scenarios every registered API collector must be tested in (issue 3, "Done when").
//!
//! Each vendor's test module exposes a suite: one async function per [`Scenario`], run against
//! the replay server. The compliance tests below fail when a registered kind has no suite or
//! its suite lacks a scenario, and run every suite.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    BasicMonth,
    SeveralPages,
    RefundAfterFirstSync,
    FreeTicketsAndInvitations,
    MixedVatRates,
    LateNightLastDayOfMonth,
    Unauthorized,
    RateLimitedThenSuccess,
    ServerErrorThenSuccess,
    MalformedBody,
}

impl Scenario {
    pub const ALL: [Scenario; 10] = [
        Scenario::BasicMonth,
        Scenario::SeveralPages,
        Scenario::RefundAfterFirstSync,
        Scenario::FreeTicketsAndInvitations,
        Scenario::MixedVatRates,
        Scenario::LateNightLastDayOfMonth,
        Scenario::Unauthorized,
        Scenario::RateLimitedThenSuccess,
        Scenario::ServerErrorThenSuccess,
        Scenario::MalformedBody,
    ];
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Scenario::BasicMonth => "basic month",
            Scenario::SeveralPages => "several pages",
            Scenario::RefundAfterFirstSync => "refund after a first sync",
            Scenario::FreeTicketsAndInvitations => "free tickets and invitations",
            Scenario::MixedVatRates => "mixed VAT rates",
            Scenario::LateNightLastDayOfMonth => "23:30 Paris on the last day of a month",
            Scenario::Unauthorized => "401",
            Scenario::RateLimitedThenSuccess => "429 then success",
            Scenario::ServerErrorThenSuccess => "500 then success",
            Scenario::MalformedBody => "malformed body",
        };
        f.write_str(text)
    }
}

#[cfg(test)]
pub(crate) mod suite {
    use super::Scenario;
    use crate::SourceKind;
    use std::future::Future;
    use std::pin::Pin;

    pub(crate) type ScenarioFn = fn() -> Pin<Box<dyn Future<Output = ()> + Send>>;
    pub(crate) type Suite = &'static [(Scenario, ScenarioFn)];

    /// The suite of each registered kind (vendors add their line here).
    pub(crate) fn suite_of(kind: SourceKind) -> Option<Suite> {
        match kind {
            SourceKind::Billetweb => Some(crate::billetweb::tests::SUITE),
            SourceKind::Helloasso => Some(crate::helloasso::tests::SUITE),
            SourceKind::Mapado => Some(crate::mapado::tests::SUITE),
            SourceKind::Shotgun => Some(crate::shotgun::tests::SUITE),
            SourceKind::Supersoniks => Some(crate::supersoniks::tests::SUITE),
            SourceKind::Soticket => Some(crate::supersoniks::tests::SOTICKET_SUITE),
            SourceKind::Weezevent => Some(crate::weezevent::tests::SUITE),
            _ => None,
        }
    }

    pub(crate) fn missing(kind: SourceKind) -> Vec<Scenario> {
        let suite = suite_of(kind).unwrap_or(&[]);
        Scenario::ALL
            .into_iter()
            .filter(|s| !suite.iter().any(|(t, _)| t == s))
            .collect()
    }

    pub(crate) async fn run(kind: SourceKind) {
        for (scenario, f) in suite_of(kind).expect("registered kind has a suite") {
            eprintln!("{}: {scenario}", kind.code());
            f().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suite::{missing, run};
    use crate::api::REGISTERED;
    use crate::SourceKind;

    #[test]
    fn every_registered_collector_declares_every_scenario() {
        let gaps: Vec<String> = REGISTERED
            .iter()
            .filter_map(|k| {
                let m = missing(*k);
                (!m.is_empty()).then(|| format!("{}: {:?}", k.code(), m))
            })
            .collect();
        assert!(
            gaps.is_empty(),
            "collectors lacking compliance scenarios: {gaps:?}"
        );
    }

    #[test]
    fn a_kind_without_suite_is_reported_missing_everything() {
        assert_eq!(missing(SourceKind::TicketsCsv).len(), 10);
    }

    #[tokio::test]
    async fn billetweb_passes_every_scenario() {
        run(SourceKind::Billetweb).await;
    }

    #[tokio::test]
    async fn helloasso_passes_every_scenario() {
        run(SourceKind::Helloasso).await;
    }

    #[tokio::test]
    async fn mapado_passes_every_scenario() {
        run(SourceKind::Mapado).await;
    }

    #[tokio::test]
    async fn shotgun_passes_every_scenario() {
        run(SourceKind::Shotgun).await;
    }

    #[tokio::test]
    async fn supersoniks_passes_every_scenario() {
        run(SourceKind::Supersoniks).await;
    }

    #[tokio::test]
    async fn soticket_passes_every_scenario() {
        run(SourceKind::Soticket).await;
    }

    #[tokio::test]
    async fn weezevent_passes_every_scenario() {
        run(SourceKind::Weezevent).await;
    }
}
