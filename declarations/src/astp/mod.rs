//! ASTP: taxe sur les spectacles vivants, fraction « art dramatique, lyrique et
//! chorégraphique ».
//!
//! - Legal basis: code des impositions sur les biens et services (CIBS), articles L452-14 ff.
//!   (formerly art. 77 of loi 2003-1312 de finances rectificative; declared directly to the
//!   ASTP since 2011). Rate 3.5 % (dated rule `astp_rate`), same bases as CNM: receipts excl.
//!   VAT (case 1 of the ASTP form, admission fee) or cession price excl. VAT (case 2, free
//!   admission, owed by the seller). Exempt: school-teaching performances; amateur troupes
//!   paying no artist; public or subsidised organisers, **unless** the show is bought from,
//!   co-produced with or rented to a private unsubsidised producer (`producer_subsidised =
//!   no`). When the programme does not say whether the producer is subsidised, the performance
//!   is listed as not taxable *provisionally* and a blocking issue asks for the answer. Not
//!   collected under 80 € a year, still declared.
//! - Recipient: Association pour le soutien du théâtre privé (ASTP).
//! - Deadline: last day of the 3rd month after the performances (grouped monthly: November
//!   2025 → 28 February 2026; dated rule `tax_deadline_months`).
//! - Channel: the ASTP online declaration or its paper form; `astp.pdf` follows the form's
//!   fields (show, venue, postal code, dates, declarant with SIRET, case 1 / case 2, producer
//!   name and SIRET, place, date, signature) and `astp.csv` gives the figures to copy.
//! - Where each field comes from: as for CNM (ticketing facts, receipts per VAT rate, the
//!   programme's discipline, `tax_fraction`, free admission, cession price, producer name,
//!   SIRET and `producer_subsidised`, amateur and school flags; the organisation's
//!   `subsidised` flag and identity from the configuration).
//!
//! The computation is shared with CNM in [`crate::tax`].

use crate::{Body, BuildInput, Declaration, DeclarationError, Draft};

pub struct Astp;

impl Declaration for Astp {
    fn body(&self) -> Body {
        Body::Astp
    }

    fn build(&self, input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        crate::tax::build(Body::Astp, input)
    }
}
