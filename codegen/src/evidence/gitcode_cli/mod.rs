//! The audit of gc's `api/` package (gitcode-cli, GitCode's own Go CLI):
//! every exported function that sends a request, the request, and the
//! operation of the spec it is, kept as a table in `fixtures/gitcode-cli/`.
//!
//! [`import`] reads the Go files of `api/` from a checkout ([`Source`]: a
//! work tree, or a git directory such as a bare mirror and a revision),
//! scans them ([`scan`]: no Go toolchain, a careful lexical scan), matches
//! each request's method and path against the spec (the matching of the
//! recorded requests, [`crate::spec::matching::operation_at`]) and writes
//! `api-functions.tsv` and `README.md`. A request no operation of the spec
//! matches is written with `-` and the reason that the hand-kept
//! `unmapped.tsv` gives for it, so that a fresh import keeps the reasons.
//! [`load`] reads the table back; [`hold`] holds one row against the spec.
//!
//! The modules: `scan.rs` (the Go scan).

pub mod scan;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::output::GeneratedFile;
use crate::spec::Spec;

pub use scan::{Function, Request};

/// Where the table lives, relative to the workspace root.
pub const FIXTURES_DIR: &str = "fixtures/gitcode-cli";
/// The table the import writes.
pub const TABLE: &str = "fixtures/gitcode-cli/api-functions.tsv";
/// The reasons for the requests that map to no operation, kept by hand.
pub const UNMAPPED: &str = "fixtures/gitcode-cli/unmapped.tsv";
/// The README the import writes.
pub const README: &str = "fixtures/gitcode-cli/README.md";
/// Where maintainers may keep a checkout of gitcode-cli (a work tree or a
/// bare git directory), relative to the workspace root; `GITCODE_CLI_DIR`
/// names another.
pub const BESIDE: &str = "../shared/gitcode-cli";

const TABLE_HEADER: &str = "function\tfile\tmethod\tpath\toperation\treason\tvia";
const UNMAPPED_HEADER: &str = "function\tmethod\tpath\treason";

/// Where gc's source is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A work tree: `DIR/api/*.go`.
    Tree(PathBuf),
    /// A git directory (a bare mirror) and a revision in it.
    Git { git_dir: PathBuf, rev: String },
}

impl Source {
    /// A work tree when `dir/api` is a folder, else a git directory (bare:
    /// `HEAD` and `objects` in it) read at `rev` (default `HEAD`).
    pub fn detect(dir: &Path, rev: Option<&str>) -> Result<Self> {
        if dir.join("api").is_dir() {
            if let Some(rev) = rev {
                return Err(Error::docs(
                    dir,
                    None,
                    format!(
                        "a work tree is read as it is; check out `{rev}` there, or pass the git directory with --rev"
                    ),
                ));
            }
            return Ok(Source::Tree(dir.to_path_buf()));
        }
        if dir.join("HEAD").is_file() && dir.join("objects").is_dir() {
            return Ok(Source::Git {
                git_dir: dir.to_path_buf(),
                rev: rev.unwrap_or("HEAD").to_string(),
            });
        }
        Err(Error::docs(
            dir,
            None,
            "neither a gitcode-cli work tree (no api/ folder) nor a git directory (no HEAD and objects/)",
        ))
    }

