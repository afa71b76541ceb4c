//! What `cargo xtask probe` asks the live server, in what order: [`Plan`].
//!
//! A probe walks the read-only operations of the spec that it can fill
//! from a repository the maintainer names and from the answers so far, so
//! that their answers, recorded as HAR, can be held against the spec
//! ([`crate::evidence::traffic`]). This module is the plan, with no network in it:
//! the `gitcode-probe` binary (xtask, feature `probe`) sends what it says
//! through the client and tells it each answer.
//!
//! - **Which operations** ([`Plan::operations`]): `GET` only, on the API
//!   host (not the OAuth endpoints of the web host), under `/api/v5/` or
//!   `/api/v8/`, whose success answer is JSON or nothing (not bytes: no
//!   archive or log is downloaded). Nothing else is ever planned.
//! - **Their parameters** ([`fill`]): path parameters from the repository
//!   and earlier answers; a list's first page of [`PAGE_SIZE`] items; a
//!   required query parameter only where an answer names its value.
//! - **In rounds** ([`Plan::next_round`]): every operation not yet asked
//!   that can now be filled, lists first (their items fill the rest), in
//!   document order; each operation is asked once.

pub mod facts;
pub mod fill;

use std::collections::BTreeSet;

use openapiv3::{Parameter, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use crate::spec::operations::{PAGE_SIZE_PARAMETERS, operation_of, resolve_parameter};
use crate::spec::{OperationInfo, Spec};
use facts::Facts;
pub use fill::Repository;

/// The page size a probe asks lists for.
pub const PAGE_SIZE: u32 = 10;

/// What a path parameter's value is escaped as: everything but the
/// unreserved characters of RFC 3986.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One request the plan makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The operation.
    pub operation_id: String,
    /// Always `GET`.
    pub method: &'static str,
    /// Its path template.
    pub template: String,
    /// The path to send, its parameters escaped.
    pub path: String,
    /// The query parameters to send.
    pub query: Vec<(String, String)>,
    /// The path parameters' values, unescaped.
    pub bindings: Vec<(String, String)>,
    /// Where the answer holds its list, when it wraps one
    /// (`x-gitcode-page-items`).
    pub items: Option<String>,
}

/// An operation no probe asks, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotProbed {
    /// The operation.
    pub operation_id: String,
    /// Why (`answers bytes`, `no value for {enterprise}`).
    pub reason: String,
}

/// The probe's plan: what has been asked, what has been learnt.
#[derive(Debug, Clone)]
pub struct Plan<'s> {
    spec: &'s Spec,
    repository: Repository,
    facts: Facts,
    asked: BTreeSet<String>,
}

impl<'s> Plan<'s> {
    /// A plan for the repository `owner/repo`; fails on a name that is not
    /// one (empty, with a `/`, `.` or `..`).
    pub fn new(spec: &'s Spec, owner_repo: &str) -> Result<Self, String> {
        let (owner, repo) = owner_repo
            .split_once('/')
            .ok_or_else(|| format!("`{owner_repo}` is not OWNER/REPO"))?;
        for part in [owner, repo] {
            if part.is_empty() || part.contains('/') || part == "." || part == ".." {
                return Err(format!("`{owner_repo}` is not OWNER/REPO"));
            }
        }
        Ok(Plan {
            spec,
            repository: Repository {
                owner: owner.into(),
                repo: repo.into(),
            },
            facts: Facts::default(),
            asked: BTreeSet::new(),
        })
    }

    /// The operations a probe may ask, in document order, and those it
    /// never asks, with why.
    pub fn operations(spec: &Spec) -> (Vec<&OperationInfo>, Vec<NotProbed>) {
        let mut asked = Vec::new();
        let mut never = Vec::new();
        for op in &spec.operations {
            match never_asked(spec, op) {
                None => asked.push(op),
                Some(reason) => never.push(NotProbed {
                    operation_id: op.operation_id.clone(),
                    reason: reason.into(),
                }),
            }
        }
        (asked, never)
    }

    /// Every operation not asked yet that can be filled now: lists first,
    /// then in document order.
    pub fn next_round(&self) -> Vec<Call> {
        let (operations, _) = Self::operations(self.spec);
        let mut calls: Vec<(bool, usize, Call)> = operations
            .into_iter()
            .enumerate()
            .filter(|(_, op)| !self.asked.contains(&op.operation_id))
            .filter_map(|(i, op)| Some((!lists(self.spec, op), i, self.call(op).ok()?)))
            .collect();
        calls.sort_by_key(|(not_list, i, _)| (*not_list, *i));
        calls.into_iter().map(|(_, _, call)| call).collect()
    }

    /// `call` was sent; `answer` is its JSON answer when it succeeded.
    pub fn answered(&mut self, call: &Call, answer: Option<&Value>) {
        self.asked.insert(call.operation_id.clone());
        if let Some(answer) = answer {
            self.facts.learn(
                &call.template,
                &call.bindings,
                call.items.as_deref(),
                answer,
            );
        }
    }

