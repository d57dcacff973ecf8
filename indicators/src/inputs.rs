//! What indicators are computed from: the performances of the period (monthly facts, the same
//! the declarations use), the employment of the period when a payroll source exists, and the
//! taxes and rights declared for the period.

use releve_domain::employment::EmploymentFacts;
use releve_domain::{Money, Month, MonthFacts, PerformanceFacts};
use serde::Serialize;

use crate::period::Period;

/// Taxes and rights as declared (filled by the caller from the declarations). `None`: nothing
/// known for the period (the indicator is then not applicable, never zero).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeclaredAmounts {
    /// CNM tax due (fraction "variétés").
    pub cnm_tax: Option<Money>,
    /// ASTP tax due (fraction "art dramatique, lyrique et chorégraphique").
    pub astp_tax: Option<Money>,
    /// SACEM rights, as estimated by the SACEM statement.
    pub sacem_estimate: Option<Money>,
    /// SACD rights, as estimated by the SACD bordereau.
    pub sacd_estimate: Option<Money>,
}

impl DeclaredAmounts {
    /// Sum of two periods: a known amount plus an unknown one is the known amount (a month with
    /// no declaration owed nothing to declare); unknown only when both are.
    pub fn combine(&self, other: &DeclaredAmounts) -> DeclaredAmounts {
        fn add(a: Option<Money>, b: Option<Money>) -> Option<Money> {
            match (a, b) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(Money::ZERO) + b.unwrap_or(Money::ZERO)),
            }
        }
        DeclaredAmounts {
            cnm_tax: add(self.cnm_tax, other.cnm_tax),
            astp_tax: add(self.astp_tax, other.astp_tax),
            sacem_estimate: add(self.sacem_estimate, other.sacem_estimate),
            sacd_estimate: add(self.sacd_estimate, other.sacd_estimate),
        }
    }
}

/// The inputs of every indicator for one period.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// All performances of the period, cancelled ones included (each indicator says how it
    /// treats them).
    pub performances: &'a [PerformanceFacts],
    /// Employment per show and month; `None` when no payroll source is configured.
    pub employment: Option<&'a [EmploymentFacts]>,
    pub declared: &'a DeclaredAmounts,
}

impl<'a> Inputs<'a> {
    /// Performances that took place (cancelled ones never count).
    pub fn held(&self) -> impl Iterator<Item = &'a PerformanceFacts> + 'a {
        self.performances.iter().filter(|p| !p.cancelled)
    }
}

/// Everything known about one month, as the monthly run produces it.
#[derive(Clone, Debug)]
pub struct MonthData {
    pub facts: MonthFacts,
    /// `None` when no payroll source is configured.
    pub employment: Option<Vec<EmploymentFacts>>,
    pub declared: DeclaredAmounts,
}

impl MonthData {
    pub fn month(&self) -> Month {
        self.facts.month
    }
}

/// The inputs of a period gathered from monthly data (owned, so that `Inputs` can borrow them).
#[derive(Clone, Debug, Default)]
pub struct PeriodInputs {
    pub performances: Vec<PerformanceFacts>,
    pub employment: Option<Vec<EmploymentFacts>>,
    pub declared: DeclaredAmounts,
    /// Months of the period for which data was given.
    pub months_known: Vec<Month>,
}

impl PeriodInputs {
    /// Gathers the months of `period` found in `months` (months outside it are ignored).
    /// Employment is known when at least one month of the period has a payroll source.
    pub fn gather(period: Period, months: &[MonthData]) -> PeriodInputs {
        let mut out = PeriodInputs::default();
        let mut selected: Vec<&MonthData> = months
            .iter()
            .filter(|m| period.contains(m.month()))
            .collect();
        selected.sort_by_key(|m| m.month());
        for m in selected {
            out.months_known.push(m.month());
            out.performances
                .extend(m.facts.performances.iter().cloned());
            if let Some(e) = &m.employment {
                out.employment
                    .get_or_insert_with(Vec::new)
                    .extend(e.iter().cloned());
            }
            out.declared = out.declared.combine(&m.declared);
        }
        out.performances.sort_by(|a, b| {
            a.starts_at
                .cmp(&b.starts_at)
                .then_with(|| a.performance_id.cmp(&b.performance_id))
        });
        out
    }

    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            performances: &self.performances,
            employment: self.employment.as_deref(),
            declared: &self.declared,
        }
    }
}
