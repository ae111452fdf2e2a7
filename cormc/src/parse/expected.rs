//! Syntax errors: pest's "expected rules" turned into human text.
//!
//! Every grammar rule has a human name in [`expected`], one exhaustive match
//! (a new rule must be named before the compiler builds), so an error reads
//! "expected a field like `name: text`" and never "expected field".

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use super::{recovery, suggest};
use crate::diagnostics::{Code, Diagnostic, SourceFile, Span};

/// How a rule reads in "expected …", and the keywords that would have been
/// accepted there (for "did you mean …?").
#[derive(Debug, Clone, Copy)]
pub(super) struct Expected {
    /// E.g. "a field like `name: text`".
    pub name: &'static str,
    /// Words that start this rule.
    pub keywords: &'static [&'static str],
}

const fn named(name: &'static str) -> Expected {
    Expected {
        name,
        keywords: &[],
    }
}

const fn keyword(name: &'static str, word: &'static [&'static str]) -> Expected {
    Expected {
        name,
        keywords: word,
    }
}

const ITEM_KEYWORDS: &[&str] = &[
    "keyspace",
    "type",
    "enum",
    "model",
    "query",
    "aggregate",
    "mutation",
    "view",
    "timeseries",
    "events",
    "saga",
    "migration",
];
const MODEL_CLAUSES: &[&str] = &[
    "key",
    "index",
    "has_many",
    "has_one",
    "belongs_to",
    "table",
    "ttl",
    "compaction",
    "options",
    "vector_index",
    "reserve",
    "cache",
];
/// The help for a `view` where the language has none (an item, or
/// `view of …` in a model).
const VIEW_HELP: &str =
    "a materialized view is an item of its own: `view VideoByTitle of Video { key ((title), id) }`";

const QUERY_CLAUSES: &[&str] = &["select", "where", "order", "per", "limit", "allow"];
const MUTATION_CLAUSES: &[&str] = &["set", "delete", "where", "if"];
const AGGREGATE_CLAUSES: &[&str] = &[
    "where", "group", "select", "having", "order", "limit", "allow",
];
const TIMESERIES_CLAUSES: &[&str] = &["series", "bucket", "ttl"];
const EVENTS_CLAUSES: &[&str] = &["snapshot", "partition", "event"];
const SAGA_CLAUSES: &[&str] = &["input", "step", "lease"];
const STEP_OPTIONS: &[&str] = &["returns", "timeout", "retries"];
const ATTRIBUTES: &[&str] = &[
    "@default",
    "@on_update",
    "@unique",
    "@validate",
    "@static",
    "@cql",
    "@bucket",
    "@masked",
];
const VALIDATE_RULES: &[&str] = &[
    "email",
    "url",
    "length",
    "range",
    "regex",
    "not_empty",
    "one_of",
];
const COMPACTIONS: &[&str] = &["size_tiered", "leveled", "unified", "time_window"];
const SIMILARITIES: &[&str] = &["cosine", "dot_product", "euclidean"];
const AGGREGATE_FNS: &[&str] = &["count", "sum", "avg", "min", "max"];
const DDL_VERBS: &[&str] = &["create", "alter", "drop", "cql"];

/// The human name of every grammar rule.
#[allow(clippy::too_many_lines)]
pub(super) const fn expected(rule: Rule) -> Expected {
    match rule {
        Rule::EOI => named("end of file"),
        Rule::WHITESPACE | Rule::trivia | Rule::cql_trivia => named("whitespace"),
        Rule::COMMENT
        | Rule::block_comment
        | Rule::line_comment
        | Rule::stray_doc
        | Rule::cql_comment => named("a comment"),
        Rule::doc_target_ahead => named("an item, field, enum variant or event"),
        Rule::doc_text => named("a doc comment `/// …`"),
        Rule::ident_char | Rule::ident_word => named("a name"),
        Rule::item_head => keyword("the start of an item", ITEM_KEYWORDS),
        Rule::event_head | Rule::event_block_head => keyword("`event Name {`", &["event"]),
        Rule::step_head => keyword("`step name`", &["step"]),
        Rule::field_head => named("a field like `name: text`"),
        Rule::attr_allow => keyword("`@allow`", &["@allow"]),
        Rule::attr_bucket => keyword("`@bucket`", &["@bucket"]),
        Rule::attr_masked => keyword("`@masked`", &["@masked"]),
        Rule::attr_embed => keyword("`@embed`", &["@embed"]),
        Rule::masked_attr => keyword("`@masked(mask_default())`", &["@masked"]),
        Rule::mask_call => named("a masking function like `mask_default()` or `mask_inner(1, 2)`"),
        Rule::bucket_attr => keyword("`@bucket`", &["@bucket"]),
        Rule::index_target => named("a column, or `keys(m)`, `values(c)` or `entries(m)`"),
        Rule::index_fn => keyword(
            "`keys`, `values` or `entries`",
            &["keys", "values", "entries"],
        ),
        Rule::kw_keys => keyword("`keys`", &["keys"]),
        Rule::kw_values => keyword("`values`", &["values"]),
        Rule::kw_entries => keyword("`entries`", &["entries"]),
        Rule::allow_clause => named("`@allow(W…, \"why\")`"),
        Rule::attr_known => keyword("an attribute like `@unique`", ATTRIBUTES),
        Rule::type_base => named("a type like `text`, `list<int>` or `Address`"),
        Rule::model_clause_start => keyword("a model clause", MODEL_CLAUSES),
        Rule::ddl_piece | Rule::cql_braces => named("CQL text"),
        Rule::cql_string => named("a CQL string `'…'`"),
        Rule::cql_dollar_string => named("a CQL string `$$…$$`"),
        Rule::cql_quoted_ident => named("a quoted CQL identifier `\"…\"`"),
        Rule::doc_line | Rule::doc => named("a doc comment `/// …`"),
        Rule::ident => named("a name"),
        Rule::lbrace => named("`{`"),
        Rule::rbrace | Rule::block_close | Rule::unclosed => named("`}`"),
        Rule::lparen => named("`(`"),
        Rule::rparen => named("`)`"),
        Rule::langle => named("`<`"),
        Rule::rangle => named("`>`"),
        Rule::comma => named("`,`"),
        Rule::colon => named("`:`"),
        Rule::field_colon => named("`:` between the field name and its type"),
        Rule::relation_colon => {
            named("`:` after the relation name, as in `has_many posts: Post(author_id)`")
        }
        Rule::semicolon => named("`;`"),
        Rule::star => named("`*`"),
        Rule::optional_mark => named("`?`"),
        Rule::map_comma => named("`,` and the value type, as in `map<text, int>`"),
        Rule::allow_comma => named("`,` and the reason, as in `@allow(W1103, \"why\")`"),
        Rule::vector_comma => named("`,` and the dimension, as in `vector<float, 384>`"),
        Rule::key_open => named("`(` and the key columns, as in `key (id)` or `key ((a, b), c)`"),
        Rule::key_close => named("`)` to end the key"),
        Rule::partition_open => named("`(`"),
        Rule::partition_close => named("`)` to end the partition key"),
        Rule::no_args => named("no arguments"),
        Rule::kw_keyspace => keyword("`keyspace`", &["keyspace"]),
        Rule::kw_type => keyword("`type`", &["type"]),
        Rule::kw_enum => keyword("`enum`", &["enum"]),
        Rule::kw_open => keyword("`open`", &["open"]),
        Rule::kw_model => keyword("`model`", &["model"]),
        Rule::kw_query => keyword("`query`", &["query"]),
        Rule::kw_aggregate => keyword("`aggregate`", &["aggregate"]),
        Rule::kw_timeseries => keyword("`timeseries`", &["timeseries"]),
        Rule::kw_events => keyword("`events`", &["events"]),
        Rule::kw_event => keyword("`event`", &["event"]),
        Rule::kw_migration => keyword("`migration`", &["migration"]),
        Rule::kw_saga => keyword("`saga`", &["saga"]),
        Rule::kw_reserve => keyword("`reserve`", &["reserve"]),
        Rule::reserve_clause => keyword("`reserve stock in holds`", &["reserve"]),
        Rule::kw_cache => keyword("`cache`", &["cache"]),
        Rule::cache_clause => keyword("`cache 30s max 10000`", &["cache"]),
        Rule::kw_input => keyword("`input`", &["input"]),
        Rule::kw_step => keyword("`step`", &["step"]),
        Rule::kw_returns => keyword("`returns`", &["returns"]),
        Rule::kw_timeout => keyword("`timeout`", &["timeout"]),
        Rule::kw_retries => keyword("`retries`", &["retries"]),
        Rule::kw_lease => keyword("`lease`", &["lease"]),
        Rule::kw_on => keyword("`on` and the model, as in `query name on Model`", &["on"]),
        Rule::kw_replication => keyword("`replication`", &["replication"]),
        Rule::kw_simple => keyword("`simple`", &["simple"]),
        Rule::kw_network_topology => keyword("`network_topology`", &["network_topology"]),
        Rule::kw_durable_writes => keyword("`durable_writes`", &["durable_writes"]),
        Rule::kw_tenancy => keyword("`tenancy`", &["tenancy"]),
        Rule::kw_per_keyspace => keyword("`per_keyspace`", &["per_keyspace"]),
        Rule::tenancy_clause => keyword("`tenancy per_keyspace`", &["tenancy"]),
        Rule::kw_key => keyword("`key`", &["key"]),
        Rule::kw_index => keyword("`index`", &["index"]),
        Rule::kw_has_many => keyword("`has_many`", &["has_many"]),
        Rule::kw_has_one => keyword("`has_one`", &["has_one"]),
        Rule::kw_belongs_to => keyword("`belongs_to`", &["belongs_to"]),
        Rule::kw_table => keyword("`table`", &["table"]),
        Rule::kw_ttl => keyword("`ttl`", &["ttl"]),
        Rule::kw_compaction => keyword("`compaction`", &["compaction"]),
        Rule::kw_changes => keyword("`changes`", &["changes"]),
        Rule::kw_retain => keyword("`retain`", &["retain"]),
        Rule::kw_options => keyword("`options`", &["options"]),
        Rule::options_clause => named("`options { name: value }`"),
        Rule::option_map => named("`{` and options like `gc_grace_seconds: 1d`"),
        Rule::option_entry => named("an option like `gc_grace_seconds: 1d`"),
        Rule::option_colon => named("`:` between the option's name and its value"),
        Rule::option_value => {
            named("a value: a string, number, duration, `true`/`false` or `{ … }`")
        }
        Rule::kw_size_tiered => keyword("`size_tiered`", &["size_tiered"]),
        Rule::kw_leveled => keyword("`leveled`", &["leveled"]),
        Rule::kw_unified => keyword("`unified`", &["unified"]),
        Rule::kw_time_window => keyword("`time_window`", &["time_window"]),
        Rule::kw_vector_index => keyword("`vector_index`", &["vector_index"]),
        Rule::kw_similarity => keyword("`similarity`", &["similarity"]),
        Rule::kw_cosine => keyword("`cosine`", &["cosine"]),
        Rule::kw_dot_product => keyword("`dot_product`", &["dot_product"]),
        Rule::kw_euclidean => keyword("`euclidean`", &["euclidean"]),
        Rule::kw_asc => keyword("`asc`", &["asc"]),
        Rule::kw_desc => keyword("`desc`", &["desc"]),
        Rule::kw_list => keyword("`list`", &["list"]),
        Rule::kw_set => keyword("`set`", &["set"]),
        Rule::kw_map => keyword("`map`", &["map"]),
        Rule::kw_tuple => keyword("`tuple`", &["tuple"]),
        Rule::kw_frozen => keyword("`frozen`", &["frozen"]),
        Rule::kw_vector => keyword("`vector`", &["vector"]),
        Rule::kw_uuid => keyword("`uuid`", &["uuid"]),
        Rule::kw_timeuuid => keyword("`timeuuid`", &["timeuuid"]),
        Rule::kw_now => keyword("`now`", &["now"]),
        Rule::kw_true => keyword("`true`", &["true"]),
        Rule::kw_false => keyword("`false`", &["false"]),
        Rule::kw_email => keyword("`email`", &["email"]),
        Rule::kw_url => keyword("`url`", &["url"]),
        Rule::kw_length => keyword("`length`", &["length"]),
        Rule::kw_range => keyword("`range`", &["range"]),
        Rule::kw_regex => keyword("`regex`", &["regex"]),
        Rule::kw_not_empty => keyword("`not_empty`", &["not_empty"]),
        Rule::kw_one_of => keyword("`one_of`", &["one_of"]),
        Rule::kw_where => keyword("`where`", &["where"]),
        Rule::kw_and => keyword("`and`", &["and"]),
        Rule::kw_order => keyword("`order`", &["order"]),
        Rule::kw_limit => keyword("`limit`", &["limit"]),
        Rule::kw_nearest => keyword("`nearest`", &["nearest"]),
        Rule::kw_to => keyword("`to`", &["to"]),
        Rule::kw_per => keyword("`per`", &["per"]),
        Rule::kw_partition => keyword("`partition`", &["partition"]),
        Rule::kw_allow => keyword("`allow`", &["allow"]),
        Rule::kw_filtering => keyword("`filtering`", &["filtering"]),
        Rule::kw_in => keyword("`in`", &["in"]),
        Rule::kw_contains => keyword("`contains`", &["contains"]),
        Rule::kw_group => keyword("`group`", &["group"]),
        Rule::kw_by => keyword("`by`", &["by"]),
        Rule::kw_select => keyword("`select`", &["select"]),
        Rule::kw_having => keyword("`having`", &["having"]),
        Rule::kw_as => keyword("`as` and an alias, as in `count(*) as total`", &["as"]),
        Rule::kw_count => keyword("`count`", &["count"]),
        Rule::kw_sum => keyword("`sum`", &["sum"]),
        Rule::kw_avg => keyword("`avg`", &["avg"]),
        Rule::kw_min => keyword("`min`", &["min"]),
        Rule::kw_max => keyword("`max`", &["max"]),
        Rule::kw_series => keyword("`series`", &["series"]),
        Rule::kw_bucket => keyword("`bucket`", &["bucket"]),
        Rule::kw_rate => keyword("`rate`", &["rate"]),
        Rule::kw_snapshot => keyword("`snapshot`", &["snapshot"]),
        Rule::kw_every => keyword("`every`, as in `snapshot every 100`", &["every"]),
        Rule::kw_cql => keyword("`cql`", &["cql"]),
        Rule::attr_default => keyword("`@default(…)`", &["@default"]),
        Rule::attr_on_update => keyword("`@on_update(now)`", &["@on_update"]),
        Rule::attr_unique => keyword("`@unique`", &["@unique"]),
        Rule::attr_validate => keyword("`@validate(…)`", &["@validate"]),
        Rule::attr_static => keyword("`@static`", &["@static"]),
        Rule::attr_cql => keyword("`@cql(\"name\")`", &["@cql"]),
        Rule::attr_name | Rule::attribute | Rule::unknown_attr => {
            keyword("an attribute like `@unique`", ATTRIBUTES)
        }
        Rule::string
        | Rule::triple_string
        | Rule::line_string
        | Rule::unterminated_triple
        | Rule::unterminated_string => named("a string"),
        Rule::triple_content | Rule::line_content => named("the text of a string"),
        Rule::duration => named(
            "a duration like `30d` (a whole number and one of the units `ms`, `s`, `m`, `h`, `d`, `w`)",
        ),
        Rule::number => named("a number"),
        Rule::int => named("an integer"),
        Rule::uint => named("a whole number"),
        Rule::boolean => keyword("`true` or `false`", &["true", "false"]),
        Rule::enum_value => named("an enum value like `Status.active`"),
        Rule::param => named("a parameter like `?name`"),
        Rule::param_name => named("a parameter name after `?`, as in `?author`"),
        Rule::literal => named("a literal (a string, number, duration, `true` or `false`)"),
        Rule::schema | Rule::item | Rule::item_probe => keyword(
            "an item (`model`, `type`, `enum`, `query`, `aggregate`, `timeseries`, `events`, `saga`, `keyspace` or `migration`)",
            ITEM_KEYWORDS,
        ),
        Rule::keyspace_decl => keyword("a keyspace", &["keyspace"]),
        Rule::keyspace_body => named("`{`"),
        Rule::keyspace_member => keyword(
            "`replication …` or `durable_writes …`",
            &["replication", "durable_writes", "tenancy"],
        ),
        Rule::replication_clause => keyword("`replication simple(N)`", &["replication"]),
        Rule::replication_strategy => keyword(
            "a replication strategy: `simple(N)` or `network_topology(dc: N, …)`",
            &["simple", "network_topology"],
        ),
        Rule::simple_strategy => keyword("`simple(N)`", &["simple"]),
        Rule::network_topology_strategy => {
            keyword("`network_topology(dc: N, …)`", &["network_topology"])
        }
        Rule::dc_factor => named("a data centre and its replication factor, like `dc1: 3`"),
        Rule::dc_name => named("a data centre name"),
        Rule::durable_writes_clause => keyword("`durable_writes true|false`", &["durable_writes"]),
        Rule::type_decl => keyword("a type", &["type"]),
        Rule::field_list | Rule::enum_body | Rule::model_body => named("`{`"),
        Rule::enum_decl => keyword("an enum", &["enum"]),
        Rule::variant => named("an enum variant like `pending`"),
        Rule::field => named("a field like `name: text`"),
        Rule::type_expr | Rule::named_type | Rule::unknown_generic => {
            named("a type like `text`, `list<int>` or `Address`")
        }
        Rule::list_type => keyword("`list<T>`", &["list"]),
        Rule::set_type => keyword("`set<T>`", &["set"]),
        Rule::map_type => keyword("`map<K, V>`", &["map"]),
        Rule::tuple_type => keyword("`tuple<A, B, …>`", &["tuple"]),
        Rule::frozen_type => keyword("`frozen<T>`", &["frozen"]),
        Rule::vector_type => keyword("`vector<float, N>`", &["vector"]),
        Rule::generic_arg => named("a type or a number"),
        Rule::default_attr => keyword("`@default(…)`", &["@default"]),
        Rule::default_value => keyword(
            "a default value: `uuid`, `timeuuid`, `now`, a literal or `Enum.variant`",
            &["uuid", "timeuuid", "now"],
        ),
        Rule::on_update_attr => keyword("`@on_update(now)`", &["@on_update"]),
        Rule::unique_attr => keyword("`@unique`", &["@unique"]),
        Rule::embed_attr => keyword("`@embed(field, …)`", &["@embed"]),
        Rule::static_attr => keyword("`@static`", &["@static"]),
        Rule::tenant_attr => keyword("`@tenant`", &["@tenant"]),
        Rule::attr_tenant => keyword("`@tenant`", &["@tenant"]),
        Rule::cql_attr => keyword("`@cql(\"name\")`", &["@cql"]),
        Rule::validate_attr => keyword("`@validate(…)`", &["@validate"]),
        Rule::validate_rule | Rule::unknown_rule => keyword(
            "a validation rule like `email`, `length(1, 100)` or `range(0, 150)`",
            VALIDATE_RULES,
        ),
        Rule::length_rule => keyword("`length(min, max)`", &["length"]),
        Rule::range_rule => keyword("`range(min, max)`", &["range"]),
        Rule::regex_rule => keyword("`regex(\"…\")`", &["regex"]),
        Rule::one_of_rule => keyword("`one_of(\"a\", \"b\", …)`", &["one_of"]),
        Rule::email_rule => keyword("`email`", &["email"]),
        Rule::url_rule => keyword("`url`", &["url"]),
        Rule::not_empty_rule => keyword("`not_empty`", &["not_empty"]),
        Rule::loose_args => named("`(`"),
        Rule::loose_arg => named("an argument"),
        Rule::model_decl => keyword("a model", &["model"]),
        Rule::model_member => keyword(
            "a field like `name: text` or a model clause (`key`, `index`, `has_many`, `has_one`, `belongs_to`, `table`, `ttl`, `compaction`, `vector_index`)",
            MODEL_CLAUSES,
        ),
        Rule::model_clause => keyword("a model clause", MODEL_CLAUSES),
        Rule::key_clause => keyword("`key (…)`", &["key"]),
        Rule::partition_key => {
            named("a partition key: a column, or columns in parentheses like `(a, b)`")
        }
        Rule::composite_partition => named("a partition key in parentheses, like `(a, b)`"),
        Rule::key_column => named("a key column"),
        Rule::sort_order => keyword("`asc` or `desc`", &["asc", "desc"]),
        Rule::index_clause => keyword("`index (column)`", &["index"]),
        Rule::relation_clause => keyword(
            "a relation like `has_many posts: Post(author_id)`",
            &["has_many", "has_one", "belongs_to"],
        ),
        Rule::relation_kind => keyword(
            "`has_many`, `has_one` or `belongs_to`",
            &["has_many", "has_one", "belongs_to"],
        ),
        Rule::table_clause => keyword("`table name`", &["table"]),
        Rule::ttl_clause => keyword("`ttl <duration>`", &["ttl"]),
        Rule::changes_clause => keyword("`changes retain <duration>`", &["changes"]),
        Rule::compaction_clause => keyword("`compaction <strategy>`", &["compaction"]),
        Rule::compaction_strategy => keyword(
            "a compaction strategy: `size_tiered`, `leveled`, `unified` or `time_window(1d)`",
            COMPACTIONS,
        ),
        Rule::time_window_strategy => keyword("`time_window(<duration>)`", &["time_window"]),
        Rule::vector_index_clause => keyword("`vector_index column`", &["vector_index"]),
        Rule::similarity_fn => keyword("`cosine`, `dot_product` or `euclidean`", SIMILARITIES),
        Rule::query_decl => keyword("a query", &["query"]),
        Rule::query_body
        | Rule::aggregate_body
        | Rule::mutation_body
        | Rule::timeseries_body
        | Rule::events_body
        | Rule::saga_body => named("`{`"),
        Rule::query_member => keyword(
            "a query clause (`select`, `where`, `order`, `per partition limit`, `limit` or `allow filtering`)",
            QUERY_CLAUSES,
        ),
        Rule::where_clause => keyword("`where …`", &["where"]),
        Rule::condition => named("a condition like `column = ?param`"),
        Rule::operator => keyword(
            "an operator (`=`, `<`, `<=`, `>`, `>=`, `in`, `contains` or `contains key`)",
            &["in", "contains"],
        ),
        Rule::op_le => named("`<=`"),
        Rule::op_ge => named("`>=`"),
        Rule::op_lt => named("`<`"),
        Rule::op_gt => named("`>`"),
        Rule::op_eq => named("`=`"),
        Rule::op_contains_key => keyword("`contains key`", &["contains"]),
        Rule::op_contains => keyword("`contains`", &["contains"]),
        Rule::op_in => keyword("`in`", &["in"]),
        Rule::operand => named("a parameter like `?name` or a literal"),
        Rule::order_clause => keyword("`order …`", &["order"]),
        Rule::nearest_clause => keyword("`nearest field to ?vector`", &["nearest"]),
        Rule::order_item => named("a column to order by"),
        Rule::limit_clause => keyword("`limit N` or `limit ?n`", &["limit"]),
        Rule::per_partition_limit => keyword(
            "`per partition limit N` or `per partition limit ?n`",
            &["per"],
        ),
        Rule::allow_filtering => keyword("`allow filtering`", &["allow"]),
        Rule::aggregate_decl => keyword("an aggregate", &["aggregate"]),
        Rule::mutation_decl => keyword("a mutation", &["mutation"]),
        Rule::view_decl => keyword("a view", &["view"]),
        Rule::view_body => named("`{`"),
        Rule::view_member => keyword("a view clause (`key` or `table`)", &["key", "table"]),
        Rule::kw_view => keyword("`view`", &["view"]),
        Rule::kw_of => keyword("`of` and the model, as in `view Name of Model`", &["of"]),
        Rule::query_select => keyword("`select column, …`", &["select"]),
        Rule::query_select_item => {
            named("a column, `writetime(column) as name` or `ttl(column) as name`")
        }
        Rule::cell_fn => keyword("`writetime` or `ttl`", &["writetime", "ttl"]),
        Rule::kw_distinct => keyword("`distinct`", &["distinct"]),
        Rule::kw_writetime => keyword("`writetime`", &["writetime"]),
        Rule::mutation_member => keyword(
            "a mutation clause (`set`, `delete`, `where` or `if`)",
            MUTATION_CLAUSES,
        ),
        Rule::set_clause => keyword("`set column = ?value, …`", &["set"]),
        Rule::assignment => named("an assignment like `column = ?value` or `tags += ?more`"),
        Rule::entry_key => named("`[?key]`"),
        Rule::assign_op => named("`=`, `+=` or `-=`"),
        Rule::op_add_assign => named("`+=`"),
        Rule::op_remove_assign => named("`-=`"),
        Rule::op_assign => named("`=`"),
        Rule::delete_clause => keyword("`delete` and the columns, if any", &["delete"]),
        Rule::delete_target => named("a column to delete, or `m[?key]`"),
        Rule::if_clause => keyword("`if exists` or `if column = ?value`", &["if"]),
        Rule::if_exists => keyword("`exists`", &["exists"]),
        Rule::kw_mutation => keyword("`mutation`", &["mutation"]),
        Rule::kw_delete => keyword("`delete`", &["delete"]),
        Rule::kw_if => keyword("`if`", &["if"]),
        Rule::kw_exists => keyword("`exists`", &["exists"]),
        Rule::lbracket => named("`[`"),
        Rule::rbracket => named("`]`"),
        Rule::aggregate_member => keyword(
            "an aggregate clause (`where`, `group by`, `select`, `having`, `order`, `limit`)",
            AGGREGATE_CLAUSES,
        ),
        Rule::group_by_clause => keyword("`group by …`", &["group"]),
        Rule::select_clause => keyword("`select …`", &["select"]),
        Rule::select_item => keyword("a select item like `count(*) as total`", AGGREGATE_FNS),
        Rule::aggregate_call => keyword(
            "an aggregate like `count(*)` or `sum(column)`",
            AGGREGATE_FNS,
        ),
        Rule::count_star => keyword("`count(*)`", &["count"]),
        Rule::aggregate_fn => keyword("`count`, `sum`, `avg`, `min` or `max`", AGGREGATE_FNS),
        Rule::having_clause => keyword("`having …`", &["having"]),
        Rule::timeseries_decl => keyword("a time series", &["timeseries"]),
        Rule::timeseries_member => keyword(
            "a field like `value: double`, `series …`, `bucket …` or `ttl …`",
            TIMESERIES_CLAUSES,
        ),
        Rule::series_clause => keyword("`series name: type, …`", &["series"]),
        Rule::bucket_clause => keyword("`bucket <duration>`", &["bucket"]),
        Rule::rate_clause => keyword("`rate <points> per <duration>`", &["rate"]),
        Rule::events_decl => keyword("an event store", &["events"]),
        Rule::events_member => keyword(
            "a field like `id: uuid`, `snapshot every N`, `partition every K` or `event Name { … }`",
            EVENTS_CLAUSES,
        ),
        Rule::snapshot_clause => keyword("`snapshot every N`", &["snapshot"]),
        Rule::partition_clause => keyword("`partition every K`", &["partition"]),
        Rule::event_decl => keyword("an event like `event Opened { … }`", &["event"]),
        Rule::saga_decl => keyword("a saga", &["saga"]),
        Rule::saga_member => keyword(
            "`input { … }`, `step name …` or `lease <duration>`",
            SAGA_CLAUSES,
        ),
        Rule::saga_input => keyword("`input { fields }`", &["input"]),
        Rule::saga_step => keyword("a step like `step charge_card`", &["step"]),
        Rule::step_returns => keyword("`returns { fields }`", &["returns"]),
        Rule::step_option => keyword(
            "`returns { … }`, `timeout <duration>` or `retries N`",
            STEP_OPTIONS,
        ),
        Rule::step_timeout => keyword("`timeout <duration>`", &["timeout"]),
        Rule::step_retries => keyword("`retries N`", &["retries"]),
        Rule::lease_clause => keyword("`lease <duration>`", &["lease"]),
        Rule::migration_decl => keyword("a migration", &["migration"]),
        Rule::migration_body => named("`{`"),
        Rule::migration_step => keyword(
            "a CQL statement starting with `create`, `alter` or `drop`, or a `cql \"\"\"…\"\"\"` step",
            DDL_VERBS,
        ),
        Rule::cql_step => keyword("`cql \"\"\"…\"\"\"`", &["cql"]),
        Rule::ddl_statement | Rule::ddl_verb => keyword(
            "a CQL statement starting with `create`, `alter` or `drop`",
            DDL_VERBS,
        ),
        Rule::ddl_text => named("CQL text"),
        Rule::ddl_end => named("`;` to end the CQL statement"),
    }
}

/// Where a syntax error happened: the file, and where the parsed text starts
/// in it (chunks of a file are parsed on their own).
pub(super) struct ErrorContext<'a> {
    pub file: &'a SourceFile,
    pub offset: usize,
    pub item_starts: &'a [usize],
}

