//! A loopback server for load and fault tests. It enforces a rate limit the
//! way GitCode does, on each request's *arrival*, and injects faults on
//! chosen requests: an error status, a connection closed before or after the
//! request was read, an answer that never comes. It counts what it did, so
//! tests can compare the client's report with the server's side.
//!
//! It also counts the arrivals of each token (the bearer token, for tests
//! with many processes, each with its own).
//!
//! What it serves: `POST /api/v5/repos/{owner}/issues` creates an issue
//! (counted by title, so a test sees an issue created twice), any other
//! request gets `{"login": "alice"}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the server does to the requests a [`Fault`] picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers with this status (and does not act on the request).
    Status(u16),
    /// Closes the connection before reading the request: it never acted.
    ResetBeforeRead,
    /// Reads the request, acts on it, then closes the connection without an
    /// answer.
    ResetAfterRead,
    /// Reads the request, acts on it, and never answers.
    NeverAnswer,
    /// Answers 429 with `Retry-After: seconds`, then answers 429 to every
    /// request arriving in those seconds (as an over-limit server does).
    RateLimited { seconds: u64 },
    /// Reads the requests of this bearer token, acts on them, and never
    /// answers (a process that will be killed mid-request).
    HangFor { token: &'static str },
}

/// Which requests (by arrival number, from 1) get a fault.
#[derive(Clone, Copy, Debug)]
pub enum Every {
    /// Every `k`-th request.
    Kth(u64),
    /// The first `n` requests.
    First(u64),
    /// The `n`-th request only.
    Nth(u64),
}

impl Every {
    fn picks(self, n: u64) -> bool {
        match self {
            Every::Kth(k) => k > 0 && n.is_multiple_of(k),
            Every::First(first) => n <= first,
            Every::Nth(nth) => n == nth,
        }
    }
}

/// How the server behaves.
#[derive(Clone, Copy, Debug, Default)]
pub struct Behaviour {
    /// At most this many arrivals in any window of this length; more are
    /// answered 429 with `Retry-After: 1`.
    pub limit: Option<(usize, Duration)>,
    pub fault: Option<(Fault, Every)>,
}

/// What the server saw and did.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Requests that arrived (read whole, or picked to be reset first).
    pub arrived: u64,
    /// 429s sent because a request arrived over the limit or while blocked.
    pub over_limit: u64,
    /// Faults injected (the injected 429 of [`Fault::RateLimited`] included).
    pub faults: u64,
    /// Successful answers.
    pub answered: u64,
    /// POST requests read (a request reset before it was read is not).
    pub posts: u64,
    /// Issues created, by title: the server acted on that POST.
    pub created: HashMap<String, u32>,
    /// Requests read, by bearer token (`""` for none).
    pub per_token: HashMap<String, u64>,
    /// Every request read: when it arrived, and its bearer token.
    pub arrivals: Vec<(Instant, String)>,
}

impl Counts {
    /// The most arrivals of `token` in any window of length `per`.
    pub fn most_in_window(&self, token: &str, per: Duration) -> usize {
        let times: Vec<Instant> = self
            .arrivals
            .iter()
            .filter(|(_, t)| t == token)
            .map(|(at, _)| *at)
            .collect();
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|&&t| t - times[i] < per)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }
}

struct State {
    behaviour: Behaviour,
    counts: Counts,
    arrivals: std::collections::VecDeque<Instant>,
    blocked_until: Option<Instant>,
}

/// The server; it runs until the test's runtime ends.
pub struct LoadServer {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl LoadServer {
    pub async fn start(behaviour: Behaviour) -> LoadServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            behaviour,
            counts: Counts::default(),
            arrivals: Default::default(),
            blocked_until: None,
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        LoadServer { url, state }
    }

    pub fn counts(&self) -> Counts {
        self.state.lock().unwrap().counts.clone()
    }
}

