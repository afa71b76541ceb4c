//! The built `gitcode` binary against a recording loopback server.
//!
//! Every run starts from a clean environment: no token, no base URL and a
//! config directory of its own, so no test reads or writes the user's
//! stored logins.
mod api;
mod auth;
mod commands;
mod output;
mod webhook;

use std::path::Path;

use crate::support::Server;

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// One run of the binary, built up like a command line.
pub struct Cli {
    command: tokio::process::Command,
    stdin: Vec<u8>,
    /// The config directory, when the test did not give its own.
    _config: Option<tempfile::TempDir>,
}

impl Cli {
    pub fn new(args: &[&str]) -> Cli {
        let config = tempfile::tempdir().expect("a temporary directory");
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gitcode"));
        command
            .args(args)
            .env_remove("GITCODE_TOKEN")
            .env_remove("GITCODE_BASE_URL")
            .env_remove("GITCODE_RATE_LIMIT_URL")
            .env_remove("GITCODE_RECORD")
            // Even a path that ignored GITCODE_CONFIG_DIR would not reach
            // the user's own config.
            .env("HOME", config.path())
            .env("XDG_CONFIG_HOME", config.path())
            .env("GITCODE_CONFIG_DIR", config.path());
        Cli {
            command,
            stdin: Vec::new(),
            _config: Some(config),
        }
    }

    pub fn server(self, server: &Server) -> Cli {
        self.base_url(&server.url)
    }

    pub fn base_url(mut self, url: &str) -> Cli {
        self.command.env("GITCODE_BASE_URL", url);
        self
    }

    /// `GITCODE_TOKEN`.
    pub fn token(mut self, token: &str) -> Cli {
        self.command.env("GITCODE_TOKEN", token);
        self
    }

    /// Sets the environment variable `name` for the run.
    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.command.env(name, value);
        self
    }

    /// Uses `dir` as the config directory (kept across runs by the test).
    pub fn config(mut self, dir: &Path) -> Cli {
        self.command.env("GITCODE_CONFIG_DIR", dir);
        self
    }

    pub fn stdin(mut self, bytes: &[u8]) -> Cli {
        self.stdin = bytes.to_vec();
        self
    }

    pub async fn run(mut self) -> Run {
        use tokio::io::AsyncWriteExt;
        let mut child = self
            .command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().expect("piped");
        let input = std::mem::take(&mut self.stdin);
        let writer = tokio::spawn(async move {
            // The binary may exit without reading it all.
            let _ = stdin.write_all(&input).await;
        });
        let output = child.wait_with_output().await.expect("the binary ends");
        let _ = writer.await;
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs the binary with `args` against `server`, with a token in the environment.
pub async fn gitcode(server: &Server, args: &[&str]) -> Run {
    Cli::new(args)
        .server(server)
        .token("cli-s3cr3t")
        .run()
        .await
}
