//! The example schema in GraphQL over real HTTP, against a real node: the
//! running server's introspection equals the generated `schema.graphql`;
//! every CQL type round-trips through a mutation and a query; a partition
//! is walked page by page with no row missing or twice; validation and
//! unique violations come back as errors with their fields; forged
//! cursors, oversized pages and over-deep queries are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use corm::graphql::GraphqlOptions;
use corm::graphql::async_graphql::parser::parse_schema;
use corm::graphql::async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use corm::testing::with_keyspace;
use corm_examples::generated::{Db, Order, OrderKey, SCHEMA_GRAPHQL};
use corm_examples::server::graphql_routes;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// Serves the schema over `db` with `options` on a free loopback port; the
/// endpoint's URL.
async fn serve(db: &Db, options: GraphqlOptions) -> String {
    let routes = graphql_routes(db, options, true).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    format!("http://{address}/graphql")
}

/// Posts `query` with `variables`; the response's JSON.
async fn post(url: &str, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// The `data` of a response that must have no errors.
fn data(response: Value) -> Value {
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"].clone()
}

/// The first error's `extensions`.
fn first_error(response: &Value) -> &Value {
    let errors = response["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors: {response:#}"));
    &errors[0]
}

/// A type as both sides describe it: kind, description, and each field
/// (or input field, or enum value) with its type, description and
/// arguments.
type Shape = (
    String,
    String,
    BTreeMap<String, (String, String, Vec<(String, String)>)>,
);

/// The shapes of the types the SDL defines.
fn sdl_shapes(sdl: &str) -> BTreeMap<String, Shape> {
    let document = parse_schema(sdl).unwrap();
    let mut shapes = BTreeMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(definition) = definition else {
            continue;
        };
        let definition = definition.node;
        let description = definition.description.map(|d| d.node).unwrap_or_default();
        let (kind, fields) = match definition.kind {
            TypeKind::Object(object) => (
                "OBJECT",
                object
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let arguments = field
                            .arguments
                            .into_iter()
                            .map(|argument| {
                                (
                                    argument.node.name.node.to_string(),
                                    argument.node.ty.node.to_string(),
                                )
                            })
                            .collect();
                        let description = field.description.map(|d| d.node).unwrap_or_default();
                        (
                            field.name.node.to_string(),
                            (field.ty.node.to_string(), description, arguments),
                        )
                    })
                    .collect(),
            ),
            TypeKind::InputObject(input) => (
                "INPUT_OBJECT",
                input
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let description = field.description.map(|d| d.node).unwrap_or_default();
                        (
                            field.name.node.to_string(),
                            (field.ty.node.to_string(), description, Vec::new()),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Enum(enumeration) => (
                "ENUM",
                enumeration
                    .values
                    .into_iter()
                    .map(|value| {
                        (
                            value.node.value.node.to_string(),
                            (String::new(), String::new(), Vec::new()),
                        )
                    })
                    .collect(),
            ),
            TypeKind::Scalar => ("SCALAR", BTreeMap::new()),
            TypeKind::Union(union) => (
                "UNION",
                union
                    .members
                    .into_iter()
                    .map(|member| {
                        (
                            member.node.to_string(),
                            (String::new(), String::new(), Vec::new()),
                        )
                    })
                    .collect(),
            ),
            other => panic!("unexpected kind {other:?}"),
        };
        shapes.insert(
            definition.name.node.to_string(),
            (kind.to_owned(), description, fields),
        );
    }
    shapes
}

/// An introspected type reference as SDL writes it (`[String!]!`).
fn type_text(ty: &Value) -> String {
    match ty["kind"].as_str().unwrap() {
        "NON_NULL" => format!("{}!", type_text(&ty["ofType"])),
        "LIST" => format!("[{}]", type_text(&ty["ofType"])),
        _ => ty["name"].as_str().unwrap().to_owned(),
    }
}

const INTROSPECTION: &str = "
    fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
    query {
      __schema {
        types {
          kind name description
          fields { name description type { ...Ref } args { name type { ...Ref } } }
          inputFields { name description type { ...Ref } }
          enumValues { name }
          possibleTypes { name }
        }
      }
    }";