/// What to do with one request, decided when it has arrived.
enum Action {
    Answer(u16, String, Vec<(&'static str, String)>),
    Close,
    Hang,
}

async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        // Wait for a request to start arriving.
        if reader.fill_buf().await?.is_empty() {
            return Ok(());
        }
        let reset_first = {
            let mut state = state.lock().unwrap();
            let n = state.counts.arrived + 1;
            match state.behaviour.fault {
                Some((Fault::ResetBeforeRead, every)) if every.picks(n) => {
                    state.counts.arrived = n;
                    state.counts.faults += 1;
                    true
                }
                _ => false,
            }
        };
        if reset_first {
            // Unread data in the socket: closing it sends a reset.
            return Ok(());
        }
        let (method, target, token, body) = read_request(&mut reader).await?;
        let action = arrive(&state, &method, &target, &token, &body);
        match action {
            Action::Close => return Ok(()),
            Action::Hang => {
                // Until the client gives up and closes.
                let mut rest = Vec::new();
                let _ = reader.read_to_end(&mut rest).await;
                return Ok(());
            }
            Action::Answer(status, body, headers) => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                write.write_all(head.as_bytes()).await?;
                write.write_all(body.as_bytes()).await?;
                write.flush().await?;
            }
        }
    }
}

/// Counts the arrival, applies the limit and the fault, and acts.
fn arrive(state: &Mutex<State>, method: &str, target: &str, token: &str, body: &[u8]) -> Action {
    let mut state = state.lock().unwrap();
    // Stamped under the lock, so that the arrivals are in order: a stamp
    // taken before a wait for the lock could go in behind later ones and
    // outlive its window, counting a request the window no longer holds.
    let now = Instant::now();
    let state = &mut *state;
    state.counts.arrived += 1;
    *state.counts.per_token.entry(token.to_string()).or_default() += 1;
    state.counts.arrivals.push((now, token.to_string()));
    let n = state.counts.arrived;
    if method == "POST" {
        state.counts.posts += 1;
    }
    let too_many = || {
        Action::Answer(
            429,
            r#"{"message":"too many requests"}"#.into(),
            vec![("retry-after", "1".into())],
        )
    };
    if let Some((limit, per)) = state.behaviour.limit {
        while state
            .arrivals
            .front()
            .is_some_and(|&t| now.duration_since(t) >= per)
        {
            state.arrivals.pop_front();
        }
        let over = state.arrivals.len() >= limit;
        state.arrivals.push_back(now);
        if over {
            state.counts.over_limit += 1;
            return too_many();
        }
    }
    if state.blocked_until.is_some_and(|until| now < until) {
        state.counts.over_limit += 1;
        return too_many();
    }
    let fault = match state.behaviour.fault {
        Some((Fault::HangFor { token: hung }, _)) if hung == token => Some(Fault::NeverAnswer),
        Some((Fault::HangFor { .. }, _)) => None,
        Some((fault, every)) if every.picks(n) => Some(fault),
        _ => None,
    };
    if fault.is_some() {
        state.counts.faults += 1;
    }
    match fault {
        Some(Fault::Status(status)) => {
            return Action::Answer(status, r#"{"message":"injected"}"#.into(), Vec::new());
        }
        Some(Fault::RateLimited { seconds }) => {
            state.blocked_until = Some(now + Duration::from_secs(seconds));
            return Action::Answer(
                429,
                r#"{"message":"too many requests"}"#.into(),
                vec![("retry-after", seconds.to_string())],
            );
        }
        _ => {}
    }
    // Act on the request.
    let answer = if method == "POST" && target.ends_with("/issues") {
        let title = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|b| b["title"].as_str().map(String::from))
            .unwrap_or_default();
        let created = state.counts.created.entry(title.clone()).or_default();
        *created += 1;
        Action::Answer(
            201,
            serde_json::json!({"number": n.to_string(), "title": title}).to_string(),
            Vec::new(),
        )
    } else {
        Action::Answer(200, r#"{"login":"alice"}"#.into(), Vec::new())
    };
    match fault {
        Some(Fault::ResetAfterRead) => Action::Close,
        Some(Fault::NeverAnswer) => Action::Hang,
        _ => {
            state.counts.answered += 1;
            answer
        }
    }
}

/// Reads one request: method, target, bearer token and body (by
/// `content-length`).
async fn read_request(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<(String, String, String, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut length = 0;
    let mut token = String::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let name = name.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("authorization") {
                token = value.trim().trim_start_matches("Bearer ").to_string();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok((method, target, token, body))
}
