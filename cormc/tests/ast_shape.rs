//! The AST the parser builds: shapes, spans and the lexical rules of the
//! language reference.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{only_item, parse, parse_err, parse_ok};
use cormc::ast::*;

fn model(text: &str) -> Model {
    match only_item(&parse_ok(text)) {
        Item::Model(m) => m.clone(),
        other => panic!("not a model: {other:?}"),
    }
}

fn query(text: &str) -> Query {
    match only_item(&parse_ok(text)) {
        Item::Query(q) => q.clone(),
        other => panic!("not a query: {other:?}"),
    }
}

fn names(idents: &[Ident]) -> Vec<&str> {
    idents.iter().map(Ident::as_str).collect()
}

fn field_names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

fn type_text(ty: &TypeExpr) -> String {
    let inner = match &ty.kind {
        TypeKind::Named(n) => n.name.clone(),
        TypeKind::List(t) => format!("list<{}>", type_text(t)),
        TypeKind::Set(t) => format!("set<{}>", type_text(t)),
        TypeKind::Frozen(t) => format!("frozen<{}>", type_text(t)),
        TypeKind::Map { key, value } => format!("map<{}, {}>", type_text(key), type_text(value)),
        TypeKind::Tuple(ts) => format!(
            "tuple<{}>",
            ts.iter().map(type_text).collect::<Vec<_>>().join(", ")
        ),
        TypeKind::Vector { element, dimension } => {
            format!("vector<{}, {}>", type_text(element), dimension.value)
        }
    };
    if ty.is_optional() {
        format!("{inner}?")
    } else {
        inner
    }
}

#[test]
fn keywords_are_contextual_field_names() {
    let m = model(
        "model Thing {
            model: text
            text:  text
            key:   uuid
            type:  int
            index: int
            token: bigint
            table: text
            ttl:   int
            where: text
            order: int
            event: text
            has_many: int
            key (key, model)
            index (text)
            table things
        }",
    );
    assert_eq!(
        field_names(&m.fields),
        [
            "model", "text", "key", "type", "index", "token", "table", "ttl", "where", "order",
            "event", "has_many"
        ]
    );
    let key = m.key.unwrap();
    assert_eq!(key.partition.columns[0].name.as_str(), "key");
    assert_eq!(key.clustering[0].name.as_str(), "model");
    assert_eq!(m.indexes[0].column.as_str(), "text");
    assert_eq!(m.table.unwrap().name.as_str(), "things");
}

#[test]
fn key_forms_follow_cql() {
    let key = |k: &str| {
        model(&format!("model M {{ a: int b: int c: int d: int {k} }}"))
            .key
            .unwrap()
    };

    let k = key("key (a)");
    assert_eq!(k.partition.columns.len(), 1);
    assert!(!k.partition.parenthesized);
    assert!(k.clustering.is_empty());

    let k = key("key (a, b)");
    assert_eq!(k.partition.columns[0].name.as_str(), "a");
    assert_eq!(k.clustering[0].name.as_str(), "b");
    assert!(k.clustering[0].order.is_none());

    let k = key("key ((a, b))");
    assert!(k.partition.parenthesized);
    assert_eq!(k.partition.columns.len(), 2);
    assert!(k.clustering.is_empty());

    let k = key("key ((a, b), c, d desc)");
    assert_eq!(k.partition.columns.len(), 2);
    assert_eq!(k.clustering.len(), 2);
    assert_eq!(
        k.clustering[1].order.map(|o| o.direction),
        Some(SortDirection::Desc)
    );
    let k = key("key (a, b asc)");
    assert_eq!(
        k.clustering[0].order.map(|o| o.direction),
        Some(SortDirection::Asc)
    );
    // An order on a partition column is kept for the checker to reject.
    let k = key("key (a desc, b)");
    assert!(k.partition.columns[0].order.is_some());
}

#[test]
fn types_are_trees() {
    let m = model(
        "model T {
            a: list<int>
            b: set<frozen<Address>>?
            c: map<text, frozen<list<int>>>
            d: tuple<int, text, uuid>
            e: vector<float, 384>
            f: Address?
            g: frozen<map<text, set<int>>>
        }",
    );
    let types: Vec<String> = m.fields.iter().map(|f| type_text(&f.ty)).collect();
    assert_eq!(
        types,
        [
            "list<int>",
            "set<frozen<Address>>?",
            "map<text, frozen<list<int>>>",
            "tuple<int, text, uuid>",
            "vector<float, 384>",
            "Address?",
            "frozen<map<text, set<int>>>",
        ]
    );
    assert_eq!(
        cormc::ir::Scalar::from_name("timeuuid"),
        Some(cormc::ir::Scalar::Timeuuid)
    );
    assert_eq!(cormc::ir::Scalar::from_name("Address"), None);
}