/// Turns a pest error into a diagnostic.
pub(super) fn syntax_error(error: &Error<Rule>, context: &ErrorContext<'_>) -> Diagnostic {
    let file = context.file;
    let text = file.text();
    let local = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let pos = file.clamp(context.offset + local);
    let (positives, negatives) = match &error.variant {
        ErrorVariant::ParsingError {
            positives,
            negatives,
        } => (positives.clone(), negatives.clone()),
        ErrorVariant::CustomError { message } => {
            return Diagnostic::error(
                Code::TooDeep,
                format!("the parser gave up: {message}"),
                file.span(pos, recovery::token_end(text, pos)),
                "nested too deeply here",
            )
            .with_help("split the construct; deeply nested input is not supported");
        }
    };
    let found_end = recovery::token_end(text, pos);
    let found_span = file.span(pos, found_end);
    let found = describe_found(text, pos, found_end);

    if let Some(diagnostic) = unterminated(file, pos, &positives) {
        return diagnostic;
    }

    if enclosing_item(text, pos, context.item_starts) != Some("migration")
        && let Some((start, end)) = recovery::unterminated_string_before(text, context.offset, pos)
    {
        return Diagnostic::error(
            Code::Unterminated,
            "unterminated string: `\"` is never closed on its line",
            file.span(start, end),
            "this string has no closing `\"`",
        )
        .with_help(
            "close it with `\"` on the same line (write `\\\"` for a quote inside); \
                 use `\"\"\"…\"\"\"` for text over several lines",
        );
    }

    // Optional continuations (`?` after a type, more attributes, …) only add
    // noise next to what was required.
    let mut positives = positives;
    if positives.iter().any(|r| !is_optional_continuation(*r)) {
        positives.retain(|r| !is_optional_continuation(*r));
    }

    let mut names: Vec<&'static str> = Vec::new();
    let mut keywords: Vec<&'static str> = Vec::new();
    for rule in &positives {
        let expected = expected(*rule);
        if !names.contains(&expected.name) {
            names.push(expected.name);
        }
        keywords.extend_from_slice(expected.keywords);
    }

    if positives == [Rule::field_colon] {
        return missing_colon(context, pos, found_span, &found);
    }
    if positives == [Rule::no_args] {
        let shown = match recovery::word_before(text, pos) {
            Some((start, end)) => {
                let at = if start > 0 && text.as_bytes().get(start - 1) == Some(&b'@') {
                    start - 1
                } else {
                    start
                };
                text.get(at..end).unwrap_or("this")
            }
            None => "this",
        };
        return Diagnostic::error(
            Code::Syntax,
            format!("`{shown}` takes no arguments"),
            found_span,
            "unexpected arguments",
        )
        .with_help(format!("write `{shown}` without parentheses"));
    }

    let message = if names.is_empty() {
        let unexpected: Vec<&str> = negatives.iter().map(|r| expected(*r).name).collect();
        if unexpected.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("unexpected {}", join_or(&unexpected))
        }
    } else {
        format!("expected {}, found {found}", join_or(&names))
    };

    // "expected `;`" reads best right after the statement, not on the next line.
    let (primary, label) = if positives == [Rule::ddl_end] {
        let end = recovery::previous_token_end(text, pos);
        (file.span(end, end), "expected `;` here".to_owned())
    } else {
        let label = match names.as_slice() {
            [only] => short(only).map_or_else(
                || format!("unexpected {found}"),
                |s| format!("expected {s}"),
            ),
            _ => format!("unexpected {found}"),
        };
        (found_span, label)
    };
    let mut diagnostic = Diagnostic::error(Code::Syntax, message, primary, label);

    let word = text.get(pos..found_end).unwrap_or("");
    let word = if word.starts_with('@') {
        text.get(pos..recovery::token_end(text, pos + 1))
            .unwrap_or(word)
    } else {
        word
    };
    if let Some(best) = suggest::closest(word, keywords.iter().copied()) {
        diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
    } else if text.get(pos..).is_some_and(|rest| rest.starts_with("*/")) {
        diagnostic = diagnostic.with_help("block comments do not nest: this `*/` has no `/*`");
    } else if found == "`=`" && text.get(..pos).is_some_and(|before| before.ends_with('=')) {
        diagnostic = diagnostic.with_help("equality is a single `=`");
    } else if rest_of_line(text, pos).contains("*/") {
        diagnostic = diagnostic
            .with_help("block comments do not nest: a `/* … */` comment ends at the first `*/`");
    } else if positives == [Rule::ddl_end] {
        diagnostic = diagnostic.with_help("every CQL statement in a migration ends with `;`");
    } else if word == "view" && positives.contains(&Rule::EOI) {
        diagnostic = diagnostic.with_help(VIEW_HELP);
    } else if positives.contains(&Rule::assign_op)
        && text
            .get(pos..)
            .is_some_and(|rest| rest.starts_with('+') || rest.starts_with('-'))
    {
        diagnostic = diagnostic.with_help(
            "elements are added with `+=` and removed with `-=`, as in `set tags += ?more`",
        );
    } else if text.get(pos..).is_some_and(|rest| rest.starts_with('(')) && after_in(text, pos) {
        diagnostic = diagnostic.with_help(
            "a list is passed as a parameter: write `in ?ids` and give the values to the generated method (a `&[T]`)",
        );
    }
    diagnostic
}

