//! Replaying migrations: the language reference's examples, every statement
//! form, and every rule Cassandra enforces as a replay error.

use corm_cql::{
    CompactionStrategy, CqlSchema, CqlType, Ident, IndexClass, IndexTarget, NativeType,
    ReplayErrorKind, Replayer, Replication, SortOrder, TableDef, parse_statement,
    replay::ScriptError, replay_script,
};

fn id(s: &str) -> Ident {
    Ident::new(s)
}

fn ok(script: &str) -> CqlSchema {
    match replay_script(script) {
        Ok(s) => s,
        Err(e) => panic!("{script}\n=> {e} ({e:?})"),
    }
}

/// The replay error of the last statement of `script`, with the text its
/// span covers.
fn fails(script: &str) -> (ReplayErrorKind, String, Option<String>) {
    match replay_script(script) {
        Ok(_) => panic!("replayed without error: {script}"),
        Err(ScriptError::Parse(e)) => panic!("parse error: {e} in {script}"),
        Err(ScriptError::Replay(e)) => {
            let text = script
                .get(e.span.clone())
                .unwrap_or("<bad span>")
                .to_owned();
            let help = e.help();
            (*e.kind, text, help)
        }
    }
}

fn table<'a>(schema: &'a CqlSchema, name: &str) -> &'a TableDef {
    schema
        .tables
        .get(&id(name))
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn text() -> CqlType {
    NativeType::Text.into()
}

const T: &str = "create table t (k int, c int, v text, s text static, primary key (k, c));\n";

// ---- the language reference ---------------------------------------------

#[test]
fn language_reference_migrations() {
    let schema = ok(
        "create table users (id uuid, email text, name text, primary key (id));
                     alter table users add prefs map<text, text>;",
    );
    let users = table(&schema, "users");
    let names: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "email", "name", "prefs"]);
    assert_eq!(users.partition_key, [id("id")]);
    assert!(users.clustering.is_empty());
    assert_eq!(
        users.column(&id("prefs")).unwrap().ty,
        CqlType::map(text(), text())
    );
}

#[test]
fn one_statement_at_a_time() {
    let mut replayer = Replayer::new();
    for text in [
        "create table users (id uuid, email text, name text, primary key (id))",
        "alter table users add prefs map<text, text>",
    ] {
        replayer.apply(&parse_statement(text).unwrap()).unwrap();
    }
    assert_eq!(replayer.schema().tables.len(), 1);
}

// ---- statement forms -------------------------------------------------------

