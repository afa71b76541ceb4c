//! Release publishing: creates a release for a tag, with notes, and
//! uploads a built file to it as an asset.
//!
//! ```sh
//! GITCODE_TOKEN=... cargo run -p gitcode --example release_publisher -- OWNER REPO TAG FILE
//! ```

use gitcode::prelude::*;

/// Publishes `tag` and attaches `asset_name` with `asset`'s bytes; returns
/// the asset's download URL, if the server gave one.
pub async fn publish(
    client: &gitcode::Client,
    owner: &str,
    repo: &str,
    tag: &str,
    asset_name: &str,
    asset: Vec<u8>,
) -> Result<Option<String>, gitcode::Error> {
    let release = client
        .create_release()
        .owner(owner)
        .repo(repo)
        .body_map(|b| {
            b.tag_name(tag)
                .name(format!("Release {tag}"))
                .body("Built by CI from the tagged commit.")
                .prerelease(tag.contains('-'))
        })
        .send()
        .await?;
    let uploaded = client
        .upload_release_asset()
        .owner(owner)
        .repo(repo)
        .release_id(&release.id)
        .name(asset_name)
        .body(asset)
        .send()
        .await?;
    Ok(uploaded.into_inner().browser_download_url)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [owner, repo, tag, file] = args.as_slice() else {
        eprintln!("usage: release_publisher OWNER REPO TAG FILE   (token in GITCODE_TOKEN)");
        std::process::exit(2);
    };
    let client = gitcode::Client::builder()
        .token(std::env::var("GITCODE_TOKEN").unwrap_or_default())
        .build()?;
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.clone());
    let url = publish(&client, owner, repo, tag, &name, std::fs::read(file)?).await?;
    println!("published {tag}: {}", url.unwrap_or_default());
    Ok(())
}
