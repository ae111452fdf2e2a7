//! Cursors: where a page resumes (the driver's paging state, and how many
//! rows of that page to skip) for one query and its arguments, signed so
//! that a cursor a client forged or took from another query is refused,
//! never sent to the database.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The first byte of every cursor: its layout.
const VERSION: u8 = 1;
/// Bytes of the signature kept (128 bits).
const SIGNATURE: usize = 16;

/// Where a page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    /// The driver's paging state; `None` for the first page.
    pub token: Option<Vec<u8>>,
    /// Rows of that page already seen.
    pub skip: u32,
}

/// Signs and opens cursors under one key.
#[derive(Clone)]
pub(crate) struct Cursors {
    key: [u8; 32],
}

impl std::fmt::Debug for Cursors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cursors")
    }
}

impl Cursors {
    pub(crate) fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// The MAC of `payload` for the query `identity`, fed and ready to
    /// finish or verify; `None` only if the key did not fit, which a
    /// 32-byte key always does.
    fn mac(&self, identity: &[u8], payload: &[u8]) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).ok()?;
        let length = u64::try_from(identity.len()).unwrap_or(u64::MAX);
        mac.update(&length.to_be_bytes());
        mac.update(identity);
        mac.update(payload);
        Some(mac)
    }

    /// The signature of `payload` for the query `identity`.
    fn sign(&self, identity: &[u8], payload: &[u8]) -> [u8; SIGNATURE] {
        let mut signature = [0; SIGNATURE];
        if let Some(mac) = self.mac(identity, payload) {
            signature.copy_from_slice(&mac.finalize().into_bytes()[..SIGNATURE]);
        }
        signature
    }

    /// The cursor of `position` in the query `identity`.
    pub(crate) fn encode(&self, identity: &[u8], position: &Position) -> String {
        let token = position.token.as_deref().unwrap_or_default();
        let mut payload = Vec::with_capacity(9 + token.len() + SIGNATURE);
        payload.push(VERSION);
        payload.extend_from_slice(&position.skip.to_be_bytes());
        payload.push(u8::from(position.token.is_some()));
        payload.extend_from_slice(token);
        let signature = self.sign(identity, &payload);
        payload.extend_from_slice(&signature);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload)
    }

    /// The position of `cursor`, if this key signed it for `identity`.
    pub(crate) fn decode(&self, identity: &[u8], cursor: &str) -> Result<Position, &'static str> {
        const FORGED: &str = "not a cursor this server issued for this query and its arguments";
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| FORGED)?;
        if bytes.len() < 6 + SIGNATURE {
            return Err(FORGED);
        }
        let (payload, signature) = bytes.split_at(bytes.len() - SIGNATURE);
        self.mac(identity, payload)
            .ok_or(FORGED)?
            .verify_truncated_left(signature)
            .map_err(|_| FORGED)?;
        if payload[0] != VERSION {
            return Err(FORGED);
        }
        let skip = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
        let token = (payload[5] == 1).then(|| payload[6..].to_vec());
        Ok(Position { token, skip })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_open_only_for_their_query_and_key() {
        let cursors = Cursors::new([7; 32]);
        let position = Position {
            token: Some(vec![1, 2, 3]),
            skip: 5,
        };
        let cursor = cursors.encode(b"orders\0a", &position);
        assert_eq!(cursors.decode(b"orders\0a", &cursor), Ok(position));
        assert!(cursors.decode(b"orders\0b", &cursor).is_err());
        assert!(Cursors::new([8; 32]).decode(b"orders\0a", &cursor).is_err());
        let mut forged = cursor.into_bytes();
        let last = forged.len() - 3;
        forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap_or_default();
        assert!(cursors.decode(b"orders\0a", &forged).is_err());
        for junk in ["", "!!!", "AAAA", "abc"] {
            assert!(cursors.decode(b"orders\0a", junk).is_err());
        }
        let first = Position {
            token: None,
            skip: 0,
        };
        let cursor = cursors.encode(b"x", &first);
        assert_eq!(cursors.decode(b"x", &cursor), Ok(first));
    }
}