    /// The operations a probe may ask that it has not, and why not.
    pub fn not_asked(&self) -> Vec<NotProbed> {
        let (operations, _) = Self::operations(self.spec);
        operations
            .into_iter()
            .filter(|op| !self.asked.contains(&op.operation_id))
            .filter_map(|op| {
                self.call(op).err().map(|reason| NotProbed {
                    operation_id: op.operation_id.clone(),
                    reason,
                })
            })
            .collect()
    }

    /// The call for `op`, or the first parameter no answer fills.
    fn call(&self, op: &OperationInfo) -> Result<Call, String> {
        let names = path_parameter_names(&op.path);
        let mut bound = Vec::new();
        let mut stuck = None;
        if !self.bind(op, &names, &mut bound, &mut stuck) {
            return Err(format!(
                "no value for {{{}}}",
                stuck.unwrap_or_else(|| names.first().cloned().unwrap_or_default())
            ));
        }
        let mut path = op.path.clone();
        for (name, value) in &bound {
            let escaped = if op.keep_slashes.contains(name) {
                value
                    .split('/')
                    .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            } else {
                utf8_percent_encode(value, SEGMENT).to_string()
            };
            path = path.replace(&format!("{{{name}}}"), &escaped);
        }
        Ok(Call {
            operation_id: op.operation_id.clone(),
            method: "GET",
            template: op.path.clone(),
            path,
            query: self.query(op)?,
            bindings: bound,
            items: op.page_items.as_ref().map(|p| p.items.clone()),
        })
    }

    /// Chooses values for `names[bound.len()..]`, trying each candidate in
    /// turn; `stuck` is the deepest parameter without one.
    fn bind(
        &self,
        op: &OperationInfo,
        names: &[String],
        bound: &mut Vec<(String, String)>,
        stuck: &mut Option<String>,
    ) -> bool {
        let Some(name) = names.get(bound.len()) else {
            return true;
        };
        let values = fill::candidates(&op.path, name, &self.repository, &self.facts, bound);
        for value in values {
            bound.push((name.clone(), value));
            if self.bind(op, names, bound, stuck) {
                return true;
            }
            bound.pop();
        }
        if stuck.is_none() {
            *stuck = Some(name.clone());
        }
        false
    }

    /// The query: a list's first page, and the required parameters that
    /// an answer names.
    fn query(&self, op: &OperationInfo) -> Result<Vec<(String, String)>, String> {
        let mut query = Vec::new();
        let (item, operation) =
            operation_of(&self.spec.openapi, op).ok_or("not among the spec's paths")?;
        let parameters = operation
            .parameters
            .iter()
            .chain(&item.parameters)
            .filter_map(|p| resolve_parameter(&self.spec.openapi, p))
            .filter(|p| matches!(p, Parameter::Query { .. }))
            .map(Parameter::parameter_data_ref);
        for p in parameters {
            if op.paginated && p.name == "page" {
                query.push((p.name.clone(), "1".into()));
            } else if op.paginated && PAGE_SIZE_PARAMETERS.contains(&p.name.as_str()) {
                query.push((p.name.clone(), PAGE_SIZE.to_string()));
            } else if p.required {
                let value = fill::candidates("", &p.name, &self.repository, &self.facts, &[])
                    .into_iter()
                    .next()
                    .ok_or_else(|| format!("no value for the query parameter `{}`", p.name))?;
                query.push((p.name.clone(), value));
            }
        }
        Ok(query)
    }
}

/// Why `op` is never asked, if it is not.
fn never_asked(spec: &Spec, op: &OperationInfo) -> Option<&'static str> {
    if !op.method.eq_ignore_ascii_case("get") {
        return Some("not a GET");
    }
    if !op.servers.is_empty() {
        return Some("served by the web host");
    }
    if !(op.path.starts_with("/api/v5/") || op.path.starts_with("/api/v8/")) {
        return Some("outside /api/v5 and /api/v8");
    }
    let Some((_, operation)) = operation_of(&spec.openapi, op) else {
        return Some("not among the spec's paths");
    };
    let success = operation
        .responses
        .responses
        .iter()
        .filter(|(code, _)| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        })
        .filter_map(|(_, r)| r.as_item());
    let mut bytes = false;
    for response in success {
        if response.content.keys().any(|m| m.contains("json")) {
            return None;
        }
        bytes |= !response.content.is_empty();
    }
    bytes.then_some("answers bytes")
}

