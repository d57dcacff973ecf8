//! `sacd.xml`: the bordereau lines in the SACD teletransmission structure (`domain.md` §5):
//!
//! ```text
//! Declaration
//!   Header: dec_ref (SACD declarant id), dec_systeme ("releve"), dec_date (yyyy/MM/dd), dec_nb
//!   Representations
//!     Representation (one per line, in the model's order)
//!       rep_ref_dec, rep_devise EUR, rep_statut DEF, rep_version, rep_titre,
//!       rep_date_debut, rep_date_fin (yyyy/MM/dd), rep_nb 1, rep_horaire HH:mm
//!       Billetterie: rep_mt_billets (excl. VAT), rep_mt_tva_billets, rep_nb_billets_pay,
//!                    rep_nb_billets_exo
//!       Exploitation: expl_nat (PRO, or AMA for an amateur performance), expl_type_ref SACD
//!                     and expl_ref (the dossier d'exploitation, when given); with contract
//!                     money: rep_mt_depenses (total expenses excl. VAT: cession price + frais
//!                     d'approche + co-production contribution + box-office guarantee, the
//!                     pilot's meaning; circus-specific costs would be excluded, none are
//!                     entered), rep_mt_frais (frais d'approche), rep_mt_cession (cession
//!                     price), rep_tx_tva_cession (5.5) and rep_mt_tva_cession (its VAT),
//!                     rep_mt_apports_coprod (co-production contribution), rep_mt_garantie_rec
//!                     (box-office guarantee), all excl. VAT, each only when given
//!       Salle: salle_nom, salle_jauge (left out when unknown)
//!       Diffuseur: diff_nom, diff_type_ref SIREN, diff_ref, diff_adresse_1, diff_code_postal,
//!                  diff_ville, diff_pays FR, diff_tva (the organisation, its address and its
//!                  intra-EU VAT number when configured)
//!       Producteur: prod_nom, prod_type_ref SIREN, prod_ref (the organisation itself when the
//!                   programme names no producer: its own production), then its address
//!                   prod_adresse_1, prod_code_postal, prod_ville, prod_pays FR (the
//!                   programme's `producer_address`, or the register's head office, split at
//!                   its French postal code; without one the whole line is prod_adresse_1; the
//!                   organisation's own address for its own production)
//! ```
//!
//! Every text is cut at 128 characters (on a character boundary), amounts have two decimals,
//! dates and times are in Paris (the model's). Each performance carries its own contract money
//! (the programme gives it per performance), unlike a per-series form.
//!
//! `rep_version` is 1 for a first sending; an amendment re-sends the lines with the next
//! version (`domain.md` §6), hence the `version` parameter.

use super::model::{SacdFile, SacdLine};
use chrono::{DateTime, NaiveDate, Utc};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use releve_domain::calendar::PARIS;
use releve_domain::{Money, Organisation};
use std::io;

/// The longest text the SACD accepts in a field.
pub const MAX_TEXT: usize = 128;

/// Cuts `text` to [`MAX_TEXT`] characters (never inside a character).
pub fn cut(text: &str) -> String {
    text.trim().chars().take(MAX_TEXT).collect()
}

fn sacd_date(d: NaiveDate) -> String {
    d.format("%Y/%m/%d").to_string()
}

/// The XML of the bordereau, declared on `generated_at` (its Paris date), as `version`.
pub fn render(
    model: &SacdFile,
    org: &Organisation,
    generated_at: DateTime<Utc>,
    version: u32,
) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("Declaration").write_inner_content(|w| {
        w.create_element("Header").write_inner_content(|w| {
            text(
                w,
                "dec_ref",
                model.declarant_id.as_deref().unwrap_or_default(),
            )?;
            text(w, "dec_systeme", "releve")?;
            text(
                w,
                "dec_date",
                &sacd_date(generated_at.with_timezone(&PARIS).date_naive()),
            )?;
            text(w, "dec_nb", &model.lines.len().to_string())?;
            Ok(())
        })?;
        w.create_element("Representations")
            .write_inner_content(|w| {
                for line in &model.lines {
                    representation(w, line, org, version)?;
                }
                Ok(())
            })?;
        Ok(())
    })?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    let value = cut(value);
    w.create_element(name)
        .write_text_content(BytesText::new(&value))?;
    Ok(())
}

