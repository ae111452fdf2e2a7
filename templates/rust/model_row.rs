{% for line in item.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ item.ident }} {
{% for field in item.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl {{ item.ident }} {
{% for line in item.new_doc %}
///{{ line }}
{% endfor %}
{% if item.new_has_many_args %}
    #[allow(clippy::too_many_arguments)]
{% endif %}
    #[must_use]
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
}
{% if item.new_is_nullary %}

impl Default for {{ item.ident }} {
    fn default() -> Self {
        Self::new()
    }
}
{% endif %}

/// Binds every column, in declaration order, to an insert of all columns.
{% call rows::serialize_row(item.ident, item.fields) %}{% endcall %}

/// Reads every column, in declaration order.
{% call rows::deserialize_row(item.ident, item.fields) %}{% endcall %}
{% for key in item.keys() %}

{% for line in key.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ key.ident }} {
{% for field in key.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl {{ item.ident }} {
{% for line in key.method_doc %}
///{{ line }}
{% endfor %}
    #[must_use]
    pub fn {{ key.method }}(&self) -> {{ key.ident }} {
        {{ key.ident }} {
{% for field in key.fields %}
            {{ field.ident }}: Clone::clone(&self.{{ field.ident }}),
{% endfor %}
        }
    }
}

/// Binds the key columns, in key order, to a `WHERE` clause on them.
{% call rows::serialize_row(key.ident, key.fields) %}{% endcall %}
{% endfor %}
{% if let Some(patch) = item.patch %}

{% for line in patch.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, Default, PartialEq)]
pub struct {{ patch.ident }} {
{% for field in patch.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: Option<{{ field.ty }}>,
{% endfor %}
}
{% if !patch.fields.is_empty() %}

impl {{ patch.ident }} {
{% for field in patch.fields %}
    /// Sets the column {{ field.cql_name }} to `value`.
    #[must_use]
    pub fn {{ field.ident }}(mut self, value: {{ field.ty }}) -> Self {
        self.{{ field.ident }} = Some(value);
        self
    }
{% endfor %}
}
{% endif %}
{% if let Some(validate) = item.validate %}
{% if validate.patch_validates() %}

impl {{ patch.ident }} {
    /// Checks the `@validate` rules of the fields that are set; every
    /// violation is reported at once. Every generated update runs it first.
    ///
    /// # Errors
    /// A [`corm::validate::ValidationError`] listing the violations.
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
            {% call checks::check(check, field.name) %}{% endcall %}
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
{% if let Some(validate) = item.validate %}

impl {{ item.ident }} {
    /// Checks the `@validate` rules of every field; every violation is
    /// reported at once. Every generated write runs it first.
    ///
    /// # Errors
    /// A [`corm::validate::ValidationError`] listing the violations.
    pub fn validate(&self) -> Result<(), corm::validate::ValidationError> {
        let mut violations = corm::validate::Violations::new({{ validate.model }});
{% for field in validate.fields %}
{% if field.optional %}
        if let Some(value) = &self.{{ field.ident }} {
{% else %}
        {
            let value = &self.{{ field.ident }};
{% endif %}
{% for check in field.checks %}
            {% call checks::check(check, field.name) %}{% endcall %}
{% endfor %}
        }
{% endfor %}
        violations.finish()
    }
}
{% endif %}