/// Whether the word before `pos` (skipping spaces) is `in`, as in
/// `where id in (1, 2)`.
fn after_in(text: &str, pos: usize) -> bool {
    let before = text.get(..pos).unwrap_or("").trim_end();
    before.ends_with("in")
        && !before
            .get(..before.len() - 2)
            .and_then(|rest| rest.chars().next_back())
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Rules that are tried where something optional may follow; left out of
/// "expected …" when something required was expected too.
fn is_optional_continuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::optional_mark
            | Rule::langle
            | Rule::attribute
            | Rule::sort_order
            | Rule::kw_similarity
    )
}

fn rest_of_line(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    rest.split('\n').next().unwrap_or("")
}

/// `"… `x` …"` → `` `x` `` : the leading backticked token of a name.
fn short(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('`')?;
    let end = rest.find('`')?;
    name.get(..end + 2)
}

fn describe_found(text: &str, pos: usize, end: usize) -> String {
    if pos >= text.len() {
        return "end of file".to_owned();
    }
    match text.get(pos..end) {
        Some("\n" | "\r") => "end of line".to_owned(),
        Some(token)
            if text.get(pos..).is_some_and(|r| r.starts_with("\"\"\"")) && token == "\"" =>
        {
            "`\"\"\"`".to_owned()
        }
        Some(token) => {
            // A number glued to letters (`90x`) reads better whole.
            let token = if token.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                let mut e = end;
                while text
                    .as_bytes()
                    .get(e)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
                {
                    e += 1;
                }
                text.get(pos..e).unwrap_or(token)
            } else {
                token
            };
            format!("`{token}`")
        }
        None => "this".to_owned(),
    }
}

