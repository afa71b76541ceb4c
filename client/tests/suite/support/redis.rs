//! A `redis-server` of a test's own, on a Unix socket in a temporary
//! directory (no port to collide with), without persistence; stopped when
//! dropped.
//!
//! Without `redis-server` on `PATH`, [`RedisServer::start`] fails the test
//! in CI (`CI=true`: `.ci/run` installs the Debian package) and elsewhere
//! says the test was skipped and returns `None`, so the suite can never
//! pass in CI by skipping these tests.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Option<Child>,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    /// A running server, or `None` (with a note) when `redis-server` is not
    /// installed outside CI. `test` names the test in that note.
    pub fn start(test: &str) -> Option<RedisServer> {
        if let Err(e) = Command::new("redis-server").arg("--version").output() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "{test}: redis-server is not on PATH ({e}); CI must install it \
                     (.ci/run: apt-get install redis-server)"
                );
            }
            eprintln!(
                "note: {test} skipped: redis-server is not on PATH ({e}); \
                 install the Debian package redis-server to run it"
            );
            return None;
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut server = RedisServer {
            child: None,
            socket: dir.path().join("redis.sock"),
            _dir: dir,
        };
        server.restart();
        Some(server)
    }

    /// The URL clients connect with.
    pub fn url(&self) -> String {
        format!("redis+unix://{}", self.socket.display())
    }

    /// Stops the server (its data is lost: it keeps none).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // A frozen server dies of SIGKILL all the same.
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.socket);
    }

    /// Freezes the server (`SIGSTOP`): it keeps its data and its socket
    /// but answers nothing, as a hung or unreachable server.
    pub fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen server go on (`SIGCONT`).
    pub fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("a running redis-server");
        let status = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} redis-server: {status}");
    }

    /// Starts the server (again), on the same socket, and waits until it
    /// answers `PING`.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--unixsocket"])
            .arg(&self.socket)
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.answers_ping() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer PING on {} within 20 s",
                self.socket.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The keys matching `pattern` (`KEYS`), as the server holds them.
    pub fn keys(&self, pattern: &str) -> Vec<String> {
        let mut stream = UnixStream::connect(&self.socket).expect("connect to redis-server");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("a read timeout");
        let command = format!("*2\r\n$4\r\nKEYS\r\n${}\r\n{pattern}\r\n", pattern.len());
        stream.write_all(command.as_bytes()).expect("send KEYS");
        let mut answer = Vec::new();
        let mut buffer = [0; 4096];
        loop {
            if let Some(keys) = bulk_strings(&answer) {
                return keys;
            }
            let read = stream.read(&mut buffer).expect("read the answer to KEYS");
            assert!(read > 0, "redis-server closed the connection");
            answer.extend_from_slice(&buffer[..read]);
        }
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut stream) = UnixStream::connect(&self.socket) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut answer = [0; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG\r\n"
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// An array of bulk strings in RESP, once it has all arrived.
fn bulk_strings(answer: &[u8]) -> Option<Vec<String>> {
    let text = std::str::from_utf8(answer).ok()?;
    let mut lines = text.split("\r\n");
    let count: usize = lines.next()?.strip_prefix('*')?.parse().ok()?;
    let mut keys = Vec::with_capacity(count);
    for _ in 0..count {
        let length: usize = lines.next()?.strip_prefix('$')?.parse().ok()?;
        let key = lines.next()?;
        if key.len() != length {
            return None;
        }
        keys.push(key.to_string());
    }
    // The last line's end has arrived too.
    lines.next()?;
    Some(keys)
}
