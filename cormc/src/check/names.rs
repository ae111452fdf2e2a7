//! Names: one declaration per name, naming conventions, and the symbol
//! table the other passes resolve against.

use rustc_hash::FxHashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::context::{Annotate, Context};
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::Scalar;

/// A declaration in the type namespace (types, enums, models, time series
/// and event stores share it: all become Rust types).
#[derive(Debug, Clone, Copy)]
pub(super) enum TypeDecl<'a> {
    Udt(&'a ast::TypeDecl),
    Enum(&'a ast::EnumDecl),
    Model(&'a ast::Model),
    TimeSeries(&'a ast::TimeSeries),
    Events(&'a ast::EventStore),
    /// A saga.
    Saga(&'a ast::Saga),
    View(&'a ast::View),
}

impl<'a> TypeDecl<'a> {
    /// The declared name.
    pub fn name(self) -> &'a ast::Ident {
        match self {
            Self::Udt(d) => &d.name,
            Self::Enum(d) => &d.name,
            Self::Model(d) => &d.name,
            Self::TimeSeries(d) => &d.name,
            Self::Events(d) => &d.name,
            Self::Saga(d) => &d.name,
            Self::View(d) => &d.name,
        }
    }

    /// What it is, as a noun: `time series`, `event store`, …
    pub fn noun(self) -> &'static str {
        match self {
            Self::Udt(_) => "type",
            Self::Enum(_) => "enum",
            Self::Model(_) => "model",
            Self::TimeSeries(_) => "time series",
            Self::Events(_) => "event store",
            Self::Saga(_) => "saga",
            Self::View(_) => "view",
        }
    }

    /// What it is, with an article: `a model`, `an enum`, …
    pub fn described(self) -> &'static str {
        match self {
            Self::Udt(_) => "a type",
            Self::Enum(_) => "an enum",
            Self::Model(_) => "a model",
            Self::TimeSeries(_) => "a time series",
            Self::Events(_) => "an event store",
            Self::Saga(_) => "a saga",
            Self::View(_) => "a view",
        }
    }
}

/// Every first declaration by name; later duplicates are reported and left
/// out.
#[derive(Debug, Default)]
pub(super) struct Symbols<'a> {
    pub keyspace: Option<&'a ast::Keyspace>,
    pub types: FxHashMap<&'a str, TypeDecl<'a>>,
    pub udts: Vec<&'a ast::TypeDecl>,
    pub enums: Vec<&'a ast::EnumDecl>,
    pub models: Vec<&'a ast::Model>,
    pub time_series: Vec<&'a ast::TimeSeries>,
    pub event_stores: Vec<&'a ast::EventStore>,
    /// The sagas.
    pub sagas: Vec<&'a ast::Saga>,
    pub queries: Vec<&'a ast::Query>,
    pub aggregates: Vec<&'a ast::Aggregate>,
    pub mutations: Vec<&'a ast::Mutation>,
    pub views: Vec<&'a ast::View>,
    pub migrations: Vec<&'a ast::Migration>,
}

impl<'a> Symbols<'a> {
    /// Collects the items, reporting duplicates and convention breaks.
    pub fn collect(schema: &'a ast::Schema, ctx: &mut Context) -> Self {
        let mut symbols = Self::default();
        let mut methods: FxHashMap<&str, Span> = FxHashMap::default();
        for item in schema.items() {
            match item {
                ast::Item::Keyspace(keyspace) => match symbols.keyspace {
                    Some(first) => {
                        ctx.error(
                            Code::DuplicateKeyspace,
                            "a schema has at most one keyspace",
                            keyspace.name.span,
                            "second keyspace",
                        )
                        .label(first.name.span, "first keyspace here")
                        .help("bind other keyspaces at run time: the generated `Db` takes a keyspace name");
                    }
                    None => symbols.keyspace = Some(keyspace),
                },
                ast::Item::Type(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::Udt(decl), ctx) {
                        symbols.udts.push(decl);
                    }
                }
                ast::Item::Enum(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::Enum(decl), ctx) {
                        symbols.enums.push(decl);
                    }
                }
                ast::Item::Model(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::Model(decl), ctx) {
                        symbols.models.push(decl);
                    }
                }
                ast::Item::TimeSeries(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::TimeSeries(decl), ctx) {
                        symbols.time_series.push(decl);
                    }
                }
                ast::Item::Events(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::Events(decl), ctx) {
                        symbols.event_stores.push(decl);
                    }
                }
                ast::Item::Saga(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::Saga(decl), ctx) {
                        symbols.sagas.push(decl);
                    }
                }
                ast::Item::Query(query) => {
                    if declare_method(&mut methods, &query.name, "query", ctx) {
                        symbols.queries.push(query);
                    }
                }
                ast::Item::Aggregate(aggregate) => {
                    if declare_method(&mut methods, &aggregate.name, "aggregate", ctx) {
                        symbols.aggregates.push(aggregate);
                    }
                }
                ast::Item::View(decl) => {
                    if symbols.declare_type(&decl.name, TypeDecl::View(decl), ctx) {
                        symbols.views.push(decl);
                    }
                }
                ast::Item::Mutation(mutation) => {
                    if declare_method(&mut methods, &mutation.name, "mutation", ctx) {
                        symbols.mutations.push(mutation);
                    }
                }
                ast::Item::Migration(migration) => symbols.migrations.push(migration),
            }
        }
        symbols
    }

    fn declare_type(
        &mut self,
        name: &'a ast::Ident,
        decl: TypeDecl<'a>,
        ctx: &mut Context,
    ) -> bool {
        if Scalar::from_name(&name.name).is_some() {
            ctx.error(
                Code::ReservedName,
                format!(
                    "`{}` is a scalar type and can't name {}",
                    name.name,
                    decl.described()
                ),
                name.span,
                "scalar type name",
            )
            .help(format!(
                "rename it, e.g. `{}`",
                name.name.to_upper_camel_case() + "Value"
            ));
            return false;
        }
        if let Some(first) = self.types.get(name.name.as_str()) {
            ctx.error(
                Code::DuplicateName,
                format!("`{}` is declared twice", name.name),
                name.span,
                format!("this {} redeclares it", decl.noun()),
            )
            .label(
                first.name().span,
                format!("first declared here as {}", first.described()),
            )
            .help("models, types, enums, time series and event stores share one namespace (all become Rust types); rename one of them");
            return false;
        }
        check_upper_camel(name, decl.noun(), ctx);
        self.types.insert(&name.name, decl);
        true
    }

    /// The names of every declared UDT and enum (for suggestions).
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.udts
            .iter()
            .map(|udt| udt.name.name.as_str())
            .chain(self.enums.iter().map(|e| e.name.name.as_str()))
    }

    /// The declared enum called `name`.
    pub fn enum_named(&self, name: &str) -> Option<&'a ast::EnumDecl> {
        match self.types.get(name) {
            Some(TypeDecl::Enum(decl)) => Some(decl),
            Some(
                TypeDecl::Udt(_)
                | TypeDecl::Model(_)
                | TypeDecl::TimeSeries(_)
                | TypeDecl::Events(_)
                | TypeDecl::Saga(_)
                | TypeDecl::View(_),
            )
            | None => None,
        }
    }
}