/// The shapes of the types the running server describes (built-in ones
/// left out).
fn introspected_shapes(schema: &Value) -> BTreeMap<String, Shape> {
    const BUILT_IN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];
    let mut shapes = BTreeMap::new();
    for ty in schema["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || BUILT_IN.contains(&name) {
            continue;
        }
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let mut fields = BTreeMap::new();
        for field in ty["fields"].as_array().into_iter().flatten() {
            let arguments = field["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|argument| (text(&argument["name"]), type_text(&argument["type"])))
                .collect();
            fields.insert(
                text(&field["name"]),
                (
                    type_text(&field["type"]),
                    text(&field["description"]),
                    arguments,
                ),
            );
        }
        for field in ty["inputFields"].as_array().into_iter().flatten() {
            fields.insert(
                text(&field["name"]),
                (
                    type_text(&field["type"]),
                    text(&field["description"]),
                    Vec::new(),
                ),
            );
        }
        for value in ty["enumValues"].as_array().into_iter().flatten() {
            fields.insert(
                text(&value["name"]),
                (String::new(), String::new(), Vec::new()),
            );
        }
        for member in ty["possibleTypes"].as_array().into_iter().flatten() {
            fields.insert(
                text(&member["name"]),
                (String::new(), String::new(), Vec::new()),
            );
        }
        shapes.insert(
            name.to_owned(),
            (text(&ty["kind"]), text(&ty["description"]), fields),
        );
    }
    shapes
}

#[tokio::test]
async fn the_running_schema_is_the_generated_sdl() {
    with_keyspace("graphql_sdl", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let running = introspected_shapes(&data(post(&url, INTROSPECTION, json!({})).await));
        let generated = sdl_shapes(SCHEMA_GRAPHQL);
        let names =
            |shapes: &BTreeMap<String, Shape>| shapes.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(names(&running), names(&generated));
        for (name, shape) in &generated {
            assert_eq!(&running[name], shape, "type {name}");
        }
        // GraphiQL is served at the same path.
        let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
        assert!(page.contains("graphiql"), "{page}");
    })
    .await;
}

/// An order with every column set, as `insertOrder` input.
fn full_order(customer: &str) -> Value {
    json!({
        "customerId": customer,
        "status": "SHIPPED",
        "totalCents": "9007199254740993",
        "quantity": -3,
        "weight": 1200,
        "priority": -7,
        "gift": true,
        "discount": 0.5,
        "taxRate": 0.2,
        "exactTotal": "-12345678901234567890.125",
        "bigNumber": "-340282366920938463463374607431768211457",
        "createdAt": "2026-12-06T20:00:00.123Z",
        "shipOn": "2026-12-24",
        "shipAt": "13:45:30.123456789",
        "window": "-1mo2d3h4m5s6ms7us8ns",
        "receipt": "AAECA/8=",
        "clientIp": "2001:db8::1",
        "address": { "street": "1 Main St", "city": "Springfield", "zip": null },
        "notes": ["first", "second", "first"],
        "tags": ["a", "b"],
        "attributes": [{ "key": "size", "value": 3 }, { "key": "weight", "value": -1 }],
        "dimensions": { "item0": 1, "item1": 2, "item2": 3 },
        "embedding": [0.25, -0.5, 1.0],
        "history": [{ "street": "Old Rd", "city": "Shelbyville", "zip": "12345" }],
        "statuses": ["PAID", "PENDING"],
    })
}

const ORDER_FIELDS: &str = "customerId placedAt id status totalCents quantity weight priority gift discount taxRate exactTotal bigNumber createdAt shipOn shipAt window receipt clientIp address { street city zip } notes tags attributes { key value } dimensions { item0 item1 item2 } embedding history { street city zip } statuses updatedAt";

