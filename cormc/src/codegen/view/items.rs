//! The view of `types.rs`: enums, UDTs and models with their Rust names,
//! types, docs and constructor defaults.

use super::doc::doc_lines;
use super::ident::{bare, field_ident, type_ident};
use super::rust_type::rust_type;
use crate::codegen::CodegenError;
use crate::ir::{self, Literal, Scalar, Type};

/// The `use` paths of a model's file: the runtime's helpers and row
/// derives (`rt::SerializeRow`, `rt::DeserializeRow`).
pub const MODEL_USES: &[&str] = &["corm::rt"];

/// The `use` paths of a model's file whose changes are logged: also what
/// its hand-written `corm::changes::Logged` readers name.
pub const LOGGED_MODEL_USES: &[&str] = &[
    "corm::rt",
    "corm::scylla::deserialize::DeserializationError",
    "corm::scylla::deserialize::row::ColumnIterator",
];

/// The `use` paths of a time series' file: the runtime's helpers, and
/// what the rollup row's hand-written `DeserializeRow` names.
pub const SERIES_USES: &[&str] = &[
    "corm::rt",
    "corm::scylla::deserialize::row::{ColumnIterator, DeserializeRow}",
    "corm::scylla::deserialize::{DeserializationError, TypeCheckError}",
    "corm::scylla::frame::response::result::ColumnSpec",
];

/// Everything `types.rs` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypesFile {
    /// `use` paths the enums and UDTs need (so none is unused).
    pub uses: Vec<&'static str>,
    /// Enums, in declaration order.
    pub enums: Vec<EnumView>,
    /// UDTs, in declaration order.
    pub udts: Vec<UdtView>,
    /// Models, in declaration order.
    pub models: Vec<ModelView>,
}

/// An `enum`: a Rust enum stored as text, closed or `open`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust type name.
    pub ident: String,
    /// The variants, in order.
    pub variants: Vec<VariantView>,
    /// Whether it is `open`: text it does not list reads as `Other(text)`
    /// (so it is not `Copy`).
    pub open: bool,
}

/// A variant of an [`EnumView`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust variant name.
    pub ident: String,
    /// The stored text, as a Rust string literal.
    pub text: String,
}

/// A `type`: a struct with UDT codecs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdtView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust type name.
    pub ident: String,
    /// The fields, in order.
    pub fields: Vec<FieldView>,
    /// Whether every field has a JSON form, so the struct derives serde
    /// (for event payloads).
    pub json: bool,
}

/// A `model`: a row struct with row codecs and a constructor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust type name.
    pub ident: String,
    /// The fields (= columns), in declaration order.
    pub fields: Vec<FieldView>,
    /// Doc lines of `new`.
    pub new_doc: Vec<String>,
    /// Whether `new` takes no argument (then `Default` is implemented too).
    pub new_is_nullary: bool,
    /// Whether `new` takes more arguments than clippy likes.
    pub new_has_many_args: bool,
    /// The full primary key type (`OrderKey`).
    pub key: KeyView,
    /// The partition key type (`OrderPartition`), when the model has
    /// clustering columns (otherwise a partition is one row: [`Self::key`]).
    pub partition: Option<KeyView>,
    /// The patch type of `update` (not for counter tables).
    pub patch: Option<PatchView>,
    /// The clustering columns as a type, when there are two or more.
    pub clustering: Option<KeyView>,
    /// The `@validate` rules, when some field has any.
    pub validate: Option<super::ValidateView>,
    /// The types without the tenant id, for a model with a `@tenant` field.
    pub tenant: Option<TenantRowView>,
}