fn join_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Unclosed comments and CQL strings, recognised from the text at `pos`.
fn unterminated(file: &SourceFile, pos: usize, positives: &[Rule]) -> Option<Diagnostic> {
    let rest = file.text().get(pos..)?;
    if rest.starts_with("/*") && !rest.contains("*/") {
        return Some(
            Diagnostic::error(
                Code::Unterminated,
                "unterminated block comment",
                file.span(pos, pos + 2),
                "this comment is never closed",
            )
            .with_help("close it with `*/` (block comments do not nest)"),
        );
    }
    if !positives.contains(&Rule::ddl_end) {
        return None;
    }
    let (what, width) = if rest.starts_with("$$") {
        ("`$$` string", 2)
    } else if rest.starts_with('\'') {
        ("CQL string `'`", 1)
    } else if rest.starts_with('"') {
        ("quoted identifier `\"`", 1)
    } else if rest.starts_with('{') {
        ("`{`", 1)
    } else if rest.starts_with("/*") {
        ("comment `/*`", 2)
    } else {
        return None;
    };
    Some(
        Diagnostic::error(
            Code::Unterminated,
            format!("unterminated {what} in a CQL statement"),
            file.span(pos, pos + width),
            "opened here and never closed",
        )
        .with_help("close it before the `;` that ends the statement"),
    )
}

