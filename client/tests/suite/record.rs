//! Recording as HAR 1.2 (`gitcode::record`) against loopback servers: each
//! kind of exchange with the right fields, no credential in any file in
//! any auth mode (even echoed by the server), the cap, a path that cannot
//! be written, a writer, and the command line and `gitcode mcp` with
//! `--record` and `GITCODE_RECORD`. Every file written is parsed back and
//! held against the fields HAR 1.2 requires ([`read_har`]).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use gitcode::auth::AuthMode;
use gitcode::prelude::*;
use gitcode::record::Recorder;
use gitcode::retry::RetryPolicy;
use gitcode::types;
use serde_json::{Value, json};

use crate::support::{Logs, Reply, Server, SharedBuffer};

const TOKEN: &str = "gct_rec0rd_S3CRET";

fn builder(server: &Server, recorder: &Recorder) -> gitcode::ClientBuilder {
    gitcode::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .no_rate_limit()
        .record(recorder.clone())
}

fn client(server: &Server, recorder: &Recorder) -> gitcode::Client {
    builder(server, recorder).build().unwrap()
}

/// A recorder to `har` in a new temporary directory (kept by the caller).
fn to_temp_file() -> (tempfile::TempDir, std::path::PathBuf, Recorder) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.har");
    let recorder = Recorder::to_file(&path);
    (dir, path, recorder)
}

/// The HAR at `path`, parsed and held against HAR 1.2: every required
/// field of the log, of each entry, request, response, content and
/// timings, with its type, and the `_gitcode` field. Panics on the first
/// field that is wrong, naming it; also if the file holds the token.
pub fn read_har(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_no_secret(&bytes, TOKEN);
    check_har(&bytes)
}

/// `bytes` do not hold `secret`, in any of the forms the file could.
pub fn assert_no_secret(bytes: &[u8], secret: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains(secret), "{secret} in the recording: {text}");
}

/// `bytes` parsed as a HAR 1.2 log, checked field by field.
pub fn check_har(bytes: &[u8]) -> Value {
    let har: Value = serde_json::from_slice(bytes).expect("a recording is JSON");
    let log = &har["log"];
    assert_eq!(log["version"], "1.2");
    assert_eq!(log["creator"]["name"], "gitcode-rs");
    assert!(log["creator"]["version"].is_string());
    let entries = log["entries"].as_array().expect("log.entries is a list");
    let date =
        regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
            .unwrap();
    for (i, entry) in entries.iter().enumerate() {
        let at = |field: &str| format!("entry {i}: {field} in {entry}");
        let started = entry["startedDateTime"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", at("startedDateTime")));
        assert!(date.is_match(started), "{}", at("startedDateTime"));
        assert!(
            entry["time"].as_f64().is_some_and(|t| t >= 0.0),
            "{}",
            at("time")
        );
        let request = &entry["request"];
        for field in ["method", "url", "httpVersion"] {
            assert!(request[field].is_string(), "{}", at(field));
        }
        for field in ["headers", "queryString", "cookies"] {
            assert!(request[field].is_array(), "{}", at(field));
        }
        for field in ["headersSize", "bodySize"] {
            assert!(request[field].is_i64(), "{}", at(field));
        }
        assert_pairs(&request["headers"], &at("request.headers"));
        assert_pairs(&request["queryString"], &at("request.queryString"));
        if let Some(post) = request.get("postData") {
            assert!(post["mimeType"].is_string(), "{}", at("postData.mimeType"));
            if let Some(text) = post.get("text") {
                assert!(text.is_string(), "{}", at("postData.text"));
            }
        }
        let response = &entry["response"];
        assert!(response["status"].is_u64(), "{}", at("status"));
        for field in ["statusText", "httpVersion", "redirectURL"] {
            assert!(response[field].is_string(), "{}", at(field));
        }
        for field in ["headers", "cookies"] {
            assert!(response[field].is_array(), "{}", at(field));
        }
        for field in ["headersSize", "bodySize"] {
            assert!(response[field].is_i64(), "{}", at(field));
        }
        assert_pairs(&response["headers"], &at("response.headers"));
        let content = &response["content"];
        assert!(content["size"].is_i64(), "{}", at("content.size"));
        assert!(
            content["mimeType"].is_string(),
            "{}",
            at("content.mimeType")
        );
        assert!(entry["cache"].is_object(), "{}", at("cache"));
        let timings = &entry["timings"];
        let mut total = 0.0;
        for field in ["send", "wait", "receive"] {
            let ms = timings[field]
                .as_f64()
                .unwrap_or_else(|| panic!("{}", at(field)));
            assert!(ms >= 0.0, "{}", at(field));
            total += ms;
        }
        for field in ["blocked", "dns", "connect"] {
            assert_eq!(timings[field], -1.0, "{}", at(field));
        }
        let time = entry["time"].as_f64().unwrap_or_default();
        assert!(
            (time - total).abs() < 1e-6,
            "{}",
            at("time = send + wait + receive")
        );
        let gitcode = &entry["_gitcode"];
        assert!(
            gitcode["operation_id"].is_string() || gitcode["operation_id"].is_null(),
            "{}",
            at("_gitcode.operation_id")
        );
        assert!(
            gitcode["attempt"].as_u64().is_some_and(|n| n >= 1),
            "{}",
            at("attempt")
        );
    }
    har
}

fn assert_pairs(list: &Value, at: &str) {
    for pair in list.as_array().expect(at) {
        assert!(
            pair["name"].is_string() && pair["value"].is_string(),
            "{at}: {pair}"
        );
    }
}

/// The entries of a HAR.
fn entries(har: &Value) -> &Vec<Value> {
    har["log"]["entries"].as_array().unwrap()
}

/// The value of the header `name` in a HAR header list.
fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers
        .as_array()?
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|h| h["value"].as_str())
}