#[test]
fn attributes_with_arguments() {
    let m = model(
        r#"model U {
            id:    uuid      @default(uuid)
            t:     timeuuid  @default(timeuuid)
            at:    timestamp @default(now) @on_update(now)
            n:     int       @default(-5)
            s:     OrderStatus @default(OrderStatus.pending)
            ok:    boolean   @default(true)
            email: text      @unique @validate(email, length(3, 200), not_empty)
            age:   int       @validate(range(-1.5, 150))
            code:  text      @validate(regex("\d+"), one_of("a", "b",), url)
            v:     text      @static @cql("select")
        }"#,
    );
    let kinds = |i: usize| {
        m.fields[i]
            .attributes
            .iter()
            .map(|a| a.kind.clone())
            .collect::<Vec<_>>()
    };
    assert!(matches!(&kinds(0)[0], AttributeKind::Default(d) if d.kind == DefaultValueKind::Uuid));
    assert!(
        matches!(&kinds(1)[0], AttributeKind::Default(d) if d.kind == DefaultValueKind::Timeuuid)
    );
    assert!(matches!(&kinds(2)[0], AttributeKind::Default(d) if d.kind == DefaultValueKind::Now));
    assert!(matches!(&kinds(2)[1], AttributeKind::OnUpdateNow { .. }));
    match &kinds(3)[0] {
        AttributeKind::Default(DefaultValue {
            kind:
                DefaultValueKind::Literal(Literal {
                    kind: LiteralKind::Number(n),
                    ..
                }),
            ..
        }) => assert_eq!(n.as_i64(), Some(-5)),
        other => panic!("{other:?}"),
    }
    match &kinds(4)[0] {
        AttributeKind::Default(DefaultValue {
            kind: DefaultValueKind::Enum(e),
            ..
        }) => {
            assert_eq!(
                (e.enum_name.as_str(), e.variant.as_str()),
                ("OrderStatus", "pending")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        &kinds(5)[0],
        AttributeKind::Default(DefaultValue {
            kind: DefaultValueKind::Literal(Literal {
                kind: LiteralKind::Bool(BoolLit { value: true, .. }),
                ..
            }),
            ..
        })
    ));
    assert!(matches!(kinds(6)[0], AttributeKind::Unique { table: None }));
    match &kinds(6)[1] {
        AttributeKind::Validate(rules) => {
            assert_eq!(rules.len(), 3);
            assert!(matches!(rules[0].kind, ValidateRuleKind::Email));
            assert!(matches!(
                rules[1].kind,
                ValidateRuleKind::Length {
                    min: IntLit { value: 3, .. },
                    max: IntLit { value: 200, .. }
                }
            ));
            assert!(matches!(rules[2].kind, ValidateRuleKind::NotEmpty));
        }
        other => panic!("{other:?}"),
    }
    match &kinds(7)[0] {
        AttributeKind::Validate(rules) => match &rules[0].kind {
            ValidateRuleKind::Range { min, max } => {
                assert_eq!((min.text.as_str(), max.text.as_str()), ("-1.5", "150"));
                assert!(min.decimal);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match &kinds(8)[0] {
        AttributeKind::Validate(rules) => {
            assert!(matches!(&rules[0].kind, ValidateRuleKind::Regex(s) if s.value == r"\d+"));
            assert!(matches!(&rules[1].kind, ValidateRuleKind::OneOf(v) if v.len() == 2));
            assert!(matches!(rules[2].kind, ValidateRuleKind::Url));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(kinds(9)[0], AttributeKind::Static));
    assert!(matches!(&kinds(9)[1], AttributeKind::Cql(s) if s.value == "select"));
}

#[test]
fn strings_escape_only_quote_and_backslash() {
    let m = model(
        "model S {
            a: text @cql(\"say \\\"hi\\\" \\\\ \\n\")
            b: text @cql(\"\"\"multi
line \\ \" \"\"\")
        }",
    );
    let value = |i: usize| match &m.fields[i].attributes[0].kind {
        AttributeKind::Cql(s) => (s.value.clone(), s.triple),
        other => panic!("{other:?}"),
    };
    assert_eq!(value(0), ("say \"hi\" \\ \\n".to_owned(), false));
    assert_eq!(value(1), ("multi\nline \\ \" ".to_owned(), true));
}

#[test]
fn durations_have_seven_units() {
    for (text, millis) in [
        ("500ms", 500),
        ("10s", 10_000),
        ("15m", 900_000),
        ("1h", 3_600_000),
        ("7d", 604_800_000),
        ("4w", 2_419_200_000),
        ("2y", 63_072_000_000),
    ] {
        let m = model(&format!("model D {{ id: int key (id) ttl {text} }}"));
        assert_eq!(m.ttl.unwrap().duration.as_millis(), Some(millis), "{text}");
    }
}

#[test]
fn doc_comments_attach_to_items_fields_variants_and_events() {
    let file = parse_ok(
        "/// The user.
/// Second line.
model User {
  /// The id.
  id: uuid
  //// not a doc
  name: text
  /// Only a comment: before a clause.
  key (id)
  /// Only a comment: before the end.
}

/// Status.
enum Status {
  /// Active.
  active,
  suspended /// ignored before `}`
}

events Account {
  id: uuid
  /// Opened.
  event Opened {
    /// Owner.
    owner: text
  }
}
/// Trailing, at the end of the file.
",
    );
    let Item::Model(user) = &file.items[0] else {
        panic!()
    };
    assert_eq!(user.doc.as_ref().unwrap().text, "The user.\nSecond line.");
    assert_eq!(user.fields[0].doc.as_ref().unwrap().text, "The id.");
    assert!(user.fields[1].doc.is_none());
    let Item::Enum(status) = &file.items[1] else {
        panic!()
    };
    assert_eq!(status.doc.as_ref().unwrap().text, "Status.");
    assert_eq!(status.variants[0].doc.as_ref().unwrap().text, "Active.");
    assert!(status.variants[1].doc.is_none());
    let Item::Events(account) = &file.items[2] else {
        panic!()
    };
    assert_eq!(account.events[0].doc.as_ref().unwrap().text, "Opened.");
    assert_eq!(
        account.events[0].fields[0].doc.as_ref().unwrap().text,
        "Owner."
    );
}

#[test]
fn a_doc_comment_inside_an_expression_is_a_comment() {
    let m = model("model U {\n  id: /// the id\n      uuid\n  key (id)\n}\n");
    assert_eq!(type_text(&m.fields[0].ty), "uuid");
}

#[test]
fn commas_are_optional_in_types_events_and_enums() {
    let file = parse_ok(
        "type A { x: int, y: text z: uuid, }
         enum E { a b, c, }
         enum Empty {}
         events S { id: uuid event Nothing {} event Pair { a: int b: int, } }",
    );
    let Item::Type(a) = &file.items[0] else {
        panic!()
    };
    assert_eq!(field_names(&a.fields), ["x", "y", "z"]);
    let Item::Enum(e) = &file.items[1] else {
        panic!()
    };
    assert_eq!(
        e.variants
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    let Item::Enum(empty) = &file.items[2] else {
        panic!()
    };
    assert!(empty.variants.is_empty());
    let Item::Events(s) = &file.items[3] else {
        panic!()
    };
    assert!(s.events[0].fields.is_empty());
    assert_eq!(field_names(&s.events[1].fields), ["a", "b"]);
}

#[test]
fn query_operators_and_operands() {
    let q = query(
        r#"query q on T {
            where a = ?a and b < 1 and c <= -2.5 and d > "x" and e >= ?e
              and f in ?fs and g contains ?g and h contains key ?h and i = Status.active
              and j = true and k = 10s
            order b desc, c
            limit ?n
            allow filtering
        }"#,
    );
    let conditions = q.where_clause.unwrap().conditions;
    let ops: Vec<OperatorKind> = conditions.iter().map(|c| c.operator.kind).collect();
    use OperatorKind::*;
    assert_eq!(
        ops,
        [Eq, Lt, Le, Gt, Ge, In, Contains, ContainsKey, Eq, Eq, Eq]
    );
    assert!(matches!(&conditions[0].operand.kind, OperandKind::Param(p) if p.name == "a"));
    assert!(
        matches!(&conditions[2].operand.kind, OperandKind::Literal(Literal { kind: LiteralKind::Number(n), .. }) if n.text == "-2.5")
    );
    assert!(
        matches!(&conditions[3].operand.kind, OperandKind::Literal(Literal { kind: LiteralKind::String(s), .. }) if s.value == "x")
    );
    assert!(
        matches!(&conditions[8].operand.kind, OperandKind::Enum(e) if e.variant.name == "active")
    );
    assert!(matches!(
        &conditions[10].operand.kind,
        OperandKind::Literal(Literal {
            kind: LiteralKind::Duration(_),
            ..
        })
    ));
    let order = q.order.unwrap();
    assert_eq!(order.items.len(), 2);
    assert_eq!(
        order.items[0].order.map(|o| o.direction),
        Some(SortDirection::Desc)
    );
    assert!(matches!(q.limit.unwrap().value, LimitValue::Param(p) if p.name == "n"));
    assert!(q.allow_filtering.is_some());
}

#[test]
fn a_parameter_span_excludes_the_question_mark() {
    let text = "query q on T { where a = ?author }";
    let q = query(text);
    let condition = &q.where_clause.unwrap().conditions[0];
    let OperandKind::Param(p) = &condition.operand.kind else {
        panic!()
    };
    assert_eq!(&text[p.span.range()], "author");
    assert_eq!(&text[condition.operand.span.range()], "?author");
}

#[test]
fn aggregates() {
    let file = parse_ok(
        "aggregate s on Post {
            where author_id = ?author
            group by author_id, day
            select count(*) as n, sum(likes) as total,
                   max(created_at) as last
            having total >= 10 and n > ?min
            order total desc
            limit 5
        }",
    );
    let Item::Aggregate(a) = only_item(&file) else {
        panic!()
    };
    assert_eq!(
        names(&a.group_by.as_ref().unwrap().columns),
        ["author_id", "day"]
    );
    let select = a.select.as_ref().unwrap();
    assert_eq!(select.items.len(), 3);
    assert!(matches!(select.items[0].argument, AggregateArg::Star(_)));
    assert_eq!(select.items[1].function.kind, AggregateFnKind::Sum);
    assert_eq!(select.items[2].alias.as_str(), "last");
    assert_eq!(a.having.as_ref().unwrap().conditions.len(), 2);
    assert!(matches!(
        a.limit.as_ref().unwrap().value,
        LimitValue::Fixed(UintLit { value: 5, .. })
    ));
}

#[test]
fn a_comma_list_continues_only_after_a_trailing_comma() {
    let file = parse_ok(
        "timeseries M {
            series host: text,
                   name: text
            value: double
            bucket 1h
        }",
    );
    let Item::TimeSeries(m) = only_item(&file) else {
        panic!()
    };
    assert_eq!(
        field_names(&m.series.as_ref().unwrap().fields),
        ["host", "name"]
    );
    assert_eq!(field_names(&m.fields), ["value"]);

    // Without the comma `sum(likes) as b` starts a new member: an error.
    let err = parse_err("aggregate a on P { select count(*) as n\n sum(likes) as b }");
    assert!(err.contains("E0001"), "{err}");
}

#[test]
fn keyspace_replication() {
    let file = parse_ok(
        r#"keyspace shop { replication network_topology(dc1: 3, "us-east-1": 2) durable_writes false }"#,
    );
    let Item::Keyspace(k) = only_item(&file) else {
        panic!()
    };
    let ReplicationStrategy::NetworkTopology { data_centers } =
        &k.replication.as_ref().unwrap().strategy
    else {
        panic!()
    };
    assert_eq!(data_centers[0].name, "dc1");
    assert_eq!(data_centers[1].name, "us-east-1");
    assert!(data_centers[1].quoted.is_some());
    assert_eq!(data_centers[1].factor.value, 2);
    assert!(!k.durable_writes.unwrap().value.value);
}

#[test]
fn relations_and_model_clauses() {
    let m = model(
        "model Doc {
            id: uuid
            owner_a: uuid
            owner_b: uuid
            embedding: vector<float, 3>
            key (id)
            belongs_to owner: Owner(owner_a, owner_b)
            has_many parts: Part(doc_id)
            ttl 1d
            compaction time_window(1h)
            vector_index embedding similarity dot_product
            vector_index other
        }",
    );
    assert_eq!(m.relations[0].kind, RelationKind::BelongsTo);
    assert_eq!(names(&m.relations[0].fields), ["owner_a", "owner_b"]);
    assert_eq!(m.relations[1].target.as_str(), "Part");
    assert!(matches!(
        m.compaction.unwrap().strategy.kind,
        CompactionKind::TimeWindow(DurationLit {
            value: 1,
            unit: DurationUnit::Hours,
            ..
        })
    ));
    assert_eq!(
        m.vector_indexes[0].similarity.map(|s| s.kind),
        Some(SimilarityKind::DotProduct)
    );
    assert!(m.vector_indexes[1].similarity.is_none());
}

#[test]
fn migrations_find_statement_ends() {
    let text = r#"migration 1 init {
  CREATE TABLE users (id uuid, name text, primary key (id))
    WITH comment = 'it''s; fine' AND compaction = {'class': 'LeveledCompactionStrategy', 'x': ';'};
  create function f() returns null on null input returns text language java as $$ return ";"; $$;
  alter table "odd;name" add -- a comment; with a semicolon
    b int; // trailing
  /* a; block */ drop table old;
  cql """
    update users set name = 'x' where id = 1;
    delete from users where id = 2
  """
  drop index users_name_idx;
}
migration 2 next {
}
"#;
    let file = parse_ok(text);
    let Item::Migration(m) = &file.items[0] else {
        panic!()
    };
    assert_eq!(m.number.value, 1);
    assert_eq!(m.name.as_str(), "init");
    let steps: Vec<String> = m
        .steps
        .iter()
        .map(|s| match s {
            MigrationStep::Ddl(d) => format!(
                "{:?}: {}",
                d.verb,
                d.text.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            MigrationStep::Cql(c) => format!("cql: {}", c.body.value.trim()),
        })
        .collect();
    assert_eq!(steps.len(), 6, "{steps:#?}");
    assert!(steps[0].starts_with("Create: CREATE TABLE users"));
    assert!(steps[0].ends_with("'x': ';'}"), "{}", steps[0]);
    assert!(steps[1].ends_with("$$ return \";\"; $$"), "{}", steps[1]);
    assert!(steps[2].starts_with("Alter: alter table \"odd;name\" add -- a comment;"));
    assert_eq!(steps[3], "Drop: drop table old");
    assert!(steps[4].starts_with("cql: update users"));
    assert_eq!(steps[5], "Drop: drop index users_name_idx");
    let MigrationStep::Ddl(first) = &m.steps[0] else {
        panic!()
    };
    assert_eq!(&text[first.text_span.range()], first.text);
    assert!(text[first.span.range()].ends_with(';'));
    let Item::Migration(second) = &file.items[1] else {
        panic!()
    };
    assert!(second.steps.is_empty());
}

#[test]
fn spans_point_at_the_source() {
    let text = "/// Doc.\nmodel User {\n  email: text @unique\n  key (email)\n}\n";
    let m = model(text);
    let field = &m.fields[0];
    assert_eq!(&text[field.name.span.range()], "email");
    assert_eq!(&text[field.ty.span.range()], "text");
    assert_eq!(&text[field.span.range()], "email: text @unique");
    assert_eq!(&text[field.attributes[0].span.range()], "@unique");
    assert_eq!(&text[m.key.as_ref().unwrap().span.range()], "key (email)");
    assert!(text[m.span.range()].starts_with("/// Doc.\nmodel User {"));
    assert!(text[m.span.range()].ends_with('}'));
}

#[test]
fn errors_found_while_building_are_reported_together() {
    let err =
        parse_err("model U {\n  id: uuid @uniqe\n  tags: array<text>\n  key (id)\n  key (id)\n}\n");
    assert!(err.contains("E0005"), "{err}");
    assert!(err.contains("E0006"), "{err}");
    assert!(err.contains("E0004"), "{err}");
}

#[test]
fn every_broken_item_is_reported() {
    let (_, result) = parse(
        "t.corm",
        "model A {\n  id uuid\n}\n\nmodel B {\n  key id\n}\n\nenum C { a, b }\n\nquery q on A {\n  where x = \n}\n",
    );
    let errors = result.unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn numbers_out_of_range_are_errors() {
    let err = parse_err("model V { v: vector<float, 99999999999999999999999> }");
    assert!(err.contains("E0008"), "{err}");
}

#[test]
fn crlf_bom_and_keyword_names() {
    let file = parse_ok(
        "\u{FEFF}/// Kinds.\r\nenum Kind { model type query, key }\r\nmodel model {\r\n  /// The kind.\r\n  type: Kind\r\n  key (type)\r\n}\r\nquery where on model { where type = Kind.model order type limit 1 }\r\n",
    );
    let Item::Enum(kind) = &file.items[0] else {
        panic!()
    };
    assert_eq!(kind.doc.as_ref().unwrap().text, "Kinds.");
    let variants: Vec<&str> = kind.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(variants, ["model", "type", "query", "key"]);
    let Item::Model(model) = &file.items[1] else {
        panic!()
    };
    assert_eq!(model.name.as_str(), "model");
    assert_eq!(model.fields[0].doc.as_ref().unwrap().text, "The kind.");
    let Item::Query(query) = &file.items[2] else {
        panic!()
    };
    assert_eq!(
        (query.name.as_str(), query.target.as_str()),
        ("where", "model")
    );
}