/// A model with a `@tenant` field: its row, key and partition types
/// without the tenant id, which a scoped handle fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRowView {
    /// The tenant id field.
    pub field: FieldView,
    /// The row type without it (`OrderInTenant`).
    pub row: String,
    /// Its fields: every field but the tenant id.
    pub fields: Vec<FieldView>,
    /// The primary key type without it (`OrderScopedKey`).
    pub key: String,
    /// Its fields.
    pub key_fields: Vec<FieldView>,
    /// The partition key type without it (`OrderScopedPartition`, or the
    /// scoped key when the model has no clustering columns).
    pub partition: String,
    /// Its fields, when it is a type of its own.
    pub partition_fields: Option<Vec<FieldView>>,
    /// The full partition key type (the key type without clustering).
    pub full_partition: String,
}

impl TenantRowView {
    /// The name of `partition_with_tenant`'s partition parameter: unused
    /// (`_partition`) when the scoped partition has no fields (the tenant
    /// id is the whole partition key).
    #[must_use]
    pub fn partition_param(&self) -> &'static str {
        match &self.partition_fields {
            Some(fields) if fields.is_empty() => "_partition",
            _ => "partition",
        }
    }
}

/// The typed patch of a model: one `Option` per updatable column (not a
/// key column, not an `@on_update(now)` one, which is always set to now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust type name (`OrderPatch`).
    pub ident: String,
    /// The fields, in declaration order: the model's field views (their
    /// `ty` is the setter's parameter; the patch holds `Option<ty>`).
    pub fields: Vec<FieldView>,
}

/// A key type of a model: its primary key or partition key, as a struct
/// bound by position (partition columns first, then clustering ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust type name.
    pub ident: String,
    /// The model's method that builds it from a row.
    pub method: String,
    /// The key fields, in key order.
    pub fields: Vec<FieldView>,
}

/// A field of a UDT or model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The Rust field name.
    pub ident: String,
    /// A local variable name for it, distinct from any generated parameter.
    pub local: String,
    /// The CQL column or field name, as a Rust string literal.
    pub cql_name: String,
    /// The Rust type, with `Option` when optional.
    pub ty: String,
    /// Whether it is optional.
    pub optional: bool,
    /// How `new` fills it: `None` when it is a parameter, else an expression.
    pub init: Option<String>,
}

impl TypesFile {
    /// Whether the enum whose Rust type is named after `name` (a schema
    /// name) is `open`.
    #[must_use]
    pub fn is_open_enum(&self, name: &str) -> bool {
        let ident = type_ident(name);
        self.enums
            .iter()
            .any(|item| item.open && item.ident == ident)
    }
}

impl ModelView {
    /// The key types: the primary key, then the partition key if any.
    #[must_use]
    pub fn keys(&self) -> Vec<&KeyView> {
        std::iter::once(&self.key)
            .chain(&self.partition)
            .chain(&self.clustering)
            .collect()
    }
}

impl FieldView {
    /// Whether `new` takes it as a parameter.
    #[must_use]
    pub const fn is_param(&self) -> bool {
        self.init.is_none()
    }
}

/// clippy's `too_many_arguments` threshold.
const MAX_ARGS: usize = 7;

impl TypesFile {
    /// The view of `schema`'s enums, UDTs and models.
    ///
    /// # Errors
    /// [`CodegenError::Unsupported`] for a type or default with no Rust mapping.
    pub fn new(schema: &ir::Schema) -> Result<Self, CodegenError> {
        let enums: Vec<EnumView> = schema.enums.iter().map(enum_view).collect();
        let udts = schema
            .udts
            .iter()
            .map(|udt| udt_view(udt, schema))
            .collect::<Result<Vec<_>, _>>()?;
        let models = schema
            .models
            .iter()
            .map(model_view)
            .collect::<Result<Vec<_>, _>>()?;
        let values = !enums.is_empty() || !udts.is_empty();
        let mut uses = Vec::new();
        if values {
            uses.extend([
                "corm::rt",
                "corm::scylla::deserialize::{DeserializationError, TypeCheckError}",
                "corm::scylla::serialize::SerializationError",
            ]);
        }
        if values {
            uses.extend([
                "corm::scylla::deserialize::FrameSlice",
                "corm::scylla::deserialize::value::DeserializeValue",
                "corm::scylla::frame::response::result::ColumnType",
                "corm::scylla::serialize::value::SerializeValue",
                "corm::scylla::serialize::writers::{CellWriter, WrittenCellProof}",
            ]);
        }
        if !enums.is_empty() || udts.iter().any(|udt| udt.json) {
            // Through an import: `corm::serde::…` paths would be flagged by
            // `unused_qualifications` in a crate that depends on serde.
            uses.push("corm::serde");
        }
        uses.sort_unstable();
        Ok(Self {
            uses,
            enums,
            udts,
            models,
        })
    }

