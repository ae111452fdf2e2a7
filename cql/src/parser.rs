//! The DDL parser: one statement's text to a [`DdlStatement`].
//!
//! The input is what the `.corm` parser extracts from a migration block: a
//! statement starting with `create`, `alter` or `drop`, without its `;` (a
//! trailing `;` is tolerated). Keywords are case-insensitive. Every error is
//! a [`DdlError`] with a span inside the text; no input makes it panic.

use std::collections::BTreeMap;
use std::ops::Range;

use super::ast::{
    AlterKeyspace, AlterTable, AlterTableAction, AlterType, AlterTypeAction, AlterView, ColumnSpec,
    CreateIndex, CreateKeyspace, CreateTable, CreateType, CreateView, DdlStatement, DropStatement,
    FieldSpec, Name, OptionSpec, OrderSpec, QualifiedName, Routine, TypeExpr,
};
use super::error::DdlError;
use super::ident::{Ident, is_reserved};
use super::index::{IndexClass, IndexTarget};
use super::keyspace::Replication;
use super::lexer::{Token, TokenKind, split_statements, tokenize};
use super::mask::Mask;
use super::options::{OptionValue, TableOption};
use super::suggest;
use super::table::SortOrder;
use super::types::{CqlType, NativeType};

/// Parses one DDL statement.
///
/// # Errors
/// A [`DdlError`] pointing into `text` when it is not a statement of the
/// supported subset.
pub fn parse_statement(text: &str) -> Result<DdlStatement, DdlError> {
    let mut parser = Parser {
        text,
        tokens: tokenize(text)?,
        pos: 0,
    };
    let statement = parser.statement()?;
    parser.eat_punct(';');
    match parser.peek() {
        None => Ok(statement),
        Some(_) => Err(parser.expected("the end of the statement")),
    }
}

/// A statement of a script and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStatement {
    /// Byte offsets of the statement text (without `;`) in the script.
    pub span: Range<usize>,
    /// The statement.
    pub statement: DdlStatement,
}

/// Parses a script of `;`-separated DDL statements (such as a rendered
/// `schema.cql`).
///
/// # Errors
/// The first [`DdlError`], with its span relative to the whole script.
pub fn parse_script(script: &str) -> Result<Vec<ScriptStatement>, DdlError> {
    let mut out = Vec::new();
    for span in split_statements(script)? {
        let text = script.get(span.clone()).unwrap_or_default();
        let statement = parse_statement(text).map_err(|e| e.shifted(span.start))?;
        out.push(ScriptStatement { span, statement });
    }
    Ok(out)
}

/// Parses a CQL type such as `map<text, frozen<list<int>>>`.
///
/// # Errors
/// A [`DdlError`] when `text` is not one type.
pub fn parse_type(text: &str) -> Result<TypeExpr, DdlError> {
    let mut parser = Parser {
        text,
        tokens: tokenize(text)?,
        pos: 0,
    };
    let ty = parser.type_expr()?;
    match parser.peek() {
        None => Ok(ty),
        Some(_) => Err(parser.expected("the end of the type")),
    }
}

impl std::str::FromStr for CqlType {
    type Err = DdlError;

    /// Parses a type such as `map<text, frozen<list<int>>>` (see
    /// [`parse_type`]).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_type(text).map(|t| t.ty)
    }
}

const SUPPORTED: &str = "corm replays `create`, `alter` and `drop` of keyspaces, types, tables, indexes and materialized views (and runs those of functions and aggregates)";
const DATA_STEP_HELP: &str =
    "put other statements in a `cql \"\"\"…\"\"\"` data step, which is run but not replayed";

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

/// The context of a type: where nested types are frozen implicitly, and
/// what encloses it (for the rules about counters, durations and freezing).
#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeContext {
    /// A column or field type.
    Top,
    /// Inside `frozen<…>`, a tuple or a vector: everything is frozen.
    Frozen,
    /// The element of a non-frozen collection.
    Collection,
}

