//! Event stores as GraphQL: a stream's recorded events (each a member of
//! the union `<Store>Event`), its version, and a mutation that appends
//! events at an expected version (a concurrent writer's append makes it
//! fail with `CONFLICT`, writing nothing).

use std::sync::Arc;

use async_graphql::Value;
use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, TypeRef, Union,
};
use futures::{StreamExt, TryStreamExt};

use super::error::{bad_input, from_corm};
use super::input::InputFields;
use super::types::Types;
use super::value::{GraphqlValue, Refusal};
use crate::events::{EventStore, EventStream, Recorded};

/// An event store as GraphQL sees it: implemented by generated code.
pub trait Stored: EventStream<Id: GraphqlValue> + Sized {
    /// The schema's handle.
    type Db: Clone + Send + Sync + 'static;
    /// The store's name (`Wallet`).
    const NAME: &'static str;
    /// The first part of its field names (`wallet`).
    const FIELD: &'static str;

    /// Declares each event.
    fn events(events: &mut Events<Self>);

    /// The store in `db`.
    fn store(db: &Self::Db) -> EventStore<'_, Self>;
}

/// An event's payload as a GraphQL value, when it is one variant.
type PayloadOf<E> = Box<dyn Fn(&E) -> Option<Value> + Send + Sync>;

/// An event of one variant from its payload's input.
type EventFrom<E> = Box<dyn Fn(&Value) -> Result<E, Refusal> + Send + Sync>;

/// How one event variant is read and built.
struct Variant<S: EventStream> {
    /// Its field in `<Store>EventInput`.
    field: &'static str,
    /// Its object type's name.
    object: String,
    /// The input type of its payload.
    input: TypeRef,
    /// Its payload as a GraphQL value, when the event is this variant.
    value: PayloadOf<S::Event>,
    /// The event from its payload's input.
    build: EventFrom<S::Event>,
    /// Registers its object and input types.
    register: fn(&mut Types),
}

/// The events of a store, declared by its generated `Stored::events`.
pub struct Events<S: EventStream> {
    variants: Vec<Variant<S>>,
}

impl<S: EventStream> std::fmt::Debug for Events<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.variants.iter().map(|variant| variant.field))
            .finish()
    }
}

impl<S: EventStream> Events<S> {
    /// Declares the event whose payload is a `T` (its GraphQL object type),
    /// under `field` in the input: `get` finds the payload in an event of
    /// this variant, `make` wraps one.
    pub fn event<T: GraphqlValue>(
        &mut self,
        field: &'static str,
        get: fn(&S::Event) -> Option<&T>,
        make: fn(T) -> S::Event,
    ) -> &mut Self {
        self.variants.push(Variant {
            field,
            object: T::type_name().into_owned(),
            input: T::type_ref(true),
            value: Box::new(move |event| get(event).map(GraphqlValue::to_value)),
            build: Box::new(move |value| T::from_value(value).map(make)),
            register: T::register,
        });
        self
    }
}

/// The events of `S`, each as its object's name and value.
struct Shapes<S: EventStream> {
    variants: Vec<Variant<S>>,
}

impl<S: EventStream> Shapes<S> {
    /// `event`'s object type and value.
    fn of(&self, event: &S::Event) -> Option<(&str, Value)> {
        self.variants.iter().find_map(|variant| {
            (variant.value)(event).map(|value| (variant.object.as_str(), value))
        })
    }

    /// The event a client sent: one field of `<Store>EventInput` set.
    fn event(&self, value: &Value) -> Result<S::Event, Refusal> {
        let fields = InputFields::of(value)?;
        let mut given = self
            .variants
            .iter()
            .filter(|variant| *fields.raw(variant.field) != Value::Null);
        let (Some(variant), None) = (given.next(), given.next()) else {
            return Err("exactly one event field must be set".to_owned());
        };
        (variant.build)(fields.raw(variant.field))
            .map_err(|why| format!("`{}`: {why}", variant.field))
    }
}

/// An event as its resolvers read it.
struct Delivered {
    version: u64,
    recorded_at: chrono::DateTime<chrono::Utc>,
    object: String,
    event: Value,
}

