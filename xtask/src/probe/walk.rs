//! The probe's walk: the plan's calls sent through the client, round after
//! round, until none is left, `--max` calls were made, or the server
//! answers 401.

use gitcode::{Client, ErrorKind};
use gitcode_codegen::evidence::probe::{Call, NotProbed, Plan};
use reqwest::Method;

/// How a walk ended, and what it did.
#[derive(Debug, Default)]
pub struct Walked {
    /// Calls sent.
    pub sent: usize,
    /// Rounds begun.
    pub rounds: usize,
    /// Calls answered with a success status.
    pub answered: usize,
    /// The error statuses (or `transport`, ...) of the other calls:
    /// `(what, how many)`, in the order first met.
    pub failed: Vec<(String, usize)>,
    /// Why the walk stopped early, if it did.
    pub stopped: Option<Stop>,
    /// The operations the walk could not fill, with why.
    pub not_asked: Vec<NotProbed>,
}

/// Why a walk stopped before its plan was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The server answered 401 to this call (`GET /path`).
    Unauthorized(String),
    /// `--max` calls were sent.
    Max(usize),
}

/// The one way the probe sends anything: refuses every method but `GET`
/// and `HEAD` before a byte is sent.
pub fn read_only(method: &Method) -> Result<(), String> {
    if method == Method::GET || method == Method::HEAD {
        Ok(())
    } else {
        Err(format!(
            "the probe sends only GET and HEAD; refused a {method} request"
        ))
    }
}

/// Walks `plan` with `client`, at most `max` calls.
pub async fn walk(client: &Client, plan: &mut Plan<'_>, max: usize) -> Result<Walked, String> {
    let mut walked = Walked::default();
    'rounds: loop {
        let round = plan.next_round();
        if round.is_empty() {
            break;
        }
        walked.rounds += 1;
        for call in round {
            if walked.sent >= max {
                walked.stopped = Some(Stop::Max(max));
                break 'rounds;
            }
            let method = Method::from_bytes(call.method.as_bytes())
                .map_err(|e| format!("{}: {e}", call.operation_id))?;
            read_only(&method)?;
            walked.sent += 1;
            match send(client, method, &call).await {
                Ok(answer) => {
                    walked.answered += 1;
                    plan.answered(&call, answer.as_ref());
                }
                Err(e) if e.kind() == ErrorKind::Unauthorized => {
                    walked.stopped = Some(Stop::Unauthorized(format!("GET {}", call.path)));
                    plan.answered(&call, None);
                    break 'rounds;
                }
                Err(e) => {
                    let what = e.status().map_or_else(
                        || format!("{:?}", e.kind()).to_lowercase(),
                        |status| status.to_string(),
                    );
                    match walked.failed.iter_mut().find(|(w, _)| *w == what) {
                        Some((_, n)) => *n += 1,
                        None => walked.failed.push((what, 1)),
                    }
                    plan.answered(&call, None);
                }
            }
        }
    }
    walked.not_asked = plan.not_asked();
    Ok(walked)
}

/// Sends one call; its JSON answer (`None` for an empty or non-JSON body).
async fn send(
    client: &Client,
    method: Method,
    call: &Call,
) -> Result<Option<serde_json::Value>, gitcode::Error> {
    let raw = client
        .request(method, &call.path)
        .query(&call.query)
        .send_raw()
        .await?;
    Ok(serde_json::from_slice(raw.body()).ok())
}

/// The walk in a few lines, for the maintainer.
pub fn summary(walked: &Walked, repo: &str) -> String {
    let mut out = format!(
        "probe: {repo}: {} call(s) in {} round(s), {} answered",
        walked.sent, walked.rounds, walked.answered
    );
    if !walked.failed.is_empty() {
        let failed: Vec<String> = walked
            .failed
            .iter()
            .map(|(what, n)| format!("{what}: {n}"))
            .collect();
        out.push_str(&format!(", failed {}", failed.join(", ")));
    }
    out.push('\n');
    match &walked.stopped {
        Some(Stop::Unauthorized(call)) => out.push_str(&format!(
            "probe: stopped at the first 401 ({call}): the token was refused; check it and its scopes\n"
        )),
        Some(Stop::Max(max)) => out.push_str(&format!(
            "probe: stopped after --max {max} call(s); more could be asked\n"
        )),
        None => {}
    }
    if !walked.not_asked.is_empty() {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for n in &walked.not_asked {
            match reasons.iter_mut().find(|(r, _)| *r == n.reason) {
                Some((_, count)) => *count += 1,
                None => reasons.push((n.reason.clone(), 1)),
            }
        }
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let shown: Vec<String> = reasons
            .iter()
            .map(|(reason, n)| format!("{reason} ({n})"))
            .collect();
        out.push_str(&format!(
            "probe: {} operation(s) not asked: {}\n",
            walked.not_asked.len(),
            shown.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_get_and_head_pass_the_door() {
        assert_eq!(read_only(&Method::GET), Ok(()));
        assert_eq!(read_only(&Method::HEAD), Ok(()));
        for method in [
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert_eq!(
                read_only(&method),
                Err(format!(
                    "the probe sends only GET and HEAD; refused a {method} request"
                ))
            );
        }
    }

    #[test]
    fn the_summary_says_why_it_stopped_and_what_was_not_asked() {
        let walked = Walked {
            sent: 3,
            rounds: 1,
            answered: 2,
            failed: vec![("404".into(), 1)],
            stopped: Some(Stop::Unauthorized("GET /api/v5/user".into())),
            not_asked: vec![
                NotProbed {
                    operation_id: "a".into(),
                    reason: "no value for {number}".into(),
                },
                NotProbed {
                    operation_id: "b".into(),
                    reason: "no value for {number}".into(),
                },
                NotProbed {
                    operation_id: "c".into(),
                    reason: "no value for {sha}".into(),
                },
            ],
        };
        assert_eq!(
            summary(&walked, "o/r"),
            "probe: o/r: 3 call(s) in 1 round(s), 2 answered, failed 404: 1\n\
             probe: stopped at the first 401 (GET /api/v5/user): the token was refused; check it and its scopes\n\
             probe: 3 operation(s) not asked: no value for {number} (2), no value for {sha} (1)\n"
        );
    }
}
