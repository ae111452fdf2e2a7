//! Whether a schema built at run time is the one an SDL text describes:
//! every type with its kind and description, every field, input field and
//! enum value with its type, description and arguments. For tests that
//! keep a generated `schema.graphql` honest.

use std::collections::BTreeMap;

use async_graphql::dynamic::Schema;
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

/// One field, input field or enum value: its type, description and
/// arguments (name and type).
type Member = (String, String, Vec<(String, String)>);

/// A type: its kind, description and members by name.
type Shape = (&'static str, String, BTreeMap<String, Member>);

/// The shapes of the types `sdl` defines.
fn shapes(sdl: &str) -> Result<BTreeMap<String, Shape>, String> {
    let document = parse_schema(sdl).map_err(|error| error.to_string())?;
    let mut shapes = BTreeMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(definition) = definition else {
            continue;
        };
        let definition = definition.node;
        let text = |description: Option<async_graphql::Positioned<String>>| {
            description
                .map(|description| description.node)
                .unwrap_or_default()
        };
        let (kind, members): (&'static str, BTreeMap<String, Member>) = match definition.kind {
            TypeKind::Object(object) => (
                "type",
                object
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let arguments = field
                            .arguments
                            .into_iter()
                            .map(|argument| {
                                let argument = argument.node;
                                (argument.name.node.to_string(), argument.ty.node.to_string())
                            })
                            .collect();
                        let member = (
                            field.ty.node.to_string(),
                            text(field.description),
                            arguments,
                        );
                        (field.name.node.to_string(), member)
                    })
                    .collect(),
            ),
            TypeKind::InputObject(input) => (
                "input",
                input
                    .fields
                    .into_iter()
                    .map(|field| {
                        let field = field.node;
                        let member = (
                            field.ty.node.to_string(),
                            text(field.description),
                            Vec::new(),
                        );
                        (field.name.node.to_string(), member)
                    })
                    .collect(),
            ),
            TypeKind::Enum(enumeration) => (
                "enum",
                enumeration
                    .values
                    .into_iter()
                    .map(|value| (value.node.value.node.to_string(), Member::default()))
                    .collect(),
            ),
            TypeKind::Scalar => ("scalar", BTreeMap::new()),
            TypeKind::Interface(_) => ("interface", BTreeMap::new()),
            TypeKind::Union(union) => (
                "union",
                union
                    .members
                    .into_iter()
                    .map(|member| (member.node.to_string(), Member::default()))
                    .collect(),
            ),
        };
        let name = definition.name.node.to_string();
        shapes.insert(name, (kind, text(definition.description), members));
    }
    Ok(shapes)
}

/// The types of `shapes` a client can meet: those reached from the root
/// types through fields, arguments, input fields and union members, as
/// introspection lists them (a type registered but never used, such as
/// the output side of a tuple that is only ever an argument, is not
/// served).
fn served(shapes: BTreeMap<String, Shape>) -> BTreeMap<String, Shape> {
    let mut reached: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut pending: Vec<String> = ["Query", "Mutation", "Subscription"]
        .into_iter()
        .filter(|root| shapes.contains_key(*root))
        .map(str::to_owned)
        .collect();
    while let Some(name) = pending.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some((kind, _, members)) = shapes.get(&name) else {
            continue;
        };
        for (member, (ty, _, arguments)) in members {
            let named = if *kind == "union" {
                vec![member.as_str()]
            } else {
                std::iter::once(ty.as_str())
                    .chain(arguments.iter().map(|(_, ty)| ty.as_str()))
                    .collect()
            };
            for ty in named {
                let inner = ty.trim_matches(|c| matches!(c, '[' | ']' | '!'));
                if !inner.is_empty() && !reached.contains(inner) {
                    pending.push(inner.to_owned());
                }
            }
        }
    }
    shapes
        .into_iter()
        .filter(|(name, _)| reached.contains(name))
        .collect()
}

/// How `schema` differs from what `sdl` describes, one line per
/// difference (empty when they agree), over the types a client can reach
/// from the root types, as introspection lists them. Built-in scalars and
/// directives are not compared.
///
/// # Errors
/// When either text does not parse as SDL.
pub fn sdl_differences(schema: &Schema, sdl: &str) -> Result<Vec<String>, String> {
    let built =
        served(shapes(&schema.sdl()).map_err(|error| format!("the built schema's SDL: {error}"))?);
    let written = served(shapes(sdl).map_err(|error| format!("the SDL given: {error}"))?);
    let mut differences = Vec::new();
    for (name, shape) in &written {
        match built.get(name) {
            None => differences.push(format!("`{name}` is described but not built")),
            Some(other) if other.0 != shape.0 => {
                differences.push(format!(
                    "`{name}` is built as a {}, described as a {}",
                    other.0, shape.0
                ));
            }
            Some(other) => {
                if other.1 != shape.1 {
                    differences.push(format!("`{name}`: the descriptions differ"));
                }
                for (member, described) in &shape.2 {
                    match other.2.get(member) {
                        None => differences
                            .push(format!("`{name}.{member}` is described but not built")),
                        Some(built) if built != described => differences.push(format!(
                            "`{name}.{member}` is built as {built:?}, described as {described:?}"
                        )),
                        Some(_) => {}
                    }
                }
                for member in other
                    .2
                    .keys()
                    .filter(|member| !shape.2.contains_key(*member))
                {
                    differences.push(format!("`{name}.{member}` is built but not described"));
                }
            }
        }
    }
    for name in built.keys().filter(|name| !written.contains_key(*name)) {
        differences.push(format!("`{name}` is built but not described"));
    }
    Ok(differences)
}