/// `name type` where `name: type` was meant, or an unknown clause.
fn missing_colon(
    context: &ErrorContext<'_>,
    pos: usize,
    found_span: Span,
    found: &str,
) -> Diagnostic {
    let file = context.file;
    let text = file.text();
    let word_span = recovery::word_before(text, pos);
    let word = word_span.and_then(|(s, e)| text.get(s..e)).unwrap_or("");
    let found_is_word = text
        .as_bytes()
        .get(pos)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    let block = enclosing_item(text, pos, context.item_starts);
    let clauses: &[&str] = match block {
        Some("model") => MODEL_CLAUSES,
        Some("timeseries") => TIMESERIES_CLAUSES,
        Some("events") => EVENTS_CLAUSES,
        Some("saga") => SAGA_CLAUSES,
        _ => &[],
    };
    let suggestion = suggest::closest(word, clauses.iter().copied());
    if !found_is_word
        && !clauses.is_empty()
        && let (Some(block), Some((start, end))) = (block, word_span)
    {
        let mut diagnostic = Diagnostic::error(
            Code::Syntax,
            format!("unknown clause `{word}` in a {block}"),
            file.span(start, end),
            "not a clause",
        );
        diagnostic = match suggestion {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
            None => diagnostic.with_help(format!(
                "the clauses of a {block} are {}; a field is written `{word}: type`",
                clauses
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        return diagnostic;
    }
    let mut diagnostic = Diagnostic::error(
        Code::Syntax,
        format!("expected `:` between the field name and its type, found {found}"),
        found_span,
        "expected `:` before this",
    );
    if word == "view" && text.get(found_span.range()) == Some("of") {
        return diagnostic.with_help(VIEW_HELP);
    }
    diagnostic = match suggestion {
        Some(best) => diagnostic.with_help(format!(
            "a field is written `{word}: type`; or did you mean the clause `{best}`?"
        )),
        None if found_is_word => diagnostic.with_help(format!(
            "a field is written `{word}: {}`",
            text.get(found_span.range()).unwrap_or("type")
        )),
        None => diagnostic.with_help(format!("a field is written `{word}: type`")),
    };
    diagnostic
}

/// The keyword of the item that `pos` is in, by the nearest item start.
fn enclosing_item<'t>(text: &'t str, pos: usize, item_starts: &[usize]) -> Option<&'t str> {
    let start = item_starts.iter().rev().find(|s| **s <= pos)?;
    let at = recovery::skip_trivia(text, *start);
    text.get(at..recovery::token_end(text, at))
}
