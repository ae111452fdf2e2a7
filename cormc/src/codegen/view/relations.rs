//! The view of `relations.rs`: one loader pair per relation, added to the
//! repository of the model that declares it.
//!
//! How a loader reads (the checker, rule E0702, makes sure one of these
//! applies, so no loader ever needs `ALLOW FILTERING`):
//!
//! | relation | read | batched |
//! | --- | --- | --- |
//! | `has_*` on the target's partition key, one column | `WHERE pk = ?` | `WHERE pk IN ?`, `IN_CHUNK` keys a request |
//! | `has_*` on the target's partition key, several columns | `WHERE a = ? AND b = ?` | one request per key |
//! | `has_*` on one indexed field | `WHERE f = ?` (the index) | one request per key (SAI takes no `IN`) |
//! | `belongs_to`, target keyed by one column | `WHERE k = ?` | `WHERE k IN ?`, `IN_CHUNK` keys a request |
//! | `belongs_to`, any other key | `WHERE <full key>` | one request per key |
//!
//! A `has_one` reads `LIMIT 1` (`PER PARTITION LIMIT 1` with `IN`) when the
//! target's partition can hold several rows. Batched loaders read each
//! distinct key once, at most `CONCURRENT_REQUESTS` requests at a time, and
//! attach every row to the inputs whose key it holds (compared in Rust, so
//! the key's Rust types must be ordered; a `timestamp` compares in
//! milliseconds, as Cassandra stores it).
//!
//! Names: relation `posts` gives `posts(&parent)` and `posts_of(&parents)`.
//! A name that another method of the repository has already is refused.

use std::collections::BTreeMap;

use super::TypesFile;
use super::ident::{bare, field_ident, type_ident};
use super::key_binding::KeyBinding;
use super::rust_type::rust_type;
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir::{self, RelationKind, Scalar, Type};

use super::generated_names::{REPOSITORY_METHODS, unique_field_methods};

/// Names the generated loader bodies use for their own locals; a key
/// field bound under one of these gets `_key` appended.
const LOCALS: &[&str] = &[
    "self",
    "parent",
    "parents",
    "child",
    "children",
    "row",
    "rows",
    "options",
    "statement",
    "prepared",
    "positions",
    "position",
    "loaded",
    "keys",
    "chunk",
    "at",
    "last",
    "others",
];

/// Everything `relations.rs` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationsFile {
    /// The names each repository's loaders use from other modules, by
    /// repository type, sorted.
    pub uses: BTreeMap<String, Vec<String>>,
    /// The repositories that get loaders, in declaration order.
    pub repos: Vec<RelationRepoView>,
}

/// The loaders of one model's relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationRepoView {
    /// The repository type (`UserRepository`).
    pub repo: String,
    /// One per relation, in declaration order.
    pub loaders: Vec<LoaderView>,
    /// For a model with a tenant id whose loaders include some a tenant's
    /// handle offers: the handle's type (`ShopNoteOfTenant`).
    pub tenant_handle: Option<String>,
}

/// A loader on a tenant's handle: it takes the tenant's rows without
/// their tenant id and finds rows of the same tenant (or of a model
/// without tenants, shared by all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedLoaderView {
    /// The input's row type without the tenant id (`ShopNoteInTenant`).
    pub input_ty: String,
    /// The rows found: the target's rows without the tenant id, or the
    /// target's own rows when it has no tenants.
    pub row: String,
    /// Whether the rows found lose their tenant id (the target has one).
    pub strip: bool,
}

