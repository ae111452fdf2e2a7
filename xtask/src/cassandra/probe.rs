//! Asking the node whether it answers CQL.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// The node's `release_version` when it answers a CQL query on `address:port`,
/// within a few seconds (logged in as the default superuser when the node
/// is `secure`); otherwise why not.
pub fn release_version(address: Ipv4Addr, port: u16, secure: bool) -> Result<String, String> {
    let address = SocketAddr::from((address, port));
    // A refused TCP connection is the common case while starting: skip the
    // driver for it.
    TcpStream::connect_timeout(&address, Duration::from_secs(1))
        .map_err(|err| format!("{address}: {err}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start a tokio runtime: {err}"))?;
    runtime.block_on(async {
        let config = corm::Config::new([address.to_string()])
            .connect_timeout(Duration::from_secs(3))
            .request_timeout(Duration::from_secs(5))
            .consistency(corm::Consistency::One);
        let config = if secure {
            config.credentials("cassandra", "cassandra")
        } else {
            config
        };
        let session = corm::Session::connect(&config)
            .await
            .map_err(|err| err.to_string())?;
        let statement = "SELECT release_version FROM system.local";
        let (version,): (String,) = session
            .query(statement, ())
            .await
            .map_err(|err| err.to_string())?
            .into_rows_result()
            .map_err(|err| err.to_string())?
            .single_row()
            .map_err(|err| err.to_string())?;
        Ok(version)
    })
}
