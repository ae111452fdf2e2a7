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
pub fn provider(
    endpoint: &str,
) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
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

/// With `OTEL_EXPORTER_OTLP_ENDPOINT` set (a collector's base URL,
/// `http://127.0.0.1:4318`), installs [`layer`] over a [`provider`] for
/// its `/v1/traces` as the global subscriber and returns the provider (shut
/// it down at exit to send what is queued); `None` when the variable is
/// unset.
///
/// # Errors
/// When the exporter cannot be built or another global subscriber is
/// installed.
pub fn install_from_env() -> Result<Option<SdkTracerProvider>, Box<dyn std::error::Error>> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let Some(base) = std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT")
        .ok()
        .filter(|base| !base.trim().is_empty())
    else {
        return Ok(None);
    };
    let endpoint = format!("{}/v1/traces", base.trim().trim_end_matches('/'));
    let provider = provider(&endpoint)?;
    tracing_subscriber::registry()
        .with(layer(&provider))
        .try_init()?;
    Ok(Some(provider))
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
