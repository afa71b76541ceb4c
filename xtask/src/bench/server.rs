//! The benchmark's loopback GitCode: a minimal keep-alive HTTP/1.1 server on
//! 127.0.0.1, in a thread of its own, answering two routes with docs
//! examples:
//!
//! - `GET /api/v5/users/{username}`: a user profile;
//! - `GET /api/v5/repos/{owner}/items-{total}/issues?page=P&per_page=N`:
//!   page `P` of a repository holding `total` issues, generated on the fly
//!   (nothing is held but the page being written), with fewer than `N`
//!   items on the last page (none past the end).

use std::fmt::Write as _;
use std::io;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// GitCode's default page size, and its largest.
pub const DEFAULT_PER_PAGE: u64 = 20;
pub const MAX_PER_PAGE: u64 = 100;

/// The docs example of `GET /api/v5/users/{username}`
/// (`get-api-v-5-users-username.md`).
const USER_EXAMPLE: &str = r#"{
  "avatar_url": "https://cdn-img.gitcode.com/ec/fb/430ecf07b9ee91bbbbf341d92a36783d06e69086f82ce8cf5a6406f79f1c9cf4.png",
  "bio": "Nacos is an open-source service governance middleware by Alibaba, integrating dynamic service discovery, configuration management, and service metadata management functionalities. It is widely used in microservice architectures to simplify the service governance process.",
  "blog": "https://www.dengmengmian.com",
  "company": "developer",
  "email": "my@dengmengmian.com",
  "followers": 0,
  "followers_url": "https://api.gitcode.com/api/v5/users/dengmengmian/followers",
  "following": 6,
  "html_url": "https://gitcode.com/dengmengmian",
  "id": "650d67fbae6d795139b49b41",
  "login": "dengmengmian",
  "name": "Mavan",
  "top_languages": ["Python", "Shell"],
  "type": "User",
  "url": "https://api.gitcode.com/api/v5/dengmengmian"
}"#;

/// The docs example of `GET /api/v5/repos/{owner}/{repo}/issues/{number}`
/// (`get-api-v-5-repos-owner-repo-issues-number.md`), with `@ID@` and
/// `@NUMBER@` where each generated issue puts its own id and number.
const ISSUE_EXAMPLE: &str = r#"{
  "assignee": null,
  "body": "abcabcabc",
  "created_at": "2024-04-15T21:58:21.188+08:00",
  "finished_at": null,
  "html_url": "https://test.gitcode.net/dengmengmian/test01/issues/@NUMBER@",
  "id": "@ID@",
  "issue_state": "opened",
  "issue_state_detail": null,
  "issue_type": null,
  "labels": [],
  "number": "@NUMBER@",
  "priority": null,
  "repository": {
    "assignee": null,
    "assignees_number": null,
    "assigner": null,
    "created_at": "2024-04-15T16:27:45.090+08:00",
    "description": "",
    "full_name": "dengmengmian / test01",
    "id": 280713,
    "name": "test01",
    "paas": null,
    "path": "test01",
    "pushed_at": null,
    "testers": null,
    "testers_number": null,
    "updated_at": "2024-04-15T16:27:45.090+08:00"
  },
  "severity": "Major",
  "stage": "New",
  "state": "opened",
  "title": "Inspector Gold Film @NUMBER@",
  "updated_at": "2024-04-15T21:58:21.188+08:00",
  "user": {
    "avatar_url": "https://gitcode-img.obs.cn-south-1.myhuaweicloud.com:443/fa/fe/f32a9fecc53e890afbd48fd098b0f6c5f20f062581400c76c85e5baab3f0d5b2.png",
    "events_url": null,
    "followers_url": null,
    "following_url": null,
    "gists_url": null,
    "html_url": "https://test.gitcode.net/dengmengmian",
    "id": "661ce4eab470b1430d456154",
    "login": "dengmengmian",
    "member_role": null,
    "name": "MaFan_",
    "organizations_url": null,
    "received_events_url": null,
    "remark": null,
    "repos_url": null,
    "starred_url": null,
    "subscriptions_url": null,
    "type": null,
    "url": null
  }
}"#;

/// The id of the first issue of every repository (the docs example's).
pub const FIRST_ISSUE_ID: u64 = 152212;