    /// Whether there are enums or UDTs (for `types.rs`).
    #[must_use]
    pub fn has_values(&self) -> bool {
        !self.enums.is_empty() || !self.udts.is_empty()
    }

    /// Whether there is nothing to generate.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.enums.is_empty() && self.udts.is_empty() && self.models.is_empty()
    }
}

fn enum_view(item: &ir::Enum) -> EnumView {
    let ident = type_ident(&item.name);
    EnumView {
        open: item.open,
        doc: doc_lines(
            item.doc.as_deref(),
            &format!("The `{}` enum, stored as text.", item.name),
        ),
        variants: item
            .variants
            .iter()
            .map(|variant| VariantView {
                doc: doc_lines(
                    variant.doc.as_deref(),
                    &format!("Stored as `{}`.", variant.name),
                ),
                ident: type_ident(&variant.name),
                text: format!("{:?}", variant.name),
            })
            .collect(),
        ident,
    }
}

fn udt_view(item: &ir::Udt, schema: &ir::Schema) -> Result<UdtView, CodegenError> {
    Ok(UdtView {
        json: in_events(&item.name, schema)
            && super::no_json(&Type::Udt(item.name.clone()), &schema.udts).is_none(),
        doc: doc_lines(
            item.doc.as_deref(),
            &format!("The user-defined type `{}`.", item.cql_name),
        ),
        ident: type_ident(&item.name),
        fields: item
            .fields
            .iter()
            .map(|field| field_view(&item.name, field))
            .collect::<Result<_, _>>()?,
    })
}

