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

/// A row read with every column's bytes kept as sent, already in the
/// chunk's layout (a flag, a length and the bytes per cell): one buffer
/// per row, and a chunk is their concatenation.
pub(super) struct RawRow(Vec<u8>);

impl<'f, 'm> DeserializeRow<'f, 'm> for RawRow {
    fn type_check(_specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        Ok(())
    }

    fn deserialize(row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        let mut encoded = Vec::with_capacity(row.columns_remaining() * 12);
        for column in row {
            match column?.slice {
                None => encoded.push(0),
                Some(slice) => {
                    let bytes = slice.as_slice();
                    // A frame's value is at most i32::MAX bytes long.
                    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                    encoded.push(1);
                    encoded.extend_from_slice(&len.to_be_bytes());
                    encoded.extend_from_slice(bytes);
                }
            }
        }
        Ok(Self(encoded))
    }
}

/// `rows` (of `width` cells each) as a compressed chunk, and its SHA-256.
pub(super) fn encode(rows: &[RawRow], width: usize) -> std::io::Result<(Vec<u8>, String)> {
    let size: usize = rows.iter().map(|row| row.0.len()).sum();
    let mut plain = Vec::with_capacity(size + 20);
    plain.extend_from_slice(MAGIC);
    plain.extend_from_slice(&u32::try_from(width).unwrap_or(u32::MAX).to_be_bytes());
    plain.extend_from_slice(&(rows.len() as u64).to_be_bytes());
    for row in rows {
        plain.extend_from_slice(&row.0);
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

/// A chunk's bytes after decompression.
pub(super) struct Plain(Vec<u8>);

/// The cells of a chunk's rows, `width` to a row, borrowed from its
/// [`Plain`] bytes (no copy of a cell).
pub(super) struct ChunkRows<'p> {
    width: usize,
    cells: Vec<Option<&'p [u8]>>,
}

impl ChunkRows<'_> {
    /// Cells per row.
    pub(super) fn width(&self) -> usize {
        self.width
    }

    /// How many rows.
    pub(super) fn len(&self) -> usize {
        self.cells.len() / self.width
    }

    /// Each row's cells.
    pub(super) fn rows(&self) -> std::slice::ChunksExact<'_, Option<&[u8]>> {
        self.cells.chunks_exact(self.width)
    }
}

/// A compressed chunk's bytes decompressed; why not, when they do not.
pub(super) fn decompress(compressed: &[u8]) -> Result<Plain, String> {
    zstd::stream::decode_all(compressed)
        .map(Plain)
        .map_err(|error| format!("does not decompress: {error}"))
}

impl Plain {
    /// The rows; why not, when they do not read.
    pub(super) fn rows(&self) -> Result<ChunkRows<'_>, String> {
        let plain = &self.0;
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
        if width == 0 {
            return Err("has rows of no cells".to_owned());
        }
        // Every cell takes at least its flag's byte: a count beyond that
        // is caught below without reserving for it.
        let cells_expected = usize::try_from(count)
            .unwrap_or(usize::MAX)
            .saturating_mul(width);
        let mut cells = Vec::with_capacity(cells_expected.min(plain.len()));
        for _ in 0..cells_expected {
            match take(1)?[0] {
                0 => cells.push(None),
                1 => {
                    let len =
                        u32::from_be_bytes(take(4)?.try_into().map_err(|_| "ends early")?) as usize;
                    cells.push(Some(take(len)?));
                }
                flag => return Err(format!("has a cell flag {flag}")),
            }
        }
        if at != plain.len() {
            return Err("has bytes after its last row".to_owned());
        }
        Ok(ChunkRows { width, cells })
    }
}

#[cfg(test)]
mod tests {
    use super::{MAGIC, RawRow, decompress, encode};

    /// A row in the chunk's layout.
    fn row(cells: &[Option<&[u8]>]) -> RawRow {
        let mut encoded = Vec::new();
        for cell in cells {
            match cell {
                None => encoded.push(0),
                Some(bytes) => {
                    encoded.push(1);
                    encoded.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
                    encoded.extend_from_slice(bytes);
                }
            }
        }
        RawRow(encoded)
    }

    /// A chunk of `plain` bytes, compressed.
    fn compressed(plain: &[u8]) -> Vec<u8> {
        zstd::bulk::compress(plain, 3).expect("compresses")
    }

    #[test]
    fn rows_come_back_cell_for_cell() {
        let rows = [
            row(&[Some(b"a"), None, Some(b"")]),
            row(&[None, Some(&[0, 1, 2, 255]), Some(b"xyz")]),
        ];
        let (bytes, digest) = encode(&rows, 3).expect("encodes");
        assert_eq!(digest.len(), 64);
        let plain = decompress(&bytes).expect("decompresses");
        let read = plain.rows().expect("reads");
        assert_eq!((read.width(), read.len()), (3, 2));
        let cells: Vec<&[Option<&[u8]>]> = read.rows().collect();
        assert_eq!(cells[0], &[Some(&b"a"[..]), None, Some(&b""[..])]);
        assert_eq!(
            cells[1],
            &[None, Some(&[0, 1, 2, 255][..]), Some(&b"xyz"[..])]
        );
    }

    #[test]
    fn damaged_chunks_say_what_is_wrong() {
        let header = |width: u32, count: u64| {
            let mut plain = MAGIC.to_vec();
            plain.extend_from_slice(&width.to_be_bytes());
            plain.extend_from_slice(&count.to_be_bytes());
            plain
        };
        let problem = |plain: &[u8]| match decompress(&compressed(plain)) {
            Ok(plain) => plain.rows().err().unwrap_or_default(),
            Err(problem) => problem,
        };
        assert_eq!(problem(b"CORMCHK"), "ends early");
        assert_eq!(problem(b"NOTACHUNK-----------"), "is not a corm chunk");
        assert_eq!(problem(&header(0, 5)), "has rows of no cells");
        // A count far beyond the bytes reserves nothing for it.
        assert_eq!(problem(&header(2, u64::MAX)), "ends early");
        let mut flagged = header(1, 1);
        flagged.push(7);
        assert_eq!(problem(&flagged), "has a cell flag 7");
        let mut long = header(1, 1);
        long.extend_from_slice(&[1, 0, 0, 0, 9, 1]);
        assert_eq!(problem(&long), "ends early");
        let mut trailing = header(1, 1);
        trailing.extend_from_slice(&[0, 0]);
        assert_eq!(problem(&trailing), "has bytes after its last row");
        assert!(
            decompress(b"not zstd at all")
                .err()
                .is_some_and(|problem| problem.starts_with("does not decompress"))
        );
    }
}
