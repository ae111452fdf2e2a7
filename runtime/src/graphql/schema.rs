//! Builds the GraphQL schema of a generated `Db` at run time: an object
//! type per model, and the query and mutation fields of the access paths
//! and writes each model has, over its repository.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputObject, InputValue, Object, ResolverContext, Schema,
    SchemaBuilder as DynamicSchemaBuilder, SchemaError, Subscription, SubscriptionField, TypeRef,
};
use async_graphql::{Error as GraphqlError, Value};

use super::changes::Streamed;
use super::connection::{self, PageRequest, identity};
use super::cursor::Cursors;
use super::error::{bad_input, from_corm};
use super::events::Stored;
use super::input::InputFields;
use super::model::{
    CLUSTERING, Insertable, Model, ModelField, ModelFields, PARTITION, PATCH, Partitioned,
    Patchable, REQUIRED, nullable,
};
use super::options::GraphqlOptions;
use super::query::{Arguments, NamedQuery, PagedQuery, QueryOutput};
use super::relation::{Related, Relation, RelationLoader};
use super::series::Series;
use super::types::Types;
use super::value::GraphqlValue;
use crate::PagingToken;

/// The arguments of a partition read that are not partition key fields.
const PAGE_ARGUMENTS: [&str; 2] = ["first", "after"];

/// The arguments of a partition read beside its partition key fields.
const PARTITION_ARGUMENTS: [&str; 5] = ["from", "to", "descending", "first", "after"];

/// Builds the schema of a generated `Db` (`D`): generated code calls
/// [`model`](Self::model) and the others for each model, then
/// [`finish`](Self::finish).
pub struct SchemaBuilder<D> {
    db: D,
    options: GraphqlOptions,
    cursors: Arc<Cursors>,
    types: Types,
    objects: BTreeMap<String, Object>,
    inputs: Vec<InputObject>,
    /// Each model's key input type, until a mutation takes it.
    keys: BTreeMap<String, InputObject>,
    query: Vec<Field>,
    query_names: BTreeSet<String>,
    mutation: Vec<Field>,
    mutation_names: BTreeSet<String>,
    subscription: Vec<SubscriptionField>,
    /// The field names of each model's object, to find clashes.
    field_names: BTreeMap<String, BTreeSet<String>>,
    /// Adds each relation's `DataLoader` to the schema's data.
    loaders: Vec<Box<dyn FnOnce(DynamicSchemaBuilder) -> DynamicSchemaBuilder + Send>>,
    problems: Vec<String>,
}