fn model_view(item: &ir::Model) -> Result<ModelView, CodegenError> {
    let ident = type_ident(&item.name);
    let fields: Vec<FieldView> = item
        .fields
        .iter()
        .map(|field| field_view(&item.name, field))
        .collect::<Result<_, _>>()?;
    let key_fields =
        |names: &mut dyn Iterator<Item = &str>| -> Result<Vec<FieldView>, CodegenError> {
            names
                .map(|name| {
                    fields
                        .iter()
                        .zip(&item.fields)
                        .find(|(_, field)| field.name == name)
                        .map(|(view, _)| view.clone())
                        .ok_or_else(|| CodegenError::Unsupported {
                            what: format!("`{}`", item.name),
                            reason: format!("the key names `{name}`, which is not a field"),
                        })
                })
                .collect()
        };
    let key = KeyView {
        doc: doc_lines(
            Some(&format!(
                "The primary key of `{ident}` (table `{}`), bound in key order.",
                item.table
            )),
            "",
        ),
        ident: format!("{}Key", bare(&ident)),
        method: "key".to_owned(),
        fields: key_fields(&mut item.key.fields())?,
    };
    let partition = if item.key.clustering.is_empty() {
        None
    } else {
        Some(KeyView {
            doc: doc_lines(
                Some(&format!(
                    "The partition key of `{ident}` (table `{}`), bound in key order.",
                    item.table
                )),
                "",
            ),
            ident: format!("{}Partition", bare(&ident)),
            method: "partition_key".to_owned(),
            fields: key_fields(&mut item.key.partition.iter().map(String::as_str))?,
        })
    };
    // A position inside a partition, for slices over several clustering
    // columns (one column is a plain range).
    let clustering = if item.key.clustering.len() < 2 {
        None
    } else {
        Some(KeyView {
            doc: doc_lines(
                Some(&format!(
                    "The clustering columns of `{ident}` (table `{}`): a position inside a partition, in key order.",
                    item.table
                )),
                "",
            ),
            ident: format!("{}Clustering", bare(&ident)),
            method: "clustering".to_owned(),
            fields: key_fields(&mut item.key.clustering.iter().map(|c| c.field.as_str()))?,
        })
    };
    let params = fields.iter().filter(|field| field.is_param()).count();
    let filled: Vec<String> = fields
        .iter()
        .filter(|field| field.init.as_deref().is_some_and(|init| init != "None"))
        .map(|field| format!("`{}`", bare(&field.ident)))
        .collect();
    let mut new_doc =
        format!("A new `{ident}` from its required fields; optional ones start as `None`.");
    if !filled.is_empty() {
        new_doc.push_str(&format!(
            "\nFilled from their `@default`: {}.",
            filled.join(", ")
        ));
    }
    // Nothing to update when every column is in the key (a lookup table).
    let updatable = item
        .fields
        .iter()
        .any(|field| !item.key.contains(&field.name));
    let patch = (!item.is_counter_table() && updatable && item.view_of.is_none()).then(|| PatchView {
        doc: doc_lines(
            Some(&format!(
                "The columns an update of `{ident}` writes: each field that is \
                 `Some` is written (`Some(None)` writes a null to an optional \
                 column), the others are left as they are.{}",
                if item.fields.iter().any(|field| field.on_update_now) {
                    " The `@on_update(now)` columns are not here: every update sets them to now."
                } else {
                    ""
                }
            )),
            "",
        ),
        ident: format!("{}Patch", bare(&ident)),
        fields: fields
            .iter()
            .zip(&item.fields)
            .filter(|(_, field)| !item.key.contains(&field.name) && !field.on_update_now)
            .map(|(view, _)| view.clone())
            .collect(),
    });
    let validate = super::validate_view(item, &fields)?;
    let tenant = fields
        .iter()
        .zip(&item.fields)
        .find(|(_, field)| field.tenant)
        .map(|(view, _)| {
            let without = |views: &[FieldView]| -> Vec<FieldView> {
                views
                    .iter()
                    .filter(|field| field.ident != view.ident)
                    .cloned()
                    .collect()
            };
            TenantRowView {
                field: view.clone(),
                row: format!("{}InTenant", bare(&ident)),
                fields: without(&fields),
                key: format!("{}ScopedKey", bare(&ident)),
                key_fields: without(&key.fields),
                partition: match &partition {
                    Some(_) => format!("{}ScopedPartition", bare(&ident)),
                    None => format!("{}ScopedKey", bare(&ident)),
                },
                partition_fields: partition
                    .as_ref()
                    .map(|partition| without(&partition.fields)),
                full_partition: partition
                    .as_ref()
                    .map_or_else(|| key.ident.clone(), |partition| partition.ident.clone()),
            }
        });
    Ok(ModelView {
        tenant,
        patch,
        clustering,
        validate,
        doc: doc_lines(
            item.doc.as_deref(),
            &format!("A row of the table `{}`.", item.table),
        ),
        ident,
        fields,
        new_doc: doc_lines(Some(&new_doc), ""),
        new_is_nullary: params == 0,
        new_has_many_args: params > MAX_ARGS,
        key,
        partition,
    })
}

pub(super) fn field_view(owner: &str, field: &ir::Field) -> Result<FieldView, CodegenError> {
    let what = format!("`{owner}.{}`", field.name);
    let base = rust_type(&field.ty, &what)?;
    let ty = if field.optional {
        format!("Option<{}>", base.path)
    } else {
        base.path
    };
    let init = match &field.default {
        Some(default) => {
            let value = default_expr(default, &field.ty, &what)?;
            Some(if field.optional {
                format!("Some({value})")
            } else {
                value
            })
        }
        None if field.optional => Some("None".to_owned()),
        None => None,
    };
    let ident = field_ident(&field.name);
    Ok(FieldView {
        // Docs only where the schema has them: a field is its column.
        doc: doc_lines(field.doc.as_deref(), ""),
        local: format!("field_{}", bare(&ident)),
        ident,
        cql_name: format!("{:?}", field.cql_name),
        ty,
        optional: field.optional,
        init,
    })
}

