//! `gitcode mcp --http ADDR`: streamable HTTP at `/mcp`.
//!
//! The server binds loopback only, unless `--http-allow-remote` is given;
//! that needs a bearer secret (`--http-secret-env NAME`, the secret read
//! from the environment so it shows in no process list), and then every
//! request without `Authorization: Bearer <secret>` gets 401. A secret may
//! be required on loopback too. Each MCP session gets a server of its own
//! (`Server::for_session`): a dynamic session enables toolsets for itself.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use subtle::ConstantTimeEq;

use super::Server;
use crate::invoke::CliError;

/// Where and how to serve.
pub(crate) struct Options {
    address: SocketAddr,
    allow_remote: bool,
    secret: Option<Arc<str>>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("address", &self.address)
            .field("allow_remote", &self.allow_remote)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

impl Options {
    /// `--http ADDR`, `--http-allow-remote`, `--http-secret-env NAME`.
    pub(crate) fn read(
        address: &str,
        allow_remote: bool,
        secret_env: Option<&str>,
    ) -> Result<Options, CliError> {
        let address: SocketAddr = address.parse().map_err(|_| {
            CliError::Usage(format!(
                "--http {address}: expected an IP address and port, as 127.0.0.1:8808"
            ))
        })?;
        if !allow_remote && !address.ip().is_loopback() {
            return Err(CliError::Usage(format!(
                "--http {address}: not a loopback address; to serve other hosts, add \
                 --http-allow-remote and --http-secret-env NAME (a bearer secret every request must carry)"
            )));
        }
        let secret = match secret_env {
            None => None,
            Some(name) => match std::env::var(name) {
                Ok(secret) if !secret.trim().is_empty() => Some(Arc::from(secret.trim())),
                _ => {
                    return Err(CliError::Usage(format!(
                        "--http-secret-env {name}: the environment variable {name} is not set (or empty)"
                    )));
                }
            },
        };
        if allow_remote && secret.is_none() {
            return Err(CliError::Usage(
                "--http-allow-remote needs --http-secret-env NAME".into(),
            ));
        }
        Ok(Options {
            address,
            allow_remote,
            secret,
        })
    }
}

/// Serves until Ctrl-C. The address served is printed on standard error
/// (`--http 127.0.0.1:0` picks a free port).
pub(crate) async fn serve(server: Server, options: Options) -> Result<(), CliError> {
    let mut config = StreamableHttpServerConfig::default();
    if options.allow_remote {
        // Host checks guard a local server against DNS rebinding; a remote
        // one is reached by names of its own and guarded by the secret.
        config = config.disable_allowed_hosts();
    }
    let service = StreamableHttpService::new(
        move || Ok(server.for_session()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let router =
        axum::Router::new()
            .nest_service("/mcp", service)
            .layer(middleware::from_fn_with_state(
                options.secret.clone(),
                bearer,
            ));
    let listener = tokio::net::TcpListener::bind(options.address).await?;
    let address = listener.local_addr()?;
    eprintln!(
        "gitcode mcp: serving streamable HTTP on http://{address}/mcp{}",
        if options.secret.is_some() {
            " (bearer secret required)"
        } else {
            ""
        }
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Lets a request through only with the bearer secret, when there is one.
async fn bearer(State(secret): State<Option<Arc<str>>>, request: Request, next: Next) -> Response {
    let Some(secret) = secret else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        // The scheme is case-insensitive (RFC 9110).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, secret)| secret.trim());
    match given {
        Some(given) if bool::from(given.as_bytes().ct_eq(secret.as_bytes())) => {
            next.run(request).await
        }
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a bearer secret is required (Authorization: Bearer <secret>)\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_addresses_need_the_flag_and_a_secret() {
        let e = Options::read("0.0.0.0:8808", false, None).unwrap_err();
        assert!(e.to_string().contains("not a loopback address"), "{e}");
        let e = Options::read("0.0.0.0:8808", true, None).unwrap_err();
        assert!(e.to_string().contains("needs --http-secret-env"), "{e}");
        let e = Options::read(
            "127.0.0.1:8808",
            false,
            Some("GITCODE_TEST_UNSET_SECRET_VAR"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("is not set"), "{e}");
        let e = Options::read("localhost", false, None).unwrap_err();
        assert!(
            e.to_string().contains("expected an IP address and port"),
            "{e}"
        );
        let ok = Options::read("127.0.0.1:0", false, None).unwrap();
        assert!(ok.secret.is_none() && !ok.allow_remote);
        assert!(Options::read("[::1]:0", false, None).is_ok());
    }
}