impl<D> std::fmt::Debug for SchemaBuilder<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaBuilder")
            .field("options", &self.options)
            .field("objects", &self.objects.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<D: Clone + Send + Sync + 'static> SchemaBuilder<D> {
    /// A builder of the schema over `db`, guarded by `options`.
    pub fn new(db: D, options: GraphqlOptions) -> Self {
        Self {
            cursors: Arc::new(Cursors::new(options.cursor_key.0)),
            db,
            options,
            types: Types::default(),
            objects: BTreeMap::new(),
            inputs: Vec::new(),
            keys: BTreeMap::new(),
            query: Vec::new(),
            query_names: BTreeSet::new(),
            mutation: Vec::new(),
            mutation_names: BTreeSet::new(),
            subscription: Vec::new(),
            field_names: BTreeMap::new(),
            loaders: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Registers the named types `T` needs (a schema's enums and
    /// user-defined types register through the fields that use them).
    #[must_use]
    pub fn types(mut self, register: fn(&mut Types)) -> Self {
        register(&mut self.types);
        self
    }

    /// The fields of `T`, with the named types they need registered.
    fn fields_of<T: Model>(&mut self) -> Vec<ModelField<T>> {
        let mut fields = ModelFields::new(std::mem::take(&mut self.types));
        T::fields(&mut fields);
        self.types = fields.types;
        fields.fields
    }

    /// The object type of `T` and the query field `T::FIELD` that reads one
    /// row by its primary key (key fields as arguments), and the input type
    /// `<T>Key` of the mutations.
    #[must_use]
    pub fn model<T: Model<Db = D>>(mut self) -> Self {
        let fields = self.fields_of::<T>();
        let mut object = Object::new(T::NAME);
        if !T::DESCRIPTION.is_empty() {
            object = object.description(T::DESCRIPTION);
        }
        let mut key = InputObject::new(format!("{}Key", T::NAME))
            .description(format!("The primary key of a `{}`.", T::NAME));
        let mut get = Field::new(T::FIELD, TypeRef::named(T::NAME), |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<D>()?;
                let key = T::key(&InputFields::new(ctx.args.as_index_map()))
                    .map_err(|why| bad_input("key", &why))?;
                let row = T::repository(db)
                    .get(&key)
                    .await
                    .map_err(|error| from_corm(&error))?;
                Ok(row.map(FieldValue::owned_any))
            })
        })
        .description(format!("The `{}` at a primary key, or null.", T::NAME));
        self.field_names.insert(
            T::NAME.to_owned(),
            fields.iter().map(|field| field.name.to_owned()).collect(),
        );
        for field in &fields {
            let value = Arc::clone(&field.value);
            let mut output = Field::new(field.name, field.output.clone(), move |ctx| {
                let resolved = ctx
                    .parent_value
                    .try_downcast_ref::<T>()
                    .map(|row| Some(FieldValue::value(value(row))));
                match resolved {
                    Ok(value) => FieldFuture::Value(value),
                    Err(error) => FieldFuture::new(async move { Err::<Option<Value>, _>(error) }),
                }
            });
            if !field.description.is_empty() {
                output = output.description(field.description);
            }
            object = object.field(output);
            if field.roles & (PARTITION | CLUSTERING) != 0 {
                get = get.argument(InputValue::new(field.name, field.input.clone()));
                key = key.field(InputValue::new(field.name, field.input.clone()));
            }
        }
        self.objects.insert(T::NAME.to_owned(), object);
        self.keys.insert(T::NAME.to_owned(), key);
        self.add_query(T::FIELD, get);
        self
    }

    /// The query field `<T::FIELD>Partition`: one page of a partition as a
    /// Relay connection (partition key fields, `first` and `after` as
    /// arguments).
    #[must_use]
    pub fn partitioned<T: Partitioned<Db = D>>(mut self) -> Self {
        let fields = self.fields_of::<T>();
        connection::register::<T>(&mut self.types, T::NAME);
        let name = format!("{}Partition", T::FIELD);
        let partition_fields: Vec<_> = fields
            .iter()
            .filter(|field| field.roles & PARTITION != 0)
            .map(|field| (field.name, field.canonical))
            .collect();
        for (field, _) in &partition_fields {
            if PARTITION_ARGUMENTS.contains(field) {
                self.problems.push(format!(
                    "`{}.{field}` is a partition key field, and `{name}` has an argument of that name",
                    T::NAME
                ));
            }
        }
        let partition_fields = Arc::new(partition_fields);
        let cursors = Arc::clone(&self.cursors);
        let (default_size, max_size) = (self.options.default_page_size, self.options.max_page_size);
        let field_name = name.clone();
        let mut field = Field::new(
            &name,
            TypeRef::named_nn(format!("{}Connection", T::NAME)),
            move |ctx| {
                let cursors = Arc::clone(&cursors);
                let partition_fields = Arc::clone(&partition_fields);
                let field_name = field_name.clone();
                FieldFuture::new(async move {
                    let page = PageRequest::read(&ctx, default_size, max_size)?;
                    let args = InputFields::new(ctx.args.as_index_map());
                    let partition =
                        T::partition(&args).map_err(|why| bad_input("partition", &why))?;
                    let mut identity = identity(&field_name, &args, &partition_fields)?;
                    let range = ClusteringRange::<T::First>::read(&args, T::FIRST_DESCENDING)?;
                    range.identify(&mut identity);
                    let start = page.start(&cursors, &identity)?;
                    let db = ctx.data::<D>()?;
                    let token = start.token.clone().map(PagingToken::from_bytes);
                    let repository = T::repository(db);
                    let size = page.read_size(&start)?;
                    let read = if range.is_whole() {
                        repository.partition_page(&partition, size, token.as_ref()).await
                    } else {
                        let from = range.from.as_ref().map_or(Bound::Unbounded, Bound::Included);
                        let to = range.to.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
                        repository
                            .partition_range_page(&partition, from, to, range.order(), size, token.as_ref())
                            .await
                    }
                    .map_err(|error| from_corm(&error))?;
                    let connection = page.connection(&cursors, &identity, &start, read);
                    Ok(Some(FieldValue::owned_any(connection)))
                })
            },
        )
        .description(format!(
            "A page of the `{}` rows of one partition, in clustering order (or by the first clustering column descending or ascending, as `descending` says), those whose first clustering column is `from` or after and before `to` when given: `first` rows after the cursor `after`.",
            T::NAME
        ));
        for partition_field in fields.iter().filter(|field| field.roles & PARTITION != 0) {
            field = field.argument(InputValue::new(
                partition_field.name,
                partition_field.input.clone(),
            ));
        }
        let bound = nullable(&<T::First as GraphqlValue>::type_ref(true));
        <T::First as GraphqlValue>::register(&mut self.types);
        field = field
            .argument(InputValue::new("from", bound.clone()))
            .argument(InputValue::new("to", bound))
            .argument(InputValue::new(
                "descending",
                TypeRef::named(TypeRef::BOOLEAN),
            ))
            .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)))
            .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)));
        self.add_query(&name, field);
        self
    }

    /// The mutations `insert<T>` (returns the row written, its defaults
    /// filled) and `delete<T>`, and the input type `<T>Input`.
    #[must_use]
    pub fn insertable<T: Insertable<Db = D>>(mut self) -> Self {
        let fields = self.fields_of::<T>();
        let input_name = format!("{}Input", T::NAME);
        let mut input = InputObject::new(&input_name).description(format!(
            "A `{}` to insert: fields left out take their `@default`, or stay null when optional.",
            T::NAME
        ));
        for field in &fields {
            let ty = if field.roles & REQUIRED != 0 {
                field.input.clone()
            } else {
                nullable(&field.input)
            };
            input = input.field(describe_input(
                InputValue::new(field.name, ty),
                field.description,
            ));
        }
        self.inputs.push(input);
        self.use_key::<T>();
        let insert = Field::new(format!("insert{}", T::NAME), TypeRef::named_nn(T::NAME), |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<D>()?;
                let input = object_argument(&ctx, "input")?;
                let row = T::row(&input).map_err(|why| bad_input("input", &why))?;
                T::insert(db, row.clone()).await.map_err(|error| from_corm(&error))?;
                Ok(Some(FieldValue::owned_any(row)))
            })
        })
        .description(format!(
            "Writes a `{}` (every column; a row at its key is replaced), after its `@validate` rules and `@unique` claims; returns it as written.",
            T::NAME
        ))
        .argument(InputValue::new("input", TypeRef::named_nn(&input_name)));
        let delete = Field::new(
            format!("delete{}", T::NAME),
            TypeRef::named_nn(TypeRef::BOOLEAN),
            |ctx| {
                FieldFuture::new(async move {
                    let db = ctx.data::<D>()?;
                    let key = object_argument(&ctx, "key")?;
                    let key = T::key(&key).map_err(|why| bad_input("key", &why))?;
                    T::delete(db, key)
                        .await
                        .map_err(|error| from_corm(&error))?;
                    Ok(Some(Value::Boolean(true)))
                })
            },
        )
        .description(format!(
            "Deletes the `{}` at a key (nothing happens when there is none); true once done.",
            T::NAME
        ))
        .argument(InputValue::new(
            "key",
            TypeRef::named_nn(format!("{}Key", T::NAME)),
        ));
        self.add_mutation(&format!("insert{}", T::NAME), insert);
        self.add_mutation(&format!("delete{}", T::NAME), delete);
        self
    }

    /// The mutation `update<T>` (returns the row as read after the update,
    /// null when none is there) and the input type `<T>Patch`.
    #[must_use]
    pub fn patchable<T: Patchable<Db = D>>(mut self) -> Self {
        let fields = self.fields_of::<T>();
        let patch_name = format!("{}Patch", T::NAME);
        let mut patch = InputObject::new(&patch_name).description(format!(
            "The fields of a `{}` to change: those left out are left alone; null clears an optional field.",
            T::NAME
        ));
        for field in fields.iter().filter(|field| field.roles & PATCH != 0) {
            let argument = InputValue::new(field.name, nullable(&field.input));
            patch = patch.field(describe_input(argument, field.description));
        }
        self.inputs.push(patch);
        self.use_key::<T>();
        let update = Field::new(format!("update{}", T::NAME), TypeRef::named(T::NAME), |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<D>()?;
                let key = object_argument(&ctx, "key")?;
                let key = T::key(&key).map_err(|why| bad_input("key", &why))?;
                let patch = object_argument(&ctx, "patch")?;
                let patch = T::patch(&patch).map_err(|why| bad_input("patch", &why))?;
                T::update(db, key.clone(), patch).await.map_err(|error| from_corm(&error))?;
                let row = T::repository(db).get(&key).await.map_err(|error| from_corm(&error))?;
                Ok(row.map(FieldValue::owned_any))
            })
        })
        .description(format!(
            "Changes the fields of the `{}` at a key that the patch sets, after their `@validate` rules and `@unique` claims; returns the row as read after.",
            T::NAME
        ))
        .argument(InputValue::new("key", TypeRef::named_nn(format!("{}Key", T::NAME))))
        .argument(InputValue::new("patch", TypeRef::named_nn(&patch_name)));
        self.add_mutation(&format!("update{}", T::NAME), update);
        self
    }

    /// The field `R::FIELD` on the parent's object: the rows the relation
    /// loads, through a `DataLoader` over the generated batched loader, so
    /// the parents of one query share its reads.
    #[must_use]
    pub fn relation<R: Relation>(mut self) -> Self
    where
        R::Parent: Model<Db = D>,
    {
        let parent = <R::Parent as Model>::NAME;
        let Some(object) = self.objects.remove(parent) else {
            self.problems.push(format!(
                "relation `{parent}.{}`: the model is not in the schema",
                R::FIELD
            ));
            return self;
        };
        let names = self.field_names.entry(parent.to_owned()).or_default();
        if !names.insert(R::FIELD.to_owned()) {
            self.problems.push(format!(
                "relation `{parent}.{}`: the model has a field of that name",
                R::FIELD
            ));
        }
        // No delay: the parents of one round of resolution ask for their
        // rows in the same poll, before the spawned load runs, so they
        // share it without the default millisecond added to every request.
        let loader = DataLoader::new(RelationLoader::<R>::new(self.db.clone()), tokio::spawn)
            .delay(std::time::Duration::ZERO);
        self.loaders
            .push(Box::new(move |schema| schema.data(loader)));
        let field = Field::new(R::FIELD, R::Loaded::type_ref(), |ctx| {
            FieldFuture::new(async move {
                let parent = ctx.parent_value.try_downcast_ref::<R::Parent>()?;
                let loader = ctx.data::<DataLoader<RelationLoader<R>>>()?;
                let loaded = loader
                    .load_one(loader.loader().waiting(parent))
                    .await
                    .map_err(|error| from_corm(&error))?;
                Ok(loaded.and_then(Related::into_field))
            })
        });
        let field = if R::DESCRIPTION.is_empty() {
            field
        } else {
            field.description(R::DESCRIPTION)
        };
        self.objects.insert(parent.to_owned(), object.field(field));
        self
    }

    /// The query field `Q::FIELD`: the named query's rows, its parameters
    /// as arguments.
    #[must_use]
    pub fn query<Q: NamedQuery<Db = D>>(mut self) -> Self {
        let mut arguments = Arguments::default();
        Q::arguments(&mut arguments);
        for register in arguments.registers {
            register(&mut self.types);
        }
        Q::Output::register(&mut self.types);
        let mut field = Field::new(Q::FIELD, Q::Output::type_ref(), |ctx| {
            FieldFuture::new(async move {
                let db = ctx.data::<D>()?;
                let input = InputFields::new(ctx.args.as_index_map());
                let read = Q::run(db, &input).map_err(|why| bad_input(Q::FIELD, &why))?;
                let output = read.await.map_err(|error| from_corm(&error))?;
                Ok(output.into_field())
            })
        });
        if !Q::DESCRIPTION.is_empty() {
            field = field.description(Q::DESCRIPTION);
        }
        for (name, ty) in arguments.arguments {
            field = field.argument(InputValue::new(name, ty));
        }
        self.add_query(Q::FIELD, field);
        self
    }

    /// The query field `Q::FIELD`: a page of the named query's rows as a
    /// Relay connection (its parameters, `first` and `after` as
    /// arguments).
    #[must_use]
    pub fn paged_query<Q: PagedQuery<Db = D>>(mut self) -> Self {
        let mut arguments = Arguments::default();
        Q::arguments(&mut arguments);
        for register in arguments.registers {
            register(&mut self.types);
        }
        let row = <Q::Row as Model>::NAME;
        connection::register::<Q::Row>(&mut self.types, row);
        for (name, _) in &arguments.arguments {
            if PAGE_ARGUMENTS.contains(name) {
                self.problems.push(format!(
                    "query `{}` has a parameter `{name}`, which its page arguments use",
                    Q::FIELD
                ));
            }
        }
        let canonical = Arc::new(arguments.canonical);
        let cursors = Arc::clone(&self.cursors);
        let (default_size, max_size) = (self.options.default_page_size, self.options.max_page_size);
        let mut field = Field::new(
            Q::FIELD,
            TypeRef::named_nn(format!("{row}Connection")),
            move |ctx| {
                let cursors = Arc::clone(&cursors);
                let canonical = Arc::clone(&canonical);
                FieldFuture::new(async move {
                    let page = PageRequest::read(&ctx, default_size, max_size)?;
                    let args = InputFields::new(ctx.args.as_index_map());
                    let identity = identity(Q::FIELD, &args, &canonical)?;
                    let start = page.start(&cursors, &identity)?;
                    let db = ctx.data::<D>()?;
                    let token = start.token.clone().map(PagingToken::from_bytes);
                    let read = Q::page(db, &args, page.read_size(&start)?, token)
                        .map_err(|why| bad_input(Q::FIELD, &why))?
                        .await
                        .map_err(|error| from_corm(&error))?;
                    let connection = page.connection(&cursors, &identity, &start, read);
                    Ok(Some(FieldValue::owned_any(connection)))
                })
            },
        );
        if !Q::DESCRIPTION.is_empty() {
            field = field.description(Q::DESCRIPTION);
        }
        for (name, ty) in arguments.arguments {
            field = field.argument(InputValue::new(name, ty));
        }
        field = field
            .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)))
            .argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)));
        self.add_query(Q::FIELD, field);
        self
    }

    /// The fields of time series `P`: `<field>Range` and `<field>Latest`
    /// (queries) and `write<Name>` (a mutation).
    #[must_use]
    pub fn series<P: Series<Db = D>>(mut self) -> Self {
        let (queries, write) = super::series::fields::<P>(
            &mut self.types,
            self.options.default_page_size,
            self.options.max_page_size,
        );
        for (name, field) in queries {
            self.add_query(&name, field);
        }
        self.add_mutation(&format!("write{}", P::NAME), write);
        self
    }

    /// The fields of event store `S`: `<field>Events` and `<field>Version`
    /// (queries) and `append<Name>` (a mutation).
    #[must_use]
    pub fn events<S: Stored<Db = D>>(mut self) -> Self {
        let (queries, (name, append)) = super::events::fields::<S>(
            &mut self.types,
            self.options.default_page_size,
            self.options.max_page_size,
        );
        for (name, field) in queries {
            self.add_query(&name, field);
        }
        self.add_mutation(&name, append);
        self
    }

    /// Registers the key input type of `T` (`<T>Key`), which mutations
    /// take, once.
    fn use_key<T: Model>(&mut self) {
        if let Some(key) = self.keys.remove(T::NAME) {
            self.inputs.push(key);
        }
    }

    /// Adds `field` to the query type, unless a field has its name.
    fn add_query(&mut self, name: &str, field: Field) {
        if self.query_names.insert(name.to_owned()) {
            self.query.push(field);
        } else {
            self.problems
                .push(format!("two query fields are named `{name}`"));
        }
    }

    /// Adds `field` to the mutation type, unless a field has its name.
    fn add_mutation(&mut self, name: &str, field: Field) {
        if self.mutation_names.insert(name.to_owned()) {
            self.mutation.push(field);
        } else {
            self.problems
                .push(format!("two mutations are named `{name}`"));
        }
    }

    /// The subscription field `<T::FIELD>Changes`: the model's changes,
    /// filtered by key fields, from a position.
    #[must_use]
    pub fn changes<T: Streamed<Db = D>>(mut self) -> Self {
        let fields = self.fields_of::<T>();
        let field =
            super::changes::subscription::<T>(&mut self.types, &fields, self.options.follow);
        self.subscription.push(field);
        self
    }

    /// The schema, with the limits of the options.
    ///
    /// # Errors
    /// When two names clash, or a type is referred to but never defined.
    pub fn finish(self) -> Result<Schema, SchemaError> {
        if let Some(problem) = self.problems.first() {
            return Err(SchemaError(problem.clone()));
        }
        let has_mutations = !self.mutation.is_empty();
        let has_subscriptions = !self.subscription.is_empty();
        let mut schema = Schema::build(
            "Query",
            has_mutations.then_some("Mutation"),
            has_subscriptions.then_some("Subscription"),
        )
        .data(self.db)
        .limit_depth(self.options.max_depth)
        .limit_complexity(self.options.max_complexity);
        if !self.options.introspection {
            schema = schema.disable_introspection();
        }
        let query = self
            .query
            .into_iter()
            .fold(Object::new("Query"), Object::field);
        schema = schema.register(query);
        if has_mutations {
            let mutation = self
                .mutation
                .into_iter()
                .fold(Object::new("Mutation"), Object::field);
            schema = schema.register(mutation);
        }
        if has_subscriptions {
            let subscription = self
                .subscription
                .into_iter()
                .fold(Subscription::new("Subscription"), Subscription::field);
            schema = schema.register(subscription);
        }
        for object in self.objects.into_values() {
            schema = schema.register(object);
        }
        for input in self.inputs {
            schema = schema.register(input);
        }
        for ty in self.types.into_types() {
            schema = schema.register(ty);
        }
        for loader in self.loaders {
            schema = loader(schema);
        }
        schema.finish()
    }
}

