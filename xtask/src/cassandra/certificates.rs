//! The secure node's certificates: a CA of its own and the node's
//! certificate for 127.0.0.1 (the driver checks a node's certificate for
//! its IP address), made with rcgen when the node is first started.
//!
//! `tls/ca.pem` is what clients trust (`CORM_TLS_CA`); `tls/node.pem`
//! holds the node's private key and certificate, Cassandra's PEM keystore.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};

use super::files;
use crate::Outcome;

/// The CA file clients trust, in the node's folder `dir`.
pub fn ca_file(dir: &Path) -> PathBuf {
    dir.join("tls").join("ca.pem")
}

/// The node's keystore (key and certificate), in its folder `dir`.
pub fn keystore_file(dir: &Path) -> PathBuf {
    dir.join("tls").join("node.pem")
}

/// Makes the CA and the node's certificate unless they exist.
pub fn ensure(dir: &Path) -> Outcome {
    let (ca_file, keystore_file) = (ca_file(dir), keystore_file(dir));
    if ca_file.exists() && keystore_file.exists() {
        return Ok(());
    }
    let failed = |err: rcgen::Error| format!("cannot make the node's certificates: {err}");
    let ca_key = KeyPair::generate().map_err(failed)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "corm local test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_certificate = ca.self_signed(&ca_key).map_err(failed)?;
    let issuer = Issuer::new(ca, ca_key);

    let node_key = KeyPair::generate().map_err(failed)?;
    let mut node = CertificateParams::new(vec!["localhost".to_owned()]).map_err(failed)?;
    node.subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    node.distinguished_name
        .push(DnType::CommonName, "corm local node");
    node.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let node_certificate = node.signed_by(&node_key, &issuer).map_err(failed)?;

    files::write(
        &keystore_file,
        &[node_key.serialize_pem(), node_certificate.pem()].concat(),
    )?;
    files::write(&ca_file, &ca_certificate.pem())
}
