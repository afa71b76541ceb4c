//! A webhook bot that answers through the API: every newly opened issue and
//! pull request gets a welcome comment, posted with the number the
//! delivery carried.
//!
//! ```sh
//! export GITCODE_TOKEN='...' GITCODE_WEBHOOK_SECRET='the hook signing key'
//! cargo run -p gitcode --example webhook_bot -- 127.0.0.1:8080
//! ```
//!
//! Point the hook (issue and merge request events) at
//! `http://<this host>:8080/webhook`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use gitcode::prelude::*;
use gitcode::webhooks::{Event, Receiver, Secret};

/// What the bot answers to.
pub struct Bot {
    pub receiver: Receiver,
    pub client: gitcode::Client,
}

/// The bot's routes: `POST /webhook`.
pub fn router(bot: Bot) -> Router {
    Router::new()
        .route("/webhook", post(deliver))
        .with_state(Arc::new(bot))
}

async fn deliver(State(bot): State<Arc<Bot>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delivery = match bot.receiver.receive(&headers, &body) {
        Ok(delivery) => delivery,
        Err(e) => {
            eprintln!("rejected: {e}");
            return StatusCode::UNAUTHORIZED;
        }
    };
    match answer(&bot.client, &delivery.event).await {
        Ok(Some(what)) => {
            println!("{what}");
            StatusCode::NO_CONTENT
        }
        Ok(None) => StatusCode::NO_CONTENT,
        Err(e) => {
            eprintln!("answering {} failed: {e}", delivery.event.name());
            StatusCode::BAD_GATEWAY
        }
    }
}

/// `owner` and `repo` of a project's `path_with_namespace` (`acme/app`).
fn owner_and_repo(path: Option<&str>) -> Option<(&str, &str)> {
    path?.split_once('/')
}

/// Comments on a newly opened issue or pull request; `None` for any other
/// event.
pub async fn answer(
    client: &gitcode::Client,
    event: &Event,
) -> Result<Option<String>, gitcode::Error> {
    match event {
        Event::Issue(issue) => {
            let Some(attrs) = &issue.object_attributes else {
                return Ok(None);
            };
            let project = issue
                .project
                .as_ref()
                .and_then(|p| p.path_with_namespace.as_deref());
            let (Some((owner, repo)), Some("open")) =
                (owner_and_repo(project), attrs.action.as_deref())
            else {
                return Ok(None);
            };
            client
                .create_issue_comment()
                .owner(owner)
                .repo(repo)
                .number(&attrs.iid)
                .body_map(|b| {
                    b.body("Thanks for the report! A maintainer will triage it this week.")
                })
                .send()
                .await?;
            Ok(Some(format!(
                "welcomed issue {owner}/{repo}#{}",
                show(&attrs.iid)
            )))
        }
        Event::MergeRequest(mr) => {
            let Some(attrs) = &mr.object_attributes else {
                return Ok(None);
            };
            let project = mr
                .project
                .as_ref()
                .and_then(|p| p.path_with_namespace.as_deref());
            let (Some((owner, repo)), Some("open")) =
                (owner_and_repo(project), attrs.action.as_deref())
            else {
                return Ok(None);
            };
            client
                .create_pull_request_comment()
                .owner(owner)
                .repo(repo)
                .number(&attrs.iid)
                .body_map(|b| b.body("Thanks! CI runs now; a reviewer is assigned automatically."))
                .send()
                .await?;
            Ok(Some(format!(
                "welcomed pull request {owner}/{repo}!{}",
                show(&attrs.iid)
            )))
        }
        _ => Ok(None),
    }
}

fn show(id: &Option<gitcode::lenient::Id>) -> String {
    id.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("GITCODE_WEBHOOK_SECRET")
        .map_err(|_| "set GITCODE_WEBHOOK_SECRET to the hook's signing key")?;
    let bot = Bot {
        receiver: Receiver::new(Secret::SigningKey(secret.into_bytes()))?,
        client: gitcode::Client::builder()
            .token(std::env::var("GITCODE_TOKEN").unwrap_or_default())
            .build()?,
    };
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("listening on http://{addr}/webhook");
    axum::serve(listener, router(bot)).await?;
    Ok(())
}
