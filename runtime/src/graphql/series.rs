//! Time series as GraphQL: the point as an object (and an input), a range
//! of one series' points, its latest point, and a mutation that writes a
//! point. A range reads the buckets it touches, as the Rust API does; a
//! client continues a long range from the time of the last point it got.

use async_graphql::Value;
use async_graphql::dynamic::{Field, FieldFuture, FieldValue, InputValue, TypeRef};
use futures::TryStreamExt;

use super::error::{bad_input, from_corm};
use super::input::InputFields;
use super::query::Arguments;
use super::types::Types;
use super::value::{GraphqlValue, Refusal};
use crate::timeseries::{Direction, Point, SeriesRepository};

/// A time series' point as GraphQL sees it: implemented by generated code.
pub trait Series: Point + GraphqlValue + Clone {
    /// The schema's handle.
    type Db: Clone + Send + Sync + 'static;
    /// The point's GraphQL type name (the series' name).
    const NAME: &'static str;
    /// The first part of the series' field names (`pageLoad`).
    const FIELD: &'static str;

    /// Declares the series fields as arguments.
    fn series_arguments(arguments: &mut Arguments);

    /// The series from the arguments a client sent.
    ///
    /// # Errors
    /// Naming the field that is missing or does not fit.
    fn series(input: &InputFields<'_>) -> Result<Self::Series, Refusal>;

    /// The series' repository in `db`.
    fn repository(db: &Self::Db) -> SeriesRepository<'_, Self>;
}

/// The fields of series `P`: `<field>Range`, `<field>Latest` (queries)
/// and `write<Name>` (a mutation).
pub(crate) fn fields<P: Series>(
    types: &mut Types,
    default_size: u32,
    max_size: u32,
) -> (Vec<(String, Field)>, Field) {
    P::register(types);
    let mut arguments = Arguments::default();
    P::series_arguments(&mut arguments);
    for register in std::mem::take(&mut arguments.registers) {
        register(types);
    }
    let series_arguments = arguments.arguments;
    let point = || TypeRef::named_nn(P::NAME);
    let mut range = Field::new(format!("{}Range", P::FIELD), TypeRef::named_nn_list_nn(P::NAME), move |ctx| {
        FieldFuture::new(async move {
            let db = ctx.data::<P::Db>()?;
            let args = InputFields::new(ctx.args.as_index_map());
            let series = P::series(&args).map_err(|why| bad_input("series", &why))?;
            let time = |name: &str| {
                args.get::<chrono::DateTime<chrono::Utc>>(name)
                    .map_err(|why| bad_input(name, &why))
            };
            let (from, to) = (time("from")?, time("to")?);
            if from > to {
                return Err(bad_input("from", "`from` is after `to`"));
            }
            let descending = args.get::<Option<bool>>("descending").map_err(|why| bad_input("descending", &why))?;
            let direction = if descending == Some(true) { Direction::Descending } else { Direction::Ascending };
            let first = super::connection::first(&args, default_size, max_size)?;
            let limit = usize::try_from(first).unwrap_or(usize::MAX);
            let repository = P::repository(db);
            let points: Vec<P> = repository
                .range(&series, from..to, direction, Some(limit))
                .await
                .map_err(|error| from_corm(&error))?
                .try_collect()
                .await
                .map_err(|error| from_corm(&error))?;
            Ok(Some(Value::List(points.iter().map(GraphqlValue::to_value).collect())))
        })
    })
    .description(format!(
        "The `{}` points of one series with `from <= ts < to`, oldest first (newest first with `descending`), at most `first`.",
        P::NAME
    ));
    let mut latest = Field::new(
        format!("{}Latest", P::FIELD),
        TypeRef::named(P::NAME),
        |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<P::Db>()?;
                let args = InputFields::new(ctx.args.as_index_map());
                let series = P::series(&args).map_err(|why| bad_input("series", &why))?;
                let latest = P::repository(db)
                    .latest(&series)
                    .await
                    .map_err(|error| from_corm(&error))?;
                Ok(latest.map(|point| FieldValue::value(point.to_value())))
            })
        },
    )
    .description(format!(
        "The newest `{}` point of one series, looking back 24 buckets.",
        P::NAME
    ));
    for (name, ty) in &series_arguments {
        range = range.argument(InputValue::new(*name, ty.clone()));
        latest = latest.argument(InputValue::new(*name, ty.clone()));
    }
    let time = || TypeRef::named_nn(super::scalars::TIMESTAMP);
    range = range
        .argument(InputValue::new("from", time()))
        .argument(InputValue::new("to", time()))
        .argument(InputValue::new(
            "descending",
            TypeRef::named(TypeRef::BOOLEAN),
        ))
        .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)));
    let write = Field::new(format!("write{}", P::NAME), point(), |ctx| {
        FieldFuture::new(async move {
            let db = ctx.data::<P::Db>()?;
            let input = ctx.args.try_get("input")?;
            let point = P::from_value(input.as_value()).map_err(|why| bad_input("input", &why))?;
            P::repository(db)
                .write(&point)
                .await
                .map_err(|error| from_corm(&error))?;
            Ok(Some(FieldValue::value(point.to_value())))
        })
    })
    .description(format!(
        "Writes a `{}` point (a point at the same series and time is replaced); returns it.",
        P::NAME
    ))
    .argument(InputValue::new("input", P::type_ref(true)));
    let queries = vec![
        (format!("{}Range", P::FIELD), range),
        (format!("{}Latest", P::FIELD), latest),
    ];
    (queries, write)
}
