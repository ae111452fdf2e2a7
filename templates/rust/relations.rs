//! The schema's relations, as loader methods of the repository of the model
//! that declares each: `relation(&row)` for one row, `relation_of(&rows)`
//! for many.
//!
//! Every loader reads by the target's partition key, by its primary key or
//! through the index on the relation's field, never with `ALLOW FILTERING`.
//! A batched loader reads each distinct key once, with at most
//! [`CONCURRENT_REQUESTS`] requests running.
{% if file.chunked %}
//! Where the key is one partition key column, a request binds up to
//! [`IN_CHUNK`] keys to `IN`; otherwise it reads one key.
{% endif %}
//! Each row goes to the inputs whose key it holds, compared by value, so
//! the results follow the inputs' order whatever order the cluster answers
//! in.

use std::collections::BTreeMap;


use super::{ {% for name in file.uses %}{{ name }},{% endfor %} };
{% if file.chunked %}

/// The most keys a batched loader binds to one `IN` request.
pub const IN_CHUNK: usize = 100;
{% endif %}

/// The most requests a batched loader runs at once.
pub const CONCURRENT_REQUESTS: usize = 8;

/// The first statement cache key of the loaders in a repository's `extra`
/// cache (the keys below are the named queries').
const RELATION_STATEMENTS: u64 = 1 << 32;
{% for repo in file.repos %}

impl super::{{ repo.repo }}<'_> {
{% for loader in repo.loaders %}
{% for line in loader.one_doc %}
    ///{{ line }}
{% endfor %}
    pub async fn {{ loader.one }}(
        &self,
        {{ loader.input }}: &{{ loader.input_ty }},
    ) -> corm::Result<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}> {
{% if let Some(guard) = loader.input_key.guard %}
        let {{ guard.pattern }} = {{ guard.value }} else {
            return Ok({% if loader.many %}Vec::new(){% else %}None{% endif %});
        };
{% endif %}
        let statement = self.base.statements().extra().get({{ loader.one_key }}, || {
            let table = self.db.{{ loader.target_accessor }}().statements().table();
            [{{ loader.select }}, table, {{ loader.one_where }}].concat()
        });
        let prepared = statement.prepared(self.base.session()).await?;
{% if loader.many %}
        corm::paging::read_all(self.base.session(), prepared, self.base.options(), {{ loader.input_key.values }}).await
{% else %}
        self.base.session().execute_first(&self.base.options().apply(prepared), {{ loader.input_key.values }}).await
{% endif %}
    }

{% for line in loader.batch_doc %}
    ///{{ line }}
{% endfor %}
    pub async fn {{ loader.batch }}(
        &self,
        {{ loader.inputs }}: &[{{ loader.input_ty }}],
    ) -> corm::Result<Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}>> {
        let mut loaded: Vec<{% if loader.many %}Vec<{{ loader.row }}>{% else %}Option<{{ loader.row }}>{% endif %}> = vec![{% if loader.many %}Vec::new(){% else %}None{% endif %}; {{ loader.inputs }}.len()];
        let mut positions = BTreeMap::new();
        for (position, {{ loader.input }}) in {{ loader.inputs }}.iter().enumerate() {
{% if let Some(guard) = loader.input_key.guard %}
            let {{ guard.pattern }} = {{ guard.value }} else {
                continue;
            };
{% endif %}
            positions
                .entry({{ loader.input_key.key }})
                .or_insert_with(Vec::new)
                .push(position);
        }
        if positions.is_empty() {
            return Ok(loaded);
        }
        let statement = self.base.statements().extra().get({{ loader.batch_key }}, || {
            let table = self.db.{{ loader.target_accessor }}().statements().table();
            [{{ loader.select }}, table, {% if let Some(in_where) = loader.in_where %}{{ in_where }}{% else %}{{ loader.one_where }}{% endif %}].concat()
        });
        let prepared = statement.prepared(self.base.session()).await?;
{% if loader.chunked() %}
        let keys: Vec<_> = positions.keys().copied().collect();
{% endif %}
        let rows: Vec<{{ loader.row }}> = corm::paging::read_concurrently(self.base.session(), prepared, self.base.options(), {{ loader.requests }}, CONCURRENT_REQUESTS).await?;
        for row in rows {
{% if let Some(guard) = loader.row_key.guard %}
            let {{ guard.pattern }} = {{ guard.value }} else {
                continue;
            };
{% endif %}
            if let Some((&last, others)) = positions.get({{ loader.row_key.lookup }}).and_then(|at| at.split_last()) {
                for &position in others {
{% if loader.many %}
                    loaded[position].push(row.clone());
{% else %}
                    loaded[position] = Some(row.clone());
{% endif %}
                }
{% if loader.many %}
                loaded[last].push(row);
{% else %}
                loaded[last] = Some(row);
{% endif %}
            }
        }
        Ok(loaded)
    }
{% endfor %}
}
{% endfor %}