    /// The checkout beside the workspace (`GITCODE_CLI_DIR`, else
    /// [`BESIDE`]), if there is one.
    pub fn beside(root: &Path) -> Option<Result<Self>> {
        let dir = std::env::var_os("GITCODE_CLI_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(BESIDE));
        dir.exists().then(|| Self::detect(&dir, None))
    }

    fn git(&self, args: &[&str]) -> Result<String> {
        let (flag, dir) = match self {
            Source::Tree(dir) => ("-C", dir),
            Source::Git { git_dir, .. } => ("--git-dir", git_dir),
        };
        let output = Command::new("git")
            .arg(flag)
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| Error::io("running git in", dir, e))?;
        if !output.status.success() {
            return Err(Error::docs(
                dir,
                None,
                format!(
                    "git {}: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The commit read (the work tree's `HEAD`, which must be a git checkout).
    pub fn commit(&self) -> Result<String> {
        let rev = match self {
            Source::Tree(_) => "HEAD^{commit}".to_string(),
            Source::Git { rev, .. } => format!("{rev}^{{commit}}"),
        };
        Ok(self.git(&["rev-parse", &rev])?.trim().to_string())
    }

    /// The text of a file of the checkout (`VERSION`, `api/client.go`).
    fn read(&self, path: &str) -> Result<String> {
        match self {
            Source::Tree(dir) => {
                let full = dir.join(path);
                std::fs::read_to_string(&full).map_err(|e| Error::io("reading", full, e))
            }
            Source::Git { rev, .. } => self.git(&["show", &format!("{rev}:{path}")]),
        }
    }

    /// The Go files of `api/` (not the tests), sorted, with their text.
    pub fn api_files(&self) -> Result<Vec<(String, String)>> {
        let mut names: Vec<String> = match self {
            Source::Tree(dir) => {
                let api = dir.join("api");
                let entries = std::fs::read_dir(&api).map_err(|e| Error::io("reading", &api, e))?;
                let mut names = Vec::new();
                for entry in entries {
                    let entry = entry.map_err(|e| Error::io("reading", &api, e))?;
                    names.push(format!("api/{}", entry.file_name().to_string_lossy()));
                }
                names
            }
            Source::Git { rev, .. } => self
                .git(&["ls-tree", "--name-only", &format!("{rev}:api")])?
                .lines()
                .map(|n| format!("api/{n}"))
                .collect(),
        };
        names.retain(|n| n.ends_with(".go") && !n.ends_with("_test.go"));
        names.sort();
        names
            .into_iter()
            .map(|name| self.read(&name).map(|text| (name, text)))
            .collect()
    }

    /// gc's version at that commit (its `VERSION` file), if it has one.
    pub fn version(&self) -> Option<String> {
        self.read("VERSION").ok().map(|v| v.trim().to_string())
    }
}

/// One request of one exported function, and the operation it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `GetIssue`; `Client.Get` for a method of `Client`.
    pub function: String,
    /// `api/queries_issue.go`.
    pub file: String,
    pub method: String,
    /// As gc writes it, with the prefix its `Client` adds.
    pub path: String,
    /// The operationId; `None` (`-`) when no operation is that request.
    pub operation: Option<String>,
    /// Why no operation is (from `unmapped.tsv`); empty when one is.
    pub reason: String,
    /// The function that sends it, when `function` reaches it by calling
    /// another (`CloseIssue` sends `PATCH .../issues/{number}` via
    /// `UpdateIssue`); empty when it sends it itself.
    pub via: String,
}

/// One reason of `unmapped.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub function: String,
    pub method: String,
    pub path: String,
    pub reason: String,
    /// `unmapped.tsv:line`.
    pub origin: String,
}

/// The rows of the exported functions that send requests, and the requests
/// that lack a reason or reasons that no row uses (for the import to report).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Rows mapping to no operation with no reason in `unmapped.tsv`.
    pub without_reason: Vec<Row>,
    /// Entries of `unmapped.tsv` no row uses.
    pub unused_reasons: Vec<Reason>,
}

/// The table of `functions` against `spec`, with the reasons of `reasons`.
pub fn table(spec: &Spec, functions: &[Function], reasons: &[Reason], version: &str) -> Table {
    let mut out = Table::default();
    let mut used = vec![false; reasons.len()];
    for f in functions.iter().filter(|f| f.exported) {
        let requests: Vec<(Request, String)> = if f.primitive {
            scan::primitive_request(&f.name, version)
                .map(|r| (r, String::new()))
                .into_iter()
                .collect()
        } else {
            reached(f, functions, &mut Vec::new())
        };
        for (request, via) in requests {
            let operation = if f.primitive {
                None
            } else {
                crate::spec::matching::operation_at(spec, &request.method, &request.path)
                    .ok()
                    .map(|op| op.operation_id.clone())
            };
            let mut row = Row {
                function: f.name.clone(),
                file: f.file.clone(),
                method: request.method,
                path: request.path,
                operation,
                reason: String::new(),
                via,
            };
            if row.operation.is_none() {
                let found = reasons.iter().position(|r| {
                    (r.function == row.function || (!row.via.is_empty() && r.function == row.via))
                        && r.method == row.method
                        && r.path == row.path
                });
                match found {
                    Some(i) => {
                        used[i] = true;
                        row.reason = reasons[i].reason.clone();
                    }
                    None => out.without_reason.push(row.clone()),
                }
            }
            out.rows.push(row);
        }
    }
    out.unused_reasons = reasons
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(r, _)| r.clone())
        .collect();
    out
}

/// The requests `f` sends, itself (via `""`) and through the functions it
/// calls (via the one that sends each), first come first kept.
fn reached(f: &Function, all: &[Function], seen: &mut Vec<String>) -> Vec<(Request, String)> {
    if seen.contains(&f.name) {
        return Vec::new();
    }
    seen.push(f.name.clone());
    let mut out: Vec<(Request, String)> = f
        .requests
        .iter()
        .map(|r| (r.clone(), String::new()))
        .collect();
    for call in &f.calls {
        let Some(callee) = all.iter().find(|g| &g.name == call) else {
            continue;
        };
        for (request, via) in reached(callee, all, seen) {
            let via = if via.is_empty() {
                callee.name.clone()
            } else {
                via
            };
            if !out.iter().any(|(r, _)| r == &request) {
                out.push((request, via));
            }
        }
    }
    seen.pop();
    out
}

/// Imports the source: the table and its README, against the spec under
/// `root/spec` and the reasons of `root/`[`UNMAPPED`]. Returns the files and
/// the table (whose gaps the caller reports).
pub fn import(root: &Path, source: &Source) -> Result<(Vec<GeneratedFile>, Table)> {
    let spec = Spec::load(&root.join("spec"))?;
    let reasons = load_reasons(root)?;
    let files = source.api_files()?;
    let code: Vec<(String, String)> = files.clone();
    let functions = scan::scan(&code).map_err(|message| Error::docs("api", None, message))?;
    let api_version = files
        .iter()
        .find_map(|(_, text)| scan::api_version(&scan::blank_comments(text)))
        .unwrap_or_else(|| "v5".into());
    let table = table(&spec, &functions, &reasons, &api_version);
    let commit = source.commit()?;
    let version = source.version();
    let mut tsv = String::from(TABLE_HEADER);
    tsv.push('\n');
    for row in &table.rows {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            row.function,
            row.file,
            row.method,
            row.path,
            row.operation.as_deref().unwrap_or("-"),
            row.reason,
            if row.via.is_empty() { "-" } else { &row.via },
        ));
    }
    let exported = functions.iter().filter(|f| f.exported).count();
    let sending: std::collections::BTreeSet<&str> =
        table.rows.iter().map(|r| r.function.as_str()).collect();
    let mapped = table.rows.iter().filter(|r| r.operation.is_some()).count();
    let operations: std::collections::BTreeSet<&str> = table
        .rows
        .iter()
        .filter_map(|r| r.operation.as_deref())
        .collect();
    let readme = format!(
        "# gitcode-cli's `api/` package against the spec\n\n\
Written by `cargo xtask import-gitcode-cli DIR` from gitcode-cli (gc, GitCode's own CLI, \
https://github.com/gitcode-cli/cli) at commit `{commit}`{version}; do not edit `api-functions.tsv` by hand.\n\n\
`api-functions.tsv` has one row for each request that an exported function of gc's `api/` package sends: \
{rows} row(s) of {functions} function(s) (of {exported} exported), {mapped} of them mapped to {ops} \
operation(s) of the spec. Columns: `function` (`Client.Get` for a method), `file`, `method`, `path` (as gc \
writes it, its parameter names included, with the `/api/v5` prefix its `Client` adds; the query left out), \
`operation` (the operationId whose method and path template match, or `-`), `reason` (why `-`), `via` (the \
function that sends the request when `function` reaches it by calling another, e.g. `CloseIssue` via \
`UpdateIssue`; `-` when it sends it itself).\n\n\
`unmapped.tsv` is kept by hand: for each request that maps to no operation, the reason (function, method, \
path, reason; a row reached `via` a function takes that function's reason). The import keeps it and names \
the requests that lack one.\n\n\
The test `codegen/tests/gitcode_cli.rs` holds every row against the spec (the operation exists, its method \
and path match, every `-` has a reason and still matches nothing) and, when a gitcode-cli checkout is \
beside the workspace (`{BESIDE}`, or the folder `GITCODE_CLI_DIR` names), compares the table with a fresh \
import of it.\n\n\
To import from a bare mirror: `cargo xtask import-gitcode-cli /path/to/mirror --rev <commit>` (a git \
directory is read at the revision, `HEAD` by default), or make a work tree first with \
`git --git-dir /path/to/mirror worktree add /tmp/gc <commit>`.\n",
        version = version
            .map(|v| format!(" (`VERSION` {v})"))
            .unwrap_or_default(),
        rows = table.rows.len(),
        functions = sending.len(),
        ops = operations.len(),
    );
    Ok((
        vec![
            GeneratedFile {
                path: PathBuf::from(TABLE),
                contents: tsv,
            },
            GeneratedFile {
                path: PathBuf::from(README),
                contents: readme,
            },
        ],
        table,
    ))
}

