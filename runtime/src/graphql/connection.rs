//! Relay connections over a partition: one page of rows as `edges` (each
//! with a cursor to resume after it), `nodes`, and `pageInfo`, read with
//! the driver's paging state inside signed cursors.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, ResolverContext, TypeRef};
use async_graphql::{Error as GraphqlError, Name, Value};

use super::cursor::{Cursors, Position};
use super::error::{bad_cursor, bad_input};
use super::input::InputFields;
use super::model::Canonical;
use super::types::Types;
use crate::Page;

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
        .description(format!("A page of `{node}` rows."))
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

/// The `first` and `after` of a connection's field.
pub(crate) struct PageRequest<'a> {
    pub first: u32,
    pub after: Option<&'a str>,
}

impl<'a> PageRequest<'a> {
    /// The arguments of `ctx`: `first` (`default` when not given, at most
    /// `max`) and `after`.
    pub(crate) fn read(
        ctx: &'a ResolverContext<'_>,
        default: u32,
        max: u32,
    ) -> Result<Self, GraphqlError> {
        let first = first(&InputFields::new(ctx.args.as_index_map()), default, max)?;
        let after = match ctx.args.get("after") {
            Some(after) if !after.is_null() => Some(after.string()?),
            _ => None,
        };
        Ok(Self { first, after })
    }

    /// Where the page starts: after the cursor, or at the beginning.
    pub(crate) fn start(
        &self,
        cursors: &Cursors,
        identity: &[u8],
    ) -> Result<Position, GraphqlError> {
        match self.after {
            Some(cursor) => cursors.decode(identity, cursor).map_err(bad_cursor),
            None => Ok(Position {
                token: None,
                skip: 0,
            }),
        }
    }

    /// The rows to read from `start`'s page: those skipped, then `first`.
    pub(crate) fn read_size(&self, start: &Position) -> Result<i32, GraphqlError> {
        i32::try_from(u64::from(start.skip) + u64::from(self.first))
            .map_err(|_| bad_cursor("the cursor is too far into its page"))
    }

    /// The connection of `read`, the page read from `start`: its rows
    /// after the skipped ones, each with the cursor that resumes after it
    /// (the last one's is the next page's start when there is one).
    pub(crate) fn connection<T>(
        &self,
        cursors: &Cursors,
        identity: &[u8],
        start: &Position,
        read: Page<T>,
    ) -> Connection<T> {
        let skip = usize::try_from(start.skip).unwrap_or(usize::MAX);
        let rows: Vec<T> = read.rows.into_iter().skip(skip).collect();
        let count = rows.len();
        let edges = rows
            .into_iter()
            .enumerate()
            .map(|(index, node)| {
                let position = match (&read.next, index + 1 == count) {
                    (Some(next), true) => Position {
                        token: Some(next.as_bytes().to_vec()),
                        skip: 0,
                    },
                    _ => Position {
                        token: start.token.clone(),
                        skip: start
                            .skip
                            .saturating_add(u32::try_from(index + 1).unwrap_or(u32::MAX)),
                    },
                };
                Edge {
                    cursor: cursors.encode(identity, &position),
                    node,
                }
            })
            .collect();
        Connection {
            edges,
            has_next_page: read.next.is_some(),
            has_previous_page: self.after.is_some(),
        }
    }
}

/// What a cursor is bound to: the field and the arguments that choose its
/// rows, each in its canonical text (so `"ABC"` and `"abc"` as a UUID are
/// one query).
pub(crate) fn identity(
    field: &str,
    args: &InputFields<'_>,
    arguments: &[(&'static str, Canonical)],
) -> Result<Vec<u8>, GraphqlError> {
    let mut identity = field.as_bytes().to_vec();
    for (name, canonical) in arguments {
        let value = canonical(args.raw(name)).map_err(|why| bad_input(name, &why))?;
        identity.push(0);
        identity.extend_from_slice(value.to_string().as_bytes());
    }
    Ok(identity)
}

/// The `first` argument of a read: how many rows (`default` when not
/// given); more than `max`, or fewer than one, is refused rather than
/// capped.
pub(crate) fn first(args: &InputFields<'_>, default: u32, max: u32) -> Result<u32, GraphqlError> {
    match args
        .get::<Option<i32>>("first")
        .map_err(|why| bad_input("first", &why))?
    {
        None => Ok(default),
        Some(first) => match u32::try_from(first) {
            Ok(first) if (1..=max).contains(&first) => Ok(first),
            _ => Err(bad_input(
                "first",
                &format!("{first}: a read has 1 to {max} rows"),
            )),
        },
    }
}
