//! Which query parameter carries the Shotgun token.
//!
//! Tokens issued from 1 July 2025 (JWT `iat` ≥ 1751320800, i.e. 2025-07-01 00:00 Paris) go
//! as `key=…`; older ones as `token=…` (the pilot decodes the JWT the same way). A token that
//! is not a readable JWT is sent as `key`, the current form.

/// 2025-07-01T00:00:00+02:00.
pub const KEY_PARAM_SINCE: i64 = 1_751_320_800;

/// `"key"` or `"token"`.
pub fn token_param(token: &str) -> &'static str {
    match jwt_issued_at(token) {
        Some(iat) if iat < KEY_PARAM_SINCE => "token",
        _ => "key",
    }
}

/// The `iat` claim of a JWT, without checking the signature (we only route the token).
pub fn jwt_issued_at(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64url_decode(payload)?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("iat")?.as_i64()
}

/// Base64url without padding (RFC 4648 §5), as JWT segments are encoded.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Header {"alg":"HS256","typ":"JWT"}; payloads below encoded by hand-checked tooling.
    const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

    fn jwt(payload_json: &str) -> String {
        format!("{HEADER}.{}.sig", encode(payload_json.as_bytes()))
    }

    fn encode(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().fold(0u32, |a, b| (a << 8) | *b as u32) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        s
    }

    #[test]
    fn decodes_the_header_segment() {
        assert_eq!(
            base64url_decode(HEADER).unwrap(),
            br#"{"alg":"HS256","typ":"JWT"}"#
        );
    }

    #[test]
    fn old_tokens_use_token_new_ones_key() {
        // 1751320799 = one second before 2025-07-01 00:00 Paris.
        assert_eq!(
            token_param(&jwt(r#"{"iat":1751320799,"organizer":1}"#)),
            "token"
        );
        assert_eq!(token_param(&jwt(r#"{"iat":1751320800}"#)), "key");
        assert_eq!(
            jwt_issued_at(&jwt(r#"{"iat":1700000000}"#)),
            Some(1_700_000_000)
        );
        // Not a JWT, or no iat: the current form.
        assert_eq!(token_param("plain-opaque-token"), "key");
        assert_eq!(token_param(&jwt(r#"{"sub":"x"}"#)), "key");
    }
}
