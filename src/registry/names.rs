//! Comparing a name typed in the programme or the configuration with the register's legal
//! name: case, accents, punctuation, `&`/`et`, legal-form words (SAS, SARL…) and the acronym in
//! brackets are ignored, so only a real difference is a point to check.

use releve_collectors::registry::Company;
use releve_domain::text::normalise_key;

/// Words that say the legal form, not the name.
const LEGAL_FORMS: [&str; 12] = [
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "sa",
    "sci",
    "scop",
    "scic",
    "snc",
    "association",
    "asso",
    "ste",
];

/// The comparable words of a name.
pub fn comparable(name: &str) -> String {
    let without_brackets: String = {
        let mut depth = 0;
        name.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth = (depth - 1).max(0);
                        return false;
                    }
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    let key = normalise_key(&without_brackets.replace('&', " et "));
    key.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `typed` names the company: its legal name, full name or acronym, or one of them
/// contained in the other (a show's company often drops or adds « Compagnie »).
pub fn matches(typed: &str, company: &Company) -> bool {
    let typed = comparable(typed);
    if typed.is_empty() {
        return true;
    }
    let candidates = [
        Some(&company.name),
        company.full_name.as_ref(),
        company.acronym.as_ref(),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|n| comparable(n))
        .any(|known| {
            !known.is_empty()
                && (known == typed
                    || contains_words(&known, &typed)
                    || contains_words(&typed, &known))
        })
}

fn contains_words(long: &str, short: &str) -> bool {
    format!(" {long} ").contains(&format!(" {short} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_accents_and_ampersands_do_not_count() {
        assert_eq!(
            comparable("Rire & Compagnie Productions SAS"),
            "rire et compagnie productions"
        );
        assert_eq!(
            comparable("LES NUITS BLEUES PRODUCTIONS (LNB)"),
            "les nuits bleues productions"
        );
        assert_eq!(
            comparable("Théâtre du Rivage, S.A.R.L."),
            "theatre du rivage s a r l"
        );
        assert_eq!(
            comparable("Scènes & Tournées Production S.A.S"),
            "scenes et tournees production s a s"
        );
    }
}
