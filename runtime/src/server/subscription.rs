//! A subscription request, from its query string and headers to a checked
//! subscriber: the filter and room parsed and checked against the model,
//! the resume position read, the application's hook asked.

use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::ChangeFeeds;
use super::auth::{Access, SubscriptionRequest};
use super::filter::{CheckedFilter, Filter};
use super::hub::Subscriber;
use crate::changes::Position;

/// The query string of both endpoints.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SubscribeQuery {
    /// The filter, as JSON.
    filter: Option<String>,
    /// The room: the partition key's columns, as a JSON object.
    partition: Option<String>,
    /// Resume after this position (`Last-Event-ID` wins).
    after: Option<String>,
    /// The bearer token, for clients that can't set headers.
    token: Option<String>,
}

/// A refused subscription: the status and why.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub reason: String,
}

impl Refusal {
    fn bad(reason: String) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason,
        }
    }
}

impl axum::response::IntoResponse for Refusal {
    fn into_response(self) -> axum::response::Response {
        (
            self.status,
            axum::Json(serde_json::json!({ "error": self.reason })),
        )
            .into_response()
    }
}

impl ChangeFeeds {
    /// The subscriber `query` and `headers` ask for on `table`'s changes.
    pub(crate) fn subscriber(
        &self,
        table: &str,
        query: &SubscribeQuery,
        headers: &HeaderMap,
    ) -> Result<Subscriber, Refusal> {
        let Some(hub) = self.hubs.get(table) else {
            return Err(Refusal {
                status: StatusCode::NOT_FOUND,
                reason: format!("no change feed `{table}`"),
            });
        };
        let filter: Option<Filter> = query
            .filter
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|error| {
                Refusal::bad(format!("the filter is not valid JSON filter: {error}"))
            })?;
        let mut checked = filter
            .as_ref()
            .map(|filter| filter.check(&hub.columns))
            .transpose()
            .map_err(|reason| Refusal::bad(format!("bad filter: {reason}")))?;
        let partition: Option<Map<String, Value>> = query
            .partition
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|error| {
                Refusal::bad(format!("the partition is not a JSON object: {error}"))
            })?;
        if let Some(partition) = &partition {
            let room = room_filter(partition, &hub.partition)
                .check(&hub.columns)
                .map_err(|reason| Refusal::bad(format!("bad partition: {reason}")))?;
            let mut names: Vec<&String> = partition.keys().collect();
            names.sort();
            let mut expected: Vec<&String> = hub.partition.iter().collect();
            expected.sort();
            if names != expected {
                return Err(Refusal::bad(format!(
                    "a partition names its key's columns: {}",
                    hub.partition.join(", ")
                )));
            }
            checked = Some(and(checked, room));
        }
        let last_event_id = headers
            .get("last-event-id")
            .and_then(|value| value.to_str().ok());
        let after = last_event_id
            .or(query.after.as_deref())
            .map(str::parse::<Position>)
            .transpose()
            .map_err(|error| Refusal::bad(error.to_string()))?;
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .or(query.token.as_deref());
        let request = SubscriptionRequest {
            table,
            model: hub.model,
            partition: partition.as_ref(),
            filter: filter.as_ref(),
            token,
        };
        match self.authorize.authorize(&request) {
            Access::Granted => {}
            Access::Restricted(restriction) => {
                let restriction = restriction.check(&hub.columns).map_err(|reason| Refusal {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    reason: format!("the server's restriction does not fit `{table}`: {reason}"),
                })?;
                checked = Some(and(checked, restriction));
            }
            Access::Denied(reason) => {
                return Err(Refusal {
                    status: if token.is_some() {
                        StatusCode::FORBIDDEN
                    } else {
                        StatusCode::UNAUTHORIZED
                    },
                    reason,
                });
            }
        }
        hub.subscribe(after, checked).map_err(|reason| Refusal {
            status: StatusCode::GONE,
            reason,
        })
    }
}

/// The filter of a room: each partition key column equal to its value.
fn room_filter(partition: &Map<String, Value>, columns: &[String]) -> Filter {
    Filter::And(
        columns
            .iter()
            .map(|column| {
                Filter::Eq(
                    column.clone(),
                    partition.get(column).cloned().unwrap_or(Value::Null),
                )
            })
            .collect(),
    )
}

fn and(filter: Option<CheckedFilter>, more: CheckedFilter) -> CheckedFilter {
    match filter {
        Some(filter) => filter.and(more),
        None => more,
    }
}