/// The two methods of one relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoaderView {
    /// Doc lines of the one-row loader.
    pub one_doc: Vec<String>,
    /// Doc lines of the batched loader.
    pub batch_doc: Vec<String>,
    /// The one-row loader's name (the relation's).
    pub one: String,
    /// The batched loader's name (`<relation>_of`).
    pub batch: String,
    /// The declaring model's Rust type (the loaders' input).
    pub input_ty: String,
    /// The input's parameter: `parent` (`has_*`) or `child` (`belongs_to`).
    pub input: String,
    /// The batched input's parameter: `parents` or `children`.
    pub inputs: String,
    /// The target's Rust type (the loaded rows).
    pub row: String,
    /// `has_many`: every matching row (`Vec`); else at most one (`Option`).
    pub many: bool,
    /// The target's repository accessor on `Db` (for its table).
    pub target_accessor: String,
    /// The cache key of the one-row statement, as a Rust expression.
    pub one_key: String,
    /// The cache key of the batched statement (the one-row one unless
    /// `chunked`).
    pub batch_key: String,
    /// `SELECT <the target's columns> FROM `, as a Rust string literal.
    pub select: String,
    /// ` WHERE a = ? AND …` (with its limit), as a Rust string literal.
    pub one_where: String,
    /// ` WHERE k IN ?` (with its limit), as a Rust string literal, when the
    /// batched loader reads with `IN`.
    pub in_where: Option<String>,
    /// The key the input holds (`&parent.id`), and how it is bound.
    pub input_key: KeyBinding,
    /// The loader on a tenant's handle, when the model has a tenant id and
    /// the relation stays within the tenant.
    pub scoped: Option<ScopedLoaderView>,
    /// The key a loaded row holds, to find its inputs.
    pub row_key: KeyBinding,
    /// The batched loader's local type that implements
    /// `corm::loader::Relation` (`Keys`, or `Keys2`… when a type the
    /// implementation names is called that).
    pub relation_ident: String,
    /// The types of the parts of the key both sides hold, borrowed for
    /// `'k` (`&'k corm::Uuid`, `corm::CqlTimestamp`): bare or a tuple, as
    /// the key is.
    pub key_types: Vec<String>,
}

impl RelationsFile {
    /// Whether the repository `repo` has a loader.
    #[must_use]
    pub fn serves(&self, repo: &str) -> bool {
        self.repos.iter().any(|view| view.repo == repo)
    }

    /// The loaders of the repository `repo` alone, or `None` when it has
    /// none.
    #[must_use]
    pub fn for_repo(&self, repo: &str) -> Option<Self> {
        let repos: Vec<RelationRepoView> = self
            .repos
            .iter()
            .filter(|view| view.repo == repo)
            .cloned()
            .collect();
        (!repos.is_empty()).then(|| Self {
            uses: self
                .uses
                .get_key_value(repo)
                .map(|(repo, names)| BTreeMap::from([(repo.clone(), names.clone())]))
                .unwrap_or_default(),
            repos,
        })
    }
    /// The view of `schema`'s relations, or `None` when it has none (no file
    /// is generated).
    ///
    /// # Errors
    /// [`CodegenError::Unsupported`] when a loader's name clashes with
    /// another method of the repository, when a key's Rust type has no
    /// order (rows are matched to inputs in a `BTreeMap`), or when a
    /// relation is not served (the checker rejects those first).
    pub fn new(schema: &ir::Schema, types: &TypesFile) -> Result<Option<Self>, CodegenError> {
        let mut uses = BTreeMap::new();
        let mut repos = Vec::new();
        for (model, view) in schema.models.iter().zip(&types.models) {
            if model.relations.is_empty() {
                continue;
            }
            let taken = taken_names(schema, model);
            let mut loaders: Vec<LoaderView> = Vec::new();
            for (index, relation) in model.relations.iter().enumerate() {
                let target = schema
                    .models
                    .iter()
                    .find(|candidate| candidate.name == relation.target)
                    .ok_or_else(|| unsupported(model, relation, "its target is not a model"))?;
                let loader = loader_view(model, relation, target, index)?;
                for name in [&loader.one, &loader.batch] {
                    let clash = taken.iter().any(|taken| taken == bare(name))
                        || loaders.iter().any(|other| {
                            bare(&other.one) == bare(name) || bare(&other.batch) == bare(name)
                        });
                    if clash {
                        return Err(unsupported(
                            model,
                            relation,
                            &format!(
                                "its loader `{}` clashes with another method of `{}Repository`; rename the relation",
                                bare(name),
                                bare(&view.ident)
                            ),
                        ));
                    }
                }
                loaders.push(loader);
            }
            let repo = format!("{}Repository", bare(&view.ident));
            let mut names: Vec<String> = loaders.iter().map(|loader| loader.row.clone()).collect();
            names.push(view.ident.clone());
            names.sort_unstable();
            names.dedup();
            let tenant_handle = loaders
                .iter()
                .any(|loader| loader.scoped.is_some())
                .then(|| format!("{}OfTenant", bare(&view.ident)));
            if tenant_handle.is_some() {
                names.extend(
                    loaders
                        .iter()
                        .filter_map(|loader| loader.scoped.as_ref())
                        .map(|scoped| scoped.row.clone()),
                );
                names.sort_unstable();
                names.dedup();
            }
            uses.insert(repo.clone(), names);
            repos.push(RelationRepoView {
                repo,
                loaders,
                tenant_handle,
            });
        }
        if repos.is_empty() {
            return Ok(None);
        }
        Ok(Some(Self { uses, repos }))
    }

