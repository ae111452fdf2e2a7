//! A `tracing-subscriber` layer for tests that keeps every span's fields
//! as text, and every event with the `otel.name` of the span it happened
//! in.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// One span as recorded: its name and fields.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    pub name: &'static str,
    pub fields: BTreeMap<String, String>,
}

impl Recorded {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// An event, with the `otel.name` of the span it happened in.
pub type Event = (Option<String>, Recorded);

/// Keeps every span, in the order they were made, and every event.
#[derive(Clone, Default)]
pub struct Spans(Arc<Mutex<Vec<Recorded>>>, Arc<Mutex<Vec<Event>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// The index of a span's entry, kept in its extensions.
struct Index(usize);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut recorded = Recorded {
            name: attrs.metadata().name(),
            ..Recorded::default()
        };
        attrs.record(&mut Fields(&mut recorded.fields));
        let mut spans = self.0.lock().unwrap();
        spans.push(recorded);
        let index = spans.len() - 1;
        ctx.span(id).unwrap().extensions_mut().insert(Index(index));
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut recorded = Recorded {
            name: event.metadata().name(),
            ..Recorded::default()
        };
        event.record(&mut Fields(&mut recorded.fields));
        let within = ctx.event_span(event).and_then(|span| {
            let extensions = span.extensions();
            let Index(index) = extensions.get::<Index>()?;
            self.0.lock().unwrap()[*index]
                .fields
                .get("otel.name")
                .cloned()
        });
        self.1.lock().unwrap().push((within, recorded));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let extensions = span.extensions();
        let Index(index) = extensions.get::<Index>().unwrap();
        let mut spans = self.0.lock().unwrap();
        values.record(&mut Fields(&mut spans[*index].fields));
    }
}

impl Spans {
    /// The spans named `otel_name`, in order.
    pub fn named(&self, otel_name: &str) -> Vec<Recorded> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|span| span.field("otel.name") == Some(otel_name))
            .cloned()
            .collect()
    }

    pub fn all(&self) -> Vec<Recorded> {
        self.0.lock().unwrap().clone()
    }

    /// The events whose message is `message`, with the operation whose
    /// span they happened in.
    pub fn events(&self, message: &str) -> Vec<Event> {
        self.1
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, event)| event.field("message") == Some(message))
            .cloned()
            .collect()
    }
}