#[tokio::test]
async fn every_type_round_trips_through_a_mutation_and_a_query() {
    with_keyspace("graphql_types", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let customer = corm::Uuid::new_v4().to_string();
        let sent = full_order(&customer);
        let insert = format!("mutation($input: OrderInput!) {{ insertOrder(input: $input) {{ {ORDER_FIELDS} }} }}");
        let written = data(post(&url, &insert, json!({ "input": sent })).await)["insertOrder"].clone();
        let get = format!("query($c: UUID!, $p: TimeUUID!, $i: UUID!) {{ order(customerId: $c, placedAt: $p, id: $i) {{ {ORDER_FIELDS} }} }}");
        let variables = json!({ "c": customer, "p": written["placedAt"], "i": written["id"] });
        let read = data(post(&url, &get, variables).await)["order"].clone();
        assert_eq!(read, written);
        let expected = json!({
            "notes": ["first", "second", "first"],
            "statuses": ["PENDING", "PAID"],
            "window": "-1mo2d3h4m5s6ms7us8ns",
            "bigNumber": "-340282366920938463463374607431768211457",
            "exactTotal": "-12345678901234567890.125",
            "totalCents": "9007199254740993",
            "receipt": "AAECA/8=",
            "shipAt": "13:45:30.123456789",
            "updatedAt": null,
        });
        for (field, value) in expected.as_object().unwrap() {
            assert_eq!(&read[field], value, "{field}");
        }
        for field in ["status", "quantity", "weight", "priority", "gift", "discount", "taxRate", "createdAt", "shipOn", "clientIp", "address", "tags", "attributes", "dimensions", "embedding", "history"] {
            assert_eq!(read[field], sent[field], "{field}");
        }
        // The Rust API reads the same row, with exact numbers.
        let key = OrderKey {
            customer_id: customer.parse().unwrap(),
            placed_at: corm::CqlTimeuuid::from(read["placedAt"].as_str().unwrap().parse::<corm::Uuid>().unwrap()),
            id: read["id"].as_str().unwrap().parse().unwrap(),
        };
        let row: Order = db.order().get(&key).await.unwrap().unwrap();
        assert_eq!(row.total_cents, 9_007_199_254_740_993);
        assert_eq!(row.big_number.unwrap().to_string(), "-340282366920938463463374607431768211457");
        assert_eq!(row.exact_total.unwrap().to_string(), "-12345678901234567890.125");
        assert_eq!(row.receipt.unwrap(), vec![0, 1, 2, 3, 255]);
        assert_eq!(row.attributes.get("weight"), Some(&-1));
        // A value that does not fit is refused with the field named.
        let mut bad = full_order(&customer);
        bad["priority"] = json!(300);
        let refused = post(&url, &insert, json!({ "input": bad })).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
        assert!(first_error(&refused)["message"].as_str().unwrap().contains("priority"), "{refused:#}");
    })
    .await;
}

#[tokio::test]
async fn a_partition_is_walked_page_by_page_and_forged_cursors_are_refused() {
    with_keyspace("graphql_pages", |session| async move {
        let db = common::db(session).await;
        let url = serve(
            &db,
            GraphqlOptions {
                max_page_size: 10,
                ..GraphqlOptions::default()
            },
        )
        .await;
        let mut orders: Vec<Order> = (0..23).map(|_| common::order()).collect();
        let customer = orders[0].customer_id;
        for order in &mut orders {
            order.customer_id = customer;
            db.order().insert(order).await.unwrap();
        }
        let other = common::order();
        db.order().insert(&other).await.unwrap();
        let page = "query($c: UUID!, $first: Int, $after: String) {
            orderPartition(customerId: $c, first: $first, after: $after) {
                edges { cursor node { id placedAt } }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            } }";
        let mut seen = Vec::new();
        let mut after = Value::Null;
        let mut pages = 0;
        loop {
            let variables = json!({ "c": customer.to_string(), "first": 6, "after": after });
            let connection = data(post(&url, page, variables).await)["orderPartition"].clone();
            pages += 1;
            for edge in connection["edges"].as_array().unwrap() {
                seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
            }
            assert_eq!(connection["pageInfo"]["hasPreviousPage"], json!(pages > 1));
            if connection["pageInfo"]["hasNextPage"] == json!(false) {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
            assert!(pages < 10, "too many pages");
        }
        // Every row once, in clustering order (newest first).
        let mut expected: Vec<&Order> = orders.iter().collect();
        expected.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(a.id.cmp(&b.id)));
        let expected: Vec<String> = expected.iter().map(|order| order.id.to_string()).collect();
        assert_eq!(seen, expected);
        // The cursor of any edge resumes right after it.
        let variables = json!({ "c": customer.to_string(), "first": 5 });
        let first = data(post(&url, page, variables).await)["orderPartition"].clone();
        let third = first["edges"][2]["cursor"].clone();
        let variables = json!({ "c": customer.to_string(), "first": 4, "after": third });
        let resumed = data(post(&url, page, variables).await)["orderPartition"].clone();
        let ids: Vec<&str> = resumed["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["node"]["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            expected[3..7]
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
        // A range of the first clustering column, ascending: from the 5th
        // newest (included) to the 2nd newest (excluded), oldest first.
        let range = "query($c: UUID!, $from: TimeUUID, $to: TimeUUID, $descending: Boolean, $after: String) {
            orderPartition(customerId: $c, from: $from, to: $to, descending: $descending, first: 2, after: $after) {
                nodes { id } pageInfo { hasNextPage endCursor } } }";
        let mut newest_first: Vec<&Order> = orders.iter().collect();
        newest_first.sort_by_key(|order| std::cmp::Reverse(order.placed_at));
        let time = |order: &Order| corm::Uuid::from(order.placed_at).to_string();
        let bounds = json!({ "c": customer.to_string(), "from": time(newest_first[4]), "to": time(newest_first[1]), "descending": false });
        let mut in_range = Vec::new();
        let mut variables = bounds.clone();
        for _ in 0..5 {
            let connection = data(post(&url, range, variables.clone()).await)["orderPartition"].clone();
            in_range.extend(connection["nodes"].as_array().unwrap().iter().map(|node| node["id"].as_str().unwrap().to_owned()));
            if connection["pageInfo"]["hasNextPage"] == json!(false) {
                break;
            }
            variables["after"] = connection["pageInfo"]["endCursor"].clone();
        }
        let expected_range: Vec<String> = newest_first[2..=4].iter().rev().map(|order| order.id.to_string()).collect();
        assert_eq!(in_range, expected_range);
        // A cursor of one range does not open in another.
        let first_page = data(post(&url, range, bounds.clone()).await)["orderPartition"].clone();
        let mut reversed = bounds;
        reversed["descending"] = json!(true);
        reversed["after"] = first_page["pageInfo"]["endCursor"].clone();
        let refused = post(&url, range, reversed).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "BAD_CURSOR", "{refused:#}");
        // A forged cursor, and a real one used on another partition.
        let forged = "AQAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let cursor = first["pageInfo"]["endCursor"].clone();
        for (partition, after) in [
            (customer, json!(forged)),
            (other.customer_id, cursor),
            (customer, json!("%%%")),
        ] {
            let variables = json!({ "c": partition.to_string(), "first": 2, "after": after });
            let refused = post(&url, page, variables).await;
            assert_eq!(
                first_error(&refused)["extensions"]["code"],
                "BAD_CURSOR",
                "{refused:#}"
            );
        }
        // A page over the cap.
        let variables = json!({ "c": customer.to_string(), "first": 11 });
        let refused = post(&url, page, variables).await;
        assert_eq!(
            first_error(&refused)["extensions"]["code"],
            "BAD_USER_INPUT",
            "{refused:#}"
        );
    })
    .await;
}

