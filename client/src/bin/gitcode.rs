//! The `gitcode` command line: `cargo install gitcode --features cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    gitcode::cli::main().await
}
