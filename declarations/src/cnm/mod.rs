//! CNM: taxe sur les spectacles vivants, fraction « variétés ».
//!
//! - Legal basis: code des impositions sur les biens et services (CIBS), articles L452-14 ff.
//!   (since 1 January 2024; formerly art. 76 of loi 2003-1312 de finances rectificative).
//!   Rate 3.5 % (dated rule `cnm_rate`) of the ticketing receipts excl. VAT, owed by the holder
//!   of the ticketing; for a free admission, of the cession price excl. VAT, owed by the seller.
//!   Exempt: performances inside school teaching. Not collected under 80 € a year (dated rule
//!   `collection_threshold`), but still declared.
//! - Recipient: Centre national de la musique (CNM).
//! - Deadline: grouped monthly declaration, last day of the 3rd month after the month of the
//!   performances (dated rule `tax_deadline_months`: November 2025 → 28 February 2026).
//! - Channel: the CNM online space (monespacepro.cnm.fr, "taxe / déclarations"): `cnm.csv` and
//!   `cnm.pdf` give every figure to copy; the PDF is kept as the signed record.
//! - Where each field comes from: performances, dates, venue and ticket counts from ticketing
//!   (`PerformanceFacts`); receipts excl. VAT computed per VAT rate (`domain.md` §3);
//!   discipline, `tax_fraction`, free admission, cession price, producer, cancellation and
//!   school flags from the programme; the declarant from the organisation configuration.
//!
//! The computation is shared with ASTP in [`crate::tax`].

use crate::{Body, BuildInput, Declaration, DeclarationError, Draft};

pub struct Cnm;

impl Declaration for Cnm {
    fn body(&self) -> Body {
        Body::Cnm
    }

    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        crate::tax::build(Body::Cnm, input)
    }
}
