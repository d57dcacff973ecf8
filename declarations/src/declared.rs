//! The amounts a month's declarations come to, from their models alone: no file is rendered.
//! What the indicators need of the months around the one being declared (the previous month,
//! the months of a season and of the previous season), where rendering every PDF only to read
//! two totals cost most of the time.

use crate::sacem::{AgencyTable, EngagementExpense};
use crate::{Body, BuildInput, DeclarationError};
use releve_domain::Money;

/// The totals the indicators read, as the drafts of the same input would give them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeclaredTotals {
    /// `totals.tax_due` of `cnm.json` (the draft's amount due).
    pub cnm_tax: Money,
    /// `totals.tax_due` of `astp.json`.
    pub astp_tax: Money,
    /// Sum of `shows[].rights_estimate.amount` of `sacem.json`.
    pub sacem_estimate: Money,
}

/// Builds the CNM, ASTP and SACEM models of the input (SACEM with its delegation table and
/// engagement expenses, as `sacem::build_with_engagements`) and returns their totals.
pub fn declared_totals(
    input: &BuildInput<'_>,
    agencies: &AgencyTable,
    engagements: &[EngagementExpense],
) -> Result<DeclaredTotals, DeclarationError> {
    Ok(DeclaredTotals {
        cnm_tax: crate::tax::build::model(Body::Cnm, input)?
            .model
            .totals
            .tax_due,
        astp_tax: crate::tax::build::model(Body::Astp, input)?
            .model
            .totals
            .tax_due,
        sacem_estimate: crate::sacem::build::model(input, agencies, engagements)?
            .model
            .estimate_total(),
    })
}