#[tokio::test]
async fn writes_run_validation_and_unique_rules_and_report_them_by_field() {
    with_keyspace("graphql_writes", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let insert = "mutation($input: CustomerInput!) { insertCustomer(input: $input) { id email name tier nickname tags } }";
        let bad = json!({ "email": "not an email", "name": "A", "tags": [] });
        let refused = post(&url, insert, json!({ "input": bad })).await;
        let extensions = &first_error(&refused)["extensions"];
        assert_eq!(extensions["code"], "VALIDATION", "{refused:#}");
        let violations: BTreeSet<(String, String)> = extensions["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["field"].as_str().unwrap().to_owned(), v["rule"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(violations, BTreeSet::from([("email".to_owned(), "email".to_owned()), ("name".to_owned(), "length".to_owned())]));
        let good = json!({ "email": "ada@example.com", "name": "Ada", "tags": ["x"], "nickname": "ada" });
        let written = data(post(&url, insert, json!({ "input": good })).await)["insertCustomer"].clone();
        assert_eq!(written["tier"], "free", "the @default");
        let taken = json!({ "email": "ada@example.com", "name": "Another Ada", "tags": [] });
        let refused = post(&url, insert, json!({ "input": taken })).await;
        let extensions = &first_error(&refused)["extensions"];
        assert_eq!(extensions["code"], "UNIQUE", "{refused:#}");
        assert_eq!(extensions["field"], "email");
        assert!(extensions["value"].as_str().unwrap().contains("ada@example.com"));
        // A patch: one field changed, an optional one cleared, the rest kept.
        let update = "mutation($key: CustomerKey!, $patch: CustomerPatch!) { updateCustomer(key: $key, patch: $patch) { id email name nickname tier updatedAt } }";
        let key = json!({ "id": written["id"] });
        let patch = json!({ "name": "Ada Lovelace", "nickname": null });
        let updated = data(post(&url, update, json!({ "key": key, "patch": patch })).await)["updateCustomer"].clone();
        assert_eq!(updated["name"], "Ada Lovelace");
        assert_eq!(updated["nickname"], Value::Null);
        assert_eq!(updated["email"], "ada@example.com");
        assert!(updated["updatedAt"].is_string(), "@on_update(now)");
        let refused = post(&url, update, json!({ "key": key, "patch": { "name": "" } })).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "VALIDATION", "{refused:#}");
        // Delete, then the row is gone and its email is free again.
        let delete = "mutation($key: CustomerKey!) { deleteCustomer(key: $key) }";
        assert_eq!(data(post(&url, delete, json!({ "key": key })).await)["deleteCustomer"], true);
        let get = "query($id: UUID!) { customer(id: $id) { id } }";
        assert_eq!(data(post(&url, get, json!({ "id": written["id"] })).await)["customer"], Value::Null);
        data(post(&url, insert, json!({ "input": taken })).await);
    })
    .await;
}