#[tokio::test]
async fn a_get_is_recorded_with_its_request_answer_and_operation() {
    let body = json!({"number": "7", "title": "Crash", "not_in_spec": true});
    let server = Server::start(vec![
        Reply::json(200, body.clone()).header("x-request-id", "abc"),
    ])
    .await;
    let (_dir, path, recorder) = to_temp_file();
    let issue = client(&server, &recorder)
        .get_issue()
        .owner("o")
        .repo("r")
        .number("7")
        .send()
        .await
        .unwrap();
    assert_eq!(issue.title.as_deref(), Some("Crash"));

    let har = read_har(&path);
    let [entry] = &entries(&har)[..] else {
        panic!("one entry: {har}")
    };
    let request = &entry["request"];
    assert_eq!(request["method"], "GET");
    assert_eq!(
        request["url"],
        format!("{}/api/v5/repos/o/r/issues/7", server.url)
    );
    assert_eq!(request["httpVersion"], "HTTP/1.1");
    assert_eq!(request["bodySize"], -1);
    assert!(request.get("postData").is_none());
    assert_eq!(
        header(&request["headers"], "authorization"),
        Some("Bearer [redacted]")
    );
    assert_eq!(
        header(&request["headers"], "accept"),
        Some("application/json")
    );
    let response = &entry["response"];
    assert_eq!(response["status"], 200);
    assert_eq!(response["statusText"], "OK");
    assert_eq!(header(&response["headers"], "x-request-id"), Some("abc"));
    let content = &response["content"];
    assert_eq!(content["mimeType"], "application/json");
    assert_eq!(content["text"], body.to_string(), "the body as sent");
    assert_eq!(content["size"], body.to_string().len());
    assert!(content.get("encoding").is_none());
    assert_eq!(
        entry["_gitcode"],
        json!({
            "operation_id": "get_issue",
            "path_template": "/api/v5/repos/{owner}/{repo}/issues/{number}",
            "attempt": 1
        })
    );
    assert_eq!(recorder.entries(), 1);
    assert_eq!(recorder.path().as_deref(), Some(path.as_path()));
    assert_eq!(recorder.stopped(), None);
}

