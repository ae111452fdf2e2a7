//! The keyspace of a schema: its name, replication and `durable_writes`.

use std::collections::BTreeMap;

use super::ident::Ident;

/// A keyspace definition (`create keyspace … with replication = {…}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyspaceDef {
    /// The keyspace name.
    pub name: Ident,
    /// How the keyspace is replicated.
    pub replication: Replication,
    /// `durable_writes` (Cassandra's default is `true`).
    pub durable_writes: bool,
}

/// A replication strategy with its factors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replication {
    /// `SimpleStrategy` with a `replication_factor`.
    Simple {
        /// The number of replicas.
        replication_factor: u32,
    },
    /// `NetworkTopologyStrategy`: replicas per data centre (a
    /// `replication_factor` entry, which Cassandra expands to every data
    /// centre, is kept under that key).
    NetworkTopology {
        /// Data centre name to number of replicas.
        data_centers: BTreeMap<String, u32>,
    },
}

/// The full class names Cassandra accepts for the replication strategies.
const STRATEGY_PACKAGE: &str = "org.apache.cassandra.locator.";

impl Replication {
    /// Reads a replication map (`{'class': 'SimpleStrategy',
    /// 'replication_factor': 3}`), with its values as text.
    ///
    /// # Errors
    /// A human message when the class is missing or unknown, or a factor is
    /// not a whole number.
    pub fn from_map(map: &BTreeMap<String, String>) -> Result<Self, String> {
        let class = map
            .get("class")
            .ok_or_else(|| "the replication map needs a `'class'` entry".to_owned())?;
        let short = class.strip_prefix(STRATEGY_PACKAGE).unwrap_or(class);
        let factor = |key: &str, value: &str| -> Result<u32, String> {
            value.trim().parse::<u32>().map_err(|_| {
                format!("replication factor `{key}` must be a whole number, found `{value}`")
            })
        };
        match short {
            "SimpleStrategy" => {
                let mut rf = None;
                for (key, value) in map {
                    match key.as_str() {
                        "class" => {}
                        "replication_factor" => rf = Some(factor(key, value)?),
                        other => {
                            return Err(format!(
                                "unknown option `{other}` for SimpleStrategy (it takes `replication_factor`)"
                            ));
                        }
                    }
                }
                let replication_factor =
                    rf.ok_or_else(|| "SimpleStrategy needs a `'replication_factor'`".to_owned())?;
                Ok(Self::Simple { replication_factor })
            }
            "NetworkTopologyStrategy" => {
                let mut data_centers = BTreeMap::new();
                for (key, value) in map {
                    if key != "class" {
                        data_centers.insert(key.clone(), factor(key, value)?);
                    }
                }
                Ok(Self::NetworkTopology { data_centers })
            }
            other => Err(format!(
                "unknown replication class `{other}`; use `SimpleStrategy` or `NetworkTopologyStrategy`"
            )),
        }
    }

    /// The replication map as text, as written in CQL.
    #[must_use]
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        match self {
            Self::Simple { replication_factor } => {
                map.insert("class".to_owned(), "SimpleStrategy".to_owned());
                map.insert(
                    "replication_factor".to_owned(),
                    replication_factor.to_string(),
                );
            }
            Self::NetworkTopology { data_centers } => {
                map.insert("class".to_owned(), "NetworkTopologyStrategy".to_owned());
                for (dc, rf) in data_centers {
                    map.insert(dc.clone(), rf.to_string());
                }
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn simple_strategy() {
        let r = Replication::from_map(&map(&[
            ("class", "SimpleStrategy"),
            ("replication_factor", "3"),
        ]));
        assert_eq!(
            r,
            Ok(Replication::Simple {
                replication_factor: 3
            })
        );
        let full = Replication::from_map(&map(&[
            ("class", "org.apache.cassandra.locator.SimpleStrategy"),
            ("replication_factor", "1"),
        ]));
        assert_eq!(
            full,
            Ok(Replication::Simple {
                replication_factor: 1
            })
        );
    }

    #[test]
    fn network_topology_round_trips() {
        let m = map(&[
            ("class", "NetworkTopologyStrategy"),
            ("dc1", "3"),
            ("us-east-1", "2"),
        ]);
        let r = Replication::from_map(&m).unwrap();
        assert_eq!(r.to_map(), m);
    }

    #[test]
    fn errors_are_readable() {
        assert!(
            Replication::from_map(&map(&[("replication_factor", "3")]))
                .unwrap_err()
                .contains("class")
        );
        assert!(
            Replication::from_map(&map(&[("class", "Foo")]))
                .unwrap_err()
                .contains("unknown replication class")
        );
        assert!(
            Replication::from_map(&map(&[
                ("class", "SimpleStrategy"),
                ("replication_factor", "x")
            ]))
            .unwrap_err()
            .contains("whole number")
        );
    }
}
