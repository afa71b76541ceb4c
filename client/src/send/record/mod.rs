//! Recording every exchange as HAR 1.2, the format of browsers' developer
//! tools, mitmproxy and Charles: evidence of what the server really
//! answered, for a bug report or for `cargo xtask conformance`.
//!
//! ```no_run
//! # fn run() -> Result<(), gitcode::BuildError> {
//! use gitcode::record::Recorder;
//!
//! let client = gitcode::Client::builder()
//!     .token("...")
//!     .record(Recorder::to_file("gitcode.har"))
//!     .build()?;
//! // Every call of `client` and of its clones is now in gitcode.har.
//! # Ok(())
//! # }
//! ```
//!
//! On the command line: `gitcode --record FILE ...` or `GITCODE_RECORD=FILE`
//! (also for `gitcode mcp`).
//!
//! # The format
//!
//! One JSON document, `{"log": {"version": "1.2", "creator": {"name":
//! "gitcode-rs", "version": ...}, "entries": [...]}}`, one entry a line.
//! Each entry is one request sent (each retry and each redirect hop is an
//! entry of its own) with `startedDateTime`, `time` and `timings`
//! (milliseconds), the `request` (method, full URL, headers, decoded
//! `queryString`, `postData` with the body) and the `response` (status,
//! headers, `content` with the body as sent, `redirectURL`). A body that
//! is not UTF-8 is base64 with `"encoding": "base64"`, in `content` and in
//! `postData`. The headers are those the client set; those the HTTP stack
//! adds on the wire (`Host`, `Content-Length`, the `User-Agent` of a
//! reqwest client) are not in them. Cookies are not parsed (`cookies` is
//! always empty), and header sizes are -1. Each entry has the custom field
//! `"_gitcode": {"operation_id", "path_template", "attempt"}`, plus
//! `"redirect_of"` (the index of the entry it follows) for a redirect hop;
//! `operation_id` and `path_template` are `null` for a call that is no
//! spec operation ([`Client::request`](crate::Client::request), `gitcode
//! api`). A request whose body is a stream (a multipart upload) is copied
//! as it is sent; if the server answered before it was sent to its end,
//! its `bodySize` is -1 and its `postData` has no text.
//!
//! A request that got no answer (connection refused, a timeout) is not
//! recorded: there is no exchange to show, and the call's error says what
//! happened. Nor is an answer whose body failed half-way.
//!
//! # Redaction
//!
//! Credentials never reach the recording, nor any buffer of it: they are
//! replaced by [`REDACTED`](crate::auth::REDACTED) while each entry is
//! built. That is the whole value of `PRIVATE-TOKEN`, `Cookie` and
//! `Set-Cookie`, and of `Authorization` and `Proxy-Authorization` all but
//! the scheme (`Bearer [redacted]`, which says how the token was sent, for
//! `cargo xtask conformance` to hold against the spec); the value of
//! `access_token`, `refresh_token`, `client_secret`, `private_token` and
//! `password` in a query (URL and `queryString`), a form body or a JSON
//! body; and the text of the token of every client that records here, and
//! of those values, wherever it appears (URLs, any header, bodies of both
//! directions, as sent, form-encoded or JSON-escaped: a server may echo
//! it). A text shorter than 4 characters is no token and is not searched
//! for.
//!
//! # The cap
//!
//! A recording holds at most [`DEFAULT_MAX_BYTES`] (64 MiB) unless
//! [`Recorder::max_bytes`] says otherwise. An exchange that would make it
//! larger is not recorded, and recording stops there: one
//! `tracing::warn!` (target `gitcode::record`) names the recording and
//! the cap, [`Recorder::on_stop`] is called, and the recording stays a
//! valid HAR of the exchanges before. A body is read for the recording
//! only up to what is left of the cap: past it, the caller still gets the
//! whole body, read from the server as it comes.
//!
//! # Atomicity
//!
//! A file ([`Recorder::to_file`], [`Recorder::to_dir`]) is rewritten whole
//! after each exchange, before the call returns: written to a temporary
//! file in the same directory, then renamed over the recording. A reader,
//! or a process that crashed, finds a valid HAR of every exchange up to the
//! last completed one. Each rewrite costs the size of the recording (the
//! entries are kept in memory, bounded by the cap); a writer
//! ([`Recorder::to_writer`]) gets the whole HAR once, at
//! [`Recorder::flush`] or when the last client that records to it drops.
//!
//! # Failures
//!
//! A failure to record (a directory that does not exist, a full disk, a
//! writer that fails) never fails a call: it stops the recording with one
//! warning, as the cap does, and calls go on unrecorded. Clones of a
//! client, and every client built with clones of one [`Recorder`], share
//! that recorder, its cap and its file.
//!
//! # Cost
//!
//! A client built without [`ClientBuilder::record`](crate::ClientBuilder::record)
//! checks one `Option` per request sent, and copies and buffers nothing.

