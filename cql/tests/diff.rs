//! Diffing schemas: what the drift check reports and `migrate new` writes.

use corm_cql::{Change, CqlSchema, Replayer, Safety, diff, parse_statement, replay_script};

fn schema(script: &str) -> CqlSchema {
    match replay_script(script) {
        Ok(s) => s,
        Err(e) => panic!("{script}\n=> {e}"),
    }
}

/// All statements of the changes, one string each.
fn cql(changes: &[Change]) -> Vec<String> {
    changes.iter().flat_map(Change::statements).collect()
}

/// Applies the changes' statements to `from` with the replayer, as a
/// migration would, and checks that nothing is left to change.
fn assert_applies(from: &CqlSchema, to: &CqlSchema) {
    let changes = diff(from, to);
    let mut replayer = Replayer::from_schema(from.clone());
    for statement in cql(&changes) {
        let parsed = parse_statement(&statement).unwrap_or_else(|e| panic!("{statement}: {e}"));
        replayer
            .apply(&parsed)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    let left = diff(replayer.schema(), to);
    assert!(
        left.is_empty(),
        "left after applying {changes:#?}: {left:#?}"
    );
}

const USERS: &str = "create table users (id uuid, email text, name text, primary key (id));";

#[test]
fn added_column() {
    let from = schema(USERS);
    let to = schema(&format!(
        "{USERS} alter table users add prefs map<text, text>;"
    ));
    let changes = diff(&from, &to);
    assert_eq!(
        cql(&changes),
        ["alter table users add prefs map<text, text>"]
    );
    assert_eq!(changes[0].safety(), Safety::Safe);
    assert_eq!(
        changes[0].to_string(),
        "add column `prefs map<text, text>` to table `users`"
    );
    assert_applies(&from, &to);
}

#[test]
fn dropped_column() {
    let from = schema(USERS);
    let to = schema("create table users (id uuid, email text, primary key (id));");
    let changes = diff(&from, &to);
    assert_eq!(cql(&changes), ["alter table users drop name"]);
    assert!(changes[0].loses_data());
    assert_applies(&from, &to);
}

#[test]
fn new_table_and_dropped_table() {
    let from = schema(USERS);
    let to = schema(&format!(
        "{USERS} create table posts (id timeuuid primary key, title text) with default_time_to_live = 60;"
    ));
    let changes = diff(&from, &to);
    assert_eq!(
        cql(&changes),
        [
            "create table posts (\n    id timeuuid,\n    title text,\n    primary key (id)\n) with default_time_to_live = 60"
        ]
    );
    assert_applies(&from, &to);
    let back = diff(&to, &from);
    assert_eq!(cql(&back), ["drop table posts"]);
    assert_eq!(back[0].safety(), Safety::LosesData);
}

#[test]
fn new_index_and_dropped_index() {
    let from = schema(USERS);
    let to = schema(&format!(
        "{USERS} create index on users (email) using 'sai';"
    ));
    let changes = diff(&from, &to);
    assert_eq!(
        cql(&changes),
        ["create index users_email_idx on users (email) using 'sai'"]
    );
    assert_applies(&from, &to);
    let back = diff(&to, &from);
    assert_eq!(cql(&back), ["drop index users_email_idx"]);
    assert_eq!(back[0].safety(), Safety::DropsDefinition);
    assert!(!back[0].loses_data());
}

#[test]
fn changed_index_is_dropped_and_recreated() {
    let from = schema(&format!("{USERS} create index i on users (email);"));
    let to = schema(&format!(
        "{USERS} create index i on users (email) using 'sai';"
    ));
    assert_eq!(
        cql(&diff(&from, &to)),
        [
            "drop index i",
            "create index i on users (email) using 'sai'"
        ]
    );
    assert_applies(&from, &to);
}

#[test]
fn incompatible_type_change_is_impossible() {
    let from = schema(USERS);
    let to = schema("create table users (id uuid, email text, name int, primary key (id));");
    let changes = diff(&from, &to);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].safety(), Safety::Impossible);
    assert!(changes[0].statements().is_empty());
    let why = changes[0].explanation().unwrap();
    assert!(
        why.contains("can't change column `name` of `users` from `text` to `int`"),
        "{why}"
    );
    assert!(why.contains("create a new table"), "{why}");
    assert!(why.contains("backfill"), "{why}");
}