#[test]
fn rich_schema_replays_to_the_expected_model() {
    let schema = ok(include_str!("fixtures/cql/rich_schema.cql"));
    let ks = schema.keyspace.as_ref().unwrap();
    assert_eq!(ks.name, id("shop"));
    assert!(ks.durable_writes);
    assert!(
        matches!(&ks.replication, Replication::NetworkTopology { data_centers } if data_centers.get("us-east-1") == Some(&2))
    );

    assert_eq!(schema.types.len(), 3);
    assert!(schema.types.contains_key(&id("GeoPoint")));
    assert!(
        schema.types.contains_key(&id("address")),
        "unquoted names fold to lowercase"
    );

    let users = table(&schema, "users");
    assert_eq!(
        users.column(&id("name")).unwrap().ty,
        text(),
        "varchar is text"
    );
    assert_eq!(
        users.column(&id("pair")).unwrap().ty,
        CqlType::tuple(vec![NativeType::Int.into(), text()]),
        "tuples are frozen"
    );
    assert_eq!(
        users.column(&id("embedding")).unwrap().ty,
        CqlType::vector(NativeType::Float.into(), 384)
    );
    assert!(users.column(&id("UserName")).is_some());
    assert_eq!(
        users.options.comment.as_deref(),
        Some("Registered customers; one row each")
    );
    assert!(users.options.other.contains_key("gc_grace_seconds"));

    let posts = table(&schema, "posts_by_author");
    assert_eq!(posts.clustering[0].order, SortOrder::Desc);
    assert_eq!(posts.options.default_time_to_live, Some(7_776_000));
    assert!(posts.column(&id("author_name")).unwrap().is_static);
    assert!(matches!(
        posts.options.compaction.as_ref().unwrap().strategy,
        CompactionStrategy::TimeWindow { size: 1, .. }
    ));

    let events = table(&schema, "events");
    assert_eq!(events.partition_key, [id("tenant"), id("bucket")]);
    assert_eq!(events.clustering.len(), 2);
    assert_eq!(
        events.options.compaction.as_ref().unwrap().strategy,
        CompactionStrategy::Leveled
    );
    assert!(table(&schema, "page_views").is_counter_table());

    let idx = |n: &str| {
        schema
            .indexes
            .get(&id(n))
            .unwrap_or_else(|| panic!("no index {n}"))
    };
    assert_eq!(
        idx("users_name_idx").class,
        IndexClass::Sai,
        "StorageAttachedIndex is sai"
    );
    assert_eq!(
        idx("users_prefs_idx").target,
        IndexTarget::Keys(id("prefs"))
    );
    assert_eq!(
        idx("users_prefs_idx_1").target,
        IndexTarget::Entries(id("prefs"))
    );
    assert_eq!(idx("users_prefs_idx_1").class, IndexClass::Default);
    assert_eq!(
        idx("users_token_idx").target,
        IndexTarget::Column(id("token"))
    );
    assert_eq!(
        idx("users_embedding_idx")
            .options
            .get("similarity_function")
            .map(String::as_str),
        Some("cosine")
    );

    let view = schema.views.get(&id("users_by_email")).unwrap();
    assert_eq!(view.base_table, id("users"));
    assert_eq!(view.where_clause, "email is not null and id is not null");
}

#[test]
fn every_alter_form_replays() {
    let mut script = include_str!("fixtures/cql/rich_schema.cql").to_owned();
    script.push_str(include_str!("fixtures/cql/evolution.cql"));
    let schema = ok(&script);

    let ks = schema.keyspace.as_ref().unwrap();
    assert!(
        matches!(&ks.replication, Replication::NetworkTopology { data_centers } if data_centers.get("us-east-1") == Some(&3))
    );

    let address = schema.types.get(&id("address")).unwrap();
    let fields: Vec<&str> = address.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["line1", "city", "postcode", "country"]);
    assert!(!schema.types.contains_key(&id("unused")));

    let users = table(&schema, "users");
    assert!(users.column(&id("last_login")).is_some());
    assert!(users.column(&id("nickname")).is_some());
    assert!(users.column(&id("scores")).is_none());
    assert!(users.column(&id("bio")).is_none());
    assert_eq!(
        users.dropped_columns.get(&id("scores")).map(|d| &d.ty),
        Some(&CqlType::list(NativeType::Int.into()))
    );
    assert_eq!(users.options.comment.as_deref(), Some("Customers"));
    assert_eq!(users.options.default_time_to_live, None);

    let posts = table(&schema, "posts_by_author");
    assert_eq!(posts.partition_key, [id("writer_id")]);
    assert!(posts.column(&id("writer_id")).is_some());
    assert!(posts.column(&id("editor")).unwrap().is_static);

    assert!(!schema.indexes.contains_key(&id("users_email_idx")));
    assert!(!schema.tables.contains_key(&id("scratch")));
    let view = schema.views.get(&id("users_by_email")).unwrap();
    assert_eq!(view.columns.as_deref(), Some(&[id("id"), id("email")][..]));
}