mod capture;
mod har;
mod sink;

pub(crate) use capture::Hop;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use crate::redact::Redactor;
use sink::{HEADER, SEPARATOR, Sink, TRAILER};

/// The largest recording by default: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Where a client's exchanges are recorded, as HAR 1.2 (see the
/// [module](self)). Cheap to clone: clones record to the same place.
///
/// ```
/// use gitcode::record::Recorder;
///
/// let dir = tempfile::tempdir()?;
/// let recorder = Recorder::to_dir(dir.path()).max_bytes(8 * 1024 * 1024);
/// let client = gitcode::Client::builder().record(recorder.clone()).build()?;
/// assert_eq!(recorder.entries(), 0); // nothing sent yet, no file yet
/// assert!(recorder.path().is_none());
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Recorder {
    shared: Arc<Shared>,
}

struct Shared {
    /// Cleared when recording stops: exchanges then pass untouched.
    recording: AtomicBool,
    /// The tokens of the clients that record here.
    secrets: RwLock<Redactor>,
    state: Mutex<State>,
}

struct State {
    sink: Sink,
    max_bytes: u64,
    /// The entries so far, as JSON, joined by [`SEPARATOR`].
    entries: Vec<u8>,
    count: usize,
    /// Why recording stopped before its end, if it did.
    stopped: Option<String>,
    on_stop: Option<Notify>,
}

/// What [`Recorder::on_stop`] calls.
type Notify = Arc<dyn Fn(&str) + Send + Sync>;

/// A call of [`Recorder::on_stop`]'s function still to make, once the
/// state is unlocked (the function may ask the recorder what it holds).
#[must_use]
struct Stopped(Option<(Notify, String)>);

impl Stopped {
    fn tell(self) {
        if let Some((notify, reason)) = self.0 {
            notify(&reason);
        }
    }
}

impl State {
    /// The size of the HAR with `extra` more bytes of entry.
    fn size_with(&self, extra: usize) -> u64 {
        let separator = if self.count == 0 || extra == 0 {
            0
        } else {
            SEPARATOR.len()
        };
        (HEADER.len() + self.entries.len() + separator + extra + TRAILER.len()) as u64
    }
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Recorder")
            .field("to", &state.sink.describe())
            .field("max_bytes", &state.max_bytes)
            .field("entries", &state.count)
            .field("stopped", &state.stopped)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    fn new(sink: Sink) -> Recorder {
        Recorder {
            shared: Arc::new(Shared {
                recording: AtomicBool::new(true),
                secrets: RwLock::new(Redactor::default()),
                state: Mutex::new(State {
                    sink,
                    max_bytes: DEFAULT_MAX_BYTES,
                    entries: Vec::new(),
                    count: 0,
                    stopped: None,
                    on_stop: None,
                }),
            }),
        }
    }

    /// Records to the file `path`, created at the first exchange (its
    /// directory must exist) and replaced whole, atomically, after each
    /// one. A file that was there is overwritten.
    pub fn to_file(path: impl Into<PathBuf>) -> Recorder {
        Recorder::new(Sink::File(path.into()))
    }

    /// Records to a new file in the directory `dir` (which must exist),
    /// named at the first exchange `gitcode-<UTC time>-<process>-<n>.har`,
    /// so that every recorder, and every run, has a file of its own;
    /// written as [`to_file`](Self::to_file) writes. [`path`](Self::path)
    /// names it.
    pub fn to_dir(dir: impl Into<PathBuf>) -> Recorder {
        Recorder::new(Sink::Dir {
            dir: dir.into(),
            file: None,
        })
    }

    /// Records to `writer`: the whole HAR is written to it once, at
    /// [`flush`](Self::flush) or when the last clone of this recorder (the
    /// clients' included) drops.
    pub fn to_writer(writer: impl Write + Send + 'static) -> Recorder {
        Recorder::new(Sink::Writer(Some(Box::new(writer))))
    }

    /// Caps the recording at `max_bytes` (default [`DEFAULT_MAX_BYTES`]);
    /// see [the cap](self#the-cap).
    pub fn max_bytes(self, max_bytes: u64) -> Recorder {
        self.state().max_bytes = max_bytes;
        self
    }

    /// Calls `notify` with the reason, once, if recording stops before its
    /// end (the cap reached, a failure to write), besides the warning
    /// logged with `tracing`. The command line prints it on standard
    /// error.
    pub fn on_stop(self, notify: impl Fn(&str) + Send + Sync + 'static) -> Recorder {
        self.state().on_stop = Some(Arc::new(notify));
        self
    }

