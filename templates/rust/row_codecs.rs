{#- The codecs of generated row types. `serialize_row`: a row's
    `SerializeRow`, its fields bound in order to a statement's markers (a
    tuple of references, nested by 16: `corm::rt::BindRow`).
    `deserialize_row`: its `DeserializeRow`, the columns checked by name and
    type, then read in order, 16 at a time (`corm::rt::ReadRow`; `fields`:
    `ident`, `ty`, `cql_name` as a string literal). Shared by models' rows, queries' partial
    rows and time series' points and series. -#}
{% macro serialize_row(ident, fields) %}
impl SerializeRow for {{ ident }} {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
{% if fields.len() <= 16 %}
        rt::bind_row::<Self>(ctx, writer, ({% for field in fields.iter() %}&self.{{ field.ident }},{% endfor %}))
{% else %}
        rt::bind_row::<Self>(ctx, writer, ({% for chunk in fields.chunks(16) %}({% for field in chunk.iter() %}&self.{{ field.ident }},{% endfor %}),{% endfor %}))
{% endif %}
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
{% for chunk in fields.chunks(16) %}
        rt::check_row::<Self, ({% for field in chunk.iter() %}{{ field.ty }},{% endfor %})>(specs, {{ loop.index0 * 16 }}, &[{% for field in chunk.iter() %}{{ field.cql_name }},{% endfor %}])?;
{% endfor %}
        Ok(())
    }

    fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
{% for chunk in fields.chunks(16) %}
        let ({% for field in chunk.iter() %}{{ field.ident }},{% endfor %}) = rt::read_row::<Self, _>(&mut row)?;
{% endfor %}
        Ok(Self { {% for field in fields.iter() %}{{ field.ident }},{% endfor %} })
    }
}
{% endmacro %}
