{#- The codecs of generated row types. `serialize_row`: a row's
    `SerializeRow`, its fields bound in order to a statement's markers.
    `deserialize_row`: its `DeserializeRow`, the columns checked by name and
    type, then read in order (`fields`: `ident`, `ty`, `cql_name` as a
    string literal, `optional`). Shared by models' rows, queries' partial
    rows and time series' points and series. -#}
{% macro serialize_row(ident, fields) %}
impl SerializeRow for {{ ident }} {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        let markers = rt::markers::<Self, {{ fields.len() }}>(ctx)?;
{% for field in fields.iter() %}
        rt::bind::<Self>(writer, &markers[{{ loop.index0 }}], &self.{{ field.ident }})?;
{% endfor %}
        Ok(())
    }

    fn is_empty(&self) -> bool {
        false
    }
}
{% endmacro %}

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
