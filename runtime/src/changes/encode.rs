//! Values as a change stores them: serialized for the columns they bind,
//! as `[length][bytes]` cells (the layout of a CQL row).

use scylla::frame::response::result::ColumnSpec;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;

use crate::{Error, Result};

/// `values` serialized for the markers `specs` of `statement` (named in
/// the error).
pub(crate) fn cells(
    values: &(impl SerializeRow + ?Sized),
    specs: &[ColumnSpec<'_>],
    statement: &str,
) -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    let mut writer = RowWriter::new(&mut buffer);
    values
        .serialize(&RowSerializationContext::from_specs(specs), &mut writer)
        .map_err(|error| Error::Unbound {
            statement: statement.to_owned(),
            problem: error.to_string(),
        })?;
    Ok(buffer)
}

/// The first `count` cells of `cells` (a key's partition key columns), or
/// all of them when there are fewer.
pub(crate) fn leading_cells(cells: &[u8], count: usize) -> &[u8] {
    let mut end = 0;
    for _ in 0..count {
        let Some(length) = cells.get(end..end + 4) else {
            break;
        };
        let length = i32::from_be_bytes([length[0], length[1], length[2], length[3]]);
        end += 4 + usize::try_from(length).unwrap_or(0);
    }
    &cells[..end.min(cells.len())]
}

/// How many values `condition` (`a = ? AND b = ?`) binds.
pub(crate) fn markers_in(condition: &str) -> usize {
    condition.matches('?').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leading_cells_are_whole_cells() {
        let cells = [0, 0, 0, 2, 7, 7, 255, 255, 255, 255, 0, 0, 0, 1, 9];
        assert_eq!(leading_cells(&cells, 1), &cells[..6]);
        assert_eq!(leading_cells(&cells, 2), &cells[..10]);
        assert_eq!(leading_cells(&cells, 3), &cells[..]);
        assert_eq!(leading_cells(&cells, 4), &cells[..]);
        assert_eq!(leading_cells(&[0, 0], 1), &[] as &[u8]);
    }
}
