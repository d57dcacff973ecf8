//! Sealing one credential: XChaCha20-Poly1305 (AEAD, 24-byte random nonce, so random nonces
//! never collide in practice) under the master key, with the organisation and the variable name
//! as associated data — a sealed value copied onto another row or organisation does not open.

use crate::credentials::key::{Keyring, MasterKey};
use anyhow::{anyhow, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use secrecy::SecretString;

/// A sealed value, as the store keeps it (hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub nonce: String,
    pub ciphertext: String,
}

fn associated_data(org: &str, name: &str) -> Vec<u8> {
    format!("releve credential v1\0{org}\0{name}").into_bytes()
}

fn cipher(key: &MasterKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(key.bytes()))
}

pub fn seal(key: &MasterKey, org: &str, name: &str, value: &str) -> Result<Sealed> {
    let mut nonce = [0u8; 24];
    getrandom::getrandom(&mut nonce)
        .map_err(|e| anyhow!("source d'aléa du système indisponible : {e}"))?;
    let aad = associated_data(org, name);
    let ciphertext = cipher(key)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: value.as_bytes(),
                aad: &aad,
            },
        )
        .map_err(|_| anyhow!("chiffrement de l'identifiant {name} impossible"))?;
    Ok(Sealed {
        key_id: key.id(),
        nonce: hex::encode(nonce),
        ciphertext: hex::encode(ciphertext),
    })
}

/// Opens a sealed value with the keyring's key of the same fingerprint; a missing key or a
/// value that does not open is a French error saying what to do.
pub fn open(ring: &Keyring, org: &str, name: &str, sealed: &Sealed) -> Result<SecretString> {
    let Some(key) = ring.by_id(&sealed.key_id) else {
        let known = ring.ids();
        let have = if known.is_empty() {
            format!(
                "aucune clé n'est disponible ({} est absent)",
                ring.source.describe()
            )
        } else {
            format!(
                "la clé de {} a l'empreinte {}",
                ring.source.describe(),
                known.join(", ")
            )
        };
        return Err(anyhow!(
            "identifiant {name} de « {org} » : il a été chiffré avec une autre clé maîtresse (empreinte {}) et {have}. \
             Remettez la clé d'origine (RELEVE_MASTER_KEY ou [secrets] key_file), ou enregistrez à nouveau cet \
             identifiant dans l'espace de travail (Administration → Identifiants).",
            sealed.key_id
        ));
    };
    let unreadable = || {
        anyhow!(
            "identifiant {name} de « {org} » illisible : la valeur chiffrée ne correspond pas à la clé {} \
             (altérée ?). Enregistrez-le à nouveau dans l'espace de travail (Administration → Identifiants).",
            sealed.key_id
        )
    };
    let nonce: [u8; 24] = hex::decode(&sealed.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(unreadable)?;
    let ciphertext = hex::decode(&sealed.ciphertext).map_err(|_| unreadable())?;
    let aad = associated_data(org, name);
    let plain = cipher(key)
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| unreadable())?;
    let text = String::from_utf8(plain).map_err(|_| unreadable())?;
    Ok(SecretString::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::key::KeySource;
    use secrecy::ExposeSecret;
    use std::path::PathBuf;

    fn ring(keys: Vec<MasterKey>) -> Keyring {
        Keyring {
            source: KeySource::File(PathBuf::from("/srv/releve/releve.key")),
            keys,
        }
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_their_row() {
        let key = MasterKey::generate().unwrap();
        let id = key.id();
        let sealed = seal(&key, "digues", "BW_KEY", "k3y-tres-secrete").unwrap();
        assert_eq!(sealed.key_id, id);
        assert!(!sealed.ciphertext.contains(&hex::encode("k3y-tres-secrete")));
        // Two seals of one value differ (random nonce).
        assert_ne!(
            seal(&key, "digues", "BW_KEY", "k3y-tres-secrete").unwrap(),
            sealed
        );
        let ring = ring(vec![key]);
        let value = open(&ring, "digues", "BW_KEY", &sealed).unwrap();
        assert_eq!(value.expose_secret(), "k3y-tres-secrete");
        // Moved to another variable or organisation: it does not open.
        let moved = open(&ring, "digues", "BW_USER", &sealed)
            .unwrap_err()
            .to_string();
        assert!(moved.contains("illisible"), "{moved}");
        assert!(open(&ring, "autre", "BW_KEY", &sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.ciphertext.replace_range(0..2, "00");
        if tampered.ciphertext == sealed.ciphertext {
            tampered.ciphertext.replace_range(0..2, "01");
        }
        assert!(open(&ring, "digues", "BW_KEY", &tampered).is_err());
    }

    #[test]
    fn a_wrong_key_is_a_clear_french_error() {
        let key = MasterKey::generate().unwrap();
        let sealed = seal(&key, "digues", "SIBIL_DIGUES_PASSWORD", "mot-de-passe").unwrap();
        let other = MasterKey::generate().unwrap();
        let other_id = other.id();
        let e = open(
            &ring(vec![other]),
            "digues",
            "SIBIL_DIGUES_PASSWORD",
            &sealed,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains(&format!(
                "identifiant SIBIL_DIGUES_PASSWORD de « digues » : il a été chiffré avec une autre clé maîtresse (empreinte {})",
                sealed.key_id
            )),
            "{e}"
        );
        assert!(
            e.contains(&format!(
                "le fichier /srv/releve/releve.key a l'empreinte {other_id}"
            )),
            "{e}"
        );
        assert!(e.contains("Remettez la clé d'origine"), "{e}");
        let none = open(&ring(vec![]), "digues", "SIBIL_DIGUES_PASSWORD", &sealed)
            .unwrap_err()
            .to_string();
        assert!(none.contains("aucune clé n'est disponible"), "{none}");
        assert!(!e.contains("mot-de-passe") && !none.contains("mot-de-passe"));
    }
}
