//! Relay connections over a partition: one page of rows as `edges` (each
//! with a cursor to resume after it), `nodes`, and `pageInfo`, read with
//! the driver's paging state inside signed cursors.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, TypeRef};
use async_graphql::{Name, Value};

use super::types::Types;

/// The name of the page information type every connection shares.
pub(crate) const PAGE_INFO: &str = "PageInfo";

/// One page of a connection, as its resolvers read it.
pub(crate) struct Connection<T> {
    pub edges: Vec<Edge<T>>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// A row and the cursor that resumes after it.
pub(crate) struct Edge<T> {
    pub cursor: String,
    pub node: T,
}

impl<T> Connection<T> {
    /// The `pageInfo` object.
    fn page_info(&self) -> Value {
        let cursor = |edge: Option<&Edge<T>>| {
            edge.map_or(Value::Null, |edge| Value::String(edge.cursor.clone()))
        };
        Value::Object(
            [
                ("hasNextPage", Value::Boolean(self.has_next_page)),
                ("hasPreviousPage", Value::Boolean(self.has_previous_page)),
                ("startCursor", cursor(self.edges.first())),
                ("endCursor", cursor(self.edges.last())),
            ]
            .into_iter()
            .map(|(name, value)| (Name::new(name), value))
            .collect(),
        )
    }
}

/// Registers `PageInfo` (once) and the connection and edge types of the
/// object type `node`, whose values are `T`.
pub(crate) fn register<T: Send + Sync + 'static>(types: &mut Types, node: &str) {
    if !types.contains(PAGE_INFO) {
        let value_field = |name: &'static str, ty: TypeRef| {
            Field::new(name, ty, move |ctx| {
                let value = match ctx.parent_value.as_value() {
                    Some(Value::Object(fields)) => fields.get(name).cloned(),
                    _ => None,
                };
                FieldFuture::from_value(value)
            })
        };
        let page_info = Object::new(PAGE_INFO)
            .description("Where a page of a connection is: whether more rows follow, and the cursors of its first and last rows.")
            .field(value_field("hasNextPage", TypeRef::named_nn(TypeRef::BOOLEAN)))
            .field(value_field("hasPreviousPage", TypeRef::named_nn(TypeRef::BOOLEAN)))
            .field(value_field("startCursor", TypeRef::named(TypeRef::STRING)))
            .field(value_field("endCursor", TypeRef::named(TypeRef::STRING)));
        types.add(PAGE_INFO, page_info);
    }
    let edge = format!("{node}Edge");
    let edge_object = Object::new(&edge)
        .description(format!("A `{node}` and the cursor that resumes after it."))
        .field(Field::new(
            "cursor",
            TypeRef::named_nn(TypeRef::STRING),
            |ctx| {
                FieldFuture::new(async move {
                    let edge = ctx.parent_value.try_downcast_ref::<Edge<T>>()?;
                    Ok(Some(Value::String(edge.cursor.clone())))
                })
            },
        ))
        .field(Field::new("node", TypeRef::named_nn(node), |ctx| {
            FieldFuture::new(async move {
                let edge = ctx.parent_value.try_downcast_ref::<Edge<T>>()?;
                Ok(Some(FieldValue::borrowed_any(&edge.node)))
            })
        }));
    types.add(&edge, edge_object);
    let connection = format!("{node}Connection");
    let connection_object = Object::new(&connection)
        .description(format!("A page of `{node}` rows, in clustering order."))
        .field(Field::new(
            "edges",
            TypeRef::named_nn_list_nn(&edge),
            |ctx| {
                FieldFuture::new(async move {
                    let page = ctx.parent_value.try_downcast_ref::<Connection<T>>()?;
                    Ok(Some(FieldValue::list(
                        page.edges.iter().map(|edge| FieldValue::borrowed_any(edge)),
                    )))
                })
            },
        ))
        .field(Field::new(
            "nodes",
            TypeRef::named_nn_list_nn(node),
            |ctx| {
                FieldFuture::new(async move {
                    let page = ctx.parent_value.try_downcast_ref::<Connection<T>>()?;
                    Ok(Some(FieldValue::list(
                        page.edges
                            .iter()
                            .map(|edge| FieldValue::borrowed_any(&edge.node)),
                    )))
                })
            },
        ))
        .field(Field::new(
            "pageInfo",
            TypeRef::named_nn(PAGE_INFO),
            |ctx| {
                FieldFuture::new(async move {
                    let page = ctx.parent_value.try_downcast_ref::<Connection<T>>()?;
                    Ok(Some(FieldValue::value(page.page_info())))
                })
            },
        ));
    types.add(&connection, connection_object);
}