/// The table as checked in.
pub fn load(root: &Path) -> Result<Vec<Row>> {
    let path = root.join(TABLE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            if line != TABLE_HEADER {
                return Err(Error::docs(
                    &path,
                    Some(1),
                    format!("expected the header `{TABLE_HEADER}`"),
                ));
            }
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [function, file, method, p, operation, reason, via] = cells[..] else {
            return Err(Error::docs(
                &path,
                Some(i + 1),
                format!("expected 7 cells, found {}", cells.len()),
            ));
        };
        rows.push(Row {
            function: function.into(),
            file: file.into(),
            method: method.into(),
            path: p.into(),
            operation: (operation != "-").then(|| operation.to_string()),
            reason: reason.into(),
            via: if via == "-" {
                String::new()
            } else {
                via.into()
            },
        });
    }
    Ok(rows)
}

/// The reasons of `unmapped.tsv` (lines starting with `#` are comments).
pub fn load_reasons(root: &Path) -> Result<Vec<Reason>> {
    let path = root.join(UNMAPPED);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("reading", &path, e)),
    };
    let mut out = Vec::new();
    let mut header = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header {
            if line != UNMAPPED_HEADER {
                return Err(Error::docs(
                    &path,
                    Some(i + 1),
                    format!("expected the header `{UNMAPPED_HEADER}`"),
                ));
            }
            header = true;
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [function, method, p, reason] = cells[..] else {
            return Err(Error::docs(
                &path,
                Some(i + 1),
                format!("expected 4 cells, found {}", cells.len()),
            ));
        };
        out.push(Reason {
            function: function.into(),
            method: method.into(),
            path: p.into(),
            reason: reason.trim().into(),
            origin: format!("{UNMAPPED}:{}", i + 1),
        });
    }
    Ok(out)
}

