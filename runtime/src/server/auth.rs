//! The authorisation hook of change subscriptions: the application says
//! which models, partitions and rows a token may see.

use super::filter::Filter;

/// A subscription as a client asked for it, for [`Authorize`].
#[derive(Clone, Copy, Debug)]
pub struct SubscriptionRequest<'r> {
    /// The model's table.
    pub table: &'r str,
    /// The model.
    pub model: &'static str,
    /// The partition asked for (a room), by column.
    pub partition: Option<&'r serde_json::Map<String, serde_json::Value>>,
    /// The client's filter.
    pub filter: Option<&'r Filter>,
    /// The bearer token (`Authorization: Bearer …`, or the `token` query
    /// parameter, which browsers' WebSocket clients need).
    pub token: Option<&'r str>,
}

/// What a subscription may see.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// All it asked for.
    Granted,
    /// What it asked for, and only what also passes this filter (a
    /// tenant's rows, a user's partitions), which the client can't lift.
    Restricted(Filter),
    /// Nothing: refused with this reason (HTTP 401 without a token, 403
    /// with one).
    Denied(String),
}

/// Decides what each subscription may see: implemented by the
/// application.
pub trait Authorize: Send + Sync + 'static {
    /// What `request` may see.
    fn authorize(&self, request: &SubscriptionRequest<'_>) -> Access;
}

/// Grants every subscription: for servers behind their own gate.
#[derive(Clone, Copy, Debug, Default)]
pub struct AllowAll;

impl Authorize for AllowAll {
    fn authorize(&self, _request: &SubscriptionRequest<'_>) -> Access {
        Access::Granted
    }
}

impl<F> Authorize for F
where
    F: Fn(&SubscriptionRequest<'_>) -> Access + Send + Sync + 'static,
{
    fn authorize(&self, request: &SubscriptionRequest<'_>) -> Access {
        self(request)
    }
}
