//! Types: names resolve to scalars, UDTs or enums; collections nest only
//! when frozen; vectors hold floats; counters stand alone.

use super::context::{Annotate, Context, did_you_mean};
use super::names::{Symbols, TypeDecl};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{Scalar, Type};

/// Where a type is written, which decides what it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// A column of a table (model, time series, event store).
    Column,
    /// A field of a UDT or an event (stored inside another value).
    Nested,
    /// Inside a collection, tuple, vector or `frozen<…>`.
    Element {
        /// Whether an enclosing `frozen<…>` or tuple freezes it already.
        frozen: bool,
    },
}

/// Resolves a written type (without its `?`), reporting every problem.
pub(super) fn resolve(
    ty: &ast::TypeExpr,
    place: Place,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<Type> {
    if let (Some(question), Place::Element { .. }) = (ty.optional, place) {
        ctx.error(
            Code::InvalidType,
            "a value inside a collection, tuple or `frozen<…>` can't be optional",
            question,
            "remove this `?`",
        )
        .help("collections hold no nulls; make the whole field optional instead");
    }
    let inside_collection = |frozen| Place::Element { frozen };
    let frozen_here = matches!(place, Place::Element { frozen: true });
    match &ty.kind {
        ast::TypeKind::Named(name) => resolve_named(name, ty, place, symbols, ctx),
        ast::TypeKind::List(item) => {
            require_frozen(ty, place, "list", ctx);
            let item = resolve(item, inside_collection(frozen_here), symbols, ctx)?;
            Some(Type::List(Box::new(item)))
        }
        ast::TypeKind::Set(item) => {
            require_frozen(ty, place, "set", ctx);
            let resolved = resolve(item, inside_collection(frozen_here), symbols, ctx)?;
            unordered_duration(&resolved, item, "set elements", ctx)?;
            Some(Type::Set(Box::new(resolved)))
        }
        ast::TypeKind::Map { key, value } => {
            require_frozen(ty, place, "map", ctx);
            let resolved_key = resolve(key, inside_collection(frozen_here), symbols, ctx);
            let value = resolve(value, inside_collection(frozen_here), symbols, ctx);
            let resolved_key = resolved_key?;
            unordered_duration(&resolved_key, key, "map keys", ctx)?;
            Some(Type::Map(Box::new(resolved_key), Box::new(value?)))
        }
        ast::TypeKind::Tuple(items) => {
            let items: Vec<Option<Type>> = items
                .iter()
                .map(|item| resolve(item, inside_collection(true), symbols, ctx))
                .collect();
            items
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(Type::Tuple)
        }
        ast::TypeKind::Frozen(inner) => {
            let resolved = resolve(inner, inside_collection(true), symbols, ctx)?;
            match &resolved {
                Type::List(_) | Type::Set(_) | Type::Map(..) | Type::Tuple(_) | Type::Udt(_) => {
                    Some(Type::Frozen(Box::new(resolved)))
                }
                Type::Scalar(_) | Type::Enum(_) | Type::Vector(_) | Type::Frozen(_) => {
                    ctx.error(
                        Code::InvalidType,
                        format!("`frozen<{resolved}>` freezes nothing"),
                        ty.span,
                        "frozen applies to collections, tuples and user-defined types",
                    )
                    .help(format!("write `{resolved}`"));
                    None
                }
            }
        }
        ast::TypeKind::Vector { element, dimension } => {
            let is_float = matches!(
                &element.kind,
                ast::TypeKind::Named(name) if name.name == "float"
            );
            let element_ok = is_float && element.optional.is_none();
            if !is_float {
                ctx.error(
                    Code::InvalidType,
                    "vectors hold `float` values",
                    element.span,
                    "not `float`",
                )
                .help(format!("write `vector<float, {}>`", dimension.value));
            } else if let Some(question) = element.optional {
                ctx.error(
                    Code::InvalidType,
                    "a vector's values can't be optional",
                    question,
                    "remove this `?`",
                )
                .help("make the whole field optional instead");
            }
            let dimensions = u32::try_from(dimension.value)
                .ok()
                .filter(|n| (1..=MAX_VECTOR_DIMENSIONS).contains(n));
            if dimensions.is_none() {
                let (message, label) = if dimension.value == 0 {
                    ("a vector has at least 1 dimension", "no dimensions")
                } else {
                    (
                        "a vector has at most 2147483647 dimensions (CQL's `int`)",
                        "too many dimensions",
                    )
                };
                ctx.error(Code::InvalidValue, message, dimension.span, label)
                    .help("give the length of the embeddings, e.g. `vector<float, 384>`");
            }
            if element_ok {
                dimensions.map(Type::Vector)
            } else {
                None
            }
        }
    }
}

/// The most dimensions CQL accepts in `vector<float, N>` (a Java `int`).
const MAX_VECTOR_DIMENSIONS: u32 = 2_147_483_647;

/// Durations have no order, so CQL refuses them as set elements and map
/// keys (also frozen, also nested in a tuple).
fn unordered_duration(
    resolved: &Type,
    written: &ast::TypeExpr,
    what: &str,
    ctx: &mut Context,
) -> Option<()> {
    if contains_duration(resolved) {
        ctx.error(
            Code::InvalidType,
            format!("durations can't be {what}"),
            written.span,
            "holds a duration",
        )
        .help("durations have no order, which sets and map keys need; store a number of seconds instead");
        return None;
    }
    Some(())
}

fn resolve_named(
    name: &ast::Ident,
    ty: &ast::TypeExpr,
    place: Place,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<Type> {
    if let Some(scalar) = Scalar::from_name(&name.name) {
        if scalar == Scalar::Counter && place != Place::Column {
            let (message, label) = match place {
                Place::Nested => (
                    "a counter can't be a field of a type or an event",
                    "counter field",
                ),
                Place::Element { .. } | Place::Column => (
                    "a counter can't be inside a collection, tuple or `frozen<…>`",
                    "counter inside another value",
                ),
            };
            ctx.error(Code::InvalidCounter, message, ty.span, label)
                .help("counters can only be columns of a model (all of whose non-key fields are counters)");
            return None;
        }
        return Some(Type::Scalar(scalar));
    }
    match symbols.types.get(name.name.as_str()) {
        Some(TypeDecl::Udt(_)) => {
            if place == (Place::Element { frozen: false }) {
                ctx.error(
                    Code::UnfrozenNested,
                    "a user-defined type inside a collection must be frozen",
                    ty.span,
                    "not frozen",
                )
                .help(format!("write `frozen<{}>`", name.name));
            }
            Some(Type::Udt(name.name.clone()))
        }
        Some(TypeDecl::Enum(_)) => Some(Type::Enum(name.name.clone())),
        Some(
            other @ (TypeDecl::Model(_)
            | TypeDecl::TimeSeries(_)
            | TypeDecl::Events(_)
            | TypeDecl::Saga(_)
            | TypeDecl::View(_)),
        ) => {
            ctx.error(
                Code::UnknownType,
                format!("`{}` is {}, not a type a field can hold", name.name, other.described()),
                name.span,
                "not a type",
            )
            .help("declare a `type` (a CQL user-defined type) for values stored inside a row, or use a relation");
            None
        }
        None => {
            let scalars = Scalar::ALL.iter().map(|scalar| scalar.name());
            let suggestion = did_you_mean(&name.name, scalars.chain(symbols.type_names()));
            let diagnostic = ctx.error(
                Code::UnknownType,
                format!("unknown type `{}`", name.name),
                name.span,
                "not a scalar, type or enum",
            );
            match suggestion {
                Some(help) => diagnostic.help(help),
                None => diagnostic
                    .help("declare it with `type` or `enum`, or use a scalar such as `text`"),
            };
            None
        }
    }
}

fn require_frozen(ty: &ast::TypeExpr, place: Place, what: &str, ctx: &mut Context) {
    if place == (Place::Element { frozen: false }) {
        ctx.error(
            Code::UnfrozenNested,
            format!("a {what} inside a collection must be frozen"),
            ty.span,
            "not frozen",
        )
        .help(format!("wrap it: `frozen<{}>`", ty_text(ty)));
    }
}

/// The type as written, for help texts.
fn ty_text(ty: &ast::TypeExpr) -> String {
    let inner = match &ty.kind {
        ast::TypeKind::Named(name) => name.name.clone(),
        ast::TypeKind::List(item) => format!("list<{}>", ty_text(item)),
        ast::TypeKind::Set(item) => format!("set<{}>", ty_text(item)),
        ast::TypeKind::Map { key, value } => format!("map<{}, {}>", ty_text(key), ty_text(value)),
        ast::TypeKind::Tuple(items) => format!(
            "tuple<{}>",
            items.iter().map(ty_text).collect::<Vec<_>>().join(", ")
        ),
        ast::TypeKind::Frozen(inner) => format!("frozen<{}>", ty_text(inner)),
        ast::TypeKind::Vector { element, dimension } => {
            format!("vector<{}, {}>", ty_text(element), dimension.value)
        }
    };
    if ty.optional.is_some() {
        format!("{inner}?")
    } else {
        inner
    }
}

/// Reports user-defined types that contain themselves (CQL refuses them):
/// each cycle once, at the field of its first type that starts it.
pub(super) fn check_udt_cycles(udts: &[crate::ir::Udt], ctx: &mut Context) {
    let mut reported: Vec<Vec<String>> = Vec::new();
    for udt in udts {
        let mut stack: Vec<&str> = vec![&udt.name];
        let Some(path) = find_cycle(&udt.name, udts, &mut stack) else {
            continue;
        };
        let mut members: Vec<String> = path.iter().skip(1).cloned().collect();
        members.sort();
        if reported.contains(&members) {
            continue;
        }
        reported.push(members);
        let next = path.get(1).map_or(udt.name.as_str(), String::as_str);
        let field_span = udt
            .fields
            .iter()
            .find(|field| referenced_udts(&field.ty).contains(&next))
            .map_or(udt.span, |field| field.span);
        ctx.error(
            Code::RecursiveType,
            format!("type `{}` contains itself", udt.name),
            field_span,
            format!(
                "{} contains {}",
                udt.name,
                path.iter()
                    .skip(1)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", which contains ")
            ),
        )
        .help("CQL types can't be recursive; store the nested part in a table of its own");
    }
}

fn find_cycle<'a>(
    target: &str,
    udts: &'a [crate::ir::Udt],
    stack: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    let current = stack.last().copied()?;
    let udt = udts.iter().find(|udt| udt.name == current)?;
    for field in &udt.fields {
        for referenced in referenced_udts(&field.ty) {
            if referenced == target {
                let mut path: Vec<String> = stack.iter().map(|s| (*s).to_owned()).collect();
                path.push(referenced.to_owned());
                return Some(path);
            }
            if stack.contains(&referenced) {
                continue;
            }
            if let Some(next) = udts.iter().find(|udt| udt.name == referenced) {
                stack.push(&next.name);
                if let Some(path) = find_cycle(target, udts, stack) {
                    return Some(path);
                }
                stack.pop();
            }
        }
    }
    None
}

/// The UDT names a type mentions.
pub(super) fn referenced_udts(ty: &Type) -> Vec<&str> {
    match ty {
        Type::Udt(name) => vec![name.as_str()],
        Type::List(item) | Type::Set(item) | Type::Frozen(item) => referenced_udts(item),
        Type::Map(key, value) => {
            let mut names = referenced_udts(key);
            names.extend(referenced_udts(value));
            names
        }
        Type::Tuple(items) => items.iter().flat_map(referenced_udts).collect(),
        Type::Scalar(_) | Type::Vector(_) | Type::Enum(_) => Vec::new(),
    }
}

/// Whether `ty` is or holds a `duration` (user-defined types are not
/// looked into).
pub(super) fn contains_duration(ty: &Type) -> bool {
    match ty {
        Type::Scalar(scalar) => *scalar == Scalar::Duration,
        Type::List(item) | Type::Set(item) | Type::Frozen(item) => contains_duration(item),
        Type::Map(key, value) => contains_duration(key) || contains_duration(value),
        Type::Tuple(items) => items.iter().any(contains_duration),
        Type::Vector(_) | Type::Udt(_) | Type::Enum(_) => false,
    }
}