/// A row against the spec: what is wrong with it, if anything.
pub fn hold(spec: &Spec, row: &Row) -> Vec<String> {
    let mut out = Vec::new();
    let matched = crate::spec::matching::operation_at(spec, &row.method, &row.path);
    match (&row.operation, matched) {
        (Some(id), matched) => {
            match spec.operations.iter().find(|op| &op.operation_id == id) {
                None => out.push(format!("operation `{id}` is not in the spec")),
                Some(op) => {
                    if !op.method.eq_ignore_ascii_case(&row.method) {
                        out.push(format!(
                            "`{id}` is {}, the row {}",
                            op.method.to_uppercase(),
                            row.method
                        ));
                    }
                }
            }
            match matched {
                Ok(op) if &op.operation_id == id => {}
                Ok(op) => out.push(format!(
                    "{} {} matches `{}`, not `{id}`",
                    row.method, row.path, op.operation_id
                )),
                Err(why) => out.push(format!(
                    "{} {} matches no operation: {why}",
                    row.method, row.path
                )),
            }
            if !row.reason.is_empty() {
                out.push("a mapped row has a reason".into());
            }
        }
        (None, matched) => {
            if row.reason.trim().is_empty() {
                out.push(format!(
                    "maps to no operation and has no reason (add one to {UNMAPPED})"
                ));
            }
            if let Ok(op) = matched
                && !row.function.starts_with("Client.")
            {
                out.push(format!(
                    "now matches `{}`: run `cargo xtask import-gitcode-cli` again",
                    op.operation_id
                ));
            }
        }
    }
    out
}
