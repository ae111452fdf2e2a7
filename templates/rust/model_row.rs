{% for line in item.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq, rt::SerializeRow, rt::DeserializeRow)]
#[corm(columns = {{ item.ident }}::TABLE.columns)]
pub struct {{ item.ident }} {
{% for field in item.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl {{ item.ident }} {
{% if let Some(note) = spec.cache_note %}
    /// {{ note }}
{% endif %}
    pub const TABLE: corm::TableSpec = corm::TableSpec {
        model: {{ repo.model_literal }},
        table: {{ spec.table }},
        columns: {{ spec.columns }},
        markers: {{ spec.markers }},
        key: {{ spec.key }},
        partition: {{ spec.partition }},
        clustering: &[{% for column in spec.clustering %}{{ column }},{% endfor %}],
        updatable: {{ spec.updatable }},
        statics: {{ spec.statics }},
        counters: &[{% for column in spec.counters %}{{ column }},{% endfor %}],
{% if let Some(changes) = spec.changes %}
        changes: Some(corm::changes::ChangeLogSpec { table: {{ changes.table }}, retain_seconds: {{ changes.retain_seconds }} }),
{% else %}
        changes: None,
{% endif %}
{% if let Some(cache) = spec.cache %}
        cache: Some(corm::cache::CacheSpec::new(std::time::Duration::from_millis({{ cache.ttl_millis }}), {{ cache.max_entries }})),
{% else %}
        cache: None,
{% endif %}
        queries: &[
{% for query in spec.queries %}
{% if let Some(cache) = query.cache %}
            corm::QuerySpec::new({{ query.name }}, {{ query.key }}).cached(corm::cache::CacheSpec::new(std::time::Duration::from_millis({{ cache.ttl_millis }}), {{ cache.max_entries }})),
{% else %}
            corm::QuerySpec::new({{ query.name }}, {{ query.key }}),
{% endif %}
{% endfor %}
        ],
    };

{% for line in item.new_doc %}
///{{ line }}
{% endfor %}
{% if item.new_has_many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn new({% for field in item.fields %}{% if field.is_param() %}{{ field.ident }}: {{ field.ty }},{% endif %}{% endfor %}) -> Self {
        Self {
{% for field in item.fields %}
{% match field.init %}
{% when Some with (init) %}
            {{ field.ident }}: {{ init }},
{% when None %}
            {{ field.ident }},
{% endmatch %}
{% endfor %}
        }
    }
{% for key in item.keys() %}

    pub fn {{ key.method }}(&self) -> {{ key.ident }} {
        {{ key.ident }} {
{% for field in key.fields %}
            {{ field.ident }}: Clone::clone(&self.{{ field.ident }}),
{% endfor %}
        }
    }
{% endfor %}
{% if let Some(validate) = item.validate %}

    /// The `@validate` rules of every field, every violation at once.
    pub fn validate(&self) -> Result<(), corm::validate::ValidationError> {
        let mut violations = corm::validate::Violations::new({{ validate.model }});
{% for field in validate.fields %}
{% if field.optional %}
        if let Some(value) = &self.{{ field.ident }} {
{% for check in field.checks %}
            {% call checks::check(check, field.name, "") %}{% endcall %}
{% endfor %}
        }
{% else %}
{% for check in field.checks %}
        {% call checks::check(check, field.name, field.ident) %}{% endcall %}
{% endfor %}
{% endif %}
{% endfor %}
        violations.finish()
    }
{% endif %}
}
{% if item.new_is_nullary %}

impl Default for {{ item.ident }} {
    fn default() -> Self {
        Self::new()
    }
}
{% endif %}

{% for key in item.keys() %}

{% for line in key.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq, rt::SerializeRow)]
pub struct {{ key.ident }} {
{% for field in key.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

{% endfor %}
{% if let Some(patch) = item.patch %}

{% for line in patch.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, Default, PartialEq, rt::Setters)]
#[must_use = "a patch writes nothing until it is passed to an update"]
pub struct {{ patch.ident }} {
{% for field in patch.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: Option<{{ field.ty }}>,
{% endfor %}
}
{% if let Some(validate) = item.validate %}
{% if validate.patch_validates() %}

impl {{ patch.ident }} {
    /// The `@validate` rules of the fields that are set, every violation at once.
    pub fn validate(&self) -> Result<(), corm::validate::ValidationError> {
        let mut violations = corm::validate::Violations::new({{ validate.model }});
{% for field in validate.fields %}
{% if field.in_patch %}
{% if field.optional %}
        if let Some(Some(value)) = &self.{{ field.ident }} {
{% else %}
        if let Some(value) = &self.{{ field.ident }} {
{% endif %}
{% for check in field.checks %}
            {% call checks::check(check, field.name, "") %}{% endcall %}
{% endfor %}
        }
{% endif %}
{% endfor %}
        violations.finish()
    }
}
{% endif %}
{% endif %}
{% endif %}