/// The Rust expression of `@default(…)` for a field of type `ty`.
fn default_expr(default: &ir::Default, ty: &Type, what: &str) -> Result<String, CodegenError> {
    let unsupported = |reason: String| CodegenError::Unsupported {
        what: what.to_owned(),
        reason,
    };
    let scalar = match ty.unfrozen() {
        Type::Scalar(scalar) => Some(*scalar),
        _ => None,
    };
    Ok(match default {
        ir::Default::Uuid => "corm::Uuid::new_v4()".to_owned(),
        ir::Default::Timeuuid => "rt::now_timeuuid()".to_owned(),
        ir::Default::Now => match scalar {
            Some(Scalar::Timestamp) => "rt::now_timestamp()".to_owned(),
            Some(Scalar::Date) => "corm::chrono::Utc::now().date_naive()".to_owned(),
            Some(Scalar::Time) => "corm::chrono::Utc::now().time()".to_owned(),
            Some(Scalar::Timeuuid) => "rt::now_timeuuid()".to_owned(),
            _ => return Err(unsupported(format!("`@default(now)` on a `{ty}`"))),
        },
        ir::Default::Literal(literal) => match (literal, scalar) {
            (Literal::String(text), Some(scalar)) if scalar.is_text() => {
                format!("String::from({text:?})")
            }
            (
                Literal::Integer(n),
                Some(Scalar::Int | Scalar::Bigint | Scalar::Smallint | Scalar::Tinyint),
            ) => n.to_string(),
            (Literal::Integer(n), Some(Scalar::Float | Scalar::Double)) => format!("{n}.0"),
            (Literal::Integer(n), Some(Scalar::Counter)) => format!("corm::Counter({n})"),
            (Literal::Decimal(text), Some(Scalar::Float | Scalar::Double)) => text.clone(),
            (Literal::Boolean(value), Some(Scalar::Boolean)) => value.to_string(),
            (
                Literal::EnumValue {
                    ty: enum_name,
                    variant,
                },
                _,
            ) => {
                format!("{}::{}", type_ident(enum_name), type_ident(variant))
            }
            (literal, _) => {
                return Err(unsupported(format!("the default {literal:?} on a `{ty}`")));
            }
        },
    })
}

/// Whether the user-defined type `name` is in some event's payload or a
/// saga's input or step output (directly, in a collection, or inside
/// another such type): only those derive serde.
fn in_events(name: &str, schema: &ir::Schema) -> bool {
    fn holds(ty: &Type, name: &str, udts: &[ir::Udt]) -> bool {
        match ty {
            Type::Udt(udt) if udt == name => true,
            Type::Udt(udt) => udts
                .iter()
                .find(|u| &u.name == udt)
                .is_some_and(|u| u.fields.iter().any(|f| holds(&f.ty, name, udts))),
            Type::List(item) | Type::Set(item) | Type::Frozen(item) => holds(item, name, udts),
            Type::Map(key, value) => holds(key, name, udts) || holds(value, name, udts),
            Type::Tuple(items) => items.iter().any(|item| holds(item, name, udts)),
            Type::Scalar(_) | Type::Vector(_) | Type::Enum(_) => false,
        }
    }
    let events = schema
        .event_stores
        .iter()
        .flat_map(|store| &store.events)
        .flat_map(|event| &event.fields);
    let sagas = schema.sagas.iter().flat_map(|saga| {
        saga.input.iter().chain(
            saga.steps
                .iter()
                .flat_map(|step| step.returns.iter().flatten()),
        )
    });
    events
        .chain(sagas)
        .any(|field| holds(&field.ty, name, &schema.udts))
}
