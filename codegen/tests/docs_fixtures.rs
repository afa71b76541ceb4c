//! The docs fixtures (`fixtures/gitcode-docs/`): the import from a docs
//! snapshot, tested on a small snapshot written here, and the checked-in
//! fixtures against the docs beside the checkout, when they are there.

use std::path::{Path, PathBuf};

use gitcode_codegen::evidence::docs::{DOCS, DocsFacts, FIXTURES_DIR, import};
use gitcode_codegen::{Drift, GeneratedFile};

/// The checked-in fixtures hold what a fresh import of `../shared/gitcode-docs`
/// gives, the way `generated_is_fresh` holds the client to the spec.
#[test]
fn fixtures_are_up_to_date_with_the_docs_beside_the_checkout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match DOCS.check_beside_summary(&root) {
        Ok(line) => eprintln!("{line}"),
        Err(message) => panic!("{message}"),
    }
}

/// A page in the shape of the real ones (title, source, method and path,
/// then sections), with a 200 `Examples:` map and a 404 `Example:`.
fn page(slug: &str, method: &str, path: &str, body: &str) -> String {
    format!(
        "# A title\n\
         Source: [https://docs.gitcode.com/en/docs/apis/{slug}](https://docs.gitcode.com/en/docs/apis/{slug})\n\
         Category: Things\n\
         - Method: `{method}`\n\
         - Path: `{path}`\n\
         - Operation ID: `op`\n\
         ## Parameters\n\
         | Name | In | Required | Type | Description |\n\
         | --- | --- | --- | --- | --- |\n\
         | owner | path | true | string | Words that stay behind |\n\
         ## Request Body\n\
         Example:\n\
         ```json\n\
         {{\"request\": \"not kept\"}}\n\
         ```\n\
         ## Responses\n\
         ### `200`\n\
         Successful Response\n\
         #### `application/json`\n\
         Schema:\n\
         ```json\n\
         {{\"type\": \"object\"}}\n\
         ```\n\
         Examples:\n\
         ```json\n\
         {{\n  \"1\": {{\n    \"summary\": \"Prose that stays behind\",\n    \"value\": {body}\n  }}\n}}\n\
         ```\n\
         ### `404`\n\
         #### `application/json`\n\
         Example:\n\
         ```json\n\
         {{\"error_code\": 404, \"error_message\": \"Not Found\"}}\n\
         ```\n\
         ## Raw OpenAPI Operation\n\
         ```json\n\
         {{\"description\": \"not kept\"}}\n\
         ```\n"
    )
}

/// A snapshot with two endpoints (one page each), an endpoint with no
/// page, the introduction (no endpoint), and a webhooks table.
fn snapshot(dir: &Path, repo_body: &str) {
    std::fs::create_dir_all(dir.join("en/api-changelog")).unwrap();
    std::fs::write(
        dir.join("endpoints.tsv"),
        "method\tpath\tcategory\tsummary\tdoc_page\n\
         GET\t/api/v5/repos/{owner}/{repo}\tRepositories\t获取仓库\ten/get-repo.md\n\
         post\t/api/v5/user/things\tUsers\t创建\ten/post-thing.md\n\
         DELETE\t/api/v8/things/{id}\tUsers\t删除\t\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("en/get-repo.md"),
        page("get-repo", "GET", "/api/v5/repos/{owner}/{repo}", repo_body),
    )
    .unwrap();
    std::fs::write(
        dir.join("en/post-thing.md"),
        page("post-thing", "POST", "/api/v5/user/things", "[]"),
    )
    .unwrap();
    std::fs::write(
        dir.join("en/introduction-to-using-openapi.md"),
        "# Intro\nSource: [https://docs.gitcode.com/en/docs/apis/](https://docs.gitcode.com/en/docs/apis/)\nSome words.\n",
    )
    .unwrap();
    std::fs::write(dir.join("en/api-changelog/202501.md"), "# Changes\n").unwrap();
    std::fs::write(
        dir.join("webhooks.md"),
        "# Webhooks\nSome words.\n## Events (header value → page)\n\
         | `X-GitCode-Event` | help page | `object_kind` |\n| --- | --- | --- |\n\
         | `Push Hook` | `commit-events` | `push` |\n\
         | `Note Hook` | `note-events` | `note` (comments) |\n\nMore words.\n",
    )
    .unwrap();
}

