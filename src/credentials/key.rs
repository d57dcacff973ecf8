//! The master key and where it lives (`formats.md` §2 `[secrets]`).
//!
//! - `RELEVE_MASTER_KEY` (32 bytes, base64) wins; the key file is then not read at all.
//!   During a rotation `RELEVE_NEW_MASTER_KEY` is readable too.
//! - Otherwise `[secrets] key_file` (default `releve.key` beside the configuration): its first
//!   line is the current key (base64), further lines are earlier keys still readable — a
//!   rotation in progress, or a row stored under the old key while the rotation ran. The file
//!   is created, with mode 0600, the first time a credential is stored; reading never creates
//!   it. Rewrites are atomic (a temporary file in the same folder, synced, renamed).
//!
//! A key is named by its fingerprint ([`MasterKey::id`]): 16 hex digits of a SHA-256 over a
//! fixed label and the key, which says nothing of the key but tells which one sealed a row.

use anyhow::{anyhow, bail, Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const ENV: &str = "RELEVE_MASTER_KEY";
pub const NEW_ENV: &str = "RELEVE_NEW_MASTER_KEY";

/// 32 secret bytes. `Debug` shows only the fingerprint; the bytes are wiped on drop.
pub struct MasterKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

impl MasterKey {
    /// A new random key from the operating system.
    pub fn generate() -> Result<MasterKey> {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes)
            .map_err(|e| anyhow!("source d'aléa du système indisponible : {e}"))?;
        Ok(MasterKey { bytes })
    }

    /// A key written in base64 (32 bytes); `what` names where it came from, for the message.
    pub fn from_base64(text: &str, what: &str) -> Result<MasterKey> {
        let decoded = STANDARD.decode(text.trim()).map_err(|_| {
            anyhow!("{what} : la clé maîtresse doit être 32 octets encodés en base64 (par exemple `openssl rand -base64 32`)")
        })?;
        let bytes: [u8; 32] = decoded.as_slice().try_into().map_err(|_| {
            anyhow!(
                "{what} : la clé maîtresse doit faire 32 octets ({} lus) ; créez-en une avec `openssl rand -base64 32`",
                decoded.len()
            )
        })?;
        Ok(MasterKey { bytes })
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The key's fingerprint (16 hex digits).
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"releve master key id v1\0");
        h.update(self.bytes);
        hex::encode(&h.finalize()[..8])
    }
}

/// Where the keys come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    Env,
    File(PathBuf),
}

impl KeySource {
    /// `RELEVE_MASTER_KEY` when it is set, else the key file.
    pub fn resolve(key_file: &Path) -> KeySource {
        match std::env::var(ENV) {
            Ok(v) if !v.trim().is_empty() => KeySource::Env,
            _ => KeySource::File(key_file.to_path_buf()),
        }
    }

    /// In French, for messages.
    pub fn describe(&self) -> String {
        match self {
            KeySource::Env => format!("la variable {ENV}"),
            KeySource::File(p) => format!("le fichier {}", p.display()),
        }
    }
}

/// The keys that can open stored credentials; the first one seals new ones.
#[derive(Debug)]
pub struct Keyring {
    pub source: KeySource,
    /// Current key first; empty when there is no key yet (no key file, no variable).
    pub keys: Vec<MasterKey>,
}

impl Keyring {
    /// Reads the keys without creating anything.
    pub fn load(key_file: &Path) -> Result<Keyring> {
        let source = KeySource::resolve(key_file);
        let keys = match &source {
            KeySource::Env => {
                let mut keys = vec![MasterKey::from_base64(
                    &std::env::var(ENV).unwrap_or_default(),
                    ENV,
                )?];
                if let Ok(v) = std::env::var(NEW_ENV) {
                    if !v.trim().is_empty() {
                        keys.push(MasterKey::from_base64(&v, NEW_ENV)?);
                    }
                }
                keys
            }
            KeySource::File(path) => read_key_file(path)?,
        };
        Ok(Keyring { source, keys })
    }