/// A running server. It lives as long as the process.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Server {
    /// Starts the server in a new thread; `init` runs first on that thread
    /// (the benchmark uses it to leave the server's allocations uncounted).
    pub fn start(init: fn()) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let url = format!("http://{}", listener.local_addr()?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let fixtures = Fixtures::new();
        std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                init();
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)
                        .expect("a non-blocking listener");
                    while let Ok((stream, _)) = listener.accept().await {
                        let fixtures = fixtures.clone();
                        tokio::spawn(async move {
                            let _ = serve(stream, &fixtures).await;
                        });
                    }
                });
            })?;
        Ok(Server { url })
    }
}

/// The bodies, compacted once.
#[derive(Clone)]
struct Fixtures {
    user: std::sync::Arc<[u8]>,
    issue: std::sync::Arc<IssueTemplate>,
}

impl Fixtures {
    fn new() -> Self {
        Fixtures {
            user: compact(USER_EXAMPLE).into_bytes().into(),
            issue: IssueTemplate::new().into(),
        }
    }
}

fn compact(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .expect("the example is JSON")
        .to_string()
}

/// The issue example cut at its holes: `parts[0] hole[0] parts[1] ...`.
struct IssueTemplate {
    parts: Vec<String>,
    holes: Vec<Hole>,
}

#[derive(Clone, Copy)]
enum Hole {
    Id,
    Number,
}

impl IssueTemplate {
    fn new() -> Self {
        // The holes inside strings keep their place; the quoted ones become
        // bare numbers, as the server sends them.
        let text = compact(ISSUE_EXAMPLE);
        let markers = [
            ("\"@ID@\"", Hole::Id),
            ("\"@NUMBER@\"", Hole::Number),
            ("@NUMBER@", Hole::Number),
        ];
        let (mut parts, mut holes) = (Vec::new(), Vec::new());
        let mut rest = text.as_str();
        loop {
            let next = markers
                .iter()
                .filter_map(|&(marker, hole)| rest.find(marker).map(|at| (at, marker, hole)))
                .min_by_key(|&(at, marker, _)| (at, std::cmp::Reverse(marker.len())));
            let Some((at, marker, hole)) = next else {
                parts.push(rest.to_string());
                break;
            };
            parts.push(rest[..at].to_string());
            holes.push(hole);
            rest = &rest[at + marker.len()..];
        }
        IssueTemplate { parts, holes }
    }

    /// Writes the issue at `index` (from 0) of a repository.
    fn write(&self, index: u64, out: &mut String) {
        for (part, hole) in self.parts.iter().zip(&self.holes) {
            out.push_str(part);
            let value = match hole {
                Hole::Id => FIRST_ISSUE_ID + index,
                Hole::Number => index + 1,
            };
            let _ = write!(out, "{value}");
        }
        out.push_str(self.parts.last().expect("at least one part"));
    }
}

/// The body of a full page of `n` issues, as the server writes it.
pub fn issues_page_body(n: u64) -> String {
    let mut body = String::new();
    write_issues_page(&IssueTemplate::new(), n, 1, n, &mut body);
    body
}

/// Writes page `page` (from 1) of `per_page` items of a repository holding
/// `total` issues as a JSON array; returns how many items it holds.
fn write_issues_page(
    template: &IssueTemplate,
    total: u64,
    page: u64,
    per_page: u64,
    out: &mut String,
) -> u64 {
    let first = page.saturating_sub(1).saturating_mul(per_page).min(total);
    let end = first.saturating_add(per_page).min(total);
    out.push('[');
    for index in first..end {
        if index > first {
            out.push(',');
        }
        template.write(index, out);
    }
    out.push(']');
    end - first
}