#[tokio::test]
async fn a_form_post_and_a_query_are_recorded_decoded() {
    let server = Server::start(vec![Reply::json(201, json!({"number": 12}))]).await;
    let (_dir, path, recorder) = to_temp_file();
    let client = client(&server, &recorder);
    client
        .create_pull_request()
        .owner("o")
        .repo("r")
        .body(
            types::CreatePullRequestBody::builder()
                .title("Fix: a & b")
                .head("me:feature/x")
                .base("main"),
        )
        .send()
        .await
        .unwrap();
    client
        .list_repo_issues()
        .owner("o")
        .repo("r")
        .state("open")
        .labels("a b,c")
        .send_raw()
        .await
        .unwrap();

    let har = read_har(&path);
    let [post, get] = &entries(&har)[..] else {
        panic!("two entries: {har}")
    };
    assert_eq!(post["request"]["method"], "POST");
    let posted = &post["request"]["postData"];
    assert_eq!(posted["mimeType"], "application/x-www-form-urlencoded");
    let sent = server.requests()[0].body_text();
    assert_eq!(posted["text"], sent.as_str(), "the body as sent");
    assert_eq!(post["request"]["bodySize"], sent.len());
    assert_eq!(post["response"]["status"], 201);
    assert_eq!(post["_gitcode"]["operation_id"], "create_pull_request");

    let query = &get["request"]["queryString"];
    let pairs: Vec<(&str, &str)> = query
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
        .collect();
    assert!(pairs.contains(&("state", "open")), "{query}");
    assert!(pairs.contains(&("labels", "a b,c")), "decoded: {query}");
    let url = get["request"]["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("?{}", server.requests()[1].query())),
        "{url}"
    );
}

#[tokio::test]
async fn a_multipart_upload_is_recorded_as_sent_in_base64() {
    let server = Server::start(vec![Reply::json(200, json!({"text": "hello"}))]).await;
    let (_dir, path, recorder) = to_temp_file();
    let audio: &[u8] = b"RIFF\x00\xff\xfe\x01WAVE";
    client(&server, &recorder)
        .classify_audio()
        .model("some/model")
        .body_map(|b| b.file(gitcode::multipart::UploadFile::new("a.wav", audio)))
        .send()
        .await
        .unwrap();

    let har = read_har(&path);
    let [entry] = &entries(&har)[..] else {
        panic!("one entry: {har}")
    };
    let posted = &entry["request"]["postData"];
    let sent = server.only_request();
    assert_eq!(posted["mimeType"], sent.header("content-type").unwrap());
    assert_eq!(posted["encoding"], "base64", "binary parts are not UTF-8");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(posted["text"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, sent.body, "the body as sent, byte for byte");
    assert_eq!(entry["request"]["bodySize"], sent.body.len());
    assert_eq!(entry["_gitcode"]["operation_id"], "classify_audio");
}

#[tokio::test]
async fn a_raw_answer_is_recorded_in_base64_and_reaches_the_caller_whole() {
    // Bytes that are not UTF-8, with the token in them: the caller gets them
    // as sent, the file gets them redacted before the base64.
    let png = [
        &b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"[..],
        TOKEN.as_bytes(),
    ]
    .concat();
    let png = png.as_slice();
    let server = Server::start(vec![Reply::bytes(200, "image/png", png)]).await;
    let (_dir, path, recorder) = to_temp_file();
    let bytes = client(&server, &recorder)
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("assets/logo.png")
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), png);

    let har = read_har(&path);
    let content = &entries(&har)[0]["response"]["content"];
    assert_eq!(content["mimeType"], "image/png");
    assert_eq!(content["encoding"], "base64");
    assert_eq!(content["size"], png.len(), "the size as sent");
    let recorded = base64::engine::general_purpose::STANDARD
        .decode(content["text"].as_str().unwrap())
        .unwrap();
    let redacted = [&png[..png.len() - TOKEN.len()], b"[redacted]"].concat();
    assert_eq!(recorded, redacted);
}

