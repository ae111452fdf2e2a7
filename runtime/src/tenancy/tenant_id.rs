//! [`TenantId`]: a tenant's name, checked to make a keyspace name.

use std::fmt;

/// The longest keyspace name Cassandra accepts.
pub(crate) const MAX_KEYSPACE: usize = 48;

/// A tenant's name: lowercase ASCII letters, digits and `_`, starting with
/// a letter, at most 32 characters, so that `<keyspace>_<tenant>` is a
/// keyspace name Cassandra accepts (the registry checks the whole name's
/// length).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TenantId(String);

/// A tenant name that can't name a keyspace.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("tenant `{name}`: {problem}")]
pub struct InvalidTenantId {
    /// The name given.
    pub name: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl TenantId {
    /// `name` as a tenant id.
    ///
    /// ```
    /// use corm::tenancy::TenantId;
    /// assert_eq!(TenantId::new("acme_2").unwrap().as_str(), "acme_2");
    /// assert!(TenantId::new("Acme").is_err());
    /// assert!(TenantId::new("2acme").is_err());
    /// assert!(TenantId::new("").is_err());
    /// ```
    ///
    /// # Errors
    /// [`InvalidTenantId`] saying what is wrong.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidTenantId> {
        let name = name.into();
        let problem = if name.is_empty() {
            Some("a tenant name is not empty")
        } else if name.len() > 32 {
            Some("a tenant name has at most 32 characters")
        } else if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            Some("a tenant name starts with a lowercase letter")
        } else if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            Some("a tenant name has lowercase ASCII letters, digits and `_` only")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(InvalidTenantId { name, problem }),
            None => Ok(Self(name)),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