/// The status and JSON body for `GET target`.
fn answer(fixtures: &Fixtures, method: &str, target: &str, body: &mut String) -> u16 {
    body.clear();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let segments: Vec<&str> = path.split('/').collect();
    match (method, segments.as_slice()) {
        ("GET", ["", "api", "v5", "users", _]) => {
            body.push_str(std::str::from_utf8(&fixtures.user).expect("UTF-8"));
            200
        }
        ("GET", ["", "api", "v5", "repos", _, repo, "issues"]) => {
            let Some(total) = repo
                .strip_prefix("items-")
                .and_then(|n| n.parse::<u64>().ok())
            else {
                body.push_str(r#"{"message":"404 Project Not Found"}"#);
                return 404;
            };
            let param = |name: &str| {
                query
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| *key == name)
                    .and_then(|(_, value)| value.parse::<u64>().ok())
            };
            let page = param("page").unwrap_or(1).max(1);
            let per_page = param("per_page")
                .unwrap_or(DEFAULT_PER_PAGE)
                .clamp(1, MAX_PER_PAGE);
            write_issues_page(&fixtures.issue, total, page, per_page, body);
            200
        }
        _ => {
            body.push_str(r#"{"message":"404 Not Found"}"#);
            404
        }
    }
}

/// Answers the requests of one connection, in order, until it closes.
async fn serve(stream: TcpStream, fixtures: &Fixtures) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let (mut line, mut header) = (String::new(), String::new());
    let (mut body, mut response) = (String::new(), Vec::new());
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut words = line.split_whitespace();
        let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let mut content_length = 0;
        let mut close = false;
        loop {
            header.clear();
            if reader.read_line(&mut header).await? == 0 {
                return Ok(());
            }
            let Some((name, value)) = header.trim_end().split_once(':') else {
                break; // the blank line
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        // The benchmark sends no bodies; skip any.
        tokio::io::copy(
            &mut (&mut reader).take(content_length),
            &mut tokio::io::sink(),
        )
        .await?;
        let status = answer(fixtures, method, target, &mut body);
        response.clear();
        write!(
            VecWriter(&mut response),
            "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            if status == 200 { "OK" } else { "Not Found" },
            body.len()
        )
        .expect("writing to memory");
        response.extend_from_slice(body.as_bytes());
        write.write_all(&response).await?;
        if close {
            return Ok(());
        }
    }
}

/// `fmt::Write` into a byte buffer.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `GET target` on `stream`; returns the status and the body.
    async fn get(stream: &mut TcpStream, target: &str) -> (u16, serde_json::Value) {
        let request = format!("GET {target} HTTP/1.1\r\nhost: bench\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        let status = line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut length = None;
        loop {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
            match line.trim_end().split_once(':') {
                Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                    length = Some(value.trim().parse::<usize>().unwrap());
                }
                Some(_) => {}
                None => break,
            }
        }
        let mut body = vec![0; length.expect("a content-length")];
        reader.read_exact(&mut body).await.unwrap();
        // Nothing may be left over: the next answer starts on a clean stream.
        assert!(reader.buffer().is_empty());
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[test]
    fn pages_are_generated_with_a_short_last_page() {
        let server = Server::start(|| {}).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(async {
            let address = server.url.strip_prefix("http://").unwrap();
            // One keep-alive connection for every request.
            let mut stream = TcpStream::connect(address).await.unwrap();
            let issues = "/api/v5/repos/o/items-250/issues";
            let mut numbers = Vec::new();
            for (page, expected) in [(1, 100), (2, 100), (3, 50), (4, 0)] {
                let target = format!("{issues}?state=open&page={page}&per_page=100");
                let (status, body) = get(&mut stream, &target).await;
                let items = body.as_array().expect("a JSON array");
                assert_eq!((status, items.len()), (200, expected), "page {page}");
                for item in items {
                    let number = item["number"].as_u64().unwrap();
                    assert_eq!(item["id"], FIRST_ISSUE_ID + number - 1);
                    assert_eq!(
                        item["title"],
                        format!("Inspector Gold Film {number}").as_str()
                    );
                    assert!(
                        item["html_url"]
                            .as_str()
                            .unwrap()
                            .ends_with(&format!("/{number}"))
                    );
                    assert_eq!(item["user"]["login"], "dengmengmian");
                    numbers.push(number);
                }
            }
            assert_eq!(numbers, (1..=250).collect::<Vec<u64>>());

            // The default and the largest page size.
            let (_, body) = get(&mut stream, &format!("{issues}?page=2")).await;
            assert_eq!(body.as_array().unwrap().len(), 20);
            assert_eq!(body[0]["number"], 21);
            let (_, body) = get(&mut stream, &format!("{issues}?per_page=1000")).await;
            assert_eq!(body.as_array().unwrap().len(), 100);

            let (status, body) = get(&mut stream, "/api/v5/users/alice").await;
            assert_eq!(status, 200);
            assert_eq!(body["login"], "dengmengmian");
            let (status, _) = get(&mut stream, "/api/v5/repos/o/r/issues").await;
            assert_eq!(status, 404);
        });
    }
}
