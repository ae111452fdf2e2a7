//! Hostile names and texts never change the CQL that `cormc generate`
//! writes: for column names (`@cql`), datacenter names and documentation
//! (table comments) made of quotes, semicolons, comment markers, reserved
//! words and non-ASCII text (also in the `///` documentation that
//! becomes rustdoc), `schema.cql` reads back, through the CQL
//! parser the migration checks use, as exactly the statements it should
//! have, carrying exactly those names and texts.

use cormc::cql::{Ident, parse_script, replay_script};
use cormc::diagnostics::SourceMap;
use proptest::prelude::*;

/// Pieces that break naive quoting, joined into names and texts.
const PIECES: &[&str] = &[
    "\"", "'", "''", "\"\"", ";", "--", "//", "/*", "*/", "\\", " ", "select", "from", "where",
    "drop", "table", "key", "token", "IF", "NOT", "EXISTS", "Ünï", "名前", "🙂", "é", "x", "A",
    "0", ")", "(", ",", "?", "$$", "%", "{", "}",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..8).prop_map(|pieces| pieces.concat())
}

/// `text` as a corm string literal.
fn corm_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn hostile_names_and_texts_stay_inside_their_quotes(
        column in hostile(),
        other in hostile(),
        doc in hostile(),
        datacenter in hostile(),
    ) {
        prop_assume!(column != other && column != "id" && other != "id");
        // The text goes in twice: as documentation (rustdoc) and as the
        // table's comment.
        prop_assume!(!doc.trim().is_empty() && !doc.starts_with('/'));
        let source = format!(
            "keyspace shop {{\n  replication network_topology({}: 3)\n}}\n\n\
             /// {doc}\nmodel Hostile {{\n  id: uuid\n  a: text @cql({})\n  b: int? @cql({})\n  key (id)\n  \
             options {{ comment: {} }}\n}}\n",
            corm_string(&datacenter),
            corm_string(&column),
            corm_string(&other),
            corm_string(&doc),
        );
        let mut sources = SourceMap::new();
        sources.add("hostile.corm", source.clone()).unwrap();
        let parsed = cormc::parse::parse(&sources);
        let schema = match parsed {
            Ok(schema) => schema,
            Err(diagnostics) => panic!("{source}\n{diagnostics:?}"),
        };
        let checked = cormc::check::check(&schema);
        // A name the checker refuses (empty, too long) is refused with a
        // diagnostic: nothing is generated for it.
        prop_assume!(checked.schema.is_some());
        let files = cormc::codegen::generate(&checked.schema.unwrap()).unwrap();
        let cql = files.get("schema.cql").unwrap();

        let statements = parse_script(cql).unwrap_or_else(|err| panic!("{cql}\n{err:?}"));
        prop_assert_eq!(statements.len(), 2, "{}", cql);
        let replayed = replay_script(cql).unwrap_or_else(|err| panic!("{cql}\n{err:?}"));
        let keyspace = replayed.keyspace.unwrap();
        let replication = format!("{:?}", keyspace.replication);
        prop_assert!(replication.contains(&format!("{datacenter:?}")), "{} / {}", cql, replication);
        let table = &replayed.tables[&Ident::unquoted("hostile")];
        let names: Vec<String> = table.columns.iter().map(|column| column.name.as_str().to_owned()).collect();
        prop_assert_eq!(names, vec!["id".to_owned(), column.clone(), other.clone()], "{}", cql);
        let comment = table.options.comment.clone().unwrap_or_default();
        prop_assert_eq!(comment.trim(), doc.trim(), "{}", cql);
    }
}
