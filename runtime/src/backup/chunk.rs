//! Chunk files: the rows of one token range, each cell's bytes as the
//! cluster sent them, compressed with zstd and checked with SHA-256.
//!
//! Layout before compression: `CORMCHK1`, the cells per row (u32) and the
//! rows (u64), then per row and cell a flag (0 null, 1 a value) and, for
//! a value, its length (u32) and bytes. Integers are big-endian.

use scylla::deserialize::DeserializationError;
use scylla::deserialize::TypeCheckError;
use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::frame::response::result::ColumnSpec;
use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"CORMCHK1";
/// zstd's level: its default, a good ratio at hundreds of MB/s.
const LEVEL: i32 = 3;

/// A row's cells, as sent.
pub(super) type Cells = Vec<Option<Vec<u8>>>;

/// A row read with every column's bytes kept as sent.
pub(super) struct RawRow(pub Cells);

impl<'f, 'm> DeserializeRow<'f, 'm> for RawRow {
    fn type_check(_specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        Ok(())
    }

    fn deserialize(row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        let mut cells = Vec::with_capacity(row.columns_remaining());
        for column in row {
            cells.push(column?.slice.map(|slice| slice.as_slice().to_vec()));
        }
        Ok(Self(cells))
    }
}

/// `rows` (of `width` cells each) as a compressed chunk, and its SHA-256.
pub(super) fn encode(rows: &[Cells], width: usize) -> std::io::Result<(Vec<u8>, String)> {
    let mut plain = Vec::with_capacity(rows.len() * width * 8 + 20);
    plain.extend_from_slice(MAGIC);
    plain.extend_from_slice(&u32::try_from(width).unwrap_or(u32::MAX).to_be_bytes());
    plain.extend_from_slice(&(rows.len() as u64).to_be_bytes());
    for row in rows {
        for cell in row {
            match cell {
                None => plain.push(0),
                Some(bytes) => {
                    plain.push(1);
                    plain.extend_from_slice(
                        &u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes(),
                    );
                    plain.extend_from_slice(bytes);
                }
            }
        }
    }
    let compressed = zstd::bulk::compress(&plain, LEVEL)?;
    let digest = sha256(&compressed);
    Ok((compressed, digest))
}

/// The SHA-256 of `bytes`, in hex.
pub(super) fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The rows of a compressed chunk; why not, when it does not read.
pub(super) fn decode(compressed: &[u8]) -> Result<(usize, Vec<Cells>), String> {
    let plain = zstd::stream::decode_all(compressed)
        .map_err(|error| format!("does not decompress: {error}"))?;
    let mut at = 0;
    let mut take = |n: usize| -> Result<&[u8], String> {
        let slice = plain
            .get(at..at + n)
            .ok_or_else(|| "ends early".to_owned())?;
        at += n;
        Ok(slice)
    };
    if take(8)? != MAGIC {
        return Err("is not a corm chunk".to_owned());
    }
    let width = u32::from_be_bytes(take(4)?.try_into().map_err(|_| "ends early")?) as usize;
    let count = u64::from_be_bytes(take(8)?.try_into().map_err(|_| "ends early")?);
    let mut rows = Vec::new();
    for _ in 0..count {
        let mut row = Vec::with_capacity(width);
        for _ in 0..width {
            match take(1)?[0] {
                0 => row.push(None),
                1 => {
                    let len =
                        u32::from_be_bytes(take(4)?.try_into().map_err(|_| "ends early")?) as usize;
                    row.push(Some(take(len)?.to_vec()));
                }
                flag => return Err(format!("has a cell flag {flag}")),
            }
        }
        rows.push(row);
    }
    if at != plain.len() {
        return Err("has bytes after its last row".to_owned());
    }
    Ok((width, rows))
}
