//! Issue triage: opens an issue with labels, comments on it, and closes it.
//!
//! ```sh
//! GITCODE_TOKEN=... cargo run -p gitcode --example triage_bot -- OWNER REPO
//! ```
//!
//! Every value goes in as it is: text as `&str`, the labels as an array, the
//! state by its name, and the issue's number straight from the answer.

use gitcode::prelude::*;

/// Opens the issue, comments on it and closes it; returns the closed issue.
pub async fn triage(
    client: &gitcode::Client,
    owner: &str,
    repo: &str,
) -> Result<gitcode::types::Issue, gitcode::Error> {
    let issue = client
        .create_issue()
        .owner(owner)
        .body_map(|b| {
            b.repo(repo)
                .title("Crash on start")
                .body("Run `app --start` on an empty config: it panics.")
                .labels(["bug", "p1"])
        })
        .send()
        .await?;
    println!(
        "opened #{}",
        issue
            .number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
    );

    client
        .create_issue_comment()
        .owner(owner)
        .repo(repo)
        .number(&issue.number)
        .body_map(|b| b.body("Reproduced on main; the fix is in review."))
        .send()
        .await?;

    let closed = client
        .update_issue()
        .owner(owner)
        .number(&issue.number)
        .body_map(|b| b.repo(repo).state("close"))
        .send()
        .await?;
    Ok(closed.into_inner())
}

#[tokio::main]
async fn main() -> Result<(), gitcode::Error> {
    let mut args = std::env::args().skip(1);
    let (Some(owner), Some(repo)) = (args.next(), args.next()) else {
        eprintln!("usage: triage_bot OWNER REPO   (token in GITCODE_TOKEN)");
        std::process::exit(2);
    };
    let client = gitcode::Client::builder()
        .token(std::env::var("GITCODE_TOKEN").unwrap_or_default())
        .build()?;
    let closed = triage(&client, &owner, &repo).await?;
    println!("closed: {:?}", closed.state);
    Ok(())
}