#[test]
fn key_change_is_impossible() {
    let from = schema(USERS);
    let to = schema("create table users (id uuid, email text, name text, primary key (email));");
    let changes = diff(&from, &to);
    assert_eq!(changes.len(), 1);
    assert!(matches!(changes[0], Change::ChangePrimaryKey { .. }));
    assert!(!changes[0].is_possible());
    assert_eq!(
        changes[0].to_string(),
        "change the primary key of table `users` from `primary key ((id uuid))` to `primary key ((email text))`"
    );
    let added_clustering =
        schema("create table users (id uuid, email text, name text, primary key (id, email));");
    assert!(matches!(
        diff(&from, &added_clustering)[0],
        Change::ChangePrimaryKey { .. }
    ));
    let key_type =
        schema("create table users (id timeuuid, email text, name text, primary key (id));");
    assert!(matches!(
        diff(&from, &key_type)[0],
        Change::ChangePrimaryKey { .. }
    ));
}

#[test]
fn clustering_order_change_is_impossible() {
    let from = schema("create table p (a int, b int, primary key (a, b));");
    let to = schema(
        "create table p (a int, b int, primary key (a, b)) with clustering order by (b desc);",
    );
    let changes = diff(&from, &to);
    assert_eq!(changes.len(), 1);
    assert!(matches!(changes[0], Change::ChangeClusteringOrder { .. }));
    assert!(
        changes[0]
            .explanation()
            .unwrap()
            .contains("clustering order of `p`")
    );
}

#[test]
fn added_type_field() {
    let from = schema(
        "create type address (street text); create table u (id int primary key, home frozen<address>);",
    );
    let to = schema(
        "create type address (street text, zip text); create table u (id int primary key, home frozen<address>);",
    );
    let changes = diff(&from, &to);
    assert_eq!(cql(&changes), ["alter type address add zip text"]);
    assert_applies(&from, &to);
}

#[test]
fn re_adding_a_dropped_column_with_another_type_is_impossible() {
    let from = schema(&format!("{USERS} alter table users drop name;"));
    let to = schema("create table users (id uuid, email text, name int, primary key (id));");
    let changes = diff(&from, &to);
    assert_eq!(changes.len(), 1);
    assert!(matches!(changes[0], Change::ReAddDroppedColumn { .. }));
    assert!(
        changes[0]
            .explanation()
            .unwrap()
            .contains("was dropped as `text`")
    );
    // With the same type it is fine.
    let same = schema(USERS);
    assert_eq!(
        cql(&diff(&from, &same)),
        ["alter table users add name text"]
    );
    assert_applies(&from, &same);
}

#[test]
fn other_impossible_changes() {
    let kind = schema("create table t (a int, b int, s text static, primary key (a, b));");
    let to_regular = schema("create table t (a int, b int, s text, primary key (a, b));");
    assert!(matches!(
        diff(&kind, &to_regular)[0],
        Change::ChangeColumnKind {
            to_static: false,
            ..
        }
    ));
    let plain = schema("create table c (a int primary key, n int);");
    let counter = schema("create table c (a int primary key, n counter);");
    assert!(matches!(
        diff(&plain, &counter)[0],
        Change::ChangeCounterKind {
            to_counter: true,
            ..
        }
    ));
    let udt_col = schema("create type p (x int); create table u (a int primary key, v p);");
    let no_col = schema("create type p (x int); create table u (a int primary key);");
    assert!(matches!(
        diff(&udt_col, &no_col)[0],
        Change::DropUdtColumn { .. }
    ));
    let ks_a = schema(
        "create keyspace a with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};",
    );
    let ks_b = schema(
        "create keyspace b with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};",
    );
    assert!(matches!(
        diff(&ks_a, &ks_b)[0],
        Change::RenameKeyspace { .. }
    ));
    for change in [
        &diff(&kind, &to_regular)[0],
        &diff(&plain, &counter)[0],
        &diff(&ks_a, &ks_b)[0],
    ] {
        assert!(change.explanation().is_some());
        assert!(change.statements().is_empty());
    }
}

