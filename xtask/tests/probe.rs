//! `gitcode-probe` (feature `probe`) against a loopback server that
//! records every request: only GETs arrive, a number from a list answer
//! fills the next call, a 401 stops the walk with a summary, and the
//! recording holds no token.
#![cfg(feature = "probe")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use gitcode_codegen::evidence::traffic::{Hosts, check, har};
use gitcode_codegen::spec::Spec;

const TOKEN: &str = "probe-token-0123456789";

/// A server on a loopback port: answers each request with `answer(method,
/// path and query)` and keeps `(method, path and query)` of each.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

fn serve(answer: fn(&str, &str) -> (u16, String)) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or_default().to_string();
            let target = parts.next().unwrap_or_default().to_string();
            // The headers, up to the blank line (a GET has no body).
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            let (status, body) = answer(&method, &target);
            seen.lock().unwrap().push((method, target));
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Server { base, requests }
}

fn probe(server: &Server, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gitcode-probe"))
        .args([
            "--repo",
            "o/r",
            "--token-env",
            "PROBE_TEST_TOKEN",
            "--per-minute",
            "100000",
        ])
        .args(["--max", "1000", "--base-url", &server.base])
        .arg("--out")
        .arg(out)
        .env("PROBE_TEST_TOKEN", TOKEN)
        .output()
        .expect("the probe runs")
}

fn issues(_method: &str, target: &str) -> (u16, String) {
    match target {
        "/api/v5/repos/o/r/issues?page=1&per_page=10" => {
            (200, r#"[{"number": "7", "title": "first"}]"#.into())
        }
        "/api/v5/repos/o/r/issues/7" => (
            200,
            format!(r#"{{"number": "7", "title": "first", "seen_with": "{TOKEN}"}}"#),
        ),
        _ => (
            404,
            r#"{"error_code": 404, "error_message": "not found"}"#.into(),
        ),
    }
}

#[test]
fn only_gets_arrive_and_a_listed_number_fills_the_next_call() {
    let server = serve(issues);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("probe.har");
    let run = probe(&server, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");

    let requests = server.requests.lock().unwrap().clone();
    assert!(requests.len() > 20, "{requests:?}");
    let methods: Vec<&str> = requests.iter().map(|(m, _)| m.as_str()).collect();
    assert!(methods.iter().all(|m| *m == "GET"), "{methods:?}");
    let at = |target: &str| requests.iter().position(|(_, t)| t == target);
    let list = at("/api/v5/repos/o/r/issues?page=1&per_page=10").expect("the list was asked");
    let issue = at("/api/v5/repos/o/r/issues/7").expect("issue 7 was asked");
    assert!(list < issue);
    assert!(at("/api/v5/repos/o/r/issues/7/comments?page=1&per_page=10").is_some());
    assert!(
        stderr.contains(&format!("probe: o/r: {} call(s)", requests.len())),
        "{stderr}"
    );

    // The recording: one entry a request, no token, and the report of it
    // names the field the spec lacks.
    let bytes = std::fs::read(&out).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(TOKEN));
    let file = har::read(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.entries.len(), requests.len());
    let spec = Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap();
    let report = check(&spec, &[file], &Hosts::new(Some(&server.base)).unwrap());
    let found: Vec<(Option<&str>, &str, &str, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.operation.as_deref(),
                f.kind.as_str(),
                f.field.as_str(),
                f.example.as_deref(),
            )
        })
        .collect();
    // Every other answer was a 404 error envelope, which fits the spec.
    assert_eq!(
        found,
        [(
            Some("get_issue"),
            "unknown field",
            "Issue.seen_with",
            Some("\"[redacted]\"")
        )]
    );
}

#[test]
fn the_first_401_stops_the_walk_with_a_summary() {
    let server = serve(|_, _| {
        (
            401,
            r#"{"error_code": 401, "error_message": "401, token not found"}"#.into(),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("probe.har");
    let run = probe(&server, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        stderr.contains(&format!(
            "probe: stopped at the first 401 (GET {}): the token was refused",
            requests[0].1.split('?').next().unwrap()
        )),
        "{stderr}"
    );
    assert_eq!(har::read(&out).unwrap().entries.len(), 1);
}
