{#- The codecs of generated row types. `serialize_row`: a row's
    `SerializeRow`, its fields bound in order to a statement's markers (a
    tuple of references, nested by 16: `corm::rt::BindRow`).
    `deserialize_row`: its `DeserializeRow`, the columns checked by name
    (against `columns`, a constant expression of the column list as the
    statement selects it, split at compile time by `rt::column_names`) and
    by type, then read in order, 16 at a time (`corm::rt::ReadRow`;
    `fields`: `ident`, `ty`): one call per 16 columns, not one per column,
    which costs `cargo check` time. Shared by models' rows,
    queries' partial rows and time series' points and series. -#}
{% macro serialize_row(ident, fields) %}
impl SerializeRow for {{ ident }} {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
{% if fields.len() <= 3 %}
        rt::bind_row::<Self>(ctx, writer, ({% for field in fields.iter() %}&self.{{ field.ident }},{% endfor %}))
{% else %}
{% if fields.len() <= 16 %}
        let fields = ({% for field in fields.iter() %}&self.{{ field.ident }},{% endfor %});
{% else %}
        let fields = ({% for chunk in fields.chunks(16) %}({% for field in chunk.iter() %}&self.{{ field.ident }},{% endfor %}),{% endfor %});
{% endif %}
        rt::bind_row::<Self>(ctx, writer, fields)
{% endif %}
    }

    fn is_empty(&self) -> bool {
        false
    }
}
{% endmacro %}

{% macro deserialize_row(ident, fields, columns) %}
impl<'f, 'm> DeserializeRow<'f, 'm> for {{ ident }} {
    fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        const NAMES: [&str; {{ fields.len() }}] = rt::column_names({{ columns }});
        rt::check_count::<Self>(specs, {{ fields.len() }})?;
{% for chunk in fields.chunks(16) %}
        rt::check_row::<Self, ({% for field in chunk.iter() %}{{ field.ty }},{% endfor %})>(specs, {{ loop.index0 * 16 }}, &NAMES{% if !loop.first %}[{{ loop.index0 * 16 }}..]{% endif %}){% if !loop.last %}?;{% endif %}

{% endfor %}
{% if fields.is_empty() %}
        Ok(())
{% endif %}
    }

    fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
{% for chunk in fields.chunks(16) %}
        let ({% for field in chunk.iter() %}{{ field.ident }},{% endfor %}) = rt::read_row::<Self, _>(&mut row)?;
{% endfor %}
        Ok(Self { {% for field in fields.iter() %}{{ field.ident }},{% endfor %} })
    }
}
{% endmacro %}
