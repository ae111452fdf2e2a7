//! The checker's query rules against the real node: each case is a query
//! written once in `.corm` and once in CQL; `cormc check` must accept the
//! `.corm` query exactly when Cassandra runs the CQL without ALLOW FILTERING.
//! Needs the local node (`cargo xtask cassandra start`).
//!
//! One divergence is deliberate and left out: `p in ?a order c desc` runs on
//! Cassandra unpaged, but cormc refuses it because generated reads are paged
//! and Cassandra can't page ORDER BY with IN on the partition key.

use camino::Utf8PathBuf;
use cormc::diagnostics::SourceMap;

/// (the `where`/`order` of a `.corm` query, the same query in CQL)
const CASES: &[(&str, &str)] = &[
    ("where name = ?x", "WHERE name = 'a'"),
    ("where name in ?x", "WHERE name IN ('a', 'b')"),
    ("where name > ?x", "WHERE name > 'a'"),
    ("where n > ?x", "WHERE n > 3"),
    ("where n in ?x", "WHERE n IN (1, 2)"),
    (
        "where u > ?x",
        "WHERE u > 00000000-0000-0000-0000-000000000000",
    ),
    ("where m contains ?x", "WHERE m CONTAINS 3"),
    ("where m contains key ?x", "WHERE m CONTAINS KEY 'x'"),
    ("where s contains ?x", "WHERE s CONTAINS 3"),
    ("where fl = ?x", "WHERE fl = [1, 2]"),
    ("where n = ?x and c > ?y", "WHERE n = 3 AND c > 2"),
    ("where p = ?a and n = ?x", "WHERE p = 1 AND n = 3"),
    ("where p in ?a and n = ?x", "WHERE p IN (1, 2) AND n = 3"),
    (
        "where p = ?a and n = ?x order c desc",
        "WHERE p = 1 AND n = 3 ORDER BY c DESC",
    ),
    ("where c > ?x", "WHERE c > 1"),
    ("where p = ?a and c > ?x", "WHERE p = 1 AND c > 1"),
    ("where p = ?a order c desc", "WHERE p = 1 ORDER BY c DESC"),
    (
        "where p = ?a and name = ?x and n > ?y",
        "WHERE p = 1 AND name = 'a' AND n > 2",
    ),
    ("where p = ?a and name = ?x", "WHERE p = 1 AND name = 'a'"),
];

fn checker_accepts(clauses: &str) -> bool {
    let model = include_str!("fixtures/node_rules/model.corm");
    let mut sources = SourceMap::new();
    sources
        .add(Utf8PathBuf::from("model.corm"), model)
        .unwrap_or_else(|e| panic!("{e}"));
    sources
        .add(
            Utf8PathBuf::from("query.corm"),
            format!(
                "query probe on Probe {{\n  {}\n}}\n",
                clauses.replace(" order ", "\n  order ")
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let schema = cormc::parse::parse(&sources).unwrap_or_else(|d| panic!("{clauses}: {d:?}"));
    cormc::check::check(&schema).schema.is_some()
}

#[tokio::test]
async fn the_checker_accepts_what_cassandra_serves_without_filtering() {
    corm::testing::with_keyspace("node_rules", |session| async move {
        session
            .run_ddl(
                "CREATE TABLE probe (p int, c int, name text, n int, u uuid, m map<text, int>, \
                 s set<int>, fl frozen<list<int>>, PRIMARY KEY ((p), c))",
            )
            .await
            .unwrap();
        for index in ["name", "n", "u", "m", "s", "full(fl)"] {
            let name = index.trim_start_matches("full(").trim_end_matches(')');
            session
                .run_ddl(&format!(
                    "CREATE INDEX probe_{name}_idx ON probe ({index}) USING 'sai'"
                ))
                .await
                .unwrap();
        }
        let mut disagreements = Vec::new();
        for (corm, cql) in CASES {
            let node = session
                .query(&format!("SELECT * FROM probe {cql}"), ())
                .await;
            let checker = checker_accepts(corm);
            if node.is_ok() != checker {
                disagreements.push(format!(
                    "`{corm}`: cormc {} it, Cassandra {} `{cql}`{}",
                    if checker { "accepts" } else { "refuses" },
                    if node.is_ok() { "runs" } else { "refuses" },
                    node.err().map(|e| format!(" ({e})")).unwrap_or_default()
                ));
            }
        }
        assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    })
    .await;
}