#[tokio::test]
async fn limits_refuse_deep_queries_and_introspection_can_be_off() {
    with_keyspace("graphql_limits", |session| async move {
        let db = common::db(session).await;
        let options = GraphqlOptions { max_depth: 3, introspection: false, ..GraphqlOptions::default() };
        let url = serve(&db, options).await;
        let deep = "query($c: UUID!) { orderPartition(customerId: $c) { edges { node { address { street } } } } }";
        let refused = post(&url, deep, json!({ "c": corm::Uuid::new_v4().to_string() })).await;
        let message = first_error(&refused)["message"].as_str().unwrap().to_owned();
        assert!(message.contains("nested too deep"), "{refused:#}");
        let shallow = "query($c: UUID!) { orderPartition(customerId: $c) { pageInfo { hasNextPage } } }";
        data(post(&url, shallow, json!({ "c": corm::Uuid::new_v4().to_string() })).await);
        let refused = post(&url, "{ __schema { types { name } } }", json!({})).await;
        assert!(refused.get("errors").is_some(), "{refused:#}");
    })
    .await;
}

/// The requests `session` has sent so far (paged and unpaged).
fn requests_sent(session: &corm::Session) -> u64 {
    let metrics = session.driver().get_metrics();
    metrics.get_requests_unpaged_num()
        + metrics.get_requests_manually_paged_num()
        + metrics.get_requests_automatically_paged_num()
}

/// Writes `count` customers with two orders each; their ids.
async fn customers_with_orders(db: &Db, count: usize) -> Vec<corm::Uuid> {
    let mut ids = Vec::new();
    for index in 0..count {
        let customer = corm_examples::generated::Customer::new(
            format!("c{index}-{}@example.com", corm::Uuid::new_v4()),
            format!("Customer {index}"),
            Default::default(),
        );
        db.customer().insert(&customer).await.unwrap();
        for _ in 0..2 {
            let mut order = common::order();
            order.customer_id = customer.id;
            db.order().insert(&order).await.unwrap();
        }
        ids.push(customer.id);
    }
    ids
}

#[tokio::test]
async fn nested_relations_batch_their_reads_whatever_the_number_of_parents() {
    with_keyspace("graphql_relations", |session| async move {
        let db = common::db(session.clone()).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let nested = "query($ids: [UUID!]!) { ordersOfCustomers(customers: $ids) {
            id customerId customer { id name orders { id customerId } } } }";
        let mut sent = Vec::new();
        for count in [10, 50] {
            let ids = customers_with_orders(&db, count).await;
            let variables =
                json!({ "ids": ids.iter().map(ToString::to_string).collect::<Vec<_>>() });
            // Once to prepare every statement, then counted.
            data(post(&url, nested, variables.clone()).await);
            let before = requests_sent(&session);
            let orders = data(post(&url, nested, variables).await)["ordersOfCustomers"].clone();
            sent.push(requests_sent(&session) - before);
            let orders = orders.as_array().unwrap();
            assert_eq!(orders.len(), 2 * count);
            for order in orders {
                let customer = &order["customer"];
                assert_eq!(customer["id"], order["customerId"], "{order:#}");
                let theirs = customer["orders"].as_array().unwrap();
                assert_eq!(theirs.len(), 2, "{order:#}");
                assert!(
                    theirs
                        .iter()
                        .all(|other| other["customerId"] == order["customerId"])
                );
                assert!(theirs.iter().any(|other| other["id"] == order["id"]));
            }
        }
        eprintln!("requests for 10 and 50 customers: {sent:?}");
        // The named query, one `IN` read for the customers, one for their
        // orders: as many requests for 50 parents as for 10.
        assert_eq!(
            sent[0], sent[1],
            "requests for 10 and 50 customers: {sent:?}"
        );
        assert!(sent[1] <= 3, "{sent:?}");
    })
    .await;
}

