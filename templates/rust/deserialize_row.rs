{#- A row type's `DeserializeRow`: its columns checked by name and type, then
    read in order (`fields`: `ident`, `ty`, `cql_name` as a string literal,
    `optional`). Shared by a model's row and a query's partial row. -#}
{% macro deserialize_row(ident, fields) %}
impl<'f, 'm> DeserializeRow<'f, 'm> for {{ ident }} {
    fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        rt::check_count::<Self>(specs, {{ fields.len() }})?;
{% for field in fields.iter() %}
        rt::check_col::<Self, {{ field.ty }}>(specs, {{ loop.index0 }}, {{ field.cql_name }})?;
{% endfor %}
        Ok(())
    }

    fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        Ok(Self {
{% for field in fields.iter() %}
{% if field.optional %}
            {{ field.ident }}: rt::next_opt_col::<Self, _>(&mut row)?,
{% else %}
            {{ field.ident }}: rt::next_col::<Self, _>(&mut row)?,
{% endif %}
{% endfor %}
        })
    }
}
{% endmacro %}