    /// Whether the file would hold nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.repos.is_empty()
    }
}

/// The methods `model`'s repository has besides the loaders: `db.rs`'s
/// (with `find_by_<field>` and the claim helpers of `@unique` fields), and
/// its named queries and aggregates.
fn taken_names(schema: &ir::Schema, model: &ir::Model) -> Vec<String> {
    let mut names: Vec<String> = REPOSITORY_METHODS
        .iter()
        .map(|&name| name.to_owned())
        .collect();
    for field in model.unique_fields() {
        let field = field_ident(&field.name);
        let field = bare(&field);
        names.extend(unique_field_methods(field));
    }
    names.extend(
        schema
            .queries
            .iter()
            .filter(|query| query.model == model.name)
            .map(|query| bare(&field_ident(&query.name)).to_owned()),
    );
    names.extend(
        schema
            .aggregates
            .iter()
            .filter(|aggregate| aggregate.model == model.name)
            .map(|aggregate| bare(&field_ident(&aggregate.name)).to_owned()),
    );
    names
}

fn unsupported(model: &ir::Model, relation: &ir::Relation, reason: &str) -> CodegenError {
    CodegenError::Unsupported {
        what: format!("relation `{}` of `{}`", relation.name, model.name),
        reason: reason.to_owned(),
    }
}

/// How the target's rows are found: by `=` on `columns` (the target's
/// fields), and whether those are its whole partition key.
struct Access<'m> {
    /// The target's fields the statement restricts, matched in order with
    /// the input's key fields.
    columns: Vec<&'m ir::Field>,
    /// The input's fields holding the key, in the same order.
    input_fields: Vec<&'m ir::Field>,
    /// Whether the columns are the target's partition key (else one
    /// indexed field).
    partition: bool,
    /// Whether the columns are the target's whole primary key.
    whole_key: bool,
}