    /// Writes the recording out: for [`to_writer`](Self::to_writer), the
    /// whole HAR, once (exchanges after it are not recorded: a writer
    /// takes one document); for a file, nothing (it holds every exchange
    /// already). An error is also logged, and ends the recording.
    pub fn flush(&self) -> io::Result<()> {
        let (finished, stopped) = self.finish(&mut self.state());
        stopped.tell();
        finished
    }

    /// The file recorded to: the file given, or the one chosen in the
    /// directory once the first exchange was written; `None` for a writer.
    pub fn path(&self) -> Option<PathBuf> {
        self.state().sink.path().map(Path::to_path_buf)
    }

    /// How many exchanges were recorded.
    pub fn entries(&self) -> usize {
        self.state().count
    }

    /// Why recording stopped before its end (the cap, a failure), if it did.
    pub fn stopped(&self) -> Option<String> {
        self.state().stopped.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Also redacts `secret` (a client's token) from every entry.
    pub(crate) fn add_secret(&self, secret: &str) {
        self.shared
            .secrets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .add(secret);
    }

    fn secrets(&self) -> Redactor {
        self.shared
            .secrets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether exchanges are still recorded.
    fn is_recording(&self) -> bool {
        self.shared.recording.load(Ordering::Relaxed)
    }

    /// How many bytes of body an exchange may bring before it cannot fit
    /// under the cap (its entry is larger than its bodies).
    fn remaining_bytes(&self) -> usize {
        let state = self.state();
        let left = state.max_bytes.saturating_sub(state.size_with(1));
        usize::try_from(left).unwrap_or(usize::MAX)
    }

    /// Adds the entry `json` to the recording and writes it; its index, or
    /// `None` when it was not recorded (recording stopped, before or here).
    fn append(&self, json: &str) -> Option<usize> {
        let mut guard = self.state();
        let state = &mut *guard;
        if state.stopped.is_some() || !state.sink.takes_entries() {
            return None;
        }
        if state.size_with(json.len()) > state.max_bytes {
            drop(guard);
            self.stop_at_cap();
            return None;
        }
        let before = state.entries.len();
        if state.count > 0 {
            state.entries.extend_from_slice(SEPARATOR.as_bytes());
        }
        state.entries.extend_from_slice(json.as_bytes());
        let failure = match state.sink.write(&state.entries) {
            Ok(()) => {
                state.count += 1;
                return Some(state.count - 1);
            }
            Err(e) => e,
        };
        state.entries.truncate(before);
        let reason = format!(
            "cannot write the recording {}: {failure}; it holds the first {} exchange(s)",
            state.sink.describe(),
            state.count
        );
        let stopped = self.stop_locked(state, reason);
        drop(guard);
        stopped.tell();
        None
    }

    /// Stops recording: the next exchange would pass the cap.
    fn stop_at_cap(&self) {
        let mut state = self.state();
        let reason = format!(
            "the recording {} reached its cap of {} bytes and holds the first {} exchange(s); \
             later exchanges are not recorded (raise the cap with Recorder::max_bytes)",
            state.sink.describe(),
            state.max_bytes,
            state.count
        );
        let stopped = self.stop_locked(&mut state, reason);
        drop(state);
        stopped.tell();
    }

    /// Stops recording for `reason`.
    fn stop(&self, reason: String) {
        let stopped = self.stop_locked(&mut self.state(), reason);
        stopped.tell();
    }

    /// Stops recording for `reason`: one warning, and the call of
    /// `on_stop` to make once `state` is unlocked; nothing if it stopped
    /// already.
    fn stop_locked(&self, state: &mut State, reason: String) -> Stopped {
        self.shared.recording.store(false, Ordering::Relaxed);
        if state.stopped.is_some() {
            return Stopped(None);
        }
        tracing::warn!(target: "gitcode::record", "recording stopped: {reason}");
        let notify = state.on_stop.clone().map(|notify| (notify, reason.clone()));
        state.stopped = Some(reason);
        Stopped(notify)
    }

    /// Writes a writer's HAR, if not written yet; and the call of `on_stop`
    /// to make if that failed.
    fn finish(&self, state: &mut State) -> (io::Result<()>, Stopped) {
        let finished = state.sink.finish(&state.entries);
        if !state.sink.takes_entries() {
            self.shared.recording.store(false, Ordering::Relaxed);
        }
        let stopped = match &finished {
            Err(e) => {
                let reason = format!("cannot write the recording to the writer: {e}");
                self.stop_locked(state, reason)
            }
            Ok(()) => Stopped(None),
        };
        (finished, stopped)
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = state.sink.finish(&state.entries) {
            tracing::warn!(
                target: "gitcode::record",
                "recording stopped: cannot write the recording to the writer: {e}"
            );
        }
    }
}
