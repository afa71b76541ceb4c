//! Pull-request review: for every open pull request, reads the files it
//! changes; one that only touches documentation is approved with a comment
//! and squash-merged, any other gets a comment with its size.
//!
//! ```sh
//! GITCODE_TOKEN=... cargo run -p gitcode --example review_bot -- OWNER REPO
//! ```

use futures::TryStreamExt;
use gitcode::prelude::*;

/// What the bot did with one pull request.
#[derive(Debug, PartialEq, Eq)]
pub enum Review {
    Merged(String),
    Commented(String),
}

/// Reviews every open pull request of `owner/repo`, across all pages.
pub async fn review_open(
    client: &gitcode::Client,
    owner: &str,
    repo: &str,
) -> Result<Vec<Review>, gitcode::Error> {
    let mut done = Vec::new();
    let mut pulls = client
        .list_repo_pull_requests()
        .owner(owner)
        .repo(repo)
        .state("open")
        .stream();
    while let Some(pull) = pulls.try_next().await? {
        let number = pull
            .number
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let files = client
            .list_pull_request_files()
            .owner(owner)
            .repo(repo)
            .number(&pull.number)
            .send()
            .await?;
        let docs_only = !files.is_empty()
            && files
                .iter()
                .filter_map(|f| f.filename.as_deref())
                .all(|name| name.starts_with("docs/") || name.ends_with(".md"));
        if docs_only {
            client
                .create_pull_request_comment()
                .owner(owner)
                .repo(repo)
                .number(&pull.number)
                .body_map(|b| b.body("Documentation only: merging."))
                .send()
                .await?;
            client
                .merge_pull_request()
                .owner(owner)
                .repo(repo)
                .number(&pull.number)
                .body_map(|b| b.merge_method("squash").title(pull.title.clone()))
                .send()
                .await?;
            done.push(Review::Merged(number));
        } else {
            let added: i64 = files
                .iter()
                .filter_map(|f| f.additions.as_ref().and_then(|n| n.as_i64()))
                .sum();
            let message = format!(
                "{} files, {added} lines added: needs a human review.",
                files.len()
            );
            client
                .create_pull_request_comment()
                .owner(owner)
                .repo(repo)
                .number(&pull.number)
                .body_map(|b| b.body(message))
                .send()
                .await?;
            done.push(Review::Commented(number));
        }
    }
    Ok(done)
}

#[tokio::main]
async fn main() -> Result<(), gitcode::Error> {
    let mut args = std::env::args().skip(1);
    let (Some(owner), Some(repo)) = (args.next(), args.next()) else {
        eprintln!("usage: review_bot OWNER REPO   (token in GITCODE_TOKEN)");
        std::process::exit(2);
    };
    let client = gitcode::Client::builder()
        .token(std::env::var("GITCODE_TOKEN").unwrap_or_default())
        .build()?;
    for review in review_open(&client, &owner, &repo).await? {
        println!("{review:?}");
    }
    Ok(())
}
