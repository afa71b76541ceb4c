//! A GitCode webhook receiver: verifies each delivery, prints its event's
//! kind and key fields, and answers 204; a delivery that fails a check gets
//! 401 (400 for a body that is not its event).
//!
//! ```sh
//! # the hook's signing key (or, with GITCODE_WEBHOOK_MODE=password, its password)
//! export GITCODE_WEBHOOK_SECRET='...'
//! cargo run -p gitcode --example webhook_receiver -- 127.0.0.1:8080
//! ```
//!
//! Point the hook at `http://<this host>:8080/webhook`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use gitcode::webhooks::{Event, Receiver, Secret, WebhookError};

/// The receiver's routes: `POST /webhook`.
pub fn router(receiver: Receiver) -> Router {
    Router::new()
        .route("/webhook", post(deliver))
        .with_state(Arc::new(receiver))
}

async fn deliver(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match receiver.receive(&headers, &body) {
        Ok(delivery) => {
            println!(
                "{} ({}): {}",
                delivery.event.name(),
                delivery.id.as_deref().unwrap_or("no delivery id"),
                summary(&delivery.event)
            );
            (StatusCode::NO_CONTENT, String::new())
        }
        Err(e @ WebhookError::Body { .. }) => {
            eprintln!("rejected: {e}");
            (StatusCode::BAD_REQUEST, e.to_string())
        }
        Err(e) => {
            eprintln!("rejected: {e}");
            (StatusCode::UNAUTHORIZED, e.to_string())
        }
    }
}

/// The key fields of an event, on one line.
pub fn summary(event: &Event) -> String {
    let or = |v: Option<&str>| v.unwrap_or("?").to_string();
    match event {
        Event::Push(push) | Event::TagPush(push) => format!(
            "{} pushed {} commit(s) to {} ({})",
            or(push.user_username.as_deref()),
            push.commits.len(),
            or(push.ref_.as_deref()),
            or(push.after.as_deref()),
        ),
        Event::Issue(issue) => {
            let issue = issue.object_attributes.clone().unwrap_or_default();
            format!(
                "issue {} {}: {}",
                issue.iid.map(|i| i.to_string()).unwrap_or_default(),
                or(issue.action.as_deref()),
                or(issue.title.as_deref()),
            )
        }
        Event::MergeRequest(mr) => {
            let mr = mr.object_attributes.clone().unwrap_or_default();
            format!(
                "merge request {} {}: {} ({} → {})",
                mr.iid.map(|i| i.to_string()).unwrap_or_default(),
                or(mr.action.as_deref()),
                or(mr.title.as_deref()),
                or(mr.source_branch.as_deref()),
                or(mr.target_branch.as_deref()),
            )
        }
        Event::Note(note) => {
            let comment = note.object_attributes.clone().unwrap_or_default();
            format!(
                "comment on {}: {}",
                or(comment.noteable_type.as_deref()),
                or(comment.note.as_deref()),
            )
        }
        Event::Unknown { name, .. } => format!("an event this version does not know: {name}"),
        other => format!("{other:?}"),
    }
}

/// The hook's secret from the environment.
pub fn secret_from_env() -> Result<Secret, String> {
    let secret = std::env::var("GITCODE_WEBHOOK_SECRET")
        .map_err(|_| "set GITCODE_WEBHOOK_SECRET to the hook's signing key or password")?;
    match std::env::var("GITCODE_WEBHOOK_MODE").as_deref() {
        Ok("password") => Ok(Secret::Password(secret)),
        Ok("signature") | Err(_) => Ok(Secret::SigningKey(secret.into_bytes())),
        Ok(other) => Err(format!(
            "GITCODE_WEBHOOK_MODE is `{other}`: expected `signature` (the default) or `password`"
        )),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = Receiver::new(secret_from_env()?)?;
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("listening on http://{addr}/webhook");
    axum::serve(listener, router(receiver)).await?;
    Ok(())
}
