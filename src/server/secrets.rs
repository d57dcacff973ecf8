//! Random secrets and their hashes: passwords (argon2id, PHC strings), session and API tokens
//! (random, shown once, stored as SHA-256), CSRF tokens. Nothing here is ever logged.

use anyhow::{anyhow, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// `len` random bytes from the operating system, hex-encoded.
pub fn random_hex(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow!("source d'aléa du système indisponible : {e}"))?;
    Ok(hex::encode(bytes))
}

/// A new API token: `rlv_` and 48 hex digits (192 random bits).
pub fn new_api_token() -> Result<String> {
    Ok(format!("rlv_{}", random_hex(24)?))
}

/// A generated password of 20 characters without look-alikes (about 110 bits).
pub fn new_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow!("source d'aléa du système indisponible : {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// The SHA-256 of a token, as stored. Tokens are long random strings, so a fast hash is
/// enough (a password needs argon2 because people choose guessable ones).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An argon2id hash of a password, in PHC format (salt and parameters included).
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| anyhow!("source d'aléa du système indisponible : {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow!("sel du mot de passe : {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hachage du mot de passe impossible : {e}"))
}

/// Whether `password` matches a stored PHC hash (a malformed hash never matches).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Password checks of the server that run at the same time. Each argon2id check works in
/// 19 MiB of memory (the crate's default cost) and keeps a core busy: measured with
/// `benches/server_load.rs`, 50 people signing in at once took the server to 869 MB of
/// resident memory, never given back (10 at once: 127 MB). Two at a time keep the work
/// bounded and leave the other requests flowing; the rest wait their turn.
const CONCURRENT_PASSWORD_CHECKS: usize = 2;

/// Why the memory was never given back: glibc serves a large allocation with its own mapping,
/// returned to the system when freed, but it raises that threshold to the size of each such
/// block freed; from the second check on, argon2's 19 MiB blocks came from the heap, which
/// fragments and keeps them (412 MB with two checks at a time). A fixed threshold of 4 MiB
/// keeps every large block a mapping of its own: 50 sign-ins at once then peak at 71 MB and
/// end at 33 MB. Set once, for the whole process (other large buffers gain from it too).
fn large_blocks_are_given_back() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: mallopt only changes an allocator setting; called once, before the blocks
        // it concerns are allocated by this code.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
        }
    });
}

/// [`verify_password`] for the server: at most [`CONCURRENT_PASSWORD_CHECKS`] at once, on a
/// blocking thread so that the runtime's workers keep answering other requests meanwhile.
pub async fn verify_password_queued(password: &str, phc: &str) -> bool {
    static CHECKS: tokio::sync::Semaphore =
        tokio::sync::Semaphore::const_new(CONCURRENT_PASSWORD_CHECKS);
    large_blocks_are_given_back();
    let Ok(_turn) = CHECKS.acquire().await else {
        return false;
    };
    let (password, phc) = (password.to_string(), phc.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .unwrap_or(false)
}

/// A password a person may choose: 10 characters at least.
pub fn check_password_strength(password: &str) -> Result<()> {
    if password.chars().count() < 10 {
        anyhow::bail!("le mot de passe doit compter au moins 10 caractères");
    }
    Ok(())
}

/// Constant-time comparison of two tokens (CSRF), so that timing tells nothing.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterie", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_api_token().unwrap();
        let b = new_api_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 48);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(new_password().unwrap().len(), 20);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("ab", "abc"));
        assert!(check_password_strength("court").is_err());
    }
}
