//! {{ store.event_enum }}: the events of event store {{ store.name }}, their
//! payloads (stored as JSON), and the tables the store writes.

use corm::{serde, serde_json};
{% if has_types %}
use super::types::*;
{% endif %}

{% for event in store.events %}
{% for line in event.doc %}
///{{ line }}
{% endfor %}
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
pub struct {{ event.ident }} {
{% for field in event.fields %}
{% for line in field.doc %}
    ///{{ line }}
{% endfor %}
{% if field.optional %}
    #[serde(default)]
{% endif %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl From<{{ event.ident }}> for {{ store.event_enum }} {
    fn from(event: {{ event.ident }}) -> Self {
        Self::{{ event.ident }}(event)
    }
}

{% endfor %}
/// An event of [`{{ store.ident }}`]: the variant's name is its stored type.
#[derive(Debug, Clone, PartialEq)]
pub enum {{ store.event_enum }} {
{% for event in store.events %}
    {{ event.ident }}({{ event.ident }}),
{% endfor %}
}

impl corm::events::Event for {{ store.event_enum }} {
    fn event_type(&self) -> &'static str {
        match self {
{% for event in store.events %}
            Self::{{ event.ident }}(_) => {{ event.event_type }},
{% endfor %}
        }
    }

    fn to_payload(&self) -> Result<String, serde_json::Error> {
        match self {
{% for event in store.events %}
            Self::{{ event.ident }}(event) => serde_json::to_string(event),
{% endfor %}
        }
    }

    fn from_payload(event_type: &str, payload: &str) -> Result<Self, corm::events::DecodeError> {
        Ok(match event_type {
{% for event in store.events %}
            {{ event.event_type }} => Self::{{ event.ident }}(serde_json::from_str(payload)?),
{% endfor %}
            other => return Err(corm::events::DecodeError::UnknownType(other.to_owned())),
        })
    }
}

{% for line in store.doc %}
///{{ line }}
{% endfor %}
///
/// Names its stream ids and events for [`corm::events::EventStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct {{ store.ident }};

impl corm::events::EventStream for {{ store.ident }} {
    type Id = {{ store.id_type }};
    type Event = {{ store.event_enum }};

    const SPEC: corm::events::StreamSpec = corm::events::StreamSpec {
        name: {{ store.name }},
        events_table: {{ store.events_table }},
        snapshots_table: {{ store.snapshots_table }},
        snapshot_every: {{ store.snapshot_every }},
        partition_events: {{ store.partition_events }},
        feed_table: {{ store.feed_table }},
        projections_table: {{ store.projections_table }},
        projected_table: {{ store.projected_table }},
    };
}
{% if let Some((tenant, id)) = store.tenant %}

/// A stream id is the pair (tenant id, id): a tenant's handle fills the
/// tenant id.
impl corm::tenancy::TenantStream for {{ store.ident }} {
    type Tenant = {{ tenant }};
    type ScopedId = {{ id }};

    fn id_with_tenant(tenant: &{{ tenant }}, id: &{{ id }}) -> Self::Id {
        (Clone::clone(tenant), Clone::clone(id))
    }
}
{% endif %}
