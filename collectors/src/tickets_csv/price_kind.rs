//! The tariff family of a ticket when the file gives no `price_kind`: derived from the usual
//! French price-category labels, by exact match of the whole label (case, accents and spacing
//! ignored). A label outside the table gives no family (`None`): a partial match such as
//! "Plein tarif groupe" is not guessed.
//!
//! | `price_category` (any case, with or without accents) | `price_kind` |
//! |---|---|
//! | Plein tarif, Tarif plein, Plein | `full` |
//! | Tarif réduit, Réduit | `reduced` |
//! | Abonné, Abonnés, Abonnement, Tarif abonné | `subscription` |
//! | Invitation, Invitations, Exonéré, Exonérés, Gratuit, Gratuité | `free` |

use releve_domain::text::normalise_key;
use releve_domain::PriceKind;

/// Normalised labels (see [`normalise_key`]) and their family.
const TABLE: [(&str, PriceKind); 15] = [
    ("plein tarif", PriceKind::Full),
    ("tarif plein", PriceKind::Full),
    ("plein", PriceKind::Full),
    ("tarif reduit", PriceKind::Reduced),
    ("reduit", PriceKind::Reduced),
    ("abonne", PriceKind::Subscription),
    ("abonnes", PriceKind::Subscription),
    ("abonnement", PriceKind::Subscription),
    ("tarif abonne", PriceKind::Subscription),
    ("invitation", PriceKind::Free),
    ("invitations", PriceKind::Free),
    ("exonere", PriceKind::Free),
    ("exoneres", PriceKind::Free),
    ("gratuit", PriceKind::Free),
    ("gratuite", PriceKind::Free),
];

/// The family of a usual price-category label, `None` for any other label.
pub fn from_category(label: &str) -> Option<PriceKind> {
    let key = normalise_key(label);
    TABLE.iter().find(|(l, _)| *l == key).map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_labels_map_and_others_do_not() {
        assert_eq!(from_category("Plein tarif"), Some(PriceKind::Full));
        assert_eq!(from_category("  TARIF   RÉDUIT "), Some(PriceKind::Reduced));
        assert_eq!(from_category("Réduit"), Some(PriceKind::Reduced));
        assert_eq!(from_category("Abonné"), Some(PriceKind::Subscription));
        assert_eq!(from_category("Abonnement"), Some(PriceKind::Subscription));
        assert_eq!(from_category("Invitation"), Some(PriceKind::Free));
        assert_eq!(from_category("Exonéré"), Some(PriceKind::Free));
        assert_eq!(from_category("gratuit"), Some(PriceKind::Free));
        assert_eq!(from_category("Plein tarif groupe"), None);
        assert_eq!(from_category("Carte jeune"), None);
    }
}