fn access<'m>(
    model: &'m ir::Model,
    relation: &ir::Relation,
    target: &'m ir::Model,
) -> Result<Access<'m>, CodegenError> {
    let field = |owner: &'m ir::Model, name: &str| {
        owner.field(name).ok_or_else(|| {
            unsupported(
                model,
                relation,
                &format!("`{}` has no field `{name}`", owner.name),
            )
        })
    };
    let fields = |owner: &'m ir::Model, names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|name| field(owner, name))
            .collect::<Result<Vec<_>, _>>()
    };
    match relation.kind {
        RelationKind::HasMany | RelationKind::HasOne => {
            let columns = fields(target, &mut relation.fields.iter().map(String::as_str))?;
            let input_fields = fields(model, &mut model.key.fields())?;
            let partition = &target.key.partition;
            let is_partition = columns.len() == partition.len()
                && partition.iter().all(|name| relation.fields.contains(name));
            let is_indexed = matches!(relation.fields.as_slice(), [one] if target.indexes.iter().any(|index| &index.field == one));
            if !is_partition && !is_indexed {
                return Err(unsupported(
                    model,
                    relation,
                    &format!(
                        "`{}` is neither partitioned by its fields nor indexed on them (error E0702)",
                        target.name
                    ),
                ));
            }
            Ok(Access {
                whole_key: is_partition && target.key.clustering.is_empty(),
                columns,
                input_fields,
                partition: is_partition,
            })
        }
        RelationKind::BelongsTo => Ok(Access {
            columns: fields(target, &mut target.key.fields())?,
            input_fields: fields(model, &mut relation.fields.iter().map(String::as_str))?,
            partition: target.key.clustering.is_empty(),
            whole_key: true,
        }),
    }
}

