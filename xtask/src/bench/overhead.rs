//! Per-request overhead: a call through `gitcode` (builder, hooks with auth,
//! retry layer, tracing span, typed errors, lenient decoding) against the
//! same request sent with a plain `reqwest::Client` and decoded with
//! `serde_json::from_slice` into the same generated type.
//!
//! One more variant records every exchange (`gitcode::record`) to a new
//! file in a temporary directory each round, so that its row shows what
//! recording costs a session of one round's requests, beside the row
//! without it, which shows that recording costs nothing when off.
//!
//! The variants run in interleaved rounds (the order reversed every other
//! round) of sequential requests on keep-alive connections, so drift (CPU
//! frequency, the other core's load) falls on all of them alike. Each round
//! gives one mean per request and variant; the report shows the median over
//! the rounds and the spread of the per-round ratios.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gitcode::prelude::*;
use gitcode::rate_limit::Limit;
use gitcode::record::Recorder;
use gitcode::types::{Issue, UserProfile};
use reqwest::header::{ACCEPT, AUTHORIZATION};

/// A repository of the test server with exactly one full page.
const PAGE_REPO: &str = "items-100";
const PAGE_ITEMS: usize = 100;
const TOKEN: &str = "t";
const AUTHORIZATION_VALUE: &str = "Bearer t";

/// How many rounds, and how many requests a variant sends in each.
#[derive(Clone, Copy)]
pub struct Plan {
    pub rounds: usize,
    pub user_requests: usize,
    pub page_requests: usize,
}

/// Per round, the mean time per request of each variant.
pub struct Overhead {
    pub plan: Plan,
    pub user_plain: Vec<Duration>,
    pub user_gitcode: Vec<Duration>,
    pub user_gitcode_limited: Vec<Duration>,
    pub user_gitcode_recording: Vec<Duration>,
    pub page_plain: Vec<Duration>,
    pub page_gitcode: Vec<Duration>,
}

#[derive(Clone, Copy)]
enum Variant {
    UserPlain,
    UserGitcode,
    UserGitcodeLimited,
    /// A fresh recorder (and file) per batch: [`Clients::recording`].
    UserGitcodeRecording,
    PagePlain,
    PageGitcode,
}

struct Clients {
    base: String,
    plain: reqwest::Client,
    gitcode: gitcode::Client,
    limited: gitcode::Client,
    /// The connections of every recording client, set up as the runtime
    /// sets up its own.
    recording_http: reqwest::Client,
    /// Where each batch of [`Variant::UserGitcodeRecording`] records.
    recordings: tempfile::TempDir,
}

