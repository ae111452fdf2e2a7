//! TLS with rustls (feature `tls`): the nodes' certificates checked
//! against the CA file, and a client certificate when one is configured.
//!
//! The crypto provider is aws-lc-rs, rustls's default, named explicitly:
//! another crate of the program may enable ring as well, and rustls then
//! refuses to guess between the two.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};

use crate::ConfigError;
use crate::config::Tls;

/// The rustls client configuration for `tls`.
pub(crate) fn client_config(tls: &Tls) -> Result<Arc<ClientConfig>, ConfigError> {
    let mut roots = RootCertStore::empty();
    for certificate in certificates(&tls.ca)? {
        roots
            .add(certificate)
            .map_err(|err| invalid(&tls.ca, err.to_string()))?;
    }
    let builder = ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|err| invalid(&tls.ca, err.to_string()))?
    .with_root_certificates(roots);
    let config = match (&tls.client_cert, &tls.client_key) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert)?;
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|err| invalid(key, format!("no private key read: {err}")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|err| invalid(cert, err.to_string()))?
        }
        _ => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// Every certificate of the PEM file `path`; at least one.
fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    let certificates = CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|err| invalid(path, err.to_string()))?;
    if certificates.is_empty() {
        return Err(invalid(path, "no PEM certificate in it".to_owned()));
    }
    Ok(certificates)
}

fn invalid(path: &Path, problem: String) -> ConfigError {
    ConfigError::InvalidTls {
        file: path.display().to_string(),
        problem,
    }
}