const REPO_BODY: &str =
    "{\n      \"name\": \"r\",\n      \"id\": 12345678901234567890,\n      \"ratio\": 1.50\n    }";

fn contents<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    let path = Path::new(FIXTURES_DIR).join(path);
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{} not produced", path.display()))
        .contents
}

#[test]
fn import_writes_the_facts_of_a_snapshot_and_no_prose() {
    let docs = tempfile::tempdir().unwrap();
    snapshot(docs.path(), REPO_BODY);
    let files = import(docs.path()).unwrap_or_else(|e| panic!("{e}"));

    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let expected: Vec<PathBuf> = [
        "README.md",
        "endpoints.tsv",
        "examples/get-repo.json",
        "examples/post-thing.json",
        "webhook_events.tsv",
    ]
    .iter()
    .map(|p| Path::new(FIXTURES_DIR).join(p))
    .collect();
    assert_eq!(paths, expected);

    assert_eq!(
        contents(&files, "endpoints.tsv"),
        "method\tpath\tcategory\tpage\n\
         GET\t/api/v5/repos/{owner}/{repo}\tRepositories\thttps://docs.gitcode.com/en/docs/apis/get-repo\n\
         POST\t/api/v5/user/things\tUsers\thttps://docs.gitcode.com/en/docs/apis/post-thing\n\
         DELETE\t/api/v8/things/{id}\tUsers\t\n"
    );
    assert_eq!(
        contents(&files, "webhook_events.tsv"),
        "event\thelp_page\nPush Hook\tcommit-events\nNote Hook\tnote-events\n"
    );
    // The body as the page gives it: key order and number text kept.
    assert_eq!(
        contents(&files, "examples/get-repo.json"),
        r#"{
  "page": "https://docs.gitcode.com/en/docs/apis/get-repo",
  "method": "GET",
  "path": "/api/v5/repos/{owner}/{repo}",
  "examples": [
    {
      "status": "200",
      "content_type": "application/json",
      "name": "1",
      "body": {
        "name": "r",
        "id": 12345678901234567890,
        "ratio": 1.50
      }
    },
    {
      "status": "404",
      "content_type": "application/json",
      "body": {"error_code": 404, "error_message": "Not Found"}
    }
  ]
}
"#
    );
    for file in &files {
        for prose in ["words", "Prose", "not kept", "获取", "Successful", "title"] {
            assert!(
                !file.contents.contains(prose),
                "{} holds `{prose}`",
                file.path.display()
            );
        }
    }

    // Written, the fixtures read back as the facts.
    let root = tempfile::tempdir().unwrap();
    let changes = DOCS.write(root.path(), &files).unwrap();
    assert_eq!(changes.written, expected);
    assert!(changes.removed.is_empty());
    let facts = DocsFacts::load(root.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts, DocsFacts::from_files(&files).unwrap());
    assert_eq!(facts.endpoints.len(), 3);
    assert_eq!(facts.webhook_event_names(), ["Push Hook", "Note Hook"]);
    let repo = facts
        .page("https://docs.gitcode.com/en/docs/apis/get-repo/")
        .expect("the page by its URL");
    assert_eq!(repo.examples.len(), 2);
    assert_eq!(repo.examples[0].name.as_deref(), Some("1"));
    assert_eq!(repo.examples[0].value["name"], "r");
    assert_eq!(repo.examples[1].status, "404");
    let thing = &facts.pages["post-thing"];
    assert_eq!(thing.examples[0].body(true), serde_json::json!([]));
    assert!(DOCS.drift(root.path(), &files).unwrap().is_empty());
}

