//! `gitcode mcp`, driven by rmcp's own client: over stdio against the built
//! binary (a clean environment, as the CLI tests), and in-process over a
//! pipe where a test needs many calls.
mod agent_modes;
mod calls;
mod http;
mod inspector;
mod resources;
mod schemas;
mod tools;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientConfig, JsonObject, ProtocolVersion,
};
use rmcp::service::{NotificationContext, RunningService};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};

use crate::support::Server;

/// The token every test server is started with; no output may hold it.
pub const TOKEN: &str = "mcp-t0ken-s3cr3t";

/// A client that counts `notifications/tools/list_changed`.
#[derive(Clone, Default)]
pub struct Agent {
    pub list_changed: Arc<AtomicUsize>,
}

impl ClientHandler for Agent {
    fn get_info(&self) -> ClientConfig {
        ClientConfig::default().with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
    }

    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.list_changed.fetch_add(1, Ordering::SeqCst);
    }
}

/// A running `gitcode mcp`, and what the client saw.
pub struct Session {
    pub client: RunningService<RoleClient, Agent>,
    pub agent: Agent,
    /// What the binary wrote on standard error, read until it exits.
    stderr: Option<tokio::task::JoinHandle<String>>,
    _config: tempfile::TempDir,
}

impl Session {
    /// `gitcode mcp ARGS` against `server`, with the token in the environment.
    pub async fn start(server: &Server, args: &[&str]) -> Session {
        Session::start_with(&server.url, Some(TOKEN), args).await
    }

    pub async fn start_with(base_url: &str, token: Option<&str>, args: &[&str]) -> Session {
        let config = tempfile::tempdir().expect("a temporary directory");
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gitcode"));
        command
            .arg("mcp")
            .args(args)
            .env_remove("GITCODE_TOKEN")
            .env_remove("GITCODE_RECORD")
            .env("GITCODE_BASE_URL", base_url)
            .env("HOME", config.path())
            .env("XDG_CONFIG_HOME", config.path())
            .env("GITCODE_CONFIG_DIR", config.path());
        if let Some(token) = token {
            command.env("GITCODE_TOKEN", token);
        }
        let (transport, stderr) = TokioChildProcess::builder(command)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = stderr.map(|mut pipe| {
            tokio::spawn(async move {
                let mut text = String::new();
                let _ = tokio::io::AsyncReadExt::read_to_string(&mut pipe, &mut text).await;
                text
            })
        });
        let agent = Agent::default();
        let client = agent
            .clone()
            .serve(transport)
            .await
            .expect("initialize succeeds");
        Session {
            client,
            agent,
            stderr,
            _config: config,
        }
    }

    /// In-process: a [`gitcode::mcp::Server`] with `client` over a pipe.
    pub async fn in_process(
        client: gitcode::Client,
        selection: gitcode::mcp::Selection,
    ) -> Session {
        let (server_end, client_end) = tokio::io::duplex(1 << 20);
        let server = gitcode::mcp::Server::new(client, selection);
        tokio::spawn(async move {
            if let Ok(running) = server.serve(server_end).await {
                let _ = running.waiting().await;
            }
        });
        let agent = Agent::default();
        let client = agent
            .clone()
            .serve(client_end)
            .await
            .expect("initialize succeeds");
        Session {
            client,
            agent,
            stderr: None,
            _config: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub async fn tools(&self) -> Vec<rmcp::model::Tool> {
        self.client.list_all_tools().await.expect("tools/list")
    }

    pub async fn call(&self, name: &str, arguments: serde_json::Value) -> CallToolResult {
        let arguments: JsonObject = match arguments {
            serde_json::Value::Object(map) => map,
            other => panic!("arguments must be an object, not {other}"),
        };
        let result = self
            .client
            .call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(arguments))
            .await
            .expect("tools/call answers");
        let printed = serde_json::to_string(&result).unwrap();
        assert!(!printed.contains(TOKEN), "the token in a result: {printed}");
        result
    }

    /// Stops the server; what it wrote on standard error must not hold
    /// the token.
    pub async fn stop(self) {
        let _ = self.client.cancel().await;
        if let Some(stderr) = self.stderr {
            let text = tokio::time::timeout(std::time::Duration::from_secs(10), stderr)
                .await
                .expect("the binary exits")
                .unwrap_or_default();
            assert!(!text.contains(TOKEN), "the token on stderr: {text}");
        }
    }
}

/// The text of a result's first content block.
pub fn text(result: &CallToolResult) -> String {
    result
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

/// Whether the result is a tool error.
pub fn is_error(result: &CallToolResult) -> bool {
    result.is_error == Some(true)
}

/// A selection from flag values.
pub fn selection(toolsets: &[&str], read_only: bool, dynamic: bool) -> gitcode::mcp::Selection {
    let owned: Vec<String> = toolsets.iter().map(|s| s.to_string()).collect();
    gitcode::mcp::Selection::new(&owned, &[], read_only, dynamic).expect("a selection")
}