#[tokio::test]
async fn an_error_answer_is_recorded_and_the_call_fails_as_ever() {
    let envelope = json!({"error_code": 404, "error_message": "Not Found Project"});
    let server = Server::start(vec![Reply::json(404, envelope.clone())]).await;
    let (_dir, path, recorder) = to_temp_file();
    let err = client(&server, &recorder)
        .get_repo()
        .owner("o")
        .repo("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), gitcode::ErrorKind::NotFound, "{err}");
    assert_eq!(
        err.api().and_then(|a| a.error_message.as_deref()),
        Some("Not Found Project")
    );

    let har = read_har(&path);
    let response = &entries(&har)[0]["response"];
    assert_eq!(response["status"], 404);
    assert_eq!(response["statusText"], "Not Found");
    assert_eq!(response["content"]["text"], envelope.to_string());
}

#[tokio::test]
async fn each_retry_is_an_entry_with_its_attempt() {
    let server = Server::start(vec![
        Reply::json(503, json!({"error_message": "busy"})).header("retry-after", "0"),
        Reply::json(200, json!({"login": "alice"})),
    ])
    .await;
    let (_dir, path, recorder) = to_temp_file();
    let policy = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        jitter: false,
    };
    let user = builder(&server, &recorder)
        .retry(policy)
        .build()
        .unwrap()
        .get_user()
        .username("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(user.login.as_deref(), Some("alice"));

    let har = read_har(&path);
    let [first, second] = &entries(&har)[..] else {
        panic!("two entries: {har}")
    };
    assert_eq!(first["response"]["status"], 503);
    assert_eq!(first["_gitcode"]["attempt"], 1);
    assert_eq!(second["response"]["status"], 200);
    assert_eq!(second["_gitcode"]["attempt"], 2);
    assert_eq!(second["_gitcode"]["operation_id"], "get_user");
}

#[tokio::test]
async fn each_redirect_hop_is_an_entry_that_names_the_one_before() {
    let storage = Server::start(vec![Reply::bytes(200, "text/plain", b"file body")]).await;
    let target = format!("{}/blob/1?sig=abc", storage.url);
    let api = Server::start(vec![Reply::empty(302).header("location", &target)]).await;
    let (_dir, path, recorder) = to_temp_file();
    let raw = client(&api, &recorder)
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("README.md")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(raw.body().as_ref(), b"file body");

    let har = read_har(&path);
    let [first, hop] = &entries(&har)[..] else {
        panic!("two entries: {har}")
    };
    assert_eq!(first["response"]["status"], 302);
    assert_eq!(first["response"]["redirectURL"], target);
    assert!(first["_gitcode"].get("redirect_of").is_none());
    assert_eq!(hop["request"]["url"], target);
    assert_eq!(hop["response"]["content"]["text"], "file body");
    assert_eq!(hop["_gitcode"]["redirect_of"], 0);
    assert_eq!(hop["_gitcode"]["operation_id"], "get_repo_raw_file");
    // Off the origin, the hop carried no credential (and the file shows it).
    assert_eq!(header(&hop["request"]["headers"], "authorization"), None);
}

/// The token, sent in each auth mode and echoed back by the server in a
/// body, a header and a URL, never reaches the file; nor do cookies.
#[tokio::test]
async fn no_credential_reaches_the_file_in_any_auth_mode_even_echoed() {
    for mode in [
        AuthMode::Bearer,
        AuthMode::PrivateToken,
        AuthMode::QueryParameter,
    ] {
        let echo = json!({
            "you_sent": TOKEN,
            "next": format!("/api/v5/user?access_token={TOKEN}"),
            "form": format!("access_token={TOKEN}&x=1"),
        });
        let server = Server::start(vec![
            Reply::json(200, echo)
                .header("x-echo-token", TOKEN)
                .header("set-cookie", "sid=n3w-c00kie-value; HttpOnly"),
        ])
        .await;
        let (_dir, path, recorder) = to_temp_file();
        let client = builder(&server, &recorder).auth_mode(mode).build().unwrap();
        client
            .request(reqwest::Method::POST, "/api/v5/echo")
            .header("cookie", "sid=old-c00kie-value")
            .json(&json!({"note": format!("my token is {TOKEN}")}))
            .send_raw()
            .await
            .unwrap();
        let sent = server.only_request();
        let on_the_wire = format!("{} {:?} {}", sent.target, sent.headers, sent.body_text());
        assert!(on_the_wire.contains(TOKEN), "{mode:?}: the token was sent");

        let bytes = std::fs::read(&path).unwrap();
        for secret in [TOKEN, "n3w-c00kie-value", "old-c00kie-value"] {
            assert_no_secret(&bytes, secret);
        }
        let har = check_har(&bytes);
        let entry = &entries(&har)[0];
        assert_eq!(
            entry["_gitcode"]["operation_id"],
            Value::Null,
            "not a spec operation"
        );
        assert_eq!(entry["_gitcode"]["path_template"], Value::Null);
        let text = entry["response"]["content"]["text"].as_str().unwrap();
        assert!(
            text.contains(r#""you_sent":"[redacted]""#),
            "{mode:?}: {text}"
        );
        assert_eq!(
            header(&entry["response"]["headers"], "x-echo-token"),
            Some("[redacted]")
        );
        assert_eq!(
            header(&entry["response"]["headers"], "set-cookie"),
            Some("[redacted]")
        );
        assert_eq!(
            header(&entry["request"]["headers"], "cookie"),
            Some("[redacted]")
        );
        match mode {
            AuthMode::Bearer => {
                assert_eq!(
                    header(&entry["request"]["headers"], "authorization"),
                    Some("Bearer [redacted]")
                )
            }
            AuthMode::PrivateToken => {
                assert_eq!(
                    header(&entry["request"]["headers"], "private-token"),
                    Some("[redacted]")
                )
            }
            AuthMode::QueryParameter => {
                let url = entry["request"]["url"].as_str().unwrap();
                assert!(url.ends_with("?access_token=[redacted]"), "{url}");
                assert_eq!(
                    entry["request"]["queryString"],
                    json!([{"name": "access_token", "value": "[redacted]"}])
                );
            }
        }
    }
}

#[tokio::test]
async fn the_oauth_secrets_never_reach_the_file() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"access_token": "fresh-acc3ss", "refresh_token": "fresh-r3fresh", "expires_in": 1296000}),
    )])
    .await;
    let (_dir, path, recorder) = to_temp_file();
    gitcode::Client::builder()
        .base_url(&server.url)
        .web_base_url(&server.url)
        .no_rate_limit()
        .record(recorder.clone())
        .build()
        .unwrap()
        .create_oauth_token()
        .grant_type("refresh_token")
        .refresh_token("old-r3fresh")
        .body_map(|b| b.client_secret("app-s3cret"))
        .send()
        .await
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for secret in ["fresh-acc3ss", "fresh-r3fresh", "old-r3fresh", "app-s3cret"] {
        assert_no_secret(&bytes, secret);
    }
    let har = check_har(&bytes);
    let entry = &entries(&har)[0];
    assert!(
        entry["request"]["url"]
            .as_str()
            .unwrap()
            .contains("refresh_token=[redacted]")
    );
    assert!(
        entry["response"]["content"]["text"]
            .as_str()
            .unwrap()
            .contains("1296000")
    );
}

