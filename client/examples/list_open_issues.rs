//! Lists every open issue of a repository, streaming across pages.
//!
//! ```sh
//! GITCODE_TOKEN=... cargo run -p gitcode --example list_open_issues -- OWNER REPO
//! ```

use std::process::ExitCode;

use futures::TryStreamExt;
use gitcode::ErrorKind;
use gitcode::prelude::*;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(owner), Some(repo)) = (args.next(), args.next()) else {
        eprintln!("usage: list_open_issues OWNER REPO   (token in GITCODE_TOKEN)");
        return ExitCode::from(2);
    };
    let token = match std::env::var("GITCODE_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            eprintln!(
                "GITCODE_TOKEN is not set: create a personal access token at https://gitcode.com/setting/token-classic"
            );
            return ExitCode::from(2);
        }
    };
    let client = match gitcode::Client::builder().token(token).build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };

    let mut issues = client
        .list_repo_issues()
        .owner(&owner)
        .repo(&repo)
        .state("open")
        .stream();
    let mut count = 0;
    loop {
        match issues.try_next().await {
            Ok(Some(issue)) => {
                count += 1;
                let number = issue.number.map(|n| n.to_string()).unwrap_or_default();
                println!("#{number}\t{}", issue.title.unwrap_or_default());
            }
            Ok(None) => break,
            Err(e) => {
                match e.kind() {
                    ErrorKind::Unauthorized => {
                        eprintln!("GITCODE_TOKEN was rejected (401): is it valid and unexpired?")
                    }
                    ErrorKind::NotFound => {
                        eprintln!("{owner}/{repo} was not found, or the token cannot see it")
                    }
                    _ => eprintln!("{e}"),
                }
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("{count} open issue(s) in {owner}/{repo}");
    ExitCode::SUCCESS
}