fn declare_method<'a>(
    methods: &mut FxHashMap<&'a str, Span>,
    name: &'a ast::Ident,
    kind: &str,
    ctx: &mut Context,
) -> bool {
    if let Some(first) = methods.get(name.name.as_str()) {
        ctx.error(
            Code::DuplicateName,
            format!("`{}` is declared twice", name.name),
            name.span,
            format!("this {kind} redeclares it"),
        )
        .label(*first, "first declared here")
        .help("queries, aggregates and mutations become methods and need distinct names");
        return false;
    }
    check_snake(name, kind, ctx);
    methods.insert(&name.name, name.span);
    true
}

/// Warns when a type-like name is not `UpperCamel`.
pub(super) fn check_upper_camel(name: &ast::Ident, kind: &str, ctx: &mut Context) {
    let expected = name.name.to_upper_camel_case();
    if expected != name.name && !expected.is_empty() {
        ctx.warning(
            Code::NamingConvention,
            format!("{kind} name `{}` is not UpperCamelCase", name.name),
            name.span,
            format!("rename to `{expected}`"),
        )
        .help(
            "the Rust and GraphQL names are derived from it; the CQL name is its snake_case form",
        );
    }
}

/// Warns when a field-like name is not `snake_case`.
pub(super) fn check_snake(name: &ast::Ident, kind: &str, ctx: &mut Context) {
    let expected = snake_case(&name.name);
    if expected != name.name && !expected.is_empty() && !name.name.starts_with('_') {
        ctx.warning(
            Code::NamingConvention,
            format!("{kind} name `{}` is not snake_case", name.name),
            name.span,
            format!("rename to `{expected}`"),
        )
        .help("the Rust, GraphQL and CQL names are derived from it");
    }
}

/// Reports a second member with the same name inside one block; returns
/// whether `name` is new.
pub(super) fn unique_member<'a>(
    seen: &mut FxHashMap<&'a str, Span>,
    name: &'a ast::Ident,
    what: &str,
    ctx: &mut Context,
) -> bool {
    if let Some(first) = seen.get(name.name.as_str()) {
        ctx.error(
            Code::DuplicateMember,
            format!("{what} `{}` is declared twice", name.name),
            name.span,
            "declared again here",
        )
        .label(*first, "first declared here")
        .help(if what.contains("index") || what.starts_with("group by") {
            "remove one"
        } else {
            "remove one, or rename it"
        });
        return false;
    }
    seen.insert(&name.name, name.span);
    true
}

/// `name` in snake_case, without allocating when it already is.
pub(super) fn snake_case(name: &str) -> std::borrow::Cow<'_, str> {
    let already = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.contains("__")
        && !name.ends_with('_');
    if already {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name.to_snake_case())
    }
}