impl Clients {
    fn new(base: &str) -> Result<Self, String> {
        // The plain client is configured as `gitcode` configures its own
        // (user agent, timeouts), so both put the same request on the wire
        // and only the layers above reqwest differ.
        let plain = reqwest::Client::builder()
            .user_agent(concat!("gitcode-rs/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        let builder = || gitcode::Client::builder().base_url(base).token(TOKEN);
        Ok(Clients {
            base: base.to_string(),
            plain,
            // Auth and retries on (the defaults), no rate limiter.
            gitcode: builder()
                .no_rate_limit()
                .build()
                .map_err(|e| e.to_string())?,
            // A limiter so generous it never waits: its bookkeeping alone.
            limited: builder()
                .rate_limits([Limit::new(1_000_000, Duration::from_secs(1))])
                .build()
                .map_err(|e| e.to_string())?,
            recording_http: gitcode::redirect::http_client_builder()
                .user_agent(concat!("gitcode-rs/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| e.to_string())?,
            recordings: tempfile::tempdir().map_err(|e| e.to_string())?,
        })
    }

    /// A client as [`Clients::gitcode`], recording to a new file in
    /// [`Clients::recordings`]; and its recorder.
    fn recording(&self) -> Result<(gitcode::Client, Recorder), String> {
        let recorder = Recorder::to_dir(self.recordings.path());
        let client = gitcode::Client::builder()
            .base_url(&self.base)
            .token(TOKEN)
            .no_rate_limit()
            .reqwest_client(self.recording_http.clone())
            .record(recorder.clone())
            .build()
            .map_err(|e| e.to_string())?;
        Ok((client, recorder))
    }

    /// Sends one request of `variant` (with `recording`, the client of
    /// [`Variant::UserGitcodeRecording`]); returns how many items it decoded.
    async fn send(
        &self,
        variant: Variant,
        recording: Option<&gitcode::Client>,
    ) -> Result<usize, String> {
        let fail = |e: gitcode::Error| e.to_string();
        Ok(match variant {
            Variant::UserPlain => {
                let url = format!("{}/api/v5/users/alice", self.base);
                let bytes = self.plain_get(&url).await?;
                let user: UserProfile =
                    serde_json::from_slice(bytes.as_ref()).map_err(|e| e.to_string())?;
                black_box(user);
                1
            }
            Variant::UserGitcode | Variant::UserGitcodeLimited | Variant::UserGitcodeRecording => {
                let client = match (variant, recording) {
                    (Variant::UserGitcodeLimited, _) => &self.limited,
                    (Variant::UserGitcodeRecording, Some(recording)) => recording,
                    (Variant::UserGitcodeRecording, None) => {
                        return Err("bench: a recording batch without its client".into());
                    }
                    _ => &self.gitcode,
                };
                let user = client.get_user().username("alice").send().await;
                black_box(user.map_err(fail)?.into_inner());
                1
            }
            Variant::PagePlain => {
                let url = format!(
                    "{}/api/v5/repos/bench/{PAGE_REPO}/issues?page=1&per_page=100",
                    self.base
                );
                let bytes = self.plain_get(&url).await?;
                let issues: Vec<Issue> =
                    serde_json::from_slice(bytes.as_ref()).map_err(|e| e.to_string())?;
                black_box(issues).len()
            }
            Variant::PageGitcode => {
                let issues = self
                    .gitcode
                    .list_repo_issues()
                    .owner("bench")
                    .repo(PAGE_REPO)
                    .page(1u64)
                    .per_page(100u64)
                    .send()
                    .await;
                black_box(issues.map_err(fail)?.into_inner()).len()
            }
        })
    }

    /// The request `gitcode` sends (same headers), by hand; the body.
    async fn plain_get(&self, url: &str) -> Result<impl AsRef<[u8]>, String> {
        let response = self
            .plain
            .get(url)
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, AUTHORIZATION_VALUE)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| e.to_string())?;
        response.bytes().await.map_err(|e| e.to_string())
    }

    /// The mean time per request of `count` sequential requests. A
    /// recording batch records to a file of its own, made at its first
    /// request (inside the time measured); its client is built before.
    async fn batch(&self, variant: Variant, count: usize) -> Result<Duration, String> {
        let recording = match variant {
            Variant::UserGitcodeRecording => Some(self.recording()?),
            _ => None,
        };
        let client = recording.as_ref().map(|(client, _)| client);
        let started = Instant::now();
        for _ in 0..count {
            self.send(variant, client).await?;
        }
        let elapsed = started.elapsed();
        if let Some((_, recorder)) = &recording {
            recorded(recorder, count)?;
        }
        Ok(elapsed / count as u32)
    }

    /// Interleaved rounds of `variants`; per variant, the mean time per
    /// request of each round.
    async fn compare(
        &self,
        variants: &[Variant],
        rounds: usize,
        count: usize,
    ) -> Result<Vec<Vec<Duration>>, String> {
        // Warm-up: connections open, caches and the allocator settled.
        for &variant in variants {
            self.batch(variant, count.div_ceil(4)).await?;
        }
        let mut times = vec![Vec::with_capacity(rounds); variants.len()];
        let mut order: Vec<usize> = (0..variants.len()).collect();
        for _ in 0..rounds {
            for &i in &order {
                times[i].push(self.batch(variants[i], count).await?);
            }
            order.reverse();
        }
        Ok(times)
    }
}

/// Checks that `recorder` recorded `count` exchanges in its file: the
/// recording row measures what it means to.
fn recorded(recorder: &Recorder, count: usize) -> Result<(), String> {
    if let Some(reason) = recorder.stopped() {
        return Err(format!("bench: recording stopped: {reason}"));
    }
    let path = recorder
        .path()
        .ok_or("bench: the recording batch wrote no file")?;
    let har: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).map_err(|e| format!("bench: {}: {e}", path.display()))?,
    )
    .map_err(|e| format!("bench: {} is not JSON: {e}", path.display()))?;
    let entries = har["log"]["entries"].as_array().map_or(0, Vec::len);
    if recorder.entries() != count || entries != count {
        return Err(format!(
            "bench: {} holds {entries} entries, not {count}",
            path.display()
        ));
    }
    Ok(())
}

pub fn run(base_url: &str, plan: Plan) -> Result<Overhead, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let clients = Clients::new(base_url)?;
        // The page is what the benchmark means it to be.
        let items = clients.send(Variant::PageGitcode, None).await?;
        if items != PAGE_ITEMS || clients.send(Variant::PagePlain, None).await? != PAGE_ITEMS {
            return Err(format!("bench: expected a page of {PAGE_ITEMS} issues"));
        }
        let user = clients
            .compare(
                &[
                    Variant::UserPlain,
                    Variant::UserGitcode,
                    Variant::UserGitcodeLimited,
                    Variant::UserGitcodeRecording,
                ],
                plan.rounds,
                plan.user_requests,
            )
            .await?;
        let page = clients
            .compare(
                &[Variant::PagePlain, Variant::PageGitcode],
                plan.rounds,
                plan.page_requests,
            )
            .await?;
        let [
            user_plain,
            user_gitcode,
            user_gitcode_limited,
            user_gitcode_recording,
        ] = <[_; 4]>::try_from(user).expect("four variants");
        let [page_plain, page_gitcode] = <[_; 2]>::try_from(page).expect("two variants");
        Ok(Overhead {
            plan,
            user_plain,
            user_gitcode,
            user_gitcode_limited,
            user_gitcode_recording,
            page_plain,
            page_gitcode,
        })
    })
}