#[test]
fn a_changed_example_is_drift_of_its_page_and_a_gone_page_is_stale() {
    let docs = tempfile::tempdir().unwrap();
    snapshot(docs.path(), REPO_BODY);
    let root = tempfile::tempdir().unwrap();
    DOCS.write(root.path(), &import(docs.path()).unwrap())
        .unwrap();

    // The docs change one example.
    snapshot(docs.path(), &REPO_BODY.replace("\"r\"", "\"renamed\""));
    let files = import(docs.path()).unwrap();
    let drifted = DOCS.drift(root.path(), &files).unwrap();
    assert_eq!(drifted.len(), 1, "{drifted:?}");
    let page = Path::new(FIXTURES_DIR).join("examples/get-repo.json");
    match &drifted[0] {
        Drift::Changed {
            path,
            added,
            removed,
            excerpt,
        } => {
            assert_eq!(path, &page);
            assert_eq!((*added, *removed), (1, 1));
            assert!(
                excerpt.contains("+        \"name\": \"renamed\","),
                "{excerpt}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        drifted[0]
            .to_string()
            .starts_with(&format!("{}: +1 -1", page.display()))
    );

    // A page leaves the docs: its fixture is stale, and the import removes it.
    std::fs::remove_file(docs.path().join("en/post-thing.md")).unwrap();
    std::fs::write(
        docs.path().join("endpoints.tsv"),
        "method\tpath\tcategory\tsummary\tdoc_page\n\
         GET\t/api/v5/repos/{owner}/{repo}\tRepositories\t获取仓库\ten/get-repo.md\n",
    )
    .unwrap();
    let files = import(docs.path()).unwrap();
    let gone = Path::new(FIXTURES_DIR).join("examples/post-thing.json");
    assert!(
        DOCS.drift(root.path(), &files)
            .unwrap()
            .contains(&Drift::Stale(gone.clone()))
    );
    let changes = DOCS.write(root.path(), &files).unwrap();
    assert_eq!(changes.removed, std::slice::from_ref(&gone));
    assert!(!root.path().join(&gone).exists());
    assert!(DOCS.drift(root.path(), &files).unwrap().is_empty());
}

#[test]
fn a_broken_snapshot_is_an_error_naming_what_and_where() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("webhooks.md"), "").unwrap();
    let err = import(empty.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("not a GitCode docs snapshot: no endpoints.tsv, no en/"),
        "{err}"
    );

    // A page whose example is not JSON: the file and the line of the fault.
    let docs = tempfile::tempdir().unwrap();
    snapshot(docs.path(), "{\n      \"name\": \"r\",\n    }");
    let err = import(docs.path()).unwrap_err().to_string();
    let line = page("get-repo", "GET", "/x", "{\n      \"name\": \"r\",\n    }")
        .lines()
        .position(|l| l == "    }")
        .unwrap()
        + 1;
    let file = docs.path().join("en/get-repo.md");
    assert!(
        err.starts_with(&format!(
            "{}:{line}: status 200: example is not JSON",
            file.display()
        )),
        "{err}"
    );

    // An index row naming a page that is not there.
    let docs = tempfile::tempdir().unwrap();
    snapshot(docs.path(), REPO_BODY);
    std::fs::remove_file(docs.path().join("en/post-thing.md")).unwrap();
    let err = import(docs.path()).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "endpoints.tsv:3: `en/post-thing.md` is not an endpoint page of the snapshot"
        ),
        "{err}"
    );

    // No fixtures: loading says where they are expected and how to write them.
    let err = DocsFacts::load(empty.path()).unwrap_err().to_string();
    assert!(err.contains("fixtures/gitcode-docs/endpoints.tsv"), "{err}");
    assert!(err.contains("cargo xtask import-docs"), "{err}");
}
