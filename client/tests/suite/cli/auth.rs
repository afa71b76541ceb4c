//! `gitcode auth`: a stored token per host, and which token wins.

use serde_json::json;

use super::Cli;
use crate::support::{Reply, Server};

fn me(login: &str) -> Reply {
    Reply::json(200, json!({"login": login, "id": "5f3a"}))
}

#[tokio::test]
async fn login_status_a_call_with_the_stored_token_and_logout() {
    let config = tempfile::tempdir().unwrap();
    let server = Server::start(vec![me("alice")]).await;
    let cli = |args: &[&str]| Cli::new(args).server(&server).config(config.path());

    let run = cli(&["auth", "login", "--with-token"])
        .stdin(b"tok-stored\n")
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let host = server.url.trim_start_matches("http://");
    assert!(
        run.stderr
            .contains(&format!("Logged in to {host} as alice")),
        "{}",
        run.stderr
    );
    let check = &server.requests()[0];
    assert_eq!(check.path(), "/api/v5/user", "the token is checked first");
    assert_eq!(check.header("authorization"), Some("Bearer tok-stored"));

    let file = config.path().join("hosts.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("tok-stored")
    );

    // A call without --token or GITCODE_TOKEN uses the stored token.
    let run = cli(&["get-authenticated-user", "--jq", ".login"])
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "alice\n");
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some("Bearer tok-stored")
    );

    let run = cli(&["auth", "status"]).run().await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(host), "{}", run.stdout);
    assert!(run.stdout.contains("logged in as alice"), "{}", run.stdout);
    assert!(
        run.stdout.contains("used for this base URL"),
        "{}",
        run.stdout
    );
    for output in [&run.stdout, &run.stderr] {
        assert!(!output.contains("tok-stored"), "{output}");
    }

    let run = cli(&["auth", "logout"]).run().await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("tok-stored")
    );
    let run = cli(&["get-authenticated-user"]).run().await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.requests()[2].header("authorization"), None);

    let run = cli(&["auth", "status"]).run().await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("not logged in"), "{}", run.stderr);
    let run = cli(&["auth", "logout"]).run().await;
    assert_eq!(run.code, 3, "{}", run.stderr);
}

#[tokio::test]
async fn the_flag_beats_the_environment_which_beats_the_stored_token() {
    let config = tempfile::tempdir().unwrap();
    let server = Server::start(vec![me("alice")]).await;
    let cli = |args: &[&str]| Cli::new(args).server(&server).config(config.path());
    let run = cli(&["auth", "login", "--with-token"])
        .stdin(b"tok-stored")
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);

    for (cli, expected) in [
        (
            cli(&["get-authenticated-user", "--token", "tok-flag"]).token("tok-env"),
            "Bearer tok-flag",
        ),
        (
            cli(&["get-authenticated-user"]).token("tok-env"),
            "Bearer tok-env",
        ),
        (cli(&["get-authenticated-user"]), "Bearer tok-stored"),
    ] {
        let before = server.requests().len();
        let run = cli.run().await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            server.requests()[before].header("authorization"),
            Some(expected)
        );
    }

    let run = cli(&["auth", "status"]).token("tok-env").run().await;
    assert!(
        run.stdout
            .contains("not used: GITCODE_TOKEN takes precedence"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_refused_token_is_not_stored_and_a_401_says_how_to_log_in() {
    let config = tempfile::tempdir().unwrap();
    let refuse = Reply::json(
        401,
        json!({"error_code": 401, "error_message": "401 Unauthorized"}),
    );
    let server = Server::start(vec![refuse]).await;
    let cli = |args: &[&str]| Cli::new(args).server(&server).config(config.path());

    let run = cli(&["auth", "login", "--with-token"])
        .stdin(b"tok-bad")
        .run()
        .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was stored"), "{}", run.stderr);
    assert!(!config.path().join("hosts.json").exists());
    assert!(!run.stderr.contains("tok-bad"));

    let run = cli(&["get-authenticated-user"]).run().await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("run `gitcode auth login`"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn login_without_a_terminal_or_a_token_is_a_usage_error() {
    let server = Server::start(vec![me("alice")]).await;
    let run = Cli::new(&["auth", "login"]).server(&server).run().await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--with-token"), "{}", run.stderr);

    let run = Cli::new(&["auth", "login", "--with-token"])
        .server(&server)
        .stdin(b"  \n")
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);

    let run = Cli::new(&["auth", "login", "--with-token", "--host", "evil.example/x"])
        .server(&server)
        .stdin(b"tok")
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("expected a host name"),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_broken_token_file_is_named_and_kept() {
    let config = tempfile::tempdir().unwrap();
    let file = config.path().join("hosts.json");
    std::fs::write(&file, "{ not json").unwrap();
    let server = Server::start(vec![me("alice")]).await;
    let run = Cli::new(&["get-authenticated-user"])
        .server(&server)
        .config(config.path())
        .run()
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("hosts.json:1:"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json");
    assert!(server.requests().is_empty());

    // A token given outright does not need the file.
    let run = Cli::new(&["get-authenticated-user"])
        .server(&server)
        .config(config.path())
        .token("tok-env")
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}