#[test]
fn if_exists_and_if_not_exists_make_no_change() {
    let base = ok(T);
    for extra in [
        "create table if not exists t (x int primary key);",
        "alter table if exists nope add x int;",
        "drop table if exists nope;",
        "alter table t add if not exists v text;",
        "alter table t drop if exists nope;",
        "alter table t rename if exists nope to nope2;",
        "create type if not exists p (a int); create type if not exists p (b text); drop type p;",
        "drop type if exists nope;",
        "alter type if exists nope add a int;",
        "drop index if exists nope;",
        "drop materialized view if exists nope;",
        "alter materialized view if exists nope with comment = 'x';",
        "alter keyspace if exists ks with durable_writes = false;",
        "drop keyspace if exists ks;",
        "create index i on t (v); create index if not exists i on t (v); create index if not exists j on t (v); drop index i;",
    ] {
        let schema = ok(&format!("{T}{extra}"));
        assert_eq!(schema, base, "{extra}");
    }
}

#[test]
fn keyspace_statements() {
    let schema = ok("create keyspace if not exists ks with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
                     alter keyspace ks with durable_writes = false;
                     create table ks.t (a int primary key);");
    let ks = schema.keyspace.as_ref().unwrap();
    assert_eq!(
        ks.replication,
        Replication::Simple {
            replication_factor: 1
        }
    );
    assert!(!ks.durable_writes);
    assert!(
        schema.tables.contains_key(&id("t")),
        "a table in the schema's keyspace"
    );
    let dropped = ok("create keyspace ks with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
                      create table t (a int primary key);
                      drop keyspace ks;");
    assert_eq!(
        dropped,
        CqlSchema::default(),
        "dropping the keyspace drops everything"
    );
}

#[test]
fn unqualified_and_qualified_names_are_one_keyspace() {
    let schema = ok("create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
                     create type shop.address (street text);
                     create table t (a int primary key, home frozen<shop.address>);
                     alter table shop.t add b text;
                     create index i on shop.t (b);
                     drop index shop.i;");
    assert_eq!(table(&schema, "t").columns.len(), 3);
}

#[test]
fn index_defaults_and_normal_forms() {
    let schema = ok("create table t (k int, c int, tags set<text>, m map<text, int>, fl frozen<list<int>>, v text, primary key (k, c));
                     create index on t (tags);
                     create index on t (values(m));
                     create index on t (full(fl));
                     create index on t (c);
                     create index on t (v) using 'org.apache.cassandra.index.sai.StorageAttachedIndex';
                     create custom index on t (v) using 'com.example.MyIndex' with options = {'x': '1'};");
    let i = |n: &str| {
        schema
            .indexes
            .get(&id(n))
            .unwrap_or_else(|| panic!("{n}: {:?}", schema.indexes.keys()))
    };
    assert_eq!(
        i("t_tags_idx").target,
        IndexTarget::Values(id("tags")),
        "a collection column means its values"
    );
    assert_eq!(i("t_m_idx").target, IndexTarget::Values(id("m")));
    assert_eq!(i("t_fl_idx").target, IndexTarget::Full(id("fl")));
    assert_eq!(i("t_c_idx").target, IndexTarget::Column(id("c")));
    assert_eq!(i("t_v_idx").class, IndexClass::Sai);
    assert_eq!(
        i("t_v_idx_1").class,
        IndexClass::Custom("com.example.MyIndex".to_owned())
    );
}

#[test]
fn dropping_a_table_drops_its_indexes() {
    let schema = ok(&format!("{T}create index on t (v); drop table t;"));
    assert!(schema.indexes.is_empty());
}

#[test]
fn re_adding_a_dropped_column_with_a_compatible_type() {
    let schema = ok("create table t (a int primary key, v ascii);
                     alter table t drop v;
                     alter table t add v text;");
    assert_eq!(table(&schema, "t").column(&id("v")).unwrap().ty, text());
}

// ---- replay errors -------------------------------------------------------

#[test]
fn create_of_an_existing_object() {
    let (kind, span, help) = fails(&format!("{T}create table t (a int primary key);"));
    assert_eq!(
        kind,
        ReplayErrorKind::NameTaken {
            what: "table",
            name: id("t")
        }
    );
    assert_eq!(span, "t");
    assert_eq!(
        help.as_deref(),
        Some("write `if not exists`, or pick another name")
    );
    let (kind, ..) = fails("create type p (a int); create type p (a int);");
    assert_eq!(kind, ReplayErrorKind::TypeExists { name: id("p") });
    let (kind, ..) = fails(&format!(
        "{T}create index i on t (v); create index i on t (s);"
    ));
    assert_eq!(kind, ReplayErrorKind::IndexExists { name: id("i") });
    let ks = "create keyspace k with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};";
    let (kind, ..) = fails(&format!("{ks}{ks}"));
    assert_eq!(kind, ReplayErrorKind::KeyspaceExists { name: id("k") });
    let (kind, ..) = fails(&format!(
        "{T}create materialized view mv as select k, c from t where k is not null and c is not null primary key (c, k);
         create table mv (a int primary key);"
    ));
    assert_eq!(
        kind,
        ReplayErrorKind::NameTaken {
            what: "materialized view",
            name: id("mv")
        }
    );
    let (kind, ..) = fails(&format!(
        "{T}create materialized view mv as select * from t where k is not null and c is not null primary key (c, k);"
    ));
    assert!(
        matches!(kind, ReplayErrorKind::InvalidView { ref message } if message.contains("static column `s`"))
    );
}

#[test]
fn alter_or_drop_of_a_missing_object() {
    let (kind, span, _) = fails("alter table nope add a int;");
    assert_eq!(kind, ReplayErrorKind::TableMissing { name: id("nope") });
    assert_eq!(span, "nope");
    assert!(matches!(
        fails("drop table nope;").0,
        ReplayErrorKind::TableMissing { .. }
    ));
    assert!(matches!(
        fails("alter type nope add a int;").0,
        ReplayErrorKind::TypeMissing { .. }
    ));
    assert!(matches!(
        fails("drop type nope;").0,
        ReplayErrorKind::TypeMissing { .. }
    ));
    assert!(matches!(
        fails("drop index nope;").0,
        ReplayErrorKind::IndexMissing { .. }
    ));
    assert!(matches!(
        fails("drop materialized view nope;").0,
        ReplayErrorKind::ViewMissing { .. }
    ));
    assert!(matches!(
        fails("alter keyspace k with durable_writes = true;").0,
        ReplayErrorKind::KeyspaceMissing { .. }
    ));
    assert!(matches!(
        fails("drop keyspace k;").0,
        ReplayErrorKind::KeyspaceMissing { .. }
    ));
    let (kind, span, help) = fails(&format!("{T}alter table t drop vv;"));
    assert_eq!(
        kind,
        ReplayErrorKind::ColumnMissing {
            table: id("t"),
            column: id("vv"),
            suggestion: Some(id("v"))
        }
    );
    assert_eq!(span, "vv");
    assert_eq!(help.as_deref(), Some("did you mean `v`?"));
}

#[test]
fn add_of_an_existing_column() {
    let (kind, span, _) = fails(&format!("{T}alter table t add v int;"));
    assert_eq!(
        kind,
        ReplayErrorKind::ColumnExists {
            table: id("t"),
            column: id("v")
        }
    );
    assert_eq!(span, "v");
    let (kind, ..) = fails("create table u (a int primary key, b int, B text);");
    assert_eq!(
        kind,
        ReplayErrorKind::ColumnExists {
            table: id("u"),
            column: id("b")
        }
    );
}

#[test]
fn drop_of_a_primary_key_column() {
    for column in ["k", "c"] {
        let (kind, ..) = fails(&format!("{T}alter table t drop {column};"));
        assert_eq!(
            kind,
            ReplayErrorKind::DropKeyColumn {
                table: id("t"),
                column: id(column)
            }
        );
    }
}

#[test]
fn rename_of_a_regular_column() {
    let (kind, span, help) = fails(&format!("{T}alter table t rename v to w;"));
    assert_eq!(
        kind,
        ReplayErrorKind::RenameNonKeyColumn {
            table: id("t"),
            column: id("v")
        }
    );
    assert_eq!(span, "v");
    assert!(help.unwrap().contains("add a column with the new name"));
    let (kind, span, _) = fails(&format!("{T}alter table t rename c to v;"));
    assert_eq!(
        kind,
        ReplayErrorKind::RenameTargetExists {
            table: id("t"),
            from: id("c"),
            to: id("v")
        }
    );
    assert_eq!(span, "v");
}

#[test]
fn unknown_user_defined_type() {
    let (kind, span, help) = fails(
        "create type address (street text); create table u (a int primary key, home frozen<adress>);",
    );
    assert_eq!(
        kind,
        ReplayErrorKind::UnknownType {
            name: id("adress"),
            suggestion: Some(id("address"))
        }
    );
    assert_eq!(span, "adress");
    assert_eq!(help.as_deref(), Some("did you mean `address`?"));
    assert!(matches!(
        fails(&format!("{T}alter table t add x frozen<nope>;")).0,
        ReplayErrorKind::UnknownType { .. }
    ));
    assert!(matches!(
        fails("create type a (b frozen<nope>);").0,
        ReplayErrorKind::UnknownType { .. }
    ));
}

#[test]
fn another_keyspace() {
    let ks = "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n";
    let (kind, span, help) = fails(&format!("{ks}create table other.t (a int primary key);"));
    assert_eq!(
        kind,
        ReplayErrorKind::OtherKeyspace {
            found: id("other"),
            expected: id("shop")
        }
    );
    assert_eq!(span, "other");
    assert!(help.unwrap().contains("unqualified"));
    assert!(matches!(fails(&format!("{ks}create keyspace two with replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}};")).0, ReplayErrorKind::OtherKeyspace { .. }));
    assert!(matches!(
        fails(&format!(
            "{ks}create type a (x int); create table t (a int primary key, b frozen<other.a>);"
        ))
        .0,
        ReplayErrorKind::OtherKeyspace { .. }
    ));
    assert!(matches!(
        fails("create table a.t (x int primary key); drop table b.t;").0,
        ReplayErrorKind::OtherKeyspace { .. }
    ));
}

#[test]
fn re_adding_a_dropped_column_with_another_type() {
    let (kind, span, help) = fails(&format!(
        "{T}alter table t drop v; alter table t add v int;"
    ));
    assert_eq!(
        kind,
        ReplayErrorKind::ReAddDroppedColumn {
            table: id("t"),
            column: id("v"),
            new_type: NativeType::Int.into(),
            old_type: text()
        }
    );
    assert_eq!(span, "int");
    assert!(help.unwrap().contains("create a new table"));
    let (kind, ..) = fails(&format!(
        "{T}alter table t drop v; alter table t add v text static;"
    ));
    assert!(matches!(
        kind,
        ReplayErrorKind::ReAddDroppedKind {
            new_kind: "static",
            old_kind: "regular",
            ..
        }
    ));
    let (kind, ..) = fails(
        "create table p (a int, b int, n counter, m counter, primary key (a, b)); alter table p drop n; alter table p add n counter;",
    );
    assert_eq!(
        kind,
        ReplayErrorKind::ReAddDroppedCounter {
            table: id("p"),
            column: id("n")
        }
    );
    // Dropping and re-creating the table forgets the history.
    ok(&format!(
        "{T}alter table t drop v; drop table t; {T} alter table t drop v; alter table t add v text;"
    ));
}

#[test]
fn counters_and_other_columns_do_not_mix() {
    let (kind, span, _) = fails("create table p (a int primary key, n counter, label text);");
    assert_eq!(
        kind,
        ReplayErrorKind::CounterMix {
            table: id("p"),
            column: id("label")
        }
    );
    assert_eq!(span, "label");
    let (kind, ..) =
        fails("create table p (a int primary key, n counter); alter table p add label text;");
    assert_eq!(
        kind,
        ReplayErrorKind::CounterMix {
            table: id("p"),
            column: id("label")
        }
    );
    let (kind, ..) = fails(&format!("{T}alter table t add n counter;"));
    assert_eq!(
        kind,
        ReplayErrorKind::CounterMix {
            table: id("t"),
            column: id("n")
        }
    );
    let (kind, ..) =
        fails("create table p (a int primary key, n counter) with default_time_to_live = 60;");
    assert_eq!(kind, ReplayErrorKind::CounterTtl { table: id("p") });
    let (kind, ..) = fails(
        "create table p (a int primary key, n counter); alter table p with default_time_to_live = 60;",
    );
    assert_eq!(kind, ReplayErrorKind::CounterTtl { table: id("p") });
    let (kind, ..) = fails("create table p (a int primary key, n counter); create index on p (n);");
    assert!(matches!(kind, ReplayErrorKind::InvalidIndex { .. }));
}

#[test]
fn drop_of_a_type_in_use() {
    let (kind, span, _) = fails(
        "create type a (x int); create table t (k int primary key, v frozen<a>); drop type a;",
    );
    assert_eq!(
        kind,
        ReplayErrorKind::TypeInUse {
            name: id("a"),
            users: "table `t`".to_owned()
        }
    );
    assert_eq!(span, "a");
    let (kind, ..) = fails("create type a (x int); create type b (y frozen<a>); drop type a;");
    assert_eq!(
        kind,
        ReplayErrorKind::TypeInUse {
            name: id("a"),
            users: "type `b`".to_owned()
        }
    );
    assert_eq!(kind.to_string(), "type `a` is still used by type `b`");
    ok(
        "create type a (x int); create table t (k int primary key, v frozen<a>); alter table t drop v; drop type a;",
    );
}

#[test]
fn index_rules() {
    let (kind, span, _) = fails(&format!("{T}create index on t (nope);"));
    assert_eq!(
        kind,
        ReplayErrorKind::ColumnMissing {
            table: id("t"),
            column: id("nope"),
            suggestion: None
        }
    );
    assert_eq!(span, "nope");
    let (kind, ..) = fails("create table u (a int primary key, b int); create index on u (a);");
    assert!(
        matches!(kind, ReplayErrorKind::InvalidIndex { ref message } if message.contains("only partition key column"))
    );
    let (kind, ..) = fails(&format!(
        "{T}create index a on t (v); create index b on t (v);"
    ));
    assert_eq!(
        kind,
        ReplayErrorKind::DuplicateIndex {
            name: id("b"),
            existing: id("a")
        }
    );
    let cases = [
        (
            "create table u (a int primary key, l frozen<list<int>>); create index on u (l);",
            "full(l)",
        ),
        (
            "create table u (a int primary key, l list<int>); create index on u (full(l));",
            "frozen collections",
        ),
        (
            "create table u (a int primary key, l list<int>); create index on u (keys(l));",
            "non-frozen map",
        ),
        (
            "create table u (a int primary key, b int); create index on u (values(b));",
            "not a collection",
        ),
        (
            "create table u (a int primary key, d duration); create index on u (d);",
            "durations",
        ),
        (
            "create type p (x int); create table u (a int primary key, b p); create index on u (b);",
            "non-frozen user-defined",
        ),
        (
            &format!(
                "{T}create materialized view mv as select k, c, v from t where k is not null and c is not null primary key (c, k); create index on mv (v);"
            ),
            "materialized views",
        ),
    ];
    for (script, expected) in cases {
        let (kind, ..) = fails(script);
        assert!(
            matches!(&kind, ReplayErrorKind::InvalidIndex { message } if message.contains(expected)),
            "{script}: {kind:?}"
        );
    }
}

#[test]
fn columns_with_dependents() {
    let (kind, ..) = fails(&format!(
        "{T}create index i on t (v); alter table t drop v;"
    ));
    assert_eq!(
        kind,
        ReplayErrorKind::ColumnHasIndexes {
            action: "drop",
            table: id("t"),
            column: id("v"),
            indexes: "`i`".to_owned()
        }
    );
    let (kind, ..) = fails(&format!(
        "{T}create index i on t (c); alter table t rename c to d;"
    ));
    assert!(matches!(
        kind,
        ReplayErrorKind::ColumnHasIndexes {
            action: "rename",
            ..
        }
    ));
    let view = "create materialized view mv as select k, c, v from t where k is not null and c is not null primary key (c, k);";
    let (kind, ..) = fails(&format!("{T}{view} alter table t drop v;"));
    assert!(matches!(kind, ReplayErrorKind::ColumnHasViews { .. }));
    let (kind, ..) = fails(&format!("{T}{view} drop table t;"));
    assert_eq!(
        kind,
        ReplayErrorKind::TableHasViews {
            table: id("t"),
            views: "`mv`".to_owned()
        }
    );
    // A rename carries over to the view.
    let schema = ok(&format!("{T}{view} alter table t rename c to d;"));
    assert_eq!(
        schema.views.get(&id("mv")).unwrap().partition_key,
        [id("d")]
    );
}

#[test]
fn key_and_static_rules() {
    let cases: [(&str, &str); 5] = [
        (
            "create table u (a list<int> primary key);",
            "a non-frozen collection (`list<int>`)",
        ),
        (
            "create table u (a counter primary key, b counter);",
            "a counter",
        ),
        ("create table u (a duration primary key);", "a duration"),
        (
            "create table u (a int, b int static, primary key (a, b));",
            "static",
        ),
        (
            "create type p (x int); create table u (a p primary key);",
            "a non-frozen user-defined type (`p`)",
        ),
    ];
    for (script, reason) in cases {
        let (kind, ..) = fails(script);
        assert!(
            matches!(&kind, ReplayErrorKind::InvalidKeyColumn { reason: r, .. } if r == reason),
            "{script}: {kind:?}"
        );
    }
    let (kind, ..) = fails("create table u (a int primary key, b int static);");
    assert_eq!(
        kind,
        ReplayErrorKind::StaticWithoutClustering {
            table: id("u"),
            column: id("b")
        }
    );
    let (kind, ..) = fails("create table u (a int primary key); alter table u add b int static;");
    assert_eq!(
        kind,
        ReplayErrorKind::StaticWithoutClustering {
            table: id("u"),
            column: id("b")
        }
    );
    let (kind, span, _) = fails("create table u (a int, b int, primary key (a, c));");
    assert!(matches!(kind, ReplayErrorKind::ColumnMissing { .. }));
    assert_eq!(span, "c");
    let (kind, ..) = fails("create table u (a int, b int, primary key (a, a));");
    assert_eq!(
        kind,
        ReplayErrorKind::DuplicateKeyColumn {
            table: id("u"),
            column: id("a")
        }
    );
}

#[test]
fn type_rules() {
    let (kind, ..) = fails("create type a (x int); alter type a add x text;");
    assert_eq!(
        kind,
        ReplayErrorKind::FieldExists {
            type_name: id("a"),
            field: id("x")
        }
    );
    let (kind, ..) = fails("create type a (x int); alter type a rename y to z;");
    assert_eq!(
        kind,
        ReplayErrorKind::FieldMissing {
            type_name: id("a"),
            field: id("y")
        }
    );
    let (kind, ..) = fails("create type a (x int, y int); alter type a rename x to y;");
    assert_eq!(
        kind,
        ReplayErrorKind::DuplicateField {
            type_name: id("a"),
            field: id("y")
        }
    );
    let (kind, ..) = fails("create type a (x int, x text);");
    assert_eq!(
        kind,
        ReplayErrorKind::DuplicateField {
            type_name: id("a"),
            field: id("x")
        }
    );
    let (kind, ..) = fails("create type a (x int); alter type a add me frozen<a>;");
    assert_eq!(kind, ReplayErrorKind::CircularType { name: id("a") });
    let (kind, ..) = fails("create type a (x counter);");
    assert!(
        matches!(kind, ReplayErrorKind::InvalidType { ref message } if message.contains("counters"))
    );
    let (kind, ..) = fails("create type a (x int); create type b (y a);");
    assert!(
        matches!(kind, ReplayErrorKind::InvalidType { ref message } if message.contains("frozen<a>"))
    );
    let (kind, ..) = fails(
        "create type a (x int); create table t (k frozen<a>, v int, primary key (k)); alter type a add y int;",
    );
    assert_eq!(
        kind,
        ReplayErrorKind::TypeInPartitionKey {
            type_name: id("a"),
            tables: "table `t`".to_owned()
        }
    );
    let (kind, ..) = fails("create type a (x list<int>); create table t (k int primary key, v a);");
    assert!(
        matches!(kind, ReplayErrorKind::InvalidType { ref message } if message.contains("frozen<a>"))
    );
    let (kind, ..) = fails(
        "create type a (x int); create table t (k int primary key, v a); alter table t drop v;",
    );
    assert_eq!(
        kind,
        ReplayErrorKind::DropNonFrozenUdt {
            table: id("t"),
            column: id("v")
        }
    );
}

#[test]
fn names_tables_and_views() {
    let (kind, span, _) = fails("create table \"My Table\" (a int primary key);");
    assert_eq!(
        kind,
        ReplayErrorKind::InvalidName {
            what: "table",
            name: id("My Table")
        }
    );
    assert_eq!(span, "\"My Table\"");
    let view = "create materialized view mv as select k, c from t where k is not null and c is not null primary key (c, k);";
    let (kind, ..) = fails(&format!("{T}{view} alter table mv add x int;"));
    assert_eq!(
        kind,
        ReplayErrorKind::WrongObjectKind {
            name: id("mv"),
            actual: "materialized view",
            expected: "table"
        }
    );
    let (kind, ..) = fails(&format!("{T}drop materialized view t;"));
    assert_eq!(
        kind,
        ReplayErrorKind::WrongObjectKind {
            name: id("t"),
            actual: "table",
            expected: "materialized view"
        }
    );
    let (kind, ..) = fails(&format!("{T}{view}{view}"));
    assert_eq!(
        kind,
        ReplayErrorKind::NameTaken {
            what: "materialized view",
            name: id("mv")
        }
    );
    let (kind, ..) = fails(&format!(
        "{T}create materialized view mv2 as select k from t where k is not null primary key (k);"
    ));
    assert!(
        matches!(kind, ReplayErrorKind::InvalidView { ref message } if message.contains("`c` is missing"))
    );
    let (kind, ..) = fails(&format!(
        "{T}create materialized view mv2 as select k, c, v from t where v is not null primary key ((v, s), k, c);"
    ));
    assert!(
        matches!(kind, ReplayErrorKind::InvalidView { ref message } if message.contains("at most one column"))
    );
    let (kind, ..) = fails(&format!(
        "{T}create materialized view mv2 as select k, nope from t where k is not null primary key (k, c);"
    ));
    assert!(matches!(kind, ReplayErrorKind::ColumnMissing { .. }));
}

#[test]
fn error_messages_read_well() {
    let cases = [
        (
            format!("{T}alter table t drop k;"),
            "can't drop `k`: it is part of the primary key of `t`",
        ),
        (
            format!("{T}alter table t add v int;"),
            "table `t` already has a column `v`",
        ),
        (
            "create table \"order\" (a int primary key); drop table \"Order\";".to_owned(),
            "table `\"Order\"` doesn't exist",
        ),
        (
            format!("{T}alter table t drop v; alter table t add v int;"),
            "can't re-add column `v` of `t` as `int`: it was dropped as `text`, which is incompatible",
        ),
    ];
    for (script, message) in cases {
        match replay_script(&script) {
            Err(e) => assert_eq!(e.to_string(), message),
            Ok(_) => panic!("{script} replayed"),
        }
    }
}

#[test]
fn statement_indexes_and_spans_are_per_statement() {
    let mut replayer = Replayer::new();
    replayer
        .apply(&parse_statement("create table t (a int primary key)").unwrap())
        .unwrap();
    let text = "alter table t drop a";
    let e = replayer.apply(&parse_statement(text).unwrap()).unwrap_err();
    assert_eq!(e.statement, 1);
    assert_eq!(&text[e.span.clone()], "a");
}