#[test]
fn keyspace_changes() {
    let none = CqlSchema::default();
    let ks = schema(
        "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};",
    );
    assert_eq!(
        cql(&diff(&none, &ks)),
        [
            "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        ]
    );
    assert!(
        diff(&ks, &none).is_empty(),
        "a schema without a keyspace says nothing about it"
    );
    let altered = schema(
        "create keyspace shop with replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} and durable_writes = false;",
    );
    assert_eq!(
        cql(&diff(&ks, &altered)),
        [
            "alter keyspace shop with replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} and durable_writes = false"
        ]
    );
    assert_applies(&ks, &altered);
}

#[test]
fn options_changes() {
    let from = schema(
        "create table t (a int primary key) with comment = 'old' and compaction = {'class': 'SizeTieredCompactionStrategy'};",
    );
    let to = schema(
        "create table t (a int primary key) with comment = 'new' and default_time_to_live = 86400 and compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'HOURS', 'compaction_window_size': 6};",
    );
    let changes = diff(&from, &to);
    assert_eq!(
        cql(&changes),
        [
            "alter table t with comment = 'new'\n    and compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': 6, 'compaction_window_unit': 'HOURS'}\n    and default_time_to_live = 86400"
        ]
    );
    assert_eq!(
        changes[0].to_string(),
        "set comment, compaction, default_time_to_live of table `t`"
    );
    assert_applies(&from, &to);
}

#[test]
fn changes_are_ordered_to_apply_cleanly() {
    let from = schema(
        "create type old_t (x int);
         create table gone (a int primary key, b text, o frozen<old_t>);
         create index gone_b_idx on gone (b);
         create table kept (a int primary key, b text, c text);
         create index kept_b_idx on kept (b);",
    );
    let to = schema(
        "create type inner_t (x int);
         create type outer_t (i frozen<inner_t>);
         create table kept (a int primary key, c text, d frozen<outer_t>);
         create table fresh (a int primary key, v text);
         create index fresh_v_idx on fresh (v);",
    );
    let changes = diff(&from, &to);
    let summary: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        summary,
        [
            "drop index `gone_b_idx`",
            "drop index `kept_b_idx`",
            "create type `inner_t`",
            "create type `outer_t`",
            "create table `fresh`",
            "add column `d frozen<outer_t>` to table `kept`",
            "drop column `b` of table `kept`",
            "drop table `gone`",
            "drop type `old_t`",
            "create index `fresh_v_idx` on `fresh` (v)",
        ]
    );
    assert_applies(&from, &to);
}

#[test]
fn renamed_key_column_with_index() {
    let from = schema(
        "create table t (a int, b int, v text, primary key (a, b)); create index i on t (b);",
    );
    let to = schema(
        "create table t (a int, c int, v text, primary key (a, c)); create index i on t (c);",
    );
    assert_eq!(
        cql(&diff(&from, &to)),
        [
            "drop index i",
            "alter table t rename b to c",
            "create index i on t (c)"
        ]
    );
    assert_applies(&from, &to);
}

#[test]
fn views_are_dropped_and_recreated() {
    let base = "create table t (k int, c int, v text, primary key (k, c));";
    let view = |cols: &str| {
        format!(
            "create materialized view mv as select {cols} from t where k is not null and c is not null primary key (c, k);"
        )
    };
    let from = schema(&format!("{base}{}", view("k, c")));
    let to = schema(&format!("{base}{}", view("k, c, v")));
    let changes = diff(&from, &to);
    assert!(matches!(changes[0], Change::DropView(_)));
    assert!(matches!(changes[1], Change::CreateView(_)));
    assert_applies(&from, &to);
    let commented = schema(&format!(
        "{base}{} alter materialized view mv with comment = 'x';",
        view("k, c")
    ));
    assert_eq!(
        cql(&diff(&from, &commented)),
        ["alter materialized view mv with comment = 'x'"]
    );
}

#[test]
fn drift_check_of_a_rich_schema() {
    let target = schema(include_str!("fixtures/cql/rich_schema.cql"));
    // From nothing: every object is created, in an order that replays.
    assert_applies(&CqlSchema::default(), &target);
    // Diffs are deterministic.
    assert_eq!(
        diff(&CqlSchema::default(), &target),
        diff(&CqlSchema::default(), &target)
    );
    // Evolved and back.
    let mut script = include_str!("fixtures/cql/rich_schema.cql").to_owned();
    script.push_str(include_str!("fixtures/cql/evolution.cql"));
    let evolved = schema(&script);
    let back = diff(&evolved, &target);
    assert!(
        back.iter().any(|c| matches!(c, Change::ReshapeType { .. })),
        "{back:#?}"
    );
    assert!(
        back.iter()
            .any(|c| matches!(c, Change::ChangePrimaryKey { .. })
                || matches!(c, Change::RenameColumn { .. }))
    );
}

#[test]
fn views_are_rebuilt_around_column_drops() {
    let view = "create materialized view mv as select k, c from t where k is not null and c is not null primary key (c, k);";
    let from = schema(&format!(
        "create table t (k int, c int, v text, primary key (k, c)); {view}"
    ));
    let to = schema(&format!(
        "create table t (k int, c int, primary key (k, c)); {view}"
    ));
    assert_eq!(
        cql(&diff(&from, &to))[..2],
        [
            "drop materialized view mv".to_owned(),
            "alter table t drop v".to_owned()
        ]
    );
    assert_applies(&from, &to);
}