impl Parser<'_> {
    // ---- token helpers -------------------------------------------------

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind_at(&self, offset: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + offset).map(|t| &t.kind)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn word_at(&self, offset: usize, keyword: &str) -> bool {
        matches!(self.peek_kind_at(offset), Some(TokenKind::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn at_word(&self, keyword: &str) -> bool {
        self.word_at(0, keyword)
    }

    fn eat_word(&mut self, keyword: &str) -> Option<Range<usize>> {
        if self.at_word(keyword) {
            self.bump().map(|t| t.span)
        } else {
            None
        }
    }

    fn expect_word(&mut self, keyword: &str) -> Result<Range<usize>, DdlError> {
        self.eat_word(keyword)
            .ok_or_else(|| self.expected(&format!("`{keyword}`")))
    }

    fn at_punct(&self, c: char) -> bool {
        self.peek_kind_at(0) == Some(&TokenKind::Punct(c))
    }

    fn eat_punct(&mut self, c: char) -> Option<Range<usize>> {
        if self.at_punct(c) {
            self.bump().map(|t| t.span)
        } else {
            None
        }
    }

    fn expect_punct(&mut self, c: char) -> Result<Range<usize>, DdlError> {
        self.eat_punct(c)
            .ok_or_else(|| self.expected(&format!("`{c}`")))
    }

    /// The span of the current token, or the empty span at the end.
    fn here(&self) -> Range<usize> {
        match self.peek() {
            Some(t) => t.span.clone(),
            None => self.text.len()..self.text.len(),
        }
    }

    /// The end of the previous token.
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn describe_current(&self) -> String {
        match self.peek() {
            None => "the end of the statement".to_owned(),
            Some(t) => describe(&t.kind),
        }
    }

    fn expected(&self, what: &str) -> DdlError {
        DdlError::new(
            self.here(),
            format!("expected {what}, found {}", self.describe_current()),
        )
    }

    // ---- names ---------------------------------------------------------

    fn name(&mut self, what: &str) -> Result<Name, DdlError> {
        let span = self.here();
        match self.peek().map(|t| t.kind.clone()) {
            Some(TokenKind::Word(w)) => {
                if is_reserved(&w) {
                    return Err(DdlError::new(
                        span,
                        format!("expected {what}, found the reserved keyword `{w}`"),
                    )
                    .with_help(format!(
                        "a name that is a reserved CQL keyword must be quoted: `\"{}\"`",
                        w.to_ascii_lowercase()
                    )));
                }
                self.pos += 1;
                Ok(Name {
                    ident: Ident::unquoted(&w),
                    span,
                })
            }
            Some(TokenKind::QuotedName(n)) => {
                if n.is_empty() {
                    return Err(DdlError::new(span, "a quoted name can't be empty"));
                }
                self.pos += 1;
                Ok(Name {
                    ident: Ident::new(n),
                    span,
                })
            }
            Some(
                TokenKind::String(_)
                | TokenKind::Number(_)
                | TokenKind::Uuid(_)
                | TokenKind::Blob(_)
                | TokenKind::Punct(_),
            )
            | None => Err(self.expected(what)),
        }
    }

    fn qualified_name(&mut self, what: &str) -> Result<QualifiedName, DdlError> {
        let first = self.name(what)?;
        if self.eat_punct('.').is_some() {
            let name = self.name(what)?;
            Ok(QualifiedName {
                keyspace: Some(first),
                name,
            })
        } else {
            Ok(QualifiedName {
                keyspace: None,
                name: first,
            })
        }
    }

    fn name_list(&mut self, what: &str) -> Result<Vec<Name>, DdlError> {
        self.expect_punct('(')?;
        let mut names = vec![self.name(what)?];
        while self.eat_punct(',').is_some() {
            names.push(self.name(what)?);
        }
        self.expect_punct(')')?;
        Ok(names)
    }

    fn if_not_exists(&mut self) -> Result<bool, DdlError> {
        if self.eat_word("if").is_some() {
            self.expect_word("not")?;
            self.expect_word("exists")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn if_exists(&mut self) -> Result<bool, DdlError> {
        if self.eat_word("if").is_some() {
            self.expect_word("exists")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    // ---- statements ----------------------------------------------------

    fn statement(&mut self) -> Result<DdlStatement, DdlError> {
        if self.eat_word("create").is_some() {
            self.create()
        } else if self.eat_word("alter").is_some() {
            self.alter()
        } else if self.eat_word("drop").is_some() {
            self.drop()
        } else {
            Err(self
                .expected("`create`, `alter` or `drop`")
                .with_help(DATA_STEP_HELP))
        }
    }

    fn unsupported(&self, verb: &str) -> DdlError {
        let object = match self.peek().and_then(|t| t.kind.word()) {
            Some(w) => format!("`{verb} {}`", w.to_ascii_lowercase()),
            None => format!("this `{verb}` statement"),
        };
        DdlError::new(
            self.here(),
            format!("{SUPPORTED}; {object} is not one of them"),
        )
        .with_help(DATA_STEP_HELP)
    }

    fn create(&mut self) -> Result<DdlStatement, DdlError> {
        if self.eat_word("keyspace").is_some() || self.eat_word("schema").is_some() {
            return self.create_keyspace();
        }
        if self.eat_word("type").is_some() {
            return self.create_type();
        }
        if self.eat_word("table").is_some() || self.eat_word("columnfamily").is_some() {
            return self.create_table();
        }
        if self.at_word("custom") || self.at_word("index") {
            return self.create_index();
        }
        if self.eat_word("materialized").is_some() {
            self.expect_word("view")?;
            return self.create_view();
        }
        let or_replace = self.at_word("or") && self.word_at(1, "replace");
        if or_replace {
            self.pos += 2;
        }
        if self.at_word("function") || self.at_word("aggregate") {
            return self.routine(true);
        }
        Err(self.unsupported("create"))
    }

    /// `create [or replace] function|aggregate [if not exists] name …` or
    /// `drop function|aggregate [if exists] name[(types)]`: the name is
    /// read, the rest is kept as written.
    fn routine(&mut self, create: bool) -> Result<DdlStatement, DdlError> {
        let aggregate = self.eat_word("aggregate").is_some();
        if !aggregate {
            self.expect_word("function")?;
        }
        if create {
            self.if_not_exists()?;
        } else {
            self.if_exists()?;
        }
        let name = self.qualified_name(if aggregate {
            "an aggregate name"
        } else {
            "a function name"
        })?;
        self.pos = self.tokens.len();
        Ok(DdlStatement::Routine(Routine {
            create,
            aggregate,
            name,
        }))
    }

    fn alter(&mut self) -> Result<DdlStatement, DdlError> {
        if self.eat_word("keyspace").is_some() || self.eat_word("schema").is_some() {
            return self.alter_keyspace();
        }
        if self.eat_word("type").is_some() {
            return self.alter_type();
        }
        if self.eat_word("table").is_some() || self.eat_word("columnfamily").is_some() {
            return self.alter_table();
        }
        if self.eat_word("materialized").is_some() {
            self.expect_word("view")?;
            let if_exists = self.if_exists()?;
            let name = self.qualified_name("a view name")?;
            self.expect_word("with")?;
            let (_, options) = self.with_options(false)?;
            return Ok(DdlStatement::AlterView(AlterView {
                name,
                if_exists,
                options,
            }));
        }
        Err(self.unsupported("alter"))
    }

    fn drop(&mut self) -> Result<DdlStatement, DdlError> {
        if self.eat_word("keyspace").is_some() || self.eat_word("schema").is_some() {
            let if_exists = self.if_exists()?;
            let name = self.name("a keyspace name")?;
            return Ok(DdlStatement::DropKeyspace(DropStatement {
                name: QualifiedName {
                    keyspace: None,
                    name,
                },
                if_exists,
            }));
        }
        let (what, make): (&str, fn(DropStatement) -> DdlStatement) =
            if self.eat_word("table").is_some() || self.eat_word("columnfamily").is_some() {
                ("a table name", DdlStatement::DropTable)
            } else if self.eat_word("type").is_some() {
                ("a type name", DdlStatement::DropType)
            } else if self.eat_word("index").is_some() {
                ("an index name", DdlStatement::DropIndex)
            } else if self.eat_word("materialized").is_some() {
                self.expect_word("view")?;
                ("a view name", DdlStatement::DropView)
            } else if self.at_word("function") || self.at_word("aggregate") {
                return self.routine(false);
            } else {
                return Err(self.unsupported("drop"));
            };
        let if_exists = self.if_exists()?;
        let name = self.qualified_name(what)?;
        Ok(make(DropStatement { name, if_exists }))
    }

    // ---- keyspaces -----------------------------------------------------

    fn create_keyspace(&mut self) -> Result<DdlStatement, DdlError> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.name("a keyspace name")?;
        let with = self.expect_word("with")?;
        let (replication, durable_writes) = self.keyspace_options()?;
        let replication = replication.ok_or_else(|| {
            DdlError::new(with, "`create keyspace` needs a replication").with_help(
                "add `with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`",
            )
        })?;
        Ok(DdlStatement::CreateKeyspace(CreateKeyspace {
            name,
            if_not_exists,
            replication,
            durable_writes,
        }))
    }

    fn alter_keyspace(&mut self) -> Result<DdlStatement, DdlError> {
        let if_exists = self.if_exists()?;
        let name = self.name("a keyspace name")?;
        self.expect_word("with")?;
        let (replication, durable_writes) = self.keyspace_options()?;
        Ok(DdlStatement::AlterKeyspace(AlterKeyspace {
            name,
            if_exists,
            replication,
            durable_writes,
        }))
    }

    fn keyspace_options(&mut self) -> Result<(Option<Replication>, Option<bool>), DdlError> {
        let mut replication = None;
        let mut durable_writes = None;
        loop {
            let start = self.here();
            let key = self.option_name()?;
            self.expect_punct('=')?;
            let (value, value_span) = self.option_value()?;
            match key.as_str() {
                "replication" => {
                    if replication.is_some() {
                        return Err(DdlError::new(start, "`replication` is set twice"));
                    }
                    let OptionValue::Map(map) = value else {
                        return Err(DdlError::new(
                            value_span,
                            "`replication` must be a map like `{'class': 'SimpleStrategy', 'replication_factor': 1}`",
                        ));
                    };
                    replication = Some(
                        Replication::from_map(&map).map_err(|m| DdlError::new(value_span, m))?,
                    );
                }
                "durable_writes" => {
                    if durable_writes.is_some() {
                        return Err(DdlError::new(start, "`durable_writes` is set twice"));
                    }
                    durable_writes = Some(match value {
                        OptionValue::Bool(b) => b,
                        OptionValue::Text(t) if t.eq_ignore_ascii_case("true") => true,
                        OptionValue::Text(t) if t.eq_ignore_ascii_case("false") => false,
                        other => {
                            return Err(DdlError::new(
                                value_span,
                                format!(
                                    "`durable_writes` must be `true` or `false`, found `{other}`"
                                ),
                            ));
                        }
                    });
                }
                other => {
                    let err = DdlError::new(start, format!("unknown keyspace option `{other}`"));
                    return Err(
                        match suggest::closest(other, ["replication", "durable_writes"]) {
                            Some(s) => err.with_help(format!("did you mean `{s}`?")),
                            None => {
                                err.with_help("a keyspace takes `replication` and `durable_writes`")
                            }
                        },
                    );
                }
            }
            if self.eat_word("and").is_none() {
                break;
            }
        }
        Ok((replication, durable_writes))
    }

    // ---- types ---------------------------------------------------------

    fn create_type(&mut self) -> Result<DdlStatement, DdlError> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.qualified_name("a type name")?;
        let type_name = name.name.ident.as_str();
        if let Some(native) =
            NativeType::from_name(type_name).filter(|_| type_name == type_name.to_ascii_lowercase())
        {
            return Err(DdlError::new(
                name.name.span.clone(),
                format!("`{native}` is a native type and can't name a user-defined type"),
            ));
        }
        self.expect_punct('(')?;
        let mut fields = Vec::new();
        loop {
            if self.at_punct(')') && !fields.is_empty() {
                break;
            }
            let field_name = self.name("a field name")?;
            let ty = self.type_expr()?;
            fields.push(FieldSpec {
                name: field_name,
                ty,
            });
            if self.eat_punct(',').is_none() {
                break;
            }
        }
        self.expect_punct(')')?;
        Ok(DdlStatement::CreateType(CreateType {
            name,
            if_not_exists,
            fields,
        }))
    }

    fn alter_type(&mut self) -> Result<DdlStatement, DdlError> {
        let if_exists = self.if_exists()?;
        let name = self.qualified_name("a type name")?;
        let action = if self.eat_word("add").is_some() {
            let if_not_exists = self.if_not_exists()?;
            let field_name = self.name("a field name")?;
            let ty = self.type_expr()?;
            AlterTypeAction::AddField {
                if_not_exists,
                field: FieldSpec {
                    name: field_name,
                    ty,
                },
            }
        } else if self.eat_word("rename").is_some() {
            let if_exists = self.if_exists()?;
            AlterTypeAction::RenameFields {
                if_exists,
                renames: self.renames("a field name")?,
            }
        } else if self.at_word("alter") {
            return Err(DdlError::new(
                self.here(),
                "Cassandra no longer supports changing the type of a field",
            )
            .with_help("add a field with the new type instead"));
        } else {
            return Err(self.expected("`add` or `rename`"));
        };
        Ok(DdlStatement::AlterType(AlterType {
            name,
            if_exists,
            action,
        }))
    }

    fn renames(&mut self, what: &str) -> Result<Vec<(Name, Name)>, DdlError> {
        let mut renames = Vec::new();
        loop {
            let from = self.name(what)?;
            self.expect_word("to")?;
            let to = self.name(what)?;
            renames.push((from, to));
            if self.eat_word("and").is_none() {
                break;
            }
        }
        Ok(renames)
    }

    // ---- type expressions ----------------------------------------------

    fn type_expr(&mut self) -> Result<TypeExpr, DdlError> {
        let start = self.here().start;
        let mut udt_refs = Vec::new();
        let ty = self.cql_type(TypeContext::Top, &mut udt_refs)?;
        Ok(TypeExpr {
            ty,
            span: start..self.last_end(),
            udt_refs,
        })
    }

    fn type_error(&self) -> DdlError {
        self.expected("a column type like `text` or `map<text, int>`")
    }

    fn cql_type(
        &mut self,
        context: TypeContext,
        refs: &mut Vec<QualifiedName>,
    ) -> Result<CqlType, DdlError> {
        let start = self.here();
        let generic = |p: &Self, name: &str| {
            p.word_at(0, name) && p.peek_kind_at(1) == Some(&TokenKind::Punct('<'))
        };
        let ty = if generic(self, "list") || generic(self, "set") {
            let is_list = self.at_word("list");
            self.pos += 2;
            let element =
                self.element_type(context, refs, if is_list { "lists" } else { "sets" })?;
            self.expect_punct('>')?;
            if !is_list
                && element.contains_native(NativeType::Duration)
                && !matches!(context, TypeContext::Frozen)
            {
                return Err(DdlError::new(
                    start.start..self.last_end(),
                    "durations are not allowed inside sets",
                ));
            }
            if is_list {
                CqlType::list(element)
            } else {
                CqlType::set(element)
            }
        } else if generic(self, "map") {
            self.pos += 2;
            let key_start = self.here().start;
            let key = self.element_type(context, refs, "maps")?;
            if key.contains_native(NativeType::Duration) {
                return Err(DdlError::new(
                    key_start..self.last_end(),
                    "durations are not allowed as map keys",
                ));
            }
            self.expect_punct(',')?;
            let value = self.element_type(context, refs, "maps")?;
            self.expect_punct('>')?;
            CqlType::map(key, value)
        } else if generic(self, "tuple") {
            self.pos += 2;
            let mut elements = vec![self.frozen_element(refs, "tuples")?];
            while self.eat_punct(',').is_some() {
                elements.push(self.frozen_element(refs, "tuples")?);
            }
            self.expect_punct('>')?;
            CqlType::tuple(elements)
        } else if generic(self, "frozen") {
            self.pos += 2;
            let inner_start = self.here().start;
            let inner = self.cql_type(TypeContext::Frozen, refs)?;
            self.expect_punct('>')?;
            match inner {
                CqlType::Native(_) | CqlType::Vector(..) => {
                    return Err(DdlError::new(
                        inner_start..self.last_end().saturating_sub(1).max(inner_start),
                        format!("`frozen<…>` takes a collection, tuple or user-defined type, not `{inner}`"),
                    )
                    .with_help(format!("write just `{inner}`")));
                }
                CqlType::List(_)
                | CqlType::Set(_)
                | CqlType::Map(..)
                | CqlType::Tuple(_)
                | CqlType::Frozen(_)
                | CqlType::Udt(_) => CqlType::frozen(inner),
            }
        } else if generic(self, "vector") {
            self.pos += 2;
            let element = self.frozen_element(refs, "vectors")?;
            self.expect_punct(',')?;
            let dim_span = self.here();
            let dimension = self
                .bump()
                .and_then(|t| t.kind.number().and_then(|n| n.parse::<u32>().ok()))
                .filter(|d| *d > 0)
                .ok_or_else(|| {
                    DdlError::new(
                        dim_span,
                        "a vector dimension must be a whole number of at least 1",
                    )
                })?;
            self.expect_punct('>')?;
            CqlType::vector(element, dimension)
        } else {
            match self.peek().map(|t| t.kind.clone()) {
                Some(TokenKind::Word(w)) => match NativeType::from_name(&w) {
                    Some(native) => {
                        self.pos += 1;
                        CqlType::Native(native)
                    }
                    None => {
                        let name =
                            self.qualified_name("a column type like `text` or `map<text, int>`")?;
                        let ty = CqlType::udt(name.name.ident.clone());
                        refs.push(name);
                        ty
                    }
                },
                Some(TokenKind::QuotedName(_)) => {
                    let name = self.qualified_name("a type name")?;
                    let ty = CqlType::udt(name.name.ident.clone());
                    refs.push(name);
                    ty
                }
                Some(TokenKind::String(_)) => {
                    return Err(DdlError::new(
                        start,
                        "custom types given as a class name aren't supported",
                    ));
                }
                Some(
                    TokenKind::Number(_)
                    | TokenKind::Uuid(_)
                    | TokenKind::Blob(_)
                    | TokenKind::Punct(_),
                )
                | None => return Err(self.type_error()),
            }
        };
        Ok(ty)
    }

    /// An element of a non-frozen collection (or of any collection in a
    /// frozen context).
    fn element_type(
        &mut self,
        context: TypeContext,
        refs: &mut Vec<QualifiedName>,
        container: &str,
    ) -> Result<CqlType, DdlError> {
        let start = self.here().start;
        let inner_context = match context {
            TypeContext::Frozen => TypeContext::Frozen,
            TypeContext::Top | TypeContext::Collection => TypeContext::Collection,
        };
        let element = self.cql_type(inner_context, refs)?;
        let span = start..self.last_end();
        if element.contains_native(NativeType::Counter) {
            return Err(DdlError::new(
                span,
                format!("counters are not allowed inside {container}"),
            ));
        }
        if inner_context == TypeContext::Collection && element.is_multi_cell() {
            let what = if element.is_udt() {
                "user-defined types"
            } else {
                "collections"
            };
            return Err(DdlError::new(
                span,
                format!("non-frozen {what} are not allowed inside {container}"),
            )
            .with_help(format!("freeze it: `frozen<{element}>`")));
        }
        Ok(element)
    }

    /// An element of a tuple or vector (frozen implicitly).
    fn frozen_element(
        &mut self,
        refs: &mut Vec<QualifiedName>,
        container: &str,
    ) -> Result<CqlType, DdlError> {
        let start = self.here().start;
        let element = self.cql_type(TypeContext::Frozen, refs)?;
        if element.contains_native(NativeType::Counter) {
            return Err(DdlError::new(
                start..self.last_end(),
                format!("counters are not allowed inside {container}"),
            ));
        }
        Ok(element)
    }

    // ---- tables --------------------------------------------------------

    fn create_table(&mut self) -> Result<DdlStatement, DdlError> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.qualified_name("a table name")?;
        let open = self.expect_punct('(')?;
        let mut columns: Vec<ColumnSpec> = Vec::new();
        let mut key: Option<(Vec<Name>, Vec<Name>, Range<usize>)> = None;
        loop {
            if self.at_punct(')') && (!columns.is_empty() || key.is_some()) {
                break;
            }
            if self.at_word("primary") {
                let span = self.here();
                self.pos += 1;
                self.expect_word("key")?;
                let (partition, clustering) = self.primary_key()?;
                if key.is_some() {
                    return Err(DdlError::new(
                        span,
                        "a table has exactly one primary key; this is a second one",
                    ));
                }
                key = Some((partition, clustering, span));
            } else {
                let column_name = self.name("a column name")?;
                let ty = self.type_expr()?;
                let is_static = self.eat_word("static").is_some();
                let mask = self.column_mask()?;
                if let Some(pk) = self.eat_word("primary") {
                    self.expect_word("key")?;
                    if key.is_some() {
                        return Err(DdlError::new(
                            pk,
                            "a table has exactly one primary key; this is a second one",
                        ));
                    }
                    key = Some((vec![column_name.clone()], Vec::new(), pk));
                }
                columns.push(ColumnSpec {
                    name: column_name,
                    ty,
                    is_static,
                    mask,
                });
            }
            if self.eat_punct(',').is_none() {
                break;
            }
        }
        let close = self.expect_punct(')')?;
        let Some((partition_key, clustering, _)) = key else {
            return Err(
                DdlError::new(open.start..close.end, "a table needs a primary key").with_help(
                    "add `primary key (…)` after the columns, or `primary key` after one column",
                ),
            );
        };
        let (clustering_order, options) = if self.eat_word("with").is_some() {
            self.with_options(true)?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(DdlStatement::CreateTable(CreateTable {
            name,
            if_not_exists,
            columns,
            partition_key,
            clustering,
            clustering_order,
            options,
        }))
    }

    /// `(a, b)` or `((a, b), c, d)` after `primary key`.
    fn primary_key(&mut self) -> Result<(Vec<Name>, Vec<Name>), DdlError> {
        self.expect_punct('(')?;
        let partition = if self.at_punct('(') {
            self.name_list("a partition key column")?
        } else {
            vec![self.name("a primary key column")?]
        };
        let mut clustering = Vec::new();
        while self.eat_punct(',').is_some() {
            clustering.push(self.name("a clustering column")?);
        }
        self.expect_punct(')')?;
        Ok((partition, clustering))
    }

    /// `option = value [and …]`, with `clustering order by (…)` when allowed.
    fn with_options(
        &mut self,
        allow_clustering: bool,
    ) -> Result<(Vec<OrderSpec>, Vec<OptionSpec>), DdlError> {
        let mut order: Option<Vec<OrderSpec>> = None;
        let mut options: Vec<OptionSpec> = Vec::new();
        loop {
            let start = self.here();
            if self.at_word("clustering") && self.word_at(1, "order") {
                if !allow_clustering {
                    return Err(DdlError::new(start, "the clustering order is fixed when the table is created")
                        .with_help("changing it means a new table: create it, backfill it, switch reads and writes, drop the old one"));
                }
                if order.is_some() {
                    return Err(DdlError::new(start, "`clustering order by` is given twice"));
                }
                self.pos += 2;
                self.expect_word("by")?;
                self.expect_punct('(')?;
                let mut specs = Vec::new();
                loop {
                    let name = self.name("a clustering column")?;
                    let dir = if self.eat_word("desc").is_some() {
                        SortOrder::Desc
                    } else {
                        self.eat_word("asc");
                        SortOrder::Asc
                    };
                    specs.push(OrderSpec { name, order: dir });
                    if self.eat_punct(',').is_none() {
                        break;
                    }
                }
                self.expect_punct(')')?;
                order = Some(specs);
            } else if self.at_word("compact") && self.word_at(1, "storage") {
                return Err(DdlError::new(
                    start,
                    "`compact storage` is not supported since Cassandra 4.0",
                ));
            } else {
                let name = self.option_name()?;
                self.expect_punct('=')?;
                let (value, _) = self.option_value()?;
                let span = start.start..self.last_end();
                if options.iter().any(|o| o.option.name() == name) {
                    return Err(DdlError::new(span, format!("option `{name}` is set twice")));
                }
                let option =
                    TableOption::from_value(&name, value).map_err(|(message, help)| DdlError {
                        span: span.clone(),
                        message,
                        help,
                    })?;
                options.push(OptionSpec { option, span });
            }
            if self.eat_word("and").is_none() {
                break;
            }
        }
        Ok((order.unwrap_or_default(), options))
    }

    fn option_name(&mut self) -> Result<String, DdlError> {
        match self
            .peek()
            .and_then(|t| t.kind.word())
            .map(str::to_ascii_lowercase)
        {
            Some(name) => {
                self.pos += 1;
                Ok(name)
            }
            None => Err(self.expected("an option name like `comment`")),
        }
    }

    fn option_value(&mut self) -> Result<(OptionValue, Range<usize>), DdlError> {
        let span = self.here();
        let value = match self.peek().map(|t| t.kind.clone()) {
            Some(TokenKind::String(s) | TokenKind::Uuid(s)) => OptionValue::Text(s),
            Some(TokenKind::Number(n)) => OptionValue::Number(n),
            Some(TokenKind::Word(w)) if w.eq_ignore_ascii_case("true") => OptionValue::Bool(true),
            Some(TokenKind::Word(w)) if w.eq_ignore_ascii_case("false") => OptionValue::Bool(false),
            Some(TokenKind::Word(w)) => OptionValue::Text(w),
            Some(TokenKind::Punct('{')) => {
                let map = self.map_literal()?;
                return Ok((OptionValue::Map(map), span.start..self.last_end()));
            }
            Some(TokenKind::QuotedName(_) | TokenKind::Blob(_) | TokenKind::Punct(_)) | None => {
                return Err(self.expected("a value (a string, number, boolean or `{…}` map)"));
            }
        };
        self.pos += 1;
        Ok((value, span))
    }

    fn map_literal(&mut self) -> Result<BTreeMap<String, String>, DdlError> {
        self.expect_punct('{')?;
        let mut map = BTreeMap::new();
        if self.eat_punct('}').is_some() {
            return Ok(map);
        }
        loop {
            let key_span = self.here();
            let key = self.map_scalar()?;
            self.expect_punct(':')?;
            let value = self.map_scalar()?;
            if map.insert(key.clone(), value).is_some() {
                return Err(DdlError::new(
                    key_span,
                    format!("the key `{key}` appears twice in this map"),
                ));
            }
            if self.eat_punct(',').is_none() {
                break;
            }
        }
        self.expect_punct('}')?;
        Ok(map)
    }

    fn map_scalar(&mut self) -> Result<String, DdlError> {
        let text = match self.peek().map(|t| t.kind.clone()) {
            Some(
                TokenKind::String(s)
                | TokenKind::Number(s)
                | TokenKind::Uuid(s)
                | TokenKind::Word(s),
            ) => s,
            Some(TokenKind::QuotedName(_) | TokenKind::Blob(_) | TokenKind::Punct(_)) | None => {
                return Err(self.expected("a string or number"));
            }
        };
        self.pos += 1;
        Ok(text)
    }

    fn alter_table(&mut self) -> Result<DdlStatement, DdlError> {
        let if_exists = self.if_exists()?;
        let name = self.qualified_name("a table name")?;
        let action = if self.eat_word("add").is_some() {
            let if_not_exists = self.if_not_exists()?;
            let mut columns = Vec::new();
            if self.eat_punct('(').is_some() {
                loop {
                    columns.push(self.column_spec()?);
                    if self.eat_punct(',').is_none() {
                        break;
                    }
                }
                self.expect_punct(')')?;
            } else {
                columns.push(self.column_spec()?);
            }
            AlterTableAction::Add {
                if_not_exists,
                columns,
            }
        } else if self.at_word("drop") {
            if self.word_at(1, "compact") {
                return Err(DdlError::new(
                    self.here(),
                    "`compact storage` is not supported since Cassandra 4.0",
                ));
            }
            self.pos += 1;
            let if_exists = self.if_exists()?;
            let columns = if self.at_punct('(') {
                self.name_list("a column name")?
            } else {
                vec![self.name("a column name")?]
            };
            AlterTableAction::Drop { if_exists, columns }
        } else if self.eat_word("rename").is_some() {
            let if_exists = self.if_exists()?;
            AlterTableAction::Rename {
                if_exists,
                renames: self.renames("a column name")?,
            }
        } else if self.eat_word("with").is_some() {
            let (_, options) = self.with_options(false)?;
            AlterTableAction::Options(options)
        } else if self.at_word("alter") {
            let masked =
                self.word_at(2, "masked") || (self.word_at(2, "drop") && self.word_at(3, "masked"));
            if !masked {
                return Err(DdlError::new(
                    self.here(),
                    "Cassandra no longer supports changing the type of a column",
                )
                .with_help("add a column with the new type, backfill it, and drop the old one"));
            }
            self.pos += 1;
            let column = self.name("a column name")?;
            let mask = if self.eat_word("drop").is_some() {
                self.expect_word("masked")?;
                None
            } else {
                self.column_mask()?
            };
            AlterTableAction::Mask { column, mask }
        } else {
            return Err(self.expected("`add`, `drop`, `rename` or `with`"));
        };
        Ok(DdlStatement::AlterTable(AlterTable {
            name,
            if_exists,
            action,
        }))
    }

    fn column_spec(&mut self) -> Result<ColumnSpec, DdlError> {
        let name = self.name("a column name")?;
        let ty = self.type_expr()?;
        let is_static = self.eat_word("static").is_some();
        let mask = self.column_mask()?;
        Ok(ColumnSpec {
            name,
            ty,
            is_static,
            mask,
        })
    }

    /// `masked with fn(arg, …)` after a column's type, if written.
    fn column_mask(&mut self) -> Result<Option<Mask>, DdlError> {
        if self.eat_word("masked").is_none() {
            return Ok(None);
        }
        self.expect_word("with")?;
        let name = self.qualified_name("a masking function like `mask_default`")?;
        let function = match &name.keyspace {
            Some(keyspace) => format!("{}.{}", keyspace.ident, name.name.ident),
            None => name.name.ident.as_str().to_owned(),
        };
        self.expect_punct('(')?;
        let mut args = Vec::new();
        while !self.at_punct(')') {
            let Some(token) = self.peek() else {
                return Err(self.expected("`)`"));
            };
            let text = match &token.kind {
                TokenKind::String(_) | TokenKind::Number(_) | TokenKind::Word(_) => {
                    self.text[token.span.clone()].to_owned()
                }
                _ => return Err(self.expected("a literal argument")),
            };
            self.pos += 1;
            args.push(text);
            if self.eat_punct(',').is_none() {
                break;
            }
        }
        self.expect_punct(')')?;
        Ok(Some(Mask { function, args }))
    }

    // ---- indexes -------------------------------------------------------

    fn create_index(&mut self) -> Result<DdlStatement, DdlError> {
        let custom_span = self.eat_word("custom");
        self.expect_word("index")?;
        let if_not_exists = self.if_not_exists()?;
        let name = if self.at_word("on") {
            None
        } else {
            Some(self.qualified_name("an index name or `on`")?)
        };
        self.expect_word("on")?;
        let table = self.qualified_name("a table name")?;
        self.expect_punct('(')?;
        let target_start = self.here().start;
        let modifier = ["keys", "values", "entries", "full"]
            .into_iter()
            .find(|m| self.at_word(m) && self.peek_kind_at(1) == Some(&TokenKind::Punct('(')));
        let target = match modifier {
            Some(m) => {
                self.pos += 2;
                let column = self.name("a column name")?.ident;
                self.expect_punct(')')?;
                match m {
                    "keys" => IndexTarget::Keys(column),
                    "values" => IndexTarget::Values(column),
                    "entries" => IndexTarget::Entries(column),
                    _ => IndexTarget::Full(column),
                }
            }
            None => IndexTarget::Column(self.name("a column name")?.ident),
        };
        let target_span = target_start..self.last_end();
        if self.at_punct(',') {
            return Err(DdlError::new(
                self.here(),
                "corm replays indexes on one column only",
            ));
        }
        self.expect_punct(')')?;
        let class = if let Some(using) = self.eat_word("using") {
            match self.bump().and_then(|t| t.kind.string().map(str::to_owned)) {
                Some(class) => IndexClass::from_using(&class),
                None => {
                    return Err(DdlError::new(
                        using.start..self.last_end(),
                        "`using` takes the index class as a string, like `using 'sai'`",
                    ));
                }
            }
        } else {
            IndexClass::Default
        };
        if let (Some(span), IndexClass::Default) = (&custom_span, &class) {
            return Err(
                DdlError::new(span.clone(), "a `custom` index needs its class")
                    .with_help("add `using 'sai'` (or the class name of the index)"),
            );
        }
        let mut options = BTreeMap::new();
        if let Some(with) = self.eat_word("with") {
            if class == IndexClass::Default {
                return Err(DdlError::new(
                    with,
                    "only an index with `using '…'` takes options",
                ));
            }
            let key_span = self.here();
            let key = self.option_name()?;
            if key != "options" {
                return Err(
                    DdlError::new(key_span, format!("unknown index property `{key}`"))
                        .with_help("an index takes `with options = {…}`"),
                );
            }
            self.expect_punct('=')?;
            options = self.map_literal()?;
            if let Some(reserved) = ["class_name", "target"]
                .into_iter()
                .find(|k| options.contains_key(*k))
            {
                return Err(DdlError::new(
                    key_span.start..self.last_end(),
                    format!("`{reserved}` can't be given as an index option"),
                ));
            }
        }
        Ok(DdlStatement::CreateIndex(CreateIndex {
            name,
            if_not_exists,
            custom: custom_span.is_some(),
            table,
            target,
            target_span,
            class,
            options,
        }))
    }

    // ---- materialized views --------------------------------------------

    fn create_view(&mut self) -> Result<DdlStatement, DdlError> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.qualified_name("a view name")?;
        self.expect_word("as")?;
        self.expect_word("select")?;
        let columns = if self.eat_punct('*').is_some() {
            None
        } else {
            let mut cols = vec![self.name("a column name")?];
            while self.eat_punct(',').is_some() {
                cols.push(self.name("a column name")?);
            }
            Some(cols)
        };
        self.expect_word("from")?;
        let base_table = self.qualified_name("a table name")?;
        let where_span = self.here();
        if self.eat_word("where").is_none() {
            return Err(
                DdlError::new(where_span, "a materialized view needs a `where` clause").with_help(
                    "every primary key column of the view must be filtered with `is not null`",
                ),
            );
        }
        let where_clause = self.where_text()?;
        self.expect_word("primary")?;
        self.expect_word("key")?;
        let (partition_key, clustering) = self.primary_key()?;
        let (clustering_order, options) = if self.eat_word("with").is_some() {
            self.with_options(true)?
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(DdlStatement::CreateView(CreateView {
            name,
            if_not_exists,
            base_table,
            columns,
            where_clause,
            partition_key,
            clustering,
            clustering_order,
            options,
        }))
    }

    /// The tokens of a `where` clause up to `primary key`, joined with
    /// single spaces where the text had any gap.
    fn where_text(&mut self) -> Result<String, DdlError> {
        let mut out = String::new();
        let mut depth = 0usize;
        let mut previous_end: Option<usize> = None;
        loop {
            if depth == 0 && self.at_word("primary") && self.word_at(1, "key") {
                break;
            }
            let Some(token) = self.bump() else {
                return Err(self.expected("`primary key` after the `where` clause"));
            };
            if token.kind == TokenKind::Punct('(') {
                depth += 1;
            } else if token.kind == TokenKind::Punct(')') {
                depth = depth.saturating_sub(1);
            }
            if previous_end.is_some_and(|end| end < token.span.start) {
                out.push(' ');
            }
            out.push_str(self.text.get(token.span.clone()).unwrap_or_default());
            previous_end = Some(token.span.end);
        }
        if out.is_empty() {
            return Err(self.expected("a condition like `id is not null`"));
        }
        Ok(out)
    }
}

/// A token as shown in an error message.
fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Word(w) => format!("`{w}`"),
        TokenKind::QuotedName(n) => format!("`\"{n}\"`"),
        TokenKind::String(s) => {
            let short: String = s.chars().take(20).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("the string `'{short}{more}'`")
        }
        TokenKind::Number(n) | TokenKind::Uuid(n) | TokenKind::Blob(n) => format!("`{n}`"),
        TokenKind::Punct(c) => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DdlStatement {
        match parse_statement(text) {
            Ok(s) => s,
            Err(e) => panic!("{text}: {} at {:?} ({:?})", e.message, e.span, e.help),
        }
    }

    fn err(text: &str) -> DdlError {
        match parse_statement(text) {
            Ok(s) => panic!("{text} parsed: {s:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn create_table_with_everything() {
        let s = parse(
            "CREATE TABLE IF NOT EXISTS shop.posts (author_id uuid, created_at timeuuid, title text, \
             owner text static, primary key ((author_id), created_at)) \
             WITH CLUSTERING ORDER BY (created_at DESC) AND default_time_to_live = 7776000 \
             and compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'compaction_window_size': 1} \
             and comment = 'Posts' and gc_grace_seconds = 3600",
        );
        let DdlStatement::CreateTable(t) = s else {
            panic!()
        };
        assert!(t.if_not_exists);
        assert_eq!(
            t.name.keyspace.as_ref().map(|k| k.ident.as_str()),
            Some("shop")
        );
        assert_eq!(t.name.name.ident.as_str(), "posts");
        assert_eq!(t.columns.len(), 4);
        assert!(t.columns[3].is_static);
        assert_eq!(t.partition_key.len(), 1);
        assert_eq!(t.clustering[0].ident.as_str(), "created_at");
        assert_eq!(t.clustering_order[0].order, SortOrder::Desc);
        assert_eq!(t.options.len(), 4);
        assert_eq!(
            t.options[0].option,
            TableOption::DefaultTimeToLive(7_776_000)
        );
    }

    #[test]
    fn inline_primary_key_and_trailing_comma() {
        let DdlStatement::CreateTable(t) = parse("create table t (id uuid primary key, v text,)")
        else {
            panic!()
        };
        assert_eq!(t.partition_key[0].ident.as_str(), "id");
        assert!(t.clustering.is_empty());
    }

    #[test]
    fn composite_keys() {
        let DdlStatement::CreateTable(t) =
            parse("create table t (a int, b int, c int, d int, primary key ((a, b), c, d))")
        else {
            panic!()
        };
        assert_eq!(
            t.partition_key
                .iter()
                .map(|n| n.ident.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(
            t.clustering
                .iter()
                .map(|n| n.ident.as_str())
                .collect::<Vec<_>>(),
            ["c", "d"]
        );
    }

    #[test]
    fn names_fold_case_unless_quoted() {
        let DdlStatement::CreateTable(t) =
            parse("create table Users (\"Id\" uuid, EMAIL text, primary key (\"Id\"))")
        else {
            panic!()
        };
        assert_eq!(t.name.name.ident.as_str(), "users");
        assert_eq!(t.columns[0].name.ident.as_str(), "Id");
        assert_eq!(t.columns[1].name.ident.as_str(), "email");
    }

    #[test]
    fn types() {
        let ty = |s: &str| parse_type(s).map(|t| t.ty.to_string());
        assert_eq!(ty("varchar"), Ok("text".to_owned()));
        assert_eq!(
            ty("map<text, frozen<list<int>>>"),
            Ok("map<text, frozen<list<int>>>".to_owned())
        );
        assert_eq!(
            ty("frozen<tuple<int, text>>"),
            Ok("tuple<int, text>".to_owned())
        );
        assert_eq!(
            ty("vector<float, 384>"),
            Ok("vector<float, 384>".to_owned())
        );
        assert_eq!(
            ty("frozen<list<list<int>>>"),
            Ok("frozen<list<list<int>>>".to_owned())
        );
        assert_eq!(
            ty("set<frozen<address>>"),
            Ok("set<frozen<address>>".to_owned())
        );
        let t = parse_type("list<frozen<shop.address>>").unwrap();
        assert_eq!(t.udt_refs.len(), 1);
        assert_eq!(
            t.udt_refs[0].keyspace.as_ref().map(|k| k.ident.as_str()),
            Some("shop")
        );
    }

    #[test]
    fn types_parse_from_str() {
        let t: CqlType = "set<frozen<tuple<int, text>>>".parse().unwrap();
        assert_eq!(t.to_string(), "set<tuple<int, text>>");
        assert!("list<".parse::<CqlType>().is_err());
    }

    #[test]
    fn type_rules() {
        let msg = |s: &str| parse_type(s).unwrap_err().message;
        assert_eq!(
            msg("list<list<int>>"),
            "non-frozen collections are not allowed inside lists"
        );
        assert_eq!(
            msg("map<text, address>"),
            "non-frozen user-defined types are not allowed inside maps"
        );
        assert_eq!(
            msg("list<counter>"),
            "counters are not allowed inside lists"
        );
        assert_eq!(
            msg("set<duration>"),
            "durations are not allowed inside sets"
        );
        assert_eq!(
            msg("map<duration, int>"),
            "durations are not allowed as map keys"
        );
        assert!(msg("frozen<int>").starts_with("`frozen<…>` takes a collection"));
        assert!(msg("vector<float, 0>").contains("at least 1"));
        assert_eq!(
            msg(")"),
            "expected a column type like `text` or `map<text, int>`, found `)`"
        );
    }

    #[test]
    fn alter_table_forms() {
        let cases = [
            "alter table users add prefs map<text, text>",
            "alter table users add if not exists (a int, b text static)",
            "alter table users drop prefs",
            "alter table if exists users drop (a, b)",
            "alter table users rename id to user_id and k to key2",
            "alter table users with comment = 'x' and default_time_to_live = 0",
        ];
        for c in cases {
            assert!(matches!(parse(c), DdlStatement::AlterTable(_)), "{c}");
        }
        let DdlStatement::AlterTable(a) =
            parse("alter table users add if not exists (a int, b text static)")
        else {
            panic!()
        };
        let AlterTableAction::Add {
            if_not_exists,
            columns,
        } = a.action
        else {
            panic!()
        };
        assert!(if_not_exists);
        assert!(columns[1].is_static);
        assert!(
            err("alter table t alter c type text")
                .message
                .contains("no longer supports")
        );
        assert!(
            err("alter table t with clustering order by (a desc)")
                .message
                .contains("fixed")
        );
    }

    #[test]
    fn keyspaces() {
        let DdlStatement::CreateKeyspace(k) = parse(
            "create keyspace if not exists shop with replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'us-east-1': '2'} and durable_writes = false",
        ) else {
            panic!()
        };
        assert!(k.if_not_exists);
        assert_eq!(k.durable_writes, Some(false));
        assert!(
            matches!(k.replication, Replication::NetworkTopology { ref data_centers } if data_centers.len() == 2)
        );
        assert!(matches!(
            parse("ALTER KEYSPACE shop WITH durable_writes = true"),
            DdlStatement::AlterKeyspace(_)
        ));
        assert!(
            matches!(parse("drop keyspace if exists shop"), DdlStatement::DropKeyspace(d) if d.if_exists)
        );
        assert_eq!(
            err("create keyspace k with durable_writes = true").message,
            "`create keyspace` needs a replication"
        );
        assert_eq!(
            err("create keyspace k with replicaton = {}")
                .help
                .as_deref(),
            Some("did you mean `replication`?")
        );
    }

    #[test]
    fn types_statements() {
        assert!(matches!(
            parse("create type if not exists address (street text, zip text)"),
            DdlStatement::CreateType(_)
        ));
        assert!(matches!(
            parse("alter type address add country text"),
            DdlStatement::AlterType(_)
        ));
        let DdlStatement::AlterType(a) =
            parse("alter type address rename street to line1 and zip to postcode")
        else {
            panic!()
        };
        assert!(
            matches!(a.action, AlterTypeAction::RenameFields { ref renames, .. } if renames.len() == 2)
        );
        assert!(matches!(
            parse("drop type if exists address"),
            DdlStatement::DropType(_)
        ));
        assert!(
            err("create type text (a int)")
                .message
                .contains("native type")
        );
    }

    #[test]
    fn indexes() {
        let DdlStatement::CreateIndex(i) = parse(
            "create custom index if not exists users_name_idx on users (name) using 'StorageAttachedIndex' with options = {'case_sensitive': 'false'}",
        ) else {
            panic!()
        };
        assert!(i.custom && i.if_not_exists);
        assert_eq!(i.class, IndexClass::Sai);
        assert_eq!(
            i.options.get("case_sensitive").map(String::as_str),
            Some("false")
        );
        let DdlStatement::CreateIndex(i) = parse("create index on users (keys(prefs))") else {
            panic!()
        };
        assert!(i.name.is_none());
        assert_eq!(i.target, IndexTarget::Keys(Ident::new("prefs")));
        let DdlStatement::CreateIndex(i) = parse("create index on t (\"keys\")") else {
            panic!()
        };
        assert_eq!(i.target, IndexTarget::Column(Ident::new("keys")));
        assert!(matches!(
            parse("drop index if exists shop.users_name_idx"),
            DdlStatement::DropIndex(_)
        ));
        assert!(
            err("create custom index on t (a)")
                .message
                .contains("needs its class")
        );
        assert!(
            err("create index on t (a) with options = {'x': 'y'}")
                .message
                .contains("only an index with `using")
        );
    }

    #[test]
    fn views() {
        let DdlStatement::CreateView(v) = parse(
            "create materialized view users_by_email as select id, email from users where email is not null and id is not null primary key (email, id) with clustering order by (id desc)",
        ) else {
            panic!()
        };
        assert_eq!(v.where_clause, "email is not null and id is not null");
        assert_eq!(v.partition_key[0].ident.as_str(), "email");
        assert_eq!(v.clustering_order[0].order, SortOrder::Desc);
        assert!(matches!(
            parse("drop materialized view if exists users_by_email"),
            DdlStatement::DropView(_)
        ));
        assert!(matches!(
            parse("alter materialized view v with comment = 'x'"),
            DdlStatement::AlterView(_)
        ));
    }

    #[test]
    fn readable_errors() {
        let e = err("create table order (id int primary key)");
        assert_eq!(
            e.message,
            "expected a table name, found the reserved keyword `order`"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("a name that is a reserved CQL keyword must be quoted: `\"order\"`")
        );
        assert_eq!(e.span, 13..18);
        let e = err("create table t (id int)");
        assert_eq!(e.message, "a table needs a primary key");
        let e = err("create trigger t on x using 'c'");
        assert!(e.message.contains("`create trigger` is not one of them"));
        let e = err("select * from t");
        assert_eq!(
            e.message,
            "expected `create`, `alter` or `drop`, found `select`"
        );
        let e = err("create table t (id int primary key) with defualt_time_to_live = 1");
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean `default_time_to_live`?")
        );
        let e = err("create table t (id int primary key");
        assert_eq!(e.message, "expected `)`, found the end of the statement");
        assert_eq!(e.span, 34..34);
        let e = err("create table t (id int primary key) with compact storage");
        assert!(e.message.contains("compact storage"));
    }

    #[test]
    fn trailing_semicolon_is_tolerated() {
        assert!(matches!(parse("drop table t;"), DdlStatement::DropTable(_)));
        assert!(parse_statement("drop table t; drop table u").is_err());
    }

    #[test]
    fn scripts() {
        let script = "create table a (x int primary key);\n-- comment\ncreate index on a (x);";
        let statements = parse_script(script).unwrap();
        assert_eq!(statements.len(), 2);
        let e = parse_script("create table a (x int primary key);\ncreate tabel b").unwrap_err();
        assert_eq!(
            &"create table a (x int primary key);\ncreate tabel b"[e.span.clone()],
            "tabel"
        );
    }
}