#[tokio::test]
async fn named_queries_and_vector_search_take_typed_arguments() {
    with_keyspace("graphql_queries", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let customer = corm::Uuid::new_v4();
        let mut orders = Vec::new();
        for (index, vector) in [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.9, 0.1, 0.0]].into_iter().enumerate() {
            let mut order = common::order();
            order.customer_id = customer;
            order.quantity = i32::try_from(index).unwrap();
            order.embedding = Some(corm::Vector(vector));
            db.order().insert(&order).await.unwrap();
            orders.push(order);
        }
        let recent = "query($c: UUID!, $since: TimeUUID!, $n: Int!) { recentOrders(customer: $c, since: $since, n: $n) { quantity } }";
        let since = orders[0].placed_at;
        let variables = json!({ "c": customer.to_string(), "since": corm::Uuid::from(since).to_string(), "n": 10 });
        let found = data(post(&url, recent, variables).await)["recentOrders"].clone();
        assert_eq!(found, json!([{ "quantity": 2 }, { "quantity": 1 }]));
        let similar = "query($c: UUID!, $like: [Float!]!) { similarOrders(customer: $c, like: $like, n: 2) { score row { quantity } } }";
        let variables = json!({ "c": customer.to_string(), "like": [1.0, 0.0, 0.0] });
        let found = data(post(&url, similar, variables).await)["similarOrders"].clone();
        let quantities: Vec<&Value> = found.as_array().unwrap().iter().map(|scored| &scored["row"]["quantity"]).collect();
        assert_eq!(quantities, [&json!(0), &json!(2)], "{found:#}");
        assert!(found[0]["score"].as_f64().unwrap() >= found[1]["score"].as_f64().unwrap());
        // A `select` list: its own result type.
        let amounts = "query($c: UUID!) { orderAmounts(customer: $c, n: 2) { placedAt totalCents status } }";
        let found = data(post(&url, amounts, json!({ "c": customer.to_string() })).await)["orderAmounts"].clone();
        let newest = corm::Uuid::from(orders[2].placed_at).to_string();
        assert_eq!(found[0], json!({ "placedAt": newest, "totalCents": "1", "status": "PAID" }), "{found:#}");
        assert_eq!(found.as_array().map(Vec::len), Some(2));
        // Aggregates: Cassandra's GROUP BY, and one computed in the client.
        let totals = "query($c: UUID!) { orderTotals(customer: $c) { customerId orders cents latest }
            busyStatuses(customer: $c) { status orders items } }";
        let found = data(post(&url, totals, json!({ "c": customer.to_string() })).await);
        assert_eq!(
            found["orderTotals"],
            json!([{ "customerId": customer.to_string(), "orders": "3", "cents": "3",
                     "latest": corm::Uuid::from(orders[2].placed_at).to_string() }])
        );
        assert_eq!(found["busyStatuses"], json!([{ "status": "PAID", "orders": "3", "items": 3 }]));
        // A vector of the wrong length is refused before anything is read.
        let variables = json!({ "c": customer.to_string(), "like": [1.0, 0.0] });
        let refused = post(&url, similar, variables).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
    })
    .await;
}

/// The next `next` message of subscription `1` within `wait`, as its
/// `payload`; `None` when none came.
async fn next_payload<S>(socket: &mut S, wait: std::time::Duration) -> Option<Value>
where
    S: corm::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    use corm::StreamExt;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??
            .unwrap();
        let Message::Text(text) = message else {
            continue;
        };
        let message: Value = serde_json::from_str(&text).unwrap();
        match message["type"].as_str() {
            Some("next") => return Some(message["payload"].clone()),
            Some("ping") | Some("pong") | Some("connection_ack") => {}
            _ => panic!("unexpected message {message:#}"),
        }
    }
}