/// The types and fields of store `S`: `<field>Events` and `<field>Version`
/// (queries) and `append<Name>` (a mutation).
pub(crate) fn fields<S: Stored>(
    types: &mut Types,
    default_size: u32,
    max_size: u32,
) -> (Vec<(String, Field)>, (String, Field)) {
    let mut events = Events {
        variants: Vec::new(),
    };
    S::events(&mut events);
    S::Id::register(types);
    types.scalar(super::scalars::BIG_INT);
    types.scalar(super::scalars::TIMESTAMP);
    let union_name = format!("{}Event", S::NAME);
    let input_name = format!("{}EventInput", S::NAME);
    let mut union =
        Union::new(&union_name).description(format!("An event of the `{}` store.", S::NAME));
    let mut input = InputObject::new(&input_name)
        .description(format!(
            "An event to append to a `{}` stream: exactly one field set.",
            S::NAME
        ))
        .oneof();
    for variant in &events.variants {
        (variant.register)(types);
        union = union.possible_type(&variant.object);
        let nullable = match &variant.input {
            TypeRef::NonNull(inner) => (**inner).clone(),
            other => other.clone(),
        };
        input = input.field(InputValue::new(variant.field, nullable));
    }
    types.add(&union_name, union);
    types.add(&input_name, input);
    let recorded_name = format!("{}Recorded", S::NAME);
    let recorded = Object::new(&recorded_name)
        .description(format!("An event of a `{}` stream, as recorded.", S::NAME))
        .field(Field::new(
            "version",
            TypeRef::named_nn(super::scalars::BIG_INT),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered>()?;
                    Ok(Some(Value::String(delivered.version.to_string())))
                })
            },
        ))
        .field(Field::new(
            "recordedAt",
            TypeRef::named_nn(super::scalars::TIMESTAMP),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered>()?;
                    Ok(Some(delivered.recorded_at.to_value()))
                })
            },
        ))
        .field(Field::new("event", TypeRef::named_nn(&union_name), |ctx| {
            FieldFuture::new(async move {
                let delivered = ctx.parent_value.try_downcast_ref::<Delivered>()?;
                Ok(Some(
                    FieldValue::value(delivered.event.clone()).with_type(delivered.object.clone()),
                ))
            })
        }));
    types.add(&recorded_name, recorded);
    let shapes = Arc::new(Shapes {
        variants: events.variants,
    });
    let id_type = S::Id::type_ref(true);
    let read_shapes = Arc::clone(&shapes);
    let events_field = Field::new(
        format!("{}Events", S::FIELD),
        TypeRef::named_nn_list_nn(&recorded_name),
        move |ctx| {
            let shapes = Arc::clone(&read_shapes);
            FieldFuture::new(async move {
                let db = ctx.data::<S::Db>()?;
                let args = InputFields::new(ctx.args.as_index_map());
                let id: S::Id = args.get("id").map_err(|why| bad_input("id", &why))?;
                let from = args
                    .get::<Option<i64>>("from")
                    .map_err(|why| bad_input("from", &why))?
                    .unwrap_or(1);
                let from = u64::try_from(from).map_err(|_| bad_input("from", "a version is 1 or more"))?;
                let first = super::connection::first(&args, default_size, max_size)?;
                let store = S::store(db);
                let recorded: Vec<Recorded<S::Event>> = store
                    .load(&id, from)
                    .await
                    .map_err(|error| from_corm(&error))?
                    .take(usize::try_from(first).unwrap_or(usize::MAX))
                    .try_collect()
                    .await
                    .map_err(|error| from_corm(&error))?;
                let delivered = recorded.into_iter().filter_map(|recorded| {
                    let (object, event) = shapes.of(&recorded.event)?;
                    Some(FieldValue::owned_any(Delivered {
                        version: recorded.version,
                        recorded_at: recorded.recorded_at,
                        object: object.to_owned(),
                        event,
                    }))
                });
                Ok(Some(FieldValue::list(delivered.collect::<Vec<_>>())))
            })
        },
    )
    .description(format!(
        "The events of a `{}` stream from version `from` (1 when left out), oldest first, at most `first`.",
        S::NAME
    ))
    .argument(InputValue::new("id", id_type.clone()))
    .argument(InputValue::new("from", TypeRef::named(super::scalars::BIG_INT)))
    .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)));
    let version_field = Field::new(
        format!("{}Version", S::FIELD),
        TypeRef::named_nn(super::scalars::BIG_INT),
        |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<S::Db>()?;
                let args = InputFields::new(ctx.args.as_index_map());
                let id: S::Id = args.get("id").map_err(|why| bad_input("id", &why))?;
                let version = S::store(db)
                    .version(&id)
                    .await
                    .map_err(|error| from_corm(&error))?;
                Ok(Some(Value::String(version.to_string())))
            })
        },
    )
    .description(format!(
        "The version of a `{}` stream: its last event's (0 when it has none).",
        S::NAME
    ))
    .argument(InputValue::new("id", id_type.clone()));
    let append_name = format!("append{}", S::NAME);
    let append = Field::new(&append_name, TypeRef::named_nn(super::scalars::BIG_INT), move |ctx| {
        let shapes = Arc::clone(&shapes);
        FieldFuture::new(async move {
            let db = ctx.data::<S::Db>()?;
            let args = InputFields::new(ctx.args.as_index_map());
            let id: S::Id = args.get("id").map_err(|why| bad_input("id", &why))?;
            let expected = args.get::<i64>("expectedVersion").map_err(|why| bad_input("expectedVersion", &why))?;
            let expected = u64::try_from(expected).map_err(|_| bad_input("expectedVersion", "a version is 0 or more"))?;
            let Value::List(sent) = args.raw("events") else {
                return Err(bad_input("events", "expected a list of events"));
            };
            let events = sent
                .iter()
                .enumerate()
                .map(|(index, event)| shapes.event(event).map_err(|why| bad_input("events", &format!("item {index}: {why}"))))
                .collect::<Result<Vec<_>, _>>()?;
            let version = S::store(db)
                .append(&id, expected, &events)
                .await
                .map_err(|error| from_corm(&error))?;
            Ok(Some(Value::String(version.to_string())))
        })
    })
    .description(format!(
        "Appends events to a `{}` stream that is at `expectedVersion`, all or none; returns its new version. A stream at another version is a `CONFLICT`, and nothing is written.",
        S::NAME
    ))
    .argument(InputValue::new("id", id_type))
    .argument(InputValue::new("expectedVersion", TypeRef::named_nn(super::scalars::BIG_INT)))
    .argument(InputValue::new("events", TypeRef::named_nn_list_nn(&input_name)));
    let queries = vec![
        (format!("{}Events", S::FIELD), events_field),
        (format!("{}Version", S::FIELD), version_field),
    ];
    (queries, (append_name, append))
}