/// `argument` with `description` unless it is empty.
fn describe_input(argument: InputValue, description: &str) -> InputValue {
    if description.is_empty() {
        argument
    } else {
        argument.description(description)
    }
}

/// The input object a client gave as argument `name`.
fn object_argument<'a>(
    ctx: &'a ResolverContext<'_>,
    name: &str,
) -> Result<InputFields<'a>, GraphqlError> {
    let value = ctx.args.try_get(name)?;
    InputFields::of(value.as_value()).map_err(|why| bad_input(name, &why))
}

/// The bounds of a partition read on its first clustering column: `from`
/// (included), `to` (excluded), and the direction.
struct ClusteringRange<F> {
    from: Option<F>,
    to: Option<F>,
    descending: bool,
    /// Whether `descending` is the table's own order.
    natural: bool,
}

impl<F: GraphqlValue> ClusteringRange<F> {
    /// The bounds a client sent.
    fn read(args: &InputFields<'_>, first_descending: bool) -> Result<Self, async_graphql::Error> {
        let descending = args
            .get::<Option<bool>>("descending")
            .map_err(|why| bad_input("descending", &why))?
            .unwrap_or(first_descending);
        Ok(Self {
            from: args.get("from").map_err(|why| bad_input("from", &why))?,
            to: args.get("to").map_err(|why| bad_input("to", &why))?,
            descending,
            natural: descending == first_descending,
        })
    }

    /// Whether the read is of the whole partition in clustering order.
    fn is_whole(&self) -> bool {
        self.from.is_none() && self.to.is_none() && self.natural
    }

    /// The direction of the first clustering column.
    fn order(&self) -> crate::SortOrder {
        if self.descending {
            crate::SortOrder::Desc
        } else {
            crate::SortOrder::Asc
        }
    }

    /// Adds the bounds to a cursor's identity: a cursor of one range does
    /// not open in another.
    fn identify(&self, identity: &mut Vec<u8>) {
        for bound in [&self.from, &self.to] {
            identity.push(0);
            if let Some(value) = bound {
                identity.extend_from_slice(value.to_value().to_string().as_bytes());
            }
        }
        identity.push(u8::from(self.descending));
    }
}
