//! An organisation mirror: walks every repository of an organisation,
//! across all pages, and saves each one's README (the raw bytes, as
//! stored) under a folder, one file per repository.
//!
//! ```sh
//! GITCODE_TOKEN=... cargo run -p gitcode --example org_mirror -- ORG OUT_DIR
//! ```

use std::path::Path;

use futures::TryStreamExt;
use gitcode::ErrorKind;
use gitcode::prelude::*;

/// What the mirror did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mirrored {
    /// Repositories whose README was saved, as `repo` (file `<repo>.md`).
    pub saved: Vec<String>,
    /// Repositories without a README.
    pub without_readme: Vec<String>,
}

/// Saves the README of every repository of `org` into `out`.
pub async fn mirror(
    client: &gitcode::Client,
    org: &str,
    out: &Path,
) -> Result<Mirrored, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(out)?;
    let mut done = Mirrored::default();
    let mut repos = client.list_org_repos().org(org).stream();
    while let Some(repo) = repos.try_next().await? {
        let Some(path) = repo.path.clone() else {
            continue;
        };
        let readme = client
            .get_repo_raw_file()
            .owner(org)
            .repo(&path)
            .path("README.md")
            .send_bytes()
            .await;
        match readme {
            Ok(bytes) => {
                std::fs::write(out.join(format!("{path}.md")), &bytes)?;
                done.saved.push(path);
            }
            Err(e) if e.kind() == ErrorKind::NotFound => done.without_readme.push(path),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(done)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(org), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: org_mirror ORG OUT_DIR   (token in GITCODE_TOKEN)");
        std::process::exit(2);
    };
    let client = gitcode::Client::builder()
        .token(std::env::var("GITCODE_TOKEN").unwrap_or_default())
        .build()?;
    let done = mirror(&client, &org, Path::new(&out)).await?;
    println!(
        "saved {} README(s); {} repositories have none",
        done.saved.len(),
        done.without_readme.len()
    );
    Ok(())
}
