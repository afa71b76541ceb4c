//! `gitcode webhook parse`: a delivery from a hook's log, checked and read.

use super::Cli;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/webhooks/push_delivery.json"
);

fn signature(key: &str) -> String {
    let body = std::fs::read(FIXTURE).unwrap();
    gitcode::webhooks::sign(key.as_bytes(), &body)
}

#[tokio::test]
async fn a_signed_delivery_prints_its_typed_event() {
    let run = Cli::new(&[
        "webhook",
        "parse",
        "--event",
        "Push Hook",
        "--secret",
        "k3y",
        "--signature",
        &signature("k3y"),
        FIXTURE,
    ])
    .run()
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let event: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(event["ref"], "refs/heads/dev");
    assert_eq!(event["user_id"], -9999);
    assert_eq!(run.stderr, "");

    // From standard input, filtered.
    let body = std::fs::read(FIXTURE).unwrap();
    let run = Cli::new(&[
        "webhook",
        "parse",
        "-H",
        "X-GitCode-Event: Push Hook",
        "--secret",
        "k3y",
        "--signature",
        &signature("k3y"),
        "-",
        "--jq",
        ".commits | length",
    ])
    .stdin(&body)
    .run()
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "1\n");
}

#[tokio::test]
async fn a_failed_check_exits_3_with_one_line() {
    let run = Cli::new(&[
        "webhook",
        "parse",
        "--event",
        "Push Hook",
        "--secret",
        "other",
        "--signature",
        &signature("k3y"),
        FIXTURE,
    ])
    .run()
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("signature does not match"),
        "{}",
        run.stderr
    );

    let run = Cli::new(&[
        "webhook",
        "parse",
        "--event",
        "Push Hook",
        "--secret",
        "k3y",
        "--signature",
        "deadbeef",
        FIXTURE,
    ])
    .run()
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("sha256="), "{}", run.stderr);
}

#[tokio::test]
async fn password_mode_checks_the_token_header() {
    let args = |token: &str| {
        vec![
            "webhook".to_string(),
            "parse".into(),
            "--event".into(),
            "Push Hook".into(),
            "--password".into(),
            "s3cret".into(),
            "-H".into(),
            format!("X-GitCode-Token: {token}"),
            FIXTURE.into(),
        ]
    };
    let ok = args("s3cret");
    let run = Cli::new(&ok.iter().map(String::as_str).collect::<Vec<_>>())
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let wrong = args("guess");
    let run = Cli::new(&wrong.iter().map(String::as_str).collect::<Vec<_>>())
        .run()
        .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("password"), "{}", run.stderr);
}

#[tokio::test]
async fn a_body_that_is_not_the_event_exits_8_and_usage_errors_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"ref": 7}"#).unwrap();
    let file = file.to_str().unwrap();
    let run = Cli::new(&["webhook", "parse", "--event", "Push Hook", "--strict", file])
        .run()
        .await;
    assert_eq!(run.code, 8, "{}", run.stderr);
    assert!(run.stderr.contains("at `ref`"), "{}", run.stderr);

    // Without --strict the value is left out with a warning.
    let run = Cli::new(&["webhook", "parse", "--event", "Push Hook", file])
        .run()
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("not verified"), "{}", run.stderr);
    assert!(run.stderr.contains("`ref`"), "{}", run.stderr);

    std::fs::write(dir.path().join("x.html"), "<html>").unwrap();
    let html = dir.path().join("x.html");
    let run = Cli::new(&[
        "webhook",
        "parse",
        "--event",
        "Push Hook",
        html.to_str().unwrap(),
    ])
    .run()
    .await;
    assert_eq!(run.code, 8, "{}", run.stderr);

    for args in [
        &["webhook", "parse", FIXTURE][..],
        &[
            "webhook",
            "parse",
            "--event",
            "Push Hook",
            "--secret",
            "k",
            FIXTURE,
        ],
        &[
            "webhook",
            "parse",
            "--event",
            "Push Hook",
            "--secret",
            "",
            "--signature",
            "x",
            FIXTURE,
        ],
        &["webhook", "parse", "--event", "Push Hook", "/no/such/file"],
    ] {
        let run = Cli::new(args).run().await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}

#[tokio::test]
async fn a_verified_delivery_with_a_value_that_does_not_fit_warns() {
    let body = br#"{"ref": 7, "after": "abc"}"#;
    let signature = gitcode::webhooks::sign(b"k3y", body);
    let args = [
        "webhook",
        "parse",
        "--event",
        "Push Hook",
        "--secret",
        "k3y",
        "--signature",
        &signature,
        "-",
    ];
    let run = Cli::new(&args).stdin(body).run().await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\n  \"after\": \"abc\"\n}\n");
    assert!(
        run.stderr
            .starts_with("warning: Push Hook: `ref` does not fit the spec"),
        "{}",
        run.stderr
    );
    let mut strict = args.to_vec();
    strict.push("--strict");
    let run = Cli::new(&strict).stdin(body).run().await;
    assert_eq!(run.code, 8, "{}", run.stderr);
}