/// Whether `op`'s answer is a list whose items may fill other operations.
fn lists(spec: &Spec, op: &OperationInfo) -> bool {
    if op.paginated || op.page_items.is_some() {
        return true;
    }
    let Some((_, operation)) = operation_of(&spec.openapi, op) else {
        return false;
    };
    operation
        .responses
        .responses
        .values()
        .filter_map(|r| r.as_item())
        .flat_map(|r| r.content.values())
        .filter_map(|m| m.schema.as_ref())
        .filter_map(|s| crate::evidence::conformance::resolve(&spec.openapi, s))
        .any(|s| {
            matches!(
                s.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::Array(_))
            )
        })
}

/// The `{names}` of a template, in order.
fn path_parameter_names(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        Spec::load(&root).unwrap_or_else(|e| panic!("{e}"))
    }

    fn find<'c>(calls: &'c [Call], id: &str) -> Option<&'c Call> {
        calls.iter().find(|c| c.operation_id == id)
    }

    #[test]
    fn only_gets_on_the_api_host_that_answer_json_are_ever_planned() {
        let spec = spec();
        let (asked, never) = Plan::operations(&spec);
        assert!(asked.iter().all(|op| op.method == "get"), "{asked:?}");
        let reason = |id: &str| {
            never
                .iter()
                .find(|n| n.operation_id == id)
                .map(|n| n.reason.as_str())
        };
        assert_eq!(reason("create_issue"), Some("not a GET"));
        assert_eq!(reason("get_repo_raw_file"), Some("answers bytes"));
        assert_eq!(
            reason("get_raw_file_at_sha"),
            Some("outside /api/v5 and /api/v8")
        );
        assert_eq!(reason("get_repo"), None);
        let plan = Plan::new(&spec, "o/r").unwrap();
        assert!(plan.next_round().iter().all(|c| c.method == "GET"));
    }

    #[test]
    fn a_number_from_a_list_answer_fills_the_next_call() {
        let spec = spec();
        let mut plan = Plan::new(&spec, "o/r").unwrap();
        let first = plan.next_round();
        let issues = find(&first, "list_repo_issues").expect("the issue list first");
        assert_eq!(issues.path, "/api/v5/repos/o/r/issues");
        assert_eq!(
            issues.query,
            [
                ("page".to_string(), "1".to_string()),
                ("per_page".into(), "10".into())
            ]
        );
        assert!(find(&first, "get_issue").is_none());
        assert!(find(&first, "get_repo").is_some());
        // Lists come first.
        let first_other = first
            .iter()
            .position(|c| !lists(&spec, spec.operation(&c.operation_id).unwrap()));
        let last_list = first
            .iter()
            .rposition(|c| lists(&spec, spec.operation(&c.operation_id).unwrap()));
        assert!(last_list < first_other, "{first:#?}");

        plan.answered(issues, Some(&json!([{"number": "7", "title": "t"}])));
        let branches = find(&first, "list_repo_branches").unwrap().clone();
        plan.answered(&branches, Some(&json!([{"name": "feat/x"}])));
        for call in &first {
            if call.operation_id != "list_repo_issues" && call.operation_id != "list_repo_branches"
            {
                plan.answered(call, None);
            }
        }
        let second = plan.next_round();
        assert_eq!(
            find(&second, "get_issue").unwrap().path,
            "/api/v5/repos/o/r/issues/7"
        );
        assert_eq!(
            find(&second, "list_issue_comments").unwrap().path,
            "/api/v5/repos/o/r/issues/7/comments"
        );
        assert_eq!(
            find(&second, "get_branch").unwrap().path,
            "/api/v5/repos/o/r/branches/feat%2Fx"
        );
        assert_eq!(
            find(&second, "compare_commits").unwrap().path,
            "/api/v5/repos/o/r/compare/feat%2Fx...feat%2Fx"
        );
        assert!(find(&second, "list_repo_issues").is_none(), "asked once");
        let not_asked = plan.not_asked();
        let why = |id: &str| {
            not_asked
                .iter()
                .find(|n| n.operation_id == id)
                .map(|n| n.reason.clone())
        };
        assert_eq!(
            why("get_pull_request").as_deref(),
            Some("no value for {number}")
        );
        assert_eq!(why("get_issue"), None);
    }

    #[test]
    fn file_paths_keep_their_slashes_and_names_are_checked() {
        let spec = spec();
        let mut plan = Plan::new(&spec, "o/r").unwrap();
        let root = find(&plan.next_round(), "list_repo_root_contents")
            .unwrap()
            .clone();
        plan.answered(
            &root,
            Some(&json!([{"path": "docs/a b.md", "type": "file"}])),
        );
        let contents = find(&plan.next_round(), "get_repo_contents")
            .unwrap()
            .clone();
        assert_eq!(contents.path, "/api/v5/repos/o/r/contents/docs/a%20b.md");
        for bad in ["o", "o/", "/r", "o/r/x", "../r", "o/.."] {
            assert!(Plan::new(&spec, bad).is_err(), "{bad}");
        }
    }
}