#[tokio::test]
async fn reaching_the_cap_stops_recording_once_and_leaves_a_valid_har() {
    let server = Server::start(vec![Reply::json(
        200,
        json!({"login": "alice", "bio": "x".repeat(300)}),
    )])
    .await;
    let (_dir, path, recorder) = to_temp_file();
    let recorder = recorder.max_bytes(3000);
    let stops = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = stops.clone();
    // The function may ask the recorder what it holds (no lock is held).
    let asked = recorder.clone();
    let recorder = recorder.on_stop(move |reason| {
        let held = asked.entries();
        seen.lock().unwrap().push(format!("{held}: {reason}"));
    });
    let (logs, _guard) = Logs::capture(tracing::Level::WARN);
    let client = client(&server, &recorder);
    for _ in 0..5 {
        let user = client.get_user().username("alice").send().await.unwrap();
        assert_eq!(user.login.as_deref(), Some("alice"), "every call succeeds");
    }
    assert_eq!(server.requests().len(), 5);

    let har = read_har(&path);
    let recorded = entries(&har).len();
    assert!((1..5).contains(&recorded), "some, not all: {recorded}");
    assert!(std::fs::metadata(&path).unwrap().len() <= 3000);
    assert_eq!(recorder.entries(), recorded);
    let warnings = logs.lines_with("recording stopped");
    assert_eq!(warnings.len(), 1, "one warning: {}", logs.text());
    assert!(
        warnings[0].contains(&path.display().to_string()),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("cap of 3000 bytes"), "{}", warnings[0]);
    let stops = stops.lock().unwrap().clone();
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert!(stops[0].starts_with(&format!("{recorded}: ")), "{stops:?}");
    assert!(recorder.stopped().unwrap().contains("cap of 3000 bytes"));
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_not_recorded_and_reaches_the_caller() {
    let big = vec![b'a'; 100_000];
    let server = Server::start(vec![Reply::bytes(200, "text/plain", &big)]).await;
    let (_dir, path, recorder) = to_temp_file();
    let recorder = recorder.max_bytes(10_000);
    let bytes = client(&server, &recorder)
        .get_repo_raw_file()
        .owner("o")
        .repo("r")
        .path("big.txt")
        .send_bytes()
        .await
        .unwrap();
    assert_eq!(bytes.len(), big.len(), "the caller reads it all");
    assert_eq!(recorder.entries(), 0);
    assert!(recorder.stopped().unwrap().contains("cap of 10000 bytes"));
    assert!(!path.exists(), "nothing recorded, no file");
}

#[tokio::test]
async fn a_path_that_cannot_be_written_fails_no_call() {
    let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
    let dir = tempfile::tempdir().unwrap();
    for recorder in [
        Recorder::to_file(dir.path().join("missing").join("calls.har")),
        Recorder::to_dir(dir.path().join("missing")),
    ] {
        let (logs, _guard) = Logs::capture(tracing::Level::WARN);
        let client = client(&server, &recorder);
        for _ in 0..3 {
            let user = client.get_user().username("alice").send().await.unwrap();
            assert_eq!(user.login.as_deref(), Some("alice"));
        }
        let warnings = logs.lines_with("recording stopped");
        assert_eq!(warnings.len(), 1, "one warning: {}", logs.text());
        assert!(warnings[0].contains("missing"), "{}", warnings[0]);
        assert!(recorder.stopped().unwrap().contains("cannot write"));
        assert_eq!(recorder.entries(), 0);
    }
}

#[tokio::test]
async fn clones_share_one_recorder_and_a_directory_gets_a_file_per_recorder() {
    let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
    let dir = tempfile::tempdir().unwrap();
    let first = Recorder::to_dir(dir.path());
    let client = client(&server, &first);
    let clone = client.clone();
    client.get_user().username("a").send().await.unwrap();
    clone.get_user().username("b").send().await.unwrap();
    let second = Recorder::to_dir(dir.path());
    self::client(&server, &second)
        .get_user()
        .username("c")
        .send()
        .await
        .unwrap();

    let (one, two) = (first.path().unwrap(), second.path().unwrap());
    assert_ne!(one, two);
    assert_eq!(one.parent(), Some(dir.path()));
    let name = one.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("gitcode-") && name.ends_with(".har"),
        "{name}"
    );
    assert_eq!(
        entries(&read_har(&one)).len(),
        2,
        "the clone's call is in it"
    );
    assert_eq!(entries(&read_har(&two)).len(), 1);
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(files, 2, "no temporary file is left");
}

