//! Lists the open issues of a public repository (first page of 100).
//!
//! `cargo run -p gitcode --example list_open_issues -- OWNER REPO`

use gitcode::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(owner), Some(repo)) = (args.next(), args.next()) else {
        eprintln!("usage: list_open_issues OWNER REPO");
        std::process::exit(2);
    };
    let client = gitcode::Client::builder().build()?;
    let issues = client
        .list_repo_issues()
        .owner(owner)
        .repo(repo)
        .state("open")
        .per_page(100)
        .send()
        .await?
        .into_inner();
    for issue in issues {
        let number = issue.number.map(|n| n.to_string()).unwrap_or_default();
        println!("#{number}\t{}", issue.title.unwrap_or_default());
    }
    Ok(())
}
