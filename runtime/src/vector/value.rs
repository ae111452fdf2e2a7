//! [`Vector<N>`]: a `vector<float, N>` value whose dimension is part of its
//! type, so a vector of the wrong length does not compile.

use std::fmt;

use scylla::cluster::metadata::ColumnType;
use scylla::deserialize::value::{DeserializeValue, VectorIterator};
use scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
use scylla::serialize::SerializationError;
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::{CellWriter, WrittenCellProof};

/// A `vector<float, N>`: `N` components of `f32`, `N` known to the
/// compiler. Build one from an array (`Vector::from([0.1, 0.2, 0.3])`) or,
/// checking the length, from a slice or `Vec` (`Vector::try_from(vec)`).
///
/// ```
/// let v: corm::Vector<3> = corm::Vector::from([1.0, 2.0, 3.0]);
/// assert_eq!(v.len(), 3);
/// ```
///
/// A vector of another length is a type error:
///
/// ```compile_fail
/// let v: corm::Vector<3> = corm::Vector::from([1.0, 2.0]);
/// ```
///
/// Writes of a vector-indexed field refuse NaN and infinite components,
/// and, under cosine similarity, the zero vector (see
/// [`Violations::vector`](crate::validate::Violations::vector)); this
/// type itself holds any `f32`s, as what is stored may.
#[derive(Clone, Copy, PartialEq)]
pub struct Vector<const N: usize>(pub [f32; N]);

impl<const N: usize> Vector<N> {
    /// The vector of `components`.
    #[must_use]
    pub const fn new(components: [f32; N]) -> Self {
        Self(components)
    }

    /// Its components.
    #[must_use]
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// Its components, by value.
    #[must_use]
    pub const fn into_array(self) -> [f32; N] {
        self.0
    }

    /// The index of the first component that is NaN or infinite.
    #[must_use]
    pub fn first_non_finite(&self) -> Option<usize> {
        self.0.iter().position(|component| !component.is_finite())
    }

    /// Whether every component is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|component| *component == 0.0)
    }
}

impl<const N: usize> Default for Vector<N> {
    fn default() -> Self {
        Self([0.0; N])
    }
}

impl<const N: usize> fmt::Debug for Vector<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<const N: usize> std::ops::Deref for Vector<N> {
    type Target = [f32; N];

    fn deref(&self) -> &[f32; N] {
        &self.0
    }
}

impl<const N: usize> AsRef<[f32]> for Vector<N> {
    fn as_ref(&self) -> &[f32] {
        &self.0
    }
}

impl<const N: usize> From<[f32; N]> for Vector<N> {
    fn from(components: [f32; N]) -> Self {
        Self(components)
    }
}

impl<const N: usize> From<Vector<N>> for [f32; N] {
    fn from(vector: Vector<N>) -> Self {
        vector.0
    }
}

impl<const N: usize> From<Vector<N>> for Vec<f32> {
    fn from(vector: Vector<N>) -> Self {
        vector.0.to_vec()
    }
}

/// A slice or `Vec` whose length is not the vector's dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a vector<float, {expected}> needs {expected} components, not {found}")]
pub struct DimensionError {
    /// The dimension of the vector type.
    pub expected: usize,
    /// How many components were given.
    pub found: usize,
}

impl<const N: usize> TryFrom<&[f32]> for Vector<N> {
    type Error = DimensionError;

    fn try_from(components: &[f32]) -> Result<Self, DimensionError> {
        <[f32; N]>::try_from(components)
            .map(Self)
            .map_err(|_| DimensionError {
                expected: N,
                found: components.len(),
            })
    }
}

impl<const N: usize> TryFrom<Vec<f32>> for Vector<N> {
    type Error = DimensionError;

    fn try_from(components: Vec<f32>) -> Result<Self, DimensionError> {
        Self::try_from(components.as_slice())
    }
}

impl<const N: usize> SerializeValue for Vector<N> {
    fn serialize<'b>(
        &self,
        typ: &ColumnType,
        writer: CellWriter<'b>,
    ) -> Result<WrittenCellProof<'b>, SerializationError> {
        // The driver's slice codec writes a `vector` column (and checks
        // its dimension against the column's).
        <[f32] as SerializeValue>::serialize(self.0.as_slice(), typ, writer)
    }
}

impl<'frame, 'metadata, const N: usize> DeserializeValue<'frame, 'metadata> for Vector<N> {
    fn type_check(typ: &ColumnType) -> Result<(), TypeCheckError> {
        VectorIterator::<'frame, 'metadata, f32>::type_check(typ)?;
        match typ {
            ColumnType::Vector { dimensions, .. } if usize::from(*dimensions) == N => Ok(()),
            _ => Err(TypeCheckError::new(DimensionMismatch {
                expected: N,
                column: format!("{typ:?}"),
            })),
        }
    }

    fn deserialize(
        typ: &'metadata ColumnType<'metadata>,
        v: Option<FrameSlice<'frame>>,
    ) -> Result<Self, DeserializationError> {
        let components = VectorIterator::<'frame, 'metadata, f32>::deserialize(typ, v)?;
        let mut vector = [0.0; N];
        let mut found = 0;
        for component in components {
            let slot = vector.get_mut(found).ok_or_else(|| {
                DeserializationError::new(DimensionError {
                    expected: N,
                    found: found + 1,
                })
            })?;
            *slot = component?;
            found += 1;
        }
        if found != N {
            return Err(DeserializationError::new(DimensionError {
                expected: N,
                found,
            }));
        }
        Ok(Self(vector))
    }
}

/// A column that is not a `vector<float, N>` of this `N`.
#[derive(Debug, thiserror::Error)]
#[error("the column is {column}, not vector<float, {expected}>")]
struct DimensionMismatch {
    expected: usize,
    column: String,
}

impl<const N: usize> serde::Serialize for Vector<N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl<'de, const N: usize> serde::Deserialize<'de> for Vector<N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let components = <Vec<f32> as serde::Deserialize>::deserialize(deserializer)?;
        Self::try_from(components).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{DimensionError, Vector};

    #[test]
    fn lengths_are_checked_where_the_compiler_can_not() {
        let three = Vector::<3>::try_from(vec![1.0, 2.0, 3.0]).unwrap_or_default();
        assert_eq!(three.as_slice(), [1.0, 2.0, 3.0]);
        assert_eq!(
            Vector::<3>::try_from(&[1.0_f32, 2.0][..]),
            Err(DimensionError {
                expected: 3,
                found: 2
            })
        );
    }

    #[test]
    fn json_is_an_array_of_the_right_length() {
        let vector = Vector::from([0.5, -1.0]);
        let json = serde_json::to_string(&vector).unwrap_or_default();
        assert_eq!(json, "[0.5,-1.0]");
        assert_eq!(serde_json::from_str::<Vector<2>>(&json).ok(), Some(vector));
        let error = serde_json::from_str::<Vector<3>>(&json)
            .err()
            .map(|error| error.to_string());
        assert!(error.is_some_and(|error| error.contains("needs 3 components, not 2")));
    }

    #[test]
    fn finiteness_and_zero_are_visible() {
        assert_eq!(Vector::from([1.0, f32::NAN]).first_non_finite(), Some(1));
        assert!(Vector::<4>::default().is_zero());
        assert!(!Vector::from([0.0, 1e-30]).is_zero());
    }
}