#[tokio::test]
async fn a_writer_gets_one_whole_har_at_flush_or_drop() {
    let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
    let out = SharedBuffer::default();
    let recorder = Recorder::to_writer(out.clone());
    let client = client(&server, &recorder);
    client.get_user().username("a").send().await.unwrap();
    client.get_user().username("b").send().await.unwrap();
    assert!(out.bytes().is_empty(), "nothing before flush");
    recorder.flush().unwrap();
    client.get_user().username("c").send().await.unwrap();
    recorder.flush().unwrap();
    let bytes = out.bytes();
    assert_no_secret(&bytes, TOKEN);
    assert_eq!(
        entries(&check_har(&bytes)).len(),
        2,
        "one document, written once"
    );

    let out = SharedBuffer::default();
    let recorder = Recorder::to_writer(out.clone());
    let client = self::client(&server, &recorder);
    client.get_user().username("a").send().await.unwrap();
    drop(recorder);
    assert!(out.bytes().is_empty(), "the client still holds it");
    drop(client);
    assert_eq!(entries(&check_har(&out.bytes())).len(), 1);
}

#[tokio::test]
async fn a_call_that_got_no_answer_is_not_recorded() {
    let (_dir, path, recorder) = to_temp_file();
    let client = gitcode::Client::builder()
        .base_url(format!("http://{}", crate::support::unused_addr()))
        .retry(RetryPolicy::none())
        .record(recorder.clone())
        .build()
        .unwrap();
    let err = client.get_user().username("a").send().await.unwrap_err();
    assert_eq!(err.kind(), gitcode::ErrorKind::Transport, "{err}");
    assert_eq!(recorder.entries(), 0);
    assert_eq!(recorder.stopped(), None, "recording goes on");
    assert!(!path.exists());
}