#[tokio::test]
async fn a_subscription_receives_the_changes_of_its_key_made_by_another_client() {
    use corm::changes::{FollowOptions, Position};
    use corm::futures::SinkExt as _;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    with_keyspace("graphql_changes", |session| async move {
        let db = common::db(session).await;
        let follow = FollowOptions {
            settle: std::time::Duration::from_millis(200),
            poll: std::time::Duration::from_millis(50),
            ..FollowOptions::default()
        };
        let url = serve(&db, GraphqlOptions { follow, ..GraphqlOptions::default() }).await;
        let mut request = format!("{}/ws", url.replace("http://", "ws://")).into_client_request().unwrap();
        request
            .headers_mut()
            .insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        socket.send(Message::text(json!({ "type": "connection_init" }).to_string())).await.unwrap();
        let after = Position::now().to_string();
        let subscription = "subscription($after: String) { ticketChanges(board: \"support\", after: $after) {
            operation position key { board id } row { title status } patch { set title assignee } } }";
        let subscribe = json!({
            "id": "1", "type": "subscribe",
            "payload": { "query": subscription, "variables": { "after": after } },
        });
        socket.send(Message::text(subscribe.to_string())).await.unwrap();
        // Another client writes through the GraphQL endpoint: two boards.
        let insert = "mutation($input: TicketInput!) { insertTicket(input: $input) { id } }";
        let mut ids = Vec::new();
        for board in ["support", "sales"] {
            let input = json!({ "board": board, "title": format!("{board} ticket"), "status": "OPEN", "priority": 1 });
            let written = data(post(&url, insert, json!({ "input": input })).await);
            ids.push(written["insertTicket"]["id"].as_str().unwrap().to_owned());
        }
        let update = "mutation($key: TicketKey!, $patch: TicketPatch!) { updateTicket(key: $key, patch: $patch) { id } }";
        let key = json!({ "board": "support", "id": ids[0] });
        data(post(&url, update, json!({ "key": key, "patch": { "title": "renamed", "assignee": null } })).await);
        let delete = "mutation($key: TicketKey!) { deleteTicket(key: $key) }";
        data(post(&url, delete, json!({ "key": key })).await);
        let wait = std::time::Duration::from_secs(10);
        let inserted = next_payload(&mut socket, wait).await.expect("the insert");
        let change = &inserted["data"]["ticketChanges"];
        assert_eq!(change["operation"], "INSERT", "{inserted:#}");
        assert_eq!(change["key"], json!({ "board": "support", "id": ids[0] }));
        assert_eq!(change["row"], json!({ "title": "support ticket", "status": "OPEN" }));
        let updated = next_payload(&mut socket, wait).await.expect("the update");
        let change = &updated["data"]["ticketChanges"];
        assert_eq!(change["operation"], "UPDATE", "{updated:#}");
        assert_eq!(change["row"], Value::Null);
        assert_eq!(change["patch"], json!({ "set": ["title", "assignee"], "title": "renamed", "assignee": null }));
        let deleted = next_payload(&mut socket, wait).await.expect("the delete");
        assert_eq!(deleted["data"]["ticketChanges"]["operation"], "DELETE", "{deleted:#}");
        // Nothing of the other board, nothing twice.
        let more = next_payload(&mut socket, std::time::Duration::from_secs(1)).await;
        assert!(more.is_none(), "{more:#?}");
        // A position that is not one is refused.
        let subscribe = json!({
            "id": "2", "type": "subscribe",
            "payload": { "query": subscription, "variables": { "after": "yesterday" } },
        });
        socket.send(Message::text(subscribe.to_string())).await.unwrap();
        use corm::StreamExt;
        let refused = tokio::time::timeout(wait, socket.next()).await.unwrap().unwrap().unwrap();
        let refused: Value = serde_json::from_str(refused.to_text().unwrap()).unwrap();
        assert_eq!(refused["id"], "2", "{refused:#}");
        assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
    })
    .await;
}

#[tokio::test]
async fn a_query_without_a_limit_is_a_connection_walked_page_by_page() {
    with_keyspace("graphql_paged_query", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let mut expected = BTreeSet::new();
        for index in 0..7 {
            let mut customer = corm_examples::generated::Customer::new(
                format!("pro{index}@example.com"),
                format!("Pro {index}"),
                Default::default(),
            );
            customer.tier = "pro".to_owned();
            db.customer().insert(&customer).await.unwrap();
            expected.insert(customer.id.to_string());
        }
        let free = corm_examples::generated::Customer::new("free@example.com".to_owned(), "Free".to_owned(), Default::default());
        db.customer().insert(&free).await.unwrap();
        let page = "query($after: String) { customersInTier(tier: \"pro\", first: 3, after: $after) {
            nodes { id tier } pageInfo { hasNextPage endCursor } } }";
        let mut seen = Vec::new();
        let mut after = Value::Null;
        for _ in 0..10 {
            let connection = data(post(&url, page, json!({ "after": after })).await)["customersInTier"].clone();
            for node in connection["nodes"].as_array().unwrap() {
                assert_eq!(node["tier"], "pro");
                seen.push(node["id"].as_str().unwrap().to_owned());
            }
            if connection["pageInfo"]["hasNextPage"] == json!(false) {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen.len(), 7, "{seen:?}");
        assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);
        // The cursor is bound to the arguments it was issued for.
        let first = data(post(&url, page, json!({})).await)["customersInTier"].clone();
        let other = "query($after: String) { customersInTier(tier: \"free\", first: 3, after: $after) { nodes { id } } }";
        let refused = post(&url, other, json!({ "after": first["pageInfo"]["endCursor"] })).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "BAD_CURSOR", "{refused:#}");
    })
    .await;
}

