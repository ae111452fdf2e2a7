//! The named types a schema needs beyond its models (scalars, the objects
//! of user-defined types, tuples and map entries, enums), collected once
//! each, and the resolver of objects backed by a GraphQL value.

use std::collections::BTreeSet;

use async_graphql::Value;
use async_graphql::dynamic::{
    Enum, Field, FieldFuture, InputObject, InputValue, Object, Scalar, Type, TypeRef,
};

use super::scalars;
use super::value::GraphqlValue;

/// The one field of an object type whose Rust type has none (GraphQL
/// has no empty objects): always `null`, and ignored in input.
pub const EMPTY_FIELD: &str = "_";

/// The named types registered so far, each once.
#[derive(Default)]
pub struct Types {
    names: BTreeSet<String>,
    types: Vec<Type>,
}

impl std::fmt::Debug for Types {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(&self.names).finish()
    }
}

impl Types {
    /// Whether `name` is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Registers `ty` unless a type of its name is registered; returns
    /// whether it was new.
    pub fn add(&mut self, name: &str, ty: impl Into<Type>) -> bool {
        if !self.names.insert(name.to_owned()) {
            return false;
        }
        self.types.push(ty.into());
        true
    }

    /// Registers the custom scalar `name` (one of [`scalars`]).
    pub fn scalar(&mut self, name: &'static str) {
        if !self.contains(name) {
            let description = scalars::description(name);
            self.add(name, Scalar::new(name).description(description));
        }
    }

    /// Registers a value-backed object type and its input form
    /// (`<name>Input`), unless registered.
    pub fn object(&mut self, spec: ObjectSpec) {
        if self.contains(&spec.name) {
            return;
        }
        for register in &spec.registers {
            register(self);
        }
        let mut spec = spec;
        if spec.fields.is_empty() {
            // GraphQL has no empty objects (an event without fields).
            spec = spec.field(
                EMPTY_FIELD,
                "Nothing to read: the type has no fields.",
                TypeRef::named(TypeRef::BOOLEAN),
                TypeRef::named(TypeRef::BOOLEAN),
            );
        }
        let mut object = Object::new(&spec.name);
        let mut input = InputObject::new(format!("{}Input", spec.name));
        if !spec.description.is_empty() {
            object = object.description(spec.description);
            input = input.description(spec.description);
        }
        for field in spec.fields {
            let name = field.name.clone();
            let mut output = Field::new(field.name.clone(), field.output, move |ctx| {
                let value = match ctx.parent_value.as_value() {
                    Some(Value::Object(fields)) => fields.get(name.as_str()).cloned(),
                    _ => None,
                };
                FieldFuture::from_value(value)
            });
            let mut argument = InputValue::new(field.name, field.input);
            if !field.description.is_empty() {
                output = output.description(field.description);
                argument = argument.description(field.description);
            }
            object = object.field(output);
            input = input.field(argument);
        }
        self.add(&spec.name, object);
        if !spec.output_only {
            let input_name = format!("{}Input", spec.name);
            self.add(&input_name, input);
        }
    }

    /// Registers an enum whose values are `values` (GraphQL names).
    pub fn enumeration(&mut self, name: &str, description: &str, values: &[&str]) {
        if self.contains(name) {
            return;
        }
        let mut enumeration = Enum::new(name).items(values.iter().copied());
        if !description.is_empty() {
            enumeration = enumeration.description(description);
        }
        self.add(name, enumeration);
    }

    /// The registered types, in registration order.
    pub(crate) fn into_types(self) -> Vec<Type> {
        self.types
    }
}

/// An object type whose values are GraphQL objects (a user-defined type, a
/// tuple, a map entry): its fields read the parent value by name.
#[derive(Debug)]
pub struct ObjectSpec {
    name: String,
    description: &'static str,
    fields: Vec<ObjectField>,
    /// Registers the named types of the fields.
    registers: Vec<fn(&mut Types)>,
    /// No input form (a query's result row).
    output_only: bool,
}

/// One field of an [`ObjectSpec`].
#[derive(Debug)]
struct ObjectField {
    name: String,
    description: &'static str,
    output: TypeRef,
    input: TypeRef,
}

impl ObjectSpec {
    /// An object type named `name`.
    pub fn new(name: &str, description: &'static str) -> Self {
        Self {
            name: name.to_owned(),
            description,
            fields: Vec::new(),
            registers: Vec::new(),
            output_only: false,
        }
    }

    /// Without an input form: the type of a result clients never send.
    #[must_use]
    pub fn output_only(mut self) -> Self {
        self.output_only = true;
        self
    }

    /// Adds a field whose values are `T`s (its types from `T`'s).
    #[must_use]
    pub fn value<T: GraphqlValue>(mut self, name: &str, description: &'static str) -> Self {
        self.registers.push(T::register);
        self.field(name, description, T::type_ref(false), T::type_ref(true))
    }

    /// Adds a field with its output and input types.
    #[must_use]
    pub fn field(
        mut self,
        name: &str,
        description: &'static str,
        output: TypeRef,
        input: TypeRef,
    ) -> Self {
        self.fields.push(ObjectField {
            name: name.to_owned(),
            description,
            output,
            input,
        });
        self
    }
}
