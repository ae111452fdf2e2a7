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

{% call rows::serialize_row(item.ident, item.fields) %}{% endcall %}

{% call rows::deserialize_row(item.ident, item.fields, "{}::TABLE.columns"|format(item.ident)) %}{% endcall %}
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
    pub fn {{ key.method }}(&self) -> {{ key.ident }} {
        {{ key.ident }} {
{% for field in key.fields %}
            {{ field.ident }}: Clone::clone(&self.{{ field.ident }}),
{% endfor %}
        }
    }
}

{% call rows::serialize_row(key.ident, key.fields) %}{% endcall %}
{% endfor %}
{% if let Some(patch) = item.patch %}

{% for line in patch.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use = "a patch writes nothing until it is passed to an update"]
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
    pub fn {{ field.ident }}(self, value: {{ field.ty }}) -> Self {
{% if patch.fields.len() == 1 %}
        Self { {{ field.ident }}: Some(value) }
{% else %}
        Self { {{ field.ident }}: Some(value), ..self }
{% endif %}
    }
{% endfor %}
}
{% endif %}
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
{% if let Some(validate) = item.validate %}

impl {{ item.ident }} {
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
}
{% endif %}
