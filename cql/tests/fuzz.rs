//! The lexer, parser and replayer never panic, and whatever replays
//! renders back to itself.

use corm_cql::{
    CqlSchema, Replayer, diff, lexer::split_statements, parse_script, parse_statement, parse_type,
    render_schema, replay_script,
};
use proptest::prelude::*;

/// Words and symbols of the DDL grammar, so random input gets past the
/// first token often enough to exercise the parser and the replay.
const VOCABULARY: &[&str] = &[
    "create",
    "alter",
    "drop",
    "table",
    "type",
    "index",
    "custom",
    "keyspace",
    "materialized",
    "view",
    "if",
    "not",
    "exists",
    "primary",
    "key",
    "static",
    "with",
    "and",
    "clustering",
    "order",
    "by",
    "asc",
    "desc",
    "add",
    "rename",
    "to",
    "on",
    "using",
    "options",
    "as",
    "select",
    "from",
    "where",
    "is",
    "null",
    "keys",
    "values",
    "entries",
    "full",
    "frozen",
    "list",
    "set",
    "map",
    "tuple",
    "vector",
    "int",
    "text",
    "varchar",
    "uuid",
    "counter",
    "duration",
    "timestamp",
    "float",
    "blob",
    "replication",
    "durable_writes",
    "default_time_to_live",
    "comment",
    "compaction",
    "gc_grace_seconds",
    "t",
    "u",
    "a",
    "b",
    "c",
    "ks",
    "\"Q\"",
    "\"token\"",
    "(",
    ")",
    "<",
    ">",
    ",",
    ".",
    "=",
    "{",
    "}",
    ":",
    ";",
    "*",
    "'sai'",
    "'x'",
    "'SimpleStrategy'",
    "'class'",
    "'replication_factor'",
    "'LeveledCompactionStrategy'",
    "1",
    "0",
    "384",
    "-1",
    "true",
    "false",
    "$$d$$",
    "--c\n",
    "/* b */",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..48).prop_map(|words| words.join(" "))
}

/// Replays every statement of `script` that parses, skipping refused ones,
/// and checks the rendering of the result.
fn replay_leniently(script: &str) {
    let Ok(statements) = parse_script(script) else {
        return;
    };
    let mut replayer = Replayer::new();
    for s in &statements {
        let _ = replayer.apply(&s.statement);
    }
    let schema = replayer.into_schema();
    let rendered = render_schema(&schema);
    match replay_script(&rendered) {
        Ok(again) => {
            let mut expected = schema.clone();
            for t in expected.tables.values_mut() {
                t.dropped_columns.clear();
            }
            assert_eq!(again, expected, "render did not round-trip:\n{rendered}");
        }
        Err(e) => panic!("rendered schema does not replay: {e}\n{rendered}"),
    }
    assert!(diff(&schema, &schema).is_empty());
    let _ = diff(&CqlSchema::default(), &schema);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_statement(&text);
        let _ = parse_type(&text);
        let _ = split_statements(&text);
        let _ = replay_script(&text);
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        let _ = parse_statement(&text);
        let _ = parse_type(&text);
        replay_leniently(&text);
    }

    #[test]
    fn cut_statements_never_panic(cut in 0usize..2000) {
        let script = include_str!("fixtures/cql/rich_schema.cql");
        let mut end = cut.min(script.len());
        while !script.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &script[..end];
        let _ = parse_script(prefix);
        let _ = replay_script(prefix);
    }
}

/// Generated statements that always parse: a few shapes with random names
/// and types, to drive the replay and the round trip harder than a soup.
fn statement() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec!["t", "u", "\"Odd\"", "\"order\"", "type", "v"]);
    let column = prop::sample::select(vec!["a", "b", "c", "\"token\"", "\"Mixed\"", "key"]);
    let ty = prop::sample::select(vec![
        "int",
        "text",
        "varchar",
        "list<int>",
        "set<text>",
        "map<text, int>",
        "frozen<list<int>>",
        "tuple<int, text>",
        "vector<float, 3>",
        "counter",
        "frozen<p>",
        "timeuuid",
    ]);
    prop_oneof![
        (name.clone(), column.clone(), ty.clone(), column.clone(), ty.clone())
            .prop_map(|(t, k, kt, c, ct)| format!("create table {t} ({k} {kt}, {c} {ct}, primary key ({k}))")),
        (name.clone(), column.clone(), column.clone(), ty.clone(), prop::bool::ANY).prop_map(|(t, k, c, ct, desc)| format!(
            "create table {t} ({k} int, {c} {ct}, s text static, primary key (({k}), {c})) with clustering order by ({c} {}) and comment = 'x'",
            if desc { "desc" } else { "asc" }
        )),
        (name.clone(), column.clone(), ty.clone()).prop_map(|(t, c, ty)| format!("alter table {t} add {c} {ty}")),
        (name.clone(), column.clone()).prop_map(|(t, c)| format!("alter table {t} drop {c}")),
        (name.clone(), column.clone(), column.clone()).prop_map(|(t, a, b)| format!("alter table {t} rename {a} to {b}")),
        (name.clone(), column.clone()).prop_map(|(t, c)| format!("create index on {t} ({c}) using 'sai'")),
        (name.clone(), column.clone()).prop_map(|(t, c)| format!("create index on {t} (keys({c}))")),
        name.clone().prop_map(|t| format!("drop table {t}")),
        Just("create type p (x int, y text)".to_owned()),
        Just("alter type p add z frozen<list<int>>".to_owned()),
        Just("drop type p".to_owned()),
        name.clone().prop_map(|t| format!("alter table {t} with default_time_to_live = 60 and gc_grace_seconds = 10")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    #[test]
    fn generated_migrations_round_trip(statements in prop::collection::vec(statement(), 1..12)) {
        let script = statements.join(";\n");
        for s in &statements {
            prop_assert!(parse_statement(s).is_ok(), "{s}: {:?}", parse_statement(s));
        }
        replay_leniently(&script);
    }
}

/// The schema left after replaying every statement that Cassandra accepts.
fn lenient_schema(statements: &[String]) -> CqlSchema {
    let mut replayer = Replayer::new();
    for s in statements {
        if let Ok(parsed) = parse_statement(s) {
            let _ = replayer.apply(&parsed);
        }
    }
    replayer.into_schema()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// When every change is possible, the diff's statements replay on the
    /// old schema without an error and leave nothing to change.
    #[test]
    fn generated_diffs_apply(
        a in prop::collection::vec(statement(), 1..10),
        b in prop::collection::vec(statement(), 1..10),
    ) {
        let from = lenient_schema(&a);
        let to = lenient_schema(&b);
        let changes = diff(&from, &to);
        if changes.iter().all(|c| c.is_possible()) {
            let mut replayer = Replayer::from_schema(from.clone());
            for change in &changes {
                for statement in change.statements() {
                    let parsed = parse_statement(&statement);
                    prop_assert!(parsed.is_ok(), "{statement}: {parsed:?}");
                    if let Ok(parsed) = parsed {
                        let applied = replayer.apply(&parsed);
                        prop_assert!(applied.is_ok(), "{statement}: {applied:?}\nchanges: {changes:#?}");
                    }
                }
            }
            let left = diff(replayer.schema(), &to);
            prop_assert!(left.is_empty(), "left: {left:#?}");
        }
    }
}