    /// Reads the keys, creating the key file (mode 0600) with a new key when there is none.
    pub fn load_or_create(key_file: &Path) -> Result<Keyring> {
        let mut ring = Keyring::load(key_file)?;
        if ring.keys.is_empty() {
            if let KeySource::File(path) = &ring.source {
                let key = MasterKey::generate()?;
                create_key_file(path, &key)?;
                tracing::info!(key_id = %key.id(), "master key file created");
                ring.keys.push(key);
            }
        }
        Ok(ring)
    }

    pub fn current(&self) -> Option<&MasterKey> {
        self.keys.first()
    }

    pub fn by_id(&self, id: &str) -> Option<&MasterKey> {
        self.keys.iter().find(|k| k.id() == id)
    }

    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(MasterKey::id).collect()
    }
}

fn read_key_file(path: &Path) -> Result<Vec<MasterKey>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e).with_context(|| {
                format!("clé maîtresse : lecture de {} impossible", path.display())
            })
        }
    };
    let what = format!("clé maîtresse {}", path.display());
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| MasterKey::from_base64(l, &what))
        .collect()
}

/// Creates the key file with mode 0600; refuses to overwrite one that appeared meanwhile.
fn create_key_file(path: &Path, key: &MasterKey) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "clé maîtresse : dossier {} impossible à créer",
                dir.display()
            )
        })?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("clé maîtresse : création de {} impossible", path.display()))?;
    writeln!(file, "{}", key.to_base64())?;
    file.sync_all()?;
    sync_dir(path);
    Ok(())
}

/// Replaces the key file atomically by these keys (current first), mode 0600.
pub fn write_key_file(path: &Path, keys: &[&MasterKey]) -> Result<()> {
    if keys.is_empty() {
        bail!("clé maîtresse : aucune clé à écrire");
    }
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    // tempfile creates the file with mode 0600 on Unix.
    let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!(
            "clé maîtresse : fichier temporaire dans {} impossible",
            dir.display()
        )
    })?;
    for k in keys {
        writeln!(temp, "{}", k.to_base64())?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| {
        anyhow!(
            "clé maîtresse : remplacement de {} impossible : {}",
            path.display(),
            e.error
        )
    })?;
    sync_dir(path);
    Ok(())
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_32_bytes_of_base64_and_named_by_its_fingerprint() {
        let k = MasterKey::from_base64(&STANDARD.encode([7u8; 32]), "test").unwrap();
        assert_eq!(k.id().len(), 16);
        assert_eq!(
            k.id(),
            MasterKey::from_base64(&k.to_base64(), "x").unwrap().id()
        );
        assert_ne!(k.id(), MasterKey::generate().unwrap().id());
        let short = MasterKey::from_base64(&STANDARD.encode([7u8; 16]), "RELEVE_MASTER_KEY")
            .unwrap_err()
            .to_string();
        assert!(short.contains("32 octets (16 lus)"), "{short}");
        let bad = MasterKey::from_base64("pas de la base64 !", "X")
            .unwrap_err()
            .to_string();
        assert!(bad.contains("encodés en base64"), "{bad}");
        assert!(!format!("{k:?}").contains(&k.to_base64()));
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_once_with_mode_0600_and_rewritten_atomically() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("releve.key");
        assert!(
            read_key_file(&path).unwrap().is_empty(),
            "reading creates nothing"
        );
        assert!(!path.exists());
        let key = MasterKey::generate().unwrap();
        create_key_file(&path, &key).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(create_key_file(&path, &MasterKey::generate().unwrap()).is_err());
        let other = MasterKey::generate().unwrap();
        write_key_file(&path, &[&other, &key]).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let ids: Vec<String> = read_key_file(&path)
            .unwrap()
            .iter()
            .map(MasterKey::id)
            .collect();
        assert_eq!(ids, vec![other.id(), key.id()]);
    }
}