fn representation(
    w: &mut Writer<Vec<u8>>,
    l: &SacdLine,
    org: &Organisation,
    version: u32,
) -> io::Result<()> {
    w.create_element("Representation")
        .write_inner_content(|w| {
            text(w, "rep_ref_dec", &l.rep_ref)?;
            text(w, "rep_devise", "EUR")?;
            text(w, "rep_statut", "DEF")?;
            text(w, "rep_version", &version.to_string())?;
            text(w, "rep_titre", &l.show_title)?;
            text(w, "rep_date_debut", &sacd_date(l.date))?;
            text(w, "rep_date_fin", &sacd_date(l.date))?;
            text(w, "rep_nb", "1")?;
            text(w, "rep_horaire", &l.time)?;
            w.create_element("Billetterie").write_inner_content(|w| {
                text(w, "rep_mt_billets", &l.receipts_excl_vat.to_string())?;
                text(w, "rep_mt_tva_billets", &l.vat_amount.to_string())?;
                text(w, "rep_nb_billets_pay", &l.paid_tickets.to_string())?;
                text(w, "rep_nb_billets_exo", &l.exempted_tickets.to_string())?;
                Ok(())
            })?;
            w.create_element("Exploitation").write_inner_content(|w| {
                text(w, "expl_nat", if l.amateur { "AMA" } else { "PRO" })?;
                if let Some(dossier) = l.sacd_dossier.as_deref().filter(|d| !d.trim().is_empty()) {
                    text(w, "expl_type_ref", "SACD")?;
                    text(w, "expl_ref", dossier)?;
                }
                if l.has_contract_money() {
                    text(w, "rep_mt_depenses", &l.expenses_excl_vat().to_string())?;
                    let frais = l.frais_approche_excl_vat.unwrap_or(Money::ZERO);
                    text(w, "rep_mt_frais", &frais.to_string())?;
                }
                if let Some(price) = l.cession_price_excl_vat {
                    text(w, "rep_mt_cession", &price.to_string())?;
                    if let (Some(rate), Some(vat)) = (l.cession_vat_rate, l.cession_vat_amount) {
                        text(
                            w,
                            "rep_tx_tva_cession",
                            &rate.percent().normalize().to_string(),
                        )?;
                        text(w, "rep_mt_tva_cession", &vat.to_string())?;
                    }
                }
                if let Some(m) = l.coproduction_contribution_excl_vat {
                    text(w, "rep_mt_apports_coprod", &m.to_string())?;
                }
                if let Some(m) = l.guarantee_excl_vat {
                    text(w, "rep_mt_garantie_rec", &m.to_string())?;
                }
                Ok(())
            })?;
            w.create_element("Salle").write_inner_content(|w| {
                text(w, "salle_nom", &l.venue_name)?;
                if let Some(capacity) = l.capacity {
                    text(w, "salle_jauge", &capacity.to_string())?;
                }
                Ok(())
            })?;
            w.create_element("Diffuseur").write_inner_content(|w| {
                text(w, "diff_nom", &org.name)?;
                text(w, "diff_type_ref", "SIREN")?;
                text(w, "diff_ref", org.siret.siren())?;
                if let Some(address) = &org.address {
                    text(w, "diff_adresse_1", address)?;
                }
                if let Some(postal_code) = &org.postal_code {
                    text(w, "diff_code_postal", postal_code)?;
                }
                if let Some(city) = &org.city {
                    text(w, "diff_ville", city)?;
                }
                text(w, "diff_pays", "FR")?;
                if let Some(vat) = org.vat_number.as_deref().filter(|v| !v.trim().is_empty()) {
                    text(w, "diff_tva", vat)?;
                }
                Ok(())
            })?;
            w.create_element("Producteur").write_inner_content(|w| {
                let (name, siren) = match &l.producer_name {
                    Some(name) if !name.trim().is_empty() => {
                        (name.clone(), l.producer_siret.as_deref().and_then(siren))
                    }
                    _ => (org.name.clone(), Some(org.siret.siren().to_string())),
                };
                text(w, "prod_nom", &name)?;
                if let Some(siren) = siren {
                    text(w, "prod_type_ref", "SIREN")?;
                    text(w, "prod_ref", &siren)?;
                }
                let own = l
                    .producer_name
                    .as_deref()
                    .is_none_or(|n| n.trim().is_empty());
                let address = if own {
                    org.address.as_deref().map(|street| Address {
                        street: street.trim().to_string(),
                        postal_code: org.postal_code.clone(),
                        city: org.city.clone(),
                    })
                } else {
                    l.producer_address.as_deref().and_then(split_address)
                };
                if let Some(a) = address {
                    text(w, "prod_adresse_1", &a.street)?;
                    if let Some(code) = &a.postal_code {
                        text(w, "prod_code_postal", code)?;
                    }
                    if let Some(city) = &a.city {
                        text(w, "prod_ville", city)?;
                    }
                    if a.postal_code.is_some() {
                        text(w, "prod_pays", "FR")?;
                    }
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// A producer's address as the teletransmission's fields want it.
#[derive(Debug, PartialEq, Eq)]
struct Address {
    street: String,
    postal_code: Option<String>,
    city: Option<String>,
}

/// Splits a one-line address (« 12 rue des Arts, 44000 Nantes ») at its French postal code (the
/// last group of exactly five digits): the street before it, the town after. Without such a
/// code the whole line is the street (nothing is guessed). `None` for an empty line.
fn split_address(line: &str) -> Option<Address> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let is_code = |w: &&str| {
        let w = w.trim_matches(|c: char| c == ',' || c == ';');
        w.len() == 5 && w.chars().all(|c| c.is_ascii_digit())
    };
    let Some(at) = words.iter().rposition(is_code) else {
        return Some(Address {
            street: line.to_string(),
            postal_code: None,
            city: None,
        });
    };
    let tidy = |parts: &[&str]| {
        let text = parts.join(" ");
        let text = text.trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace());
        (!text.is_empty()).then(|| text.to_string())
    };
    let code = words[at]
        .trim_matches(|c: char| c == ',' || c == ';')
        .to_string();
    Some(Address {
        street: tidy(&words[..at]).unwrap_or_default(),
        postal_code: Some(code),
        city: tidy(&words[at + 1..]),
    })
}

/// The SIREN (first 9 digits) of a SIRET or SIREN, when it has them.
fn siren(siret: &str) -> Option<String> {
    let digits: String = siret.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 9).then(|| digits[..9].to_string())
}

#[cfg(test)]
mod address_tests {
    use super::*;

    #[test]
    fn an_address_is_split_at_its_postal_code() {
        assert_eq!(
            split_address("12 rue des Arts, 44000 Nantes"),
            Some(Address {
                street: "12 rue des Arts".into(),
                postal_code: Some("44000".into()),
                city: Some("Nantes".into()),
            })
        );
        // The last five-digit group is the code: a street number of five digits stays.
        let a = split_address("10000 route de la Mer 85100 Les Sables-d'Olonne").unwrap();
        assert_eq!(a.street, "10000 route de la Mer");
        assert_eq!(a.postal_code.as_deref(), Some("85100"));
        assert_eq!(a.city.as_deref(), Some("Les Sables-d'Olonne"));
        // No code: the whole line is the street, nothing is guessed.
        let a = split_address("Rue Haute 12, 1000 Bruxelles").unwrap();
        assert_eq!(a.street, "Rue Haute 12, 1000 Bruxelles");
        assert_eq!((a.postal_code, a.city), (None, None));
        assert_eq!(split_address("  "), None);
    }
}