fn loader_view(
    model: &ir::Model,
    relation: &ir::Relation,
    target: &ir::Model,
    index: usize,
) -> Result<LoaderView, CodegenError> {
    let access = access(model, relation, target)?;
    let mut key_parts = Vec::new();
    for column in &access.columns {
        let what = format!("`{}.{}`", target.name, column.name);
        let ty = rust_type(&column.ty, &what)?;
        key_parts.push(if matches!(column.ty, Type::Scalar(Scalar::Timestamp)) {
            "corm::CqlTimestamp".to_owned()
        } else {
            format!("&'k {}", ty.path)
        });
        if !ty.ord {
            return Err(unsupported(
                model,
                relation,
                &format!(
                    "rows are matched by `{}.{}` (`{}`), whose Rust type `{}` has no order",
                    target.name, column.name, column.ty, ty.path
                ),
            ));
        }
    }
    let many = relation.kind == RelationKind::HasMany;
    let has = relation.kind != RelationKind::BelongsTo;
    let (input, inputs) = if has {
        ("parent", "parents")
    } else {
        ("child", "children")
    };
    let select = format!(
        "SELECT {} FROM ",
        target
            .fields
            .iter()
            .map(|field| quote(&field.cql_name).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let restriction = access
        .columns
        .iter()
        .map(|column| format!("{} = ?", quote(&column.cql_name)))
        .collect::<Vec<_>>()
        .join(" AND ");
    // A `has_one` whose target partition may hold several rows reads the
    // first (in clustering order) or, through an index, any one.
    let limited = relation.kind == RelationKind::HasOne && !access.whole_key;
    let one_where = format!(
        " WHERE {restriction}{}",
        if limited { " LIMIT 1" } else { "" }
    );
    let in_where = match access.columns.as_slice() {
        [column] if access.partition => Some(format!(
            " WHERE {} IN ?{}",
            quote(&column.cql_name),
            if limited {
                " PER PARTITION LIMIT 1"
            } else {
                ""
            }
        )),
        _ => None,
    };
    // A batched read with one request per key binds each key as a row of
    // values, so a key of one column is a 1-tuple; an `IN` read binds the
    // bare values as a list.
    let key_is_row = in_where.is_none();
    let input_key = KeyBinding::new(input, &access.input_fields, key_is_row, LOCALS);
    let row_key = KeyBinding::new("row", &access.columns, key_is_row, LOCALS);
    let input_ty = type_ident(&model.name);
    let row = type_ident(&target.name);
    let relation_ident = local_type_ident("Keys", |name| {
        name == input_ty || name == row || key_parts.iter().any(|ty| ty.contains(name))
    });
    let key = |offset: usize| match 2 * index + offset {
        0 => "corm::loader::RELATION_STATEMENTS".to_owned(),
        n => format!("corm::loader::RELATION_STATEMENTS + {n}"),
    };
    let (one_doc, batch_doc) = docs(relation, target, &access, in_where.is_some());
    let scoped = scoped_loader(model, target, &access);
    Ok(LoaderView {
        one_doc,
        batch_doc,
        one: field_ident(&relation.name),
        batch: field_ident(&format!("{}_of", relation.name)),
        input_ty,
        input: input.to_owned(),
        inputs: inputs.to_owned(),
        row,
        many,
        target_accessor: field_ident(&target.name),
        one_key: key(0),
        batch_key: if in_where.is_some() { key(1) } else { key(0) },
        select: format!("{select:?}"),
        one_where: format!("{one_where:?}"),
        in_where: in_where.map(|text| format!("{text:?}")),
        input_key,
        row_key,
        relation_ident,
        key_types: key_parts,
        scoped,
    })
}

/// `base`, or `base` with the first number from 2 that makes it a name
/// `taken` does not refuse: a type local to a generated function, named
/// apart from the types its body names.
fn local_type_ident(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = base.to_owned();
    let mut number = 2;
    while taken(&name) {
        name = format!("{base}{number}");
        number += 1;
    }
    name
}

/// The loader of a relation of `model` on a tenant's handle: when `model`
/// has a tenant id and the relation either matches the target's tenant id
/// with it (the rows found are the same tenant's) or targets a model
/// without tenants (shared rows). A relation that matches the target's
/// tenant id with another field crosses tenants: it stays on the admin
/// handle.
fn scoped_loader(
    model: &ir::Model,
    target: &ir::Model,
    access: &Access<'_>,
) -> Option<ScopedLoaderView> {
    let tenant = model.fields.iter().find(|field| field.tenant)?;
    let row = |owner: &ir::Model| format!("{}InTenant", bare(&type_ident(&owner.name)));
    let input_ty = row(model);
    let Some(target_tenant) = target.fields.iter().find(|field| field.tenant) else {
        return Some(ScopedLoaderView {
            input_ty,
            row: type_ident(&target.name),
            strip: false,
        });
    };
    let within = access
        .input_fields
        .iter()
        .zip(&access.columns)
        .any(|(input, column)| input.name == tenant.name && column.name == target_tenant.name);
    within.then(|| ScopedLoaderView {
        input_ty,
        row: row(target),
        strip: true,
    })
}

/// The doc lines of the one-row and the batched loader.
fn docs(
    relation: &ir::Relation,
    target: &ir::Model,
    access: &Access<'_>,
    chunked: bool,
) -> (Vec<String>, Vec<String>) {
    let name = &relation.name;
    let target_name = &target.name;
    let fields = |fields: &[&ir::Field]| match fields {
        [one] => format!("`{}` holds", one.name),
        _ => format!(
            "({}) hold",
            fields
                .iter()
                .map(|field| format!("`{}`", field.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let index = || {
        format!(
            "the index on `{target_name}.{}`",
            access
                .columns
                .first()
                .map_or("", |field| field.name.as_str())
        )
    };
    let whose = fields(&access.columns);
    let one = match relation.kind {
        RelationKind::HasMany if access.partition => format!(
            "Relation `{name}`: the `{target_name}` rows whose {whose} the key of `parent`, \
             in clustering order. Reads the partition of `parent` in table `{}`, every page \
             (of the page size in the repository's options).",
            target.table
        ),
        RelationKind::HasMany => format!(
            "Relation `{name}`: the `{target_name}` rows whose {whose} the key of `parent`, \
             in no particular order. Queries {}, every page (of the page size in the repository's options).",
            index()
        ),
        RelationKind::HasOne if access.whole_key => format!(
            "Relation `{name}`: the `{target_name}` row whose {whose} the key of `parent`, \
             or `None`. A read by primary key."
        ),
        RelationKind::HasOne if access.partition => format!(
            "Relation `{name}`: the first `{target_name}` row, in clustering order, whose \
             {whose} the key of `parent`, or `None`. Reads one row of the partition of \
             `parent` in table `{}`.",
            target.table
        ),
        RelationKind::HasOne => format!(
            "Relation `{name}`: a `{target_name}` row whose {whose} the key of `parent` (any \
             one, if several do), or `None`. Queries {}.",
            index()
        ),
        RelationKind::BelongsTo => {
            let optional = access.input_fields.iter().any(|field| field.optional);
            format!(
                "Relation `{name}`: the `{target_name}` row whose key `child`'s {}, or `None` \
                 when there is none. A read by primary key{}.",
                fields(&access.input_fields),
                if optional {
                    "; nothing is read when a key field of `child` is `None`"
                } else {
                    ""
                }
            )
        }
    };
    let (each, per) = match relation.kind {
        RelationKind::HasMany => ("parent", "a `Vec`"),
        RelationKind::HasOne => ("parent", "an `Option`"),
        RelationKind::BelongsTo => ("child", "an `Option`"),
    };
    let inputs = if each == "parent" {
        "parents"
    } else {
        "children"
    };
    let read = if chunked {
        "in `IN` lists"
    } else {
        "one request per key"
    };
    let batch = format!(
        "Relation `{name}` of many {inputs}: {per} per {each}, in the order of `{inputs}` \
         ([`corm::loader`]: each distinct key read once, {read})."
    );
    (
        super::doc_lines(Some(&wrap(&one)), ""),
        super::doc_lines(Some(&wrap(&batch)), ""),
    )
}

/// `text` with each line broken at spaces to at most [`DOC_WIDTH`]
/// characters.
fn wrap(text: &str) -> String {
    let mut wrapped = String::new();
    for (at, line) in text.split('\n').enumerate() {
        if at > 0 {
            wrapped.push('\n');
        }
        let mut width = 0;
        for (n, word) in line.split(' ').enumerate() {
            let len = word.chars().count();
            if n > 0 && width + 1 + len > DOC_WIDTH {
                wrapped.push('\n');
                width = 0;
            } else if n > 0 {
                wrapped.push(' ');
                width += 1;
            }
            wrapped.push_str(word);
            width += len;
        }
    }
    wrapped
}

/// The widest line of a generated doc comment, after `    /// `.
const DOC_WIDTH: usize = 72;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::codegen::view::GENERATOR_REFUSALS;
    use crate::diagnostics::SourceMap;

    /// The relations view of `text`, which must check without errors.
    fn view(text: &str) -> Result<Option<RelationsFile>, CodegenError> {
        let mut sources = SourceMap::new();
        sources.add("test.corm", text).unwrap();
        let parsed = crate::parse::parse(&sources).unwrap();
        let schema = crate::check::check_allowing(&parsed, GENERATOR_REFUSALS)
            .schema
            .expect("check errors");
        RelationsFile::new(&schema, &TypesFile::new(&schema).unwrap())
    }

    const POST: &str = "model Post { author_id: uuid\n seq: int\n key ((author_id), seq) }\n";

    fn reason(result: Result<Option<RelationsFile>, CodegenError>) -> String {
        match result {
            Err(CodegenError::Unsupported { reason, .. }) => reason,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn no_relations_no_file() {
        assert_eq!(view(POST).unwrap(), None);
    }

    #[test]
    fn reads_by_partition_in_chunks() {
        let file = view(&format!(
            "model User {{ id: uuid\n key (id)\n has_many posts: Post(author_id) }}\n{POST}"
        ))
        .unwrap()
        .unwrap();
        let loader = &file.repos[0].loaders[0];
        assert!(loader.in_where.is_some());
        assert_eq!(
            (loader.one.as_str(), loader.batch.as_str()),
            ("posts", "posts_of")
        );
        assert_eq!(loader.one_where, "\" WHERE author_id = ?\"");
        assert_eq!(
            loader.in_where.as_deref(),
            Some("\" WHERE author_id IN ?\"")
        );
        // An `IN` read binds the bare key: `&parent.id`, `&row.author_id`.
        let read = |key: &KeyBinding| {
            let parts: Vec<String> = key.parts.iter().map(|part| part.ident.clone()).collect();
            (key.var.clone(), parts, key.guarded, key.as_row)
        };
        assert_eq!(
            read(&loader.input_key),
            ("parent".to_owned(), vec!["id".to_owned()], false, false)
        );
        assert_eq!(
            read(&loader.row_key),
            ("row".to_owned(), vec!["author_id".to_owned()], false, false)
        );
    }

    #[test]
    fn batched_loaders_name_their_key_type() {
        let file = view(&format!(
            "model User {{ id: uuid\n key (id)\n has_many posts: Post(author_id) }}\n{POST}"
        ))
        .unwrap()
        .unwrap();
        let loader = &file.repos[0].loaders[0];
        assert_eq!(loader.relation_ident, "Keys");
        assert_eq!(loader.key_types, ["&'k corm::Uuid"]);
        let file = view(
            "model Keys { id: uuid\n key (id) }\n\
             model Keys2 { id: uuid\n at: timestamp\n key (id, at) }\n\
             model Note { id: uuid\n owner: uuid\n seen: timestamp\n key (id)\n \
             belongs_to owner_row: Keys(owner)\n belongs_to seen_row: Keys2(owner, seen) }\n",
        )
        .unwrap()
        .unwrap();
        let loaders = &file.repos[0].loaders;
        // The local type is named apart from the types its body names
        // (`Keys` in the first loader, not in the second).
        assert_eq!(loaders[0].relation_ident, "Keys2");
        assert_eq!(loaders[1].relation_ident, "Keys");
        // A key read with `IN` is bound bare; one bound as a row (one
        // request per key) is a tuple; a timestamp is compared in
        // milliseconds.
        assert_eq!(loaders[0].key_types, ["&'k corm::Uuid"]);
        assert!(!loaders[0].input_key.as_row);
        assert_eq!(
            loaders[1].key_types,
            ["&'k corm::Uuid", "corm::CqlTimestamp"]
        );
        assert!(loaders[1].input_key.as_row);
        let millis: Vec<bool> = loaders[1]
            .input_key
            .parts
            .iter()
            .map(|p| p.millis)
            .collect();
        assert_eq!(millis, [false, true]);
    }

    #[test]
    fn loader_names_must_not_clash() {
        let method = view(&format!(
            "model User {{ id: uuid\n key (id)\n has_many scan: Post(author_id) }}\n{POST}"
        ));
        assert!(reason(method).contains("`scan` clashes"));
        let batched = view(&format!(
            "model User {{ id: uuid\n key (id)\n has_many posts: Post(author_id)\n \
             has_one posts_of: Post(author_id) }}\n{POST}"
        ));
        assert!(reason(batched).contains("`posts_of` clashes"));
    }

    #[test]
    fn keys_need_an_order() {
        let result = view(
            "model Gauge { at: double\n key (at)\n has_many reads: Read(gauge_at) }\n\
             model Read { gauge_at: double\n n: int\n key ((gauge_at), n) }\n",
        );
        assert!(reason(result).contains("has no order"));
    }

    #[test]
    fn optional_keys_are_bound_first() {
        let file = view(
            "model User { id: uuid\n key (id) }\n\
             model Note { id: uuid\n author: uuid?\n key (id)\n belongs_to writer: User(author) }\n",
        )
        .unwrap()
        .unwrap();
        let key = &file.repos[0].loaders[0].input_key;
        // Bound by `let Some(author) = &child.author else { … };`, bound
        // to the one-row read as `(author,)` and compared bare by the
        // batched `IN` read (the template writes them; the snapshots show
        // them).
        assert!(key.guarded && !key.as_row);
        assert_eq!(key.var, "child");
        let part = &key.parts[0];
        assert_eq!((part.local.as_str(), part.optional), ("author", true));
    }
}
