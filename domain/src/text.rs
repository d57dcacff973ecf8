//! Text normalisation used to compare titles and keys: case, accents and spacing ignored.

/// Lower case, accents removed, inner whitespace collapsed to one space, trimmed.
/// `"  Les  VAGUES – Été "` → `"les vagues – ete"`.
pub fn normalise_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        for lower in c.to_lowercase() {
            push_without_accent(lower, &mut out);
        }
    }
    out.trim_end().to_string()
}

/// A slug for ids: `[a-z0-9-]+` from a title.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in normalise_key(text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Pushes `c` without its accent (French letters; anything else unchanged).
fn push_without_accent(c: char, out: &mut String) {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        '’' | '‘' => "'",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_case_accents_and_spacing() {
        assert_eq!(normalise_key("  Les  VAGUES  Été "), "les vagues ete");
        assert_eq!(normalise_key("L’Œuvre"), "l'oeuvre");
        assert_eq!(slug("Les Vagues — Été 2025 !"), "les-vagues-ete-2025");
    }
}
