//! Exporting corm's spans to an OpenTelemetry collector (the `otlp`
//! feature): `tracing-opentelemetry` turns each `corm.request` span into an
//! OpenTelemetry span (named by its `otel.name`, `order.get`; kind client;
//! the `db.*` fields as attributes), and an OTLP/HTTP exporter sends them
//! in batches to a collector (the OpenTelemetry Collector, Jaeger, Tempo…).
//!
//! ```no_run
//! use tracing_subscriber::layer::SubscriberExt;
//! use tracing_subscriber::util::SubscriberInitExt;
//!
//! let provider = corm_examples::otlp::provider("http://127.0.0.1:4318/v1/traces")?;
//! tracing_subscriber::registry()
//!     .with(corm_examples::otlp::layer(&provider))
//!     .init();
//! // … requests through the generated code …
//! provider.shutdown()?; // sends what is still queued
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::registry::LookupSpan;

/// The service name the exported spans carry.
pub const SERVICE_NAME: &str = "corm-example";

/// A tracer provider that sends spans, in batches, to the OTLP/HTTP
/// traces endpoint `endpoint` (a collector's `http://host:4318/v1/traces`),
/// as JSON.
///
/// # Errors
/// When the exporter cannot be built (an endpoint that is not a URL).
pub fn provider(endpoint: &str) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    let exporter = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpJson)
        .with_endpoint(endpoint)
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name(SERVICE_NAME).build())
        .build())
}

/// The layer that hands corm's spans (target `corm`, level `INFO` and
/// above) to `provider`; other targets (the driver's `TRACE` spans, which
/// carry partition keys) are left out.
pub fn layer<S>(provider: &SdkTracerProvider) -> impl Layer<S> + use<S>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
{
    tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("corm"))
        .with_filter(Targets::new().with_target("corm", tracing::Level::INFO))
}