#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use crate::cli::Cli;

    #[tokio::test]
    async fn the_record_flag_and_gitcode_record_both_record_a_run() {
        let server = Server::start(vec![Reply::json(200, json!({"number": "7"}))]).await;
        let dir = tempfile::tempdir().unwrap();
        let flag = dir.path().join("flag.har");
        let run = Cli::new(&[
            "get-issue",
            "--owner",
            "o",
            "--repo",
            "r",
            "--number",
            "7",
            "--record",
            flag.to_str().unwrap(),
        ])
        .server(&server)
        .token(TOKEN)
        .run()
        .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        let har = read_har(&flag);
        assert_eq!(entries(&har)[0]["_gitcode"]["operation_id"], "get_issue");

        let env = dir.path().join("env.har");
        let run = Cli::new(&["api", "/api/v5/user"])
            .server(&server)
            .token(TOKEN)
            .env("GITCODE_RECORD", env.to_str().unwrap())
            .run()
            .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        let har = read_har(&env);
        let entry = &entries(&har)[0];
        assert_eq!(
            entry["request"]["url"],
            format!("{}/api/v5/user", server.url)
        );
        assert_eq!(entry["_gitcode"]["operation_id"], Value::Null);

        // A directory: a new file in it.
        let run = Cli::new(&[
            "api",
            "/api/v5/user",
            "--record",
            dir.path().to_str().unwrap(),
        ])
        .server(&server)
        .token(TOKEN)
        .run()
        .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        let made: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("gitcode-")
            })
            .collect();
        assert_eq!(made.len(), 1, "{made:?}");
        read_har(&made[0]);
    }

    #[tokio::test]
    async fn a_path_that_cannot_be_written_warns_and_the_command_succeeds() {
        let server = Server::start(vec![Reply::json(200, json!({"login": "alice"}))]).await;
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing").join("calls.har");
        let run = Cli::new(&["api", "/api/v5/user", "--record", missing.to_str().unwrap()])
            .server(&server)
            .token(TOKEN)
            .run()
            .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("alice"), "{}", run.stdout);
        let warnings: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning: recording stopped"))
            .collect();
        assert_eq!(warnings.len(), 1, "{}", run.stderr);
        assert!(warnings[0].contains("calls.har"), "{}", warnings[0]);
    }
}

#[cfg(feature = "mcp")]
mod mcp {
    use super::*;
    use crate::mcp::{Session, TOKEN as MCP_TOKEN, is_error, text};

    #[tokio::test]
    async fn gitcode_mcp_with_record_records_a_tool_call() {
        let server = Server::start(vec![Reply::json(
            200,
            json!({"number": "7", "title": "Crash"}),
        )])
        .await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.har");
        let session = Session::start(&server, &["--record", path.to_str().unwrap()]).await;
        let result = session
            .call(
                "get_issue",
                json!({"owner": "o", "repo": "r", "number": "7"}),
            )
            .await;
        assert!(!is_error(&result), "{}", text(&result));
        // Written before the answer went back: readable while the server runs.
        let bytes = std::fs::read(&path).unwrap();
        assert_no_secret(&bytes, MCP_TOKEN);
        let har = check_har(&bytes);
        let [entry] = &entries(&har)[..] else {
            panic!("one entry: {har}")
        };
        assert_eq!(entry["_gitcode"]["operation_id"], "get_issue");
        assert_eq!(
            entry["request"]["url"],
            format!("{}/api/v5/repos/o/r/issues/7", server.url)
        );
        assert_eq!(
            header(&entry["request"]["headers"], "authorization"),
            Some("Bearer [redacted]")
        );
        session.stop().await;
    }
}