#[tokio::test]
async fn a_time_series_is_written_and_read_by_range_and_latest() {
    with_keyspace("graphql_series", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let write = "mutation($input: PageLoadInput!) { writePageLoad(input: $input) { page ts millis } }";
        let start = corm::chrono::Utc::now() - corm::chrono::TimeDelta::hours(3);
        let mut times = Vec::new();
        // Five points an hour apart: they span several buckets.
        for index in 0..5 {
            let ts = (start + corm::chrono::TimeDelta::minutes(40 * index)).to_rfc3339_opts(corm::chrono::SecondsFormat::Millis, true);
            let input = json!({ "page": "/home", "ts": ts, "millis": 100 + index });
            let written = data(post(&url, write, json!({ "input": input })).await);
            assert_eq!(written["writePageLoad"]["millis"], json!(100 + index));
            times.push(ts);
        }
        data(post(&url, write, json!({ "input": { "page": "/other", "ts": times[0], "millis": 1 } })).await);
        let range = "query($from: Timestamp!, $to: Timestamp!, $descending: Boolean, $first: Int) {
            pageLoadRange(page: \"/home\", from: $from, to: $to, descending: $descending, first: $first) { ts millis } }";
        let variables = json!({ "from": times[1], "to": times[4] });
        let points = data(post(&url, range, variables).await)["pageLoadRange"].clone();
        assert_eq!(points, json!([
            { "ts": times[1], "millis": 101 }, { "ts": times[2], "millis": 102 }, { "ts": times[3], "millis": 103 },
        ]));
        let variables = json!({ "from": times[0], "to": corm::chrono::Utc::now().to_rfc3339(), "descending": true, "first": 2 });
        let points = data(post(&url, range, variables).await)["pageLoadRange"].clone();
        assert_eq!(points, json!([{ "ts": times[4], "millis": 104 }, { "ts": times[3], "millis": 103 }]));
        let latest = "{ pageLoadLatest(page: \"/home\") { millis } }";
        assert_eq!(data(post(&url, latest, json!({})).await)["pageLoadLatest"], json!({ "millis": 104 }));
        // `from` after `to` is refused.
        let refused = post(&url, range, json!({ "from": times[4], "to": times[0] })).await;
        assert_eq!(first_error(&refused)["extensions"]["code"], "BAD_USER_INPUT", "{refused:#}");
    })
    .await;
}

#[tokio::test]
async fn events_are_appended_at_an_expected_version_and_read_back_as_a_union() {
    with_keyspace("graphql_events", |session| async move {
        let db = common::db(session).await;
        let url = serve(&db, GraphqlOptions::default()).await;
        let wallet = corm::Uuid::new_v4().to_string();
        let append = "mutation($id: UUID!, $expected: BigInt!, $events: [WalletEventInput!]!) {
            appendWallet(id: $id, expectedVersion: $expected, events: $events) }";
        let events = json!([
            { "credited": { "cents": "500", "reason": "top-up" } },
            { "debited": { "cents": "120", "reason": "coffee" } },
        ]);
        let version = data(post(&url, append, json!({ "id": wallet, "expected": "0", "events": events })).await);
        assert_eq!(version["appendWallet"], "2");
        // A writer that read version 0 too: a conflict, nothing written.
        let late = json!([{ "debited": { "cents": "999", "reason": "stale" } }]);
        let refused = post(&url, append, json!({ "id": wallet, "expected": "0", "events": late })).await;
        let extensions = &first_error(&refused)["extensions"];
        assert_eq!(extensions["code"], "CONFLICT", "{refused:#}");
        assert_eq!((extensions["expected"].as_str(), extensions["actual"].as_str()), (Some("0"), Some("2")));
        // An event with two variants set, or none, is refused.
        for bad in [json!([{ "credited": { "cents": "1", "reason": "a" }, "debited": { "cents": "1", "reason": "b" } }]), json!([{}])] {
            let refused = post(&url, append, json!({ "id": wallet, "expected": "2", "events": bad })).await;
            assert!(refused.get("errors").is_some(), "{refused:#}");
        }
        let read = "query($id: UUID!) { walletVersion(id: $id) walletEvents(id: $id) { version recordedAt event {
            __typename ... on WalletCredited { cents reason } ... on WalletDebited { cents reason } } } }";
        let found = data(post(&url, read, json!({ "id": wallet })).await);
        assert_eq!(found["walletVersion"], "2");
        let events: Vec<Value> = found["walletEvents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|recorded| json!([recorded["version"], recorded["event"]]))
            .collect();
        assert_eq!(events, vec![
            json!(["1", { "__typename": "WalletCredited", "cents": "500", "reason": "top-up" }]),
            json!(["2", { "__typename": "WalletDebited", "cents": "120", "reason": "coffee" }]),
        ]);
    })
    .await;
}
