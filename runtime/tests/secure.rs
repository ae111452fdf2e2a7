//! TLS and password authentication against the secure node that
//! `cargo xtask cassandra start --secure --port 9142` runs (its own CA's
//! certificate for 127.0.0.1 in `tls/ca.pem`, `PasswordAuthenticator`,
//! the default superuser `cassandra`). `cargo xtask test` starts it and
//! sets `CORM_SECURE_CONTACT_POINT` and `CORM_SECURE_CA`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use corm::{Config, ConfigError, Error, ErrorKind, Session, Tls};

const PASSWORD: &str = "cassandra";

fn secure_node() -> (String, PathBuf) {
    let node = std::env::var("CORM_SECURE_CONTACT_POINT");
    let ca = std::env::var("CORM_SECURE_CA");
    match (node, ca) {
        (Ok(node), Ok(ca)) => (node, PathBuf::from(ca)),
        _ => panic!(
            "these tests need the secure node: `cargo xtask cassandra start --secure --port 9142`, \
             then CORM_SECURE_CONTACT_POINT=127.0.0.1:9142 and CORM_SECURE_CA=<its folder>/tls/ca.pem \
             (`cargo xtask test` does all of it)"
        ),
    }
}

fn config(node: &str) -> Config {
    Config::new([node]).connect_timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn tls_with_the_right_ca_and_password_connects_encrypted() {
    let (node, ca) = secure_node();
    let session = Session::connect(
        &config(&node)
            .tls(Tls::new(&ca))
            .credentials("cassandra", PASSWORD),
    )
    .await
    .unwrap();
    let rows = session
        .query("SELECT ssl_enabled, username FROM system_views.clients", ())
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    let clients: Vec<(Option<bool>, Option<String>)> =
        rows.rows().unwrap().collect::<Result<_, _>>().unwrap();
    let encrypted = clients
        .iter()
        .filter(|(ssl, user)| *ssl == Some(true) && user.as_deref() == Some("cassandra"))
        .count();
    assert!(
        encrypted > 0,
        "no encrypted connection of ours among {clients:?}"
    );
}

#[tokio::test]
async fn a_ca_the_node_does_not_chain_to_is_refused_clearly() {
    let (node, _) = secure_node();
    let dir = std::env::temp_dir().join(format!("corm-wrong-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wrong = dir.join("ca.pem");
    let other = rcgen::generate_simple_self_signed(vec!["elsewhere".to_owned()]).unwrap();
    std::fs::write(&wrong, other.cert.pem()).unwrap();

    let err = Session::connect(
        &config(&node)
            .tls(Tls::new(&wrong))
            .credentials("cassandra", PASSWORD),
    )
    .await
    .unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Connection);
    let message = err.to_string();
    assert!(
        message.contains("certificate") && message.contains("UnknownIssuer"),
        "{message}"
    );
}

#[tokio::test]
async fn a_missing_ca_file_is_a_configuration_error() {
    let (node, _) = secure_node();
    let err = Session::connect(&config(&node).tls(Tls::new("/nonexistent/ca.pem")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(ConfigError::InvalidTls { file, .. }) if file == "/nonexistent/ca.pem"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_printing_it() {
    let (node, ca) = secure_node();
    let secret = "not-the-password-7f3a";
    let config = config(&node)
        .tls(Tls::new(&ca))
        .credentials("cassandra", secret);
    let err = Session::connect(&config).await.unwrap_err();
    assert!(err.is_authentication(), "{err:?}");
    let shown = format!("{err} {err:?} {config:?}");
    assert!(!shown.contains(secret), "the password leaked: {shown}");
    assert!(
        err.to_string().to_lowercase().contains("authentication"),
        "{err}"
    );

    let err = Session::connect(&self::config(&node).tls(Tls::new(&ca)))
        .await
        .unwrap_err();
    assert!(err.is_authentication(), "no credentials: {err:?}");
}

/// A `Write` that keeps everything written to it, shared with the test.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// With every log line and span of corm and the driver captured at
/// `TRACE` (bound values included), a login with a role's password, its
/// queries, and a login with a wrong password never write the password.
#[tokio::test]
async fn logs_never_print_credentials() {
    let (node, ca) = secure_node();
    let secret = "s3cret-c0rm-9f2e";
    let wrong = "wr0ng-c0rm-77aa";
    let admin = Session::connect(&config(&node).credentials("cassandra", PASSWORD))
        .await
        .unwrap();
    admin
        .query(
            &format!(
                "CREATE ROLE IF NOT EXISTS corm_logged WITH PASSWORD = '{secret}' AND LOGIN = true"
            ),
            (),
        )
        .await
        .unwrap();

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    {
        let _logging = tracing::subscriber::set_default(subscriber);
        let logged = config(&node)
            .tls(Tls::new(&ca))
            .credentials("corm_logged", secret)
            .trace_values(true);
        tracing::info!(config = ?logged, "connecting");
        let session = Session::connect(&logged).await.unwrap();
        let (user,): (String,) = session
            .query(
                "SELECT role FROM system_auth.roles WHERE role = ?",
                ("corm_logged",),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(user, "corm_logged");
        let err = Session::connect(&config(&node).credentials("corm_logged", wrong))
            .await
            .unwrap_err();
        tracing::warn!(error = %err, debug = ?err, "refused");
    }
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("corm_logged"), "nothing was captured: {text}");
    assert!(!text.contains(secret), "the password was logged:\n{text}");
    assert!(
        !text.contains(wrong),
        "the wrong password was logged:\n{text}"
    );
}
