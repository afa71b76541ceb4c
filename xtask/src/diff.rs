//! `diff`: the API change report between the spec at a git revision and
//! the working tree (see `gitcode_codegen::api_diff`).

use std::path::Path;
use std::process::Command;

use gitcode_codegen::Error;
use gitcode_codegen::api_diff::{diff_specs, report};
use gitcode_codegen::spec::Spec;

pub fn run(root: &Path, rev: &str, check: bool) -> Result<(), String> {
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("diff: `{rev}` is not a revision of this repository"))?;
    let short = commit.trim().get(..10).unwrap_or(commit.trim()).to_string();
    let listed = git(root, &["ls-tree", "--name-only", rev, "spec/openapi.yaml"])?;
    if listed.trim().is_empty() {
        return Err(format!(
            "diff: `{rev}` ({short}) has no spec (no `spec/openapi.yaml`)"
        ));
    }
    let tmp = tempfile::tempdir().map_err(|e| format!("diff: creating a temp dir: {e}"))?;
    let tar = tmp.path().join("spec.tar");
    git(
        root,
        &[
            "archive",
            "--format=tar",
            "-o",
            &tar.to_string_lossy(),
            rev,
            "spec",
        ],
    )?;
    let untar = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .arg("-C")
        .arg(tmp.path())
        .output()
        .map_err(|e| format!("diff: running tar: {e}"))?;
    if !untar.status.success() {
        return Err(format!(
            "diff: extracting the spec of `{rev}`: {}",
            String::from_utf8_lossy(&untar.stderr).trim()
        ));
    }

    let old = load(&tmp.path().join("spec"), &format!("`{rev}`"))
        .map_err(|e| e.replace(&format!("{}/", tmp.path().display()), &format!("{rev}:")))?;
    let new = load(&root.join("spec"), "the working tree")?;
    let diff = diff_specs(&old, &new);
    print!(
        "{}",
        report::render(&diff, &format!("`{rev}` ({short})"), "working tree")
    );
    let breaking = diff.breaking();
    if check && breaking > 0 {
        return Err(format!(
            "diff: {breaking} breaking change(s) since `{rev}` (--check)"
        ));
    }
    Ok(())
}

/// Loads the spec in `dir`; an error names `side` and keeps the loader's
/// `file:line` diagnostics.
fn load(dir: &Path, side: &str) -> Result<Spec, String> {
    Spec::load(dir).map_err(|err| {
        let detail = match err {
            Error::Spec(errors) => errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n\n"),
            other => other.to_string(),
        };
        format!("diff: the spec of {side} does not load:\n\n{detail}")
    })
}

/// Runs git in `root`; its stdout, or an error with its stderr.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let dir = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| format!("diff: running git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "diff: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ntags: [{name: Users}]\npaths: {}\n";
    const AREA: &str = "paths:
  /api/v5/user:
    get:
      operationId: get_user
      summary: Get the user.
      tags: [Users]
      externalDocs: {url: 'https://docs.gitcode.com/x'}
      responses:
        '200': {description: ok}
";

    fn git_in(dir: &Path, args: &[&str]) {
        let output = Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }

    /// A repository whose one commit holds `files`.
    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        git_in(dir.path(), &["init", "-q"]);
        git_in(dir.path(), &["add", "."]);
        git_in(dir.path(), &["commit", "-q", "-m", "one"]);
        dir
    }

    #[test]
    fn an_unknown_revision_is_a_clear_error() {
        let dir = repo(&[("README", "x")]);
        let err = run(dir.path(), "no-such-rev", false).unwrap_err();
        assert!(err.contains("`no-such-rev` is not a revision"), "{err}");
    }

    #[test]
    fn a_revision_without_a_spec_is_a_clear_error() {
        let dir = repo(&[("README", "x")]);
        let err = run(dir.path(), "HEAD", false).unwrap_err();
        assert!(
            err.contains("`HEAD`") && err.contains("has no spec"),
            "{err}"
        );
    }

    #[test]
    fn a_spec_that_does_not_load_names_the_side_and_the_line() {
        let dir = repo(&[
            ("spec/openapi.yaml", ROOT),
            ("spec/paths/users.yaml", "paths: [1, 2\n"),
        ]);
        let err = run(dir.path(), "HEAD", false).unwrap_err();
        assert!(err.contains("the spec of `HEAD` does not load"), "{err}");
        assert!(err.contains("--> HEAD:spec/paths/users.yaml:"), "{err}");

        std::fs::write(dir.path().join("spec/paths/users.yaml"), AREA).unwrap();
        git_in(dir.path(), &["commit", "-q", "-am", "fixed"]);
        std::fs::write(dir.path().join("spec/paths/users.yaml"), "paths: [1, 2\n").unwrap();
        let err = run(dir.path(), "HEAD", false).unwrap_err();
        assert!(
            err.contains("the spec of the working tree does not load"),
            "{err}"
        );
        assert!(err.contains("spec/paths/users.yaml:"), "{err}");
    }

    #[test]
    fn check_fails_only_on_breaking_changes() {
        let dir = repo(&[("spec/openapi.yaml", ROOT), ("spec/paths/users.yaml", AREA)]);
        assert_eq!(run(dir.path(), "HEAD", true), Ok(()));
        // An operation removed: breaking, but only --check fails.
        std::fs::write(dir.path().join("spec/paths/users.yaml"), "paths: {}\n").unwrap();
        assert_eq!(run(dir.path(), "HEAD", false), Ok(()));
        let err = run(dir.path(), "HEAD", true).unwrap_err();
        assert!(err.contains("1 breaking change(s) since `HEAD`"), "{err}");
    }
}
