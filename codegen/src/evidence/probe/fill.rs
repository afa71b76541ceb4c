//! Where the value of a parameter comes from: [`candidates`].
//!
//! In order, for a path parameter `{name}` of a template:
//! 1. `{owner}` and `{repo}`: the repository named;
//! 2. the list right above it: `/issues/{number}` takes the `number` of the
//!    items `/issues` answered (`/issues/comment/{comment_id}` those of
//!    `/issues/comments`), called with the same values for the parameters
//!    they share; an item's field is the parameter's name, a field ending
//!    in `_<name>` (`workflow_run_id` for `run_id`), then what the name
//!    implies ([`fields_for`]: `id` for an `*_id`, `login` for a
//!    `username`, `name` for a `branch`, ...);
//! 3. another list of the repository that names such values ([`ELSEWHERE`]:
//!    `{base}` and `{head}` are branch names, `{tag}` a release's
//!    `tag_name`);
//! 4. a field of that name anywhere in an answer ([`ANYWHERE`]: a
//!    `{username}` is any `login` seen).
//!
//! A value that would make its own path segment `.` or `..` is never
//! offered (the client refuses it).

use super::facts::Facts;

/// Parameters whose values another list of the repository holds:
/// `(parameter, list below /repos/{owner}/{repo}, field)`.
pub const ELSEWHERE: &[(&str, &str, &str)] = &[
    ("base", "branches", "name"),
    ("head", "branches", "name"),
    ("branch", "branches", "name"),
    ("ref", "branches", "name"),
    ("tag", "releases", "tag_name"),
    ("tag", "tags", "name"),
    ("tag_name", "tags", "name"),
    ("sha", "commits", "sha"),
    ("head_sha", "commits", "sha"),
];

/// Parameters filled from a field of that name anywhere in an answer:
/// `(parameter, field)`.
pub const ANYWHERE: &[(&str, &str)] = &[("username", "login"), ("login", "login")];

/// How many values of one parameter are tried.
const TRIED: usize = 5;

/// The repository a probe walks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// Its owner's path.
    pub owner: String,
    /// Its path.
    pub repo: String,
}

/// The values to try for the path parameter `name` of `template`, given
/// the values already chosen for the parameters before it (`bound`).
pub fn candidates(
    template: &str,
    name: &str,
    repository: &Repository,
    facts: &Facts,
    bound: &[(String, String)],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut offer = |value: &str| {
        if !out.iter().any(|v| v == value) && value != "." && value != ".." {
            out.push(value.to_string());
        }
    };
    match name {
        "owner" => offer(&repository.owner),
        "repo" => offer(&repository.repo),
        _ => {}
    }
    for list in lists_above(template, name) {
        for answer in facts.lists(&list, bound) {
            for item in &answer.items {
                if let Some(value) = pick(item, name) {
                    offer(value);
                }
            }
        }
    }
    if let Some(root) = repository_root(template) {
        for (_, below, field) in ELSEWHERE.iter().filter(|(p, _, _)| *p == name) {
            let list = format!("{root}/{below}");
            for answer in facts.lists(&list, bound) {
                for value in answer.items.iter().filter_map(|i| i.get(*field)) {
                    offer(value);
                }
            }
        }
    }
    for (_, field) in ANYWHERE.iter().filter(|(p, _)| *p == name) {
        for value in facts.anywhere(field) {
            offer(value);
        }
    }
    out.truncate(TRIED);
    out
}

/// The templates of the lists right above `{name}` in `template`:
/// `/a/issues` for `/a/issues/{number}`, and the plural (`/a/issues/comment`
/// → `/a/issues/comments`).
fn lists_above(template: &str, name: &str) -> Vec<String> {
    let placeholder = format!("/{{{name}}}");
    let Some(at) = template.find(&placeholder) else {
        return Vec::new();
    };
    let list = &template[..at];
    if list.ends_with('}') || list.is_empty() {
        return Vec::new(); // two parameters in a row: no list between them
    }
    vec![list.to_string(), format!("{list}s")]
}

/// The template up to `{repo}`, when the template is below a repository.
fn repository_root(template: &str) -> Option<&str> {
    let end = template.find("/{repo}")? + "/{repo}".len();
    Some(&template[..end])
}

/// The field of a list item that holds parameter `name`'s value.
fn pick<'i>(
    item: &'i std::collections::BTreeMap<String, String>,
    name: &str,
) -> Option<&'i String> {
    if let Some(value) = item.get(name) {
        return Some(value);
    }
    let suffix = format!("_{name}");
    if let Some((_, value)) = item.iter().find(|(k, _)| k.ends_with(&suffix)) {
        return Some(value);
    }
    fields_for(name).iter().find_map(|field| item.get(*field))
}

/// The fields a parameter's name implies, besides itself.
pub fn fields_for(name: &str) -> &'static [&'static str] {
    if name == "id" || name.ends_with("_id") {
        &["id"]
    } else if name == "number" || name.ends_with("_number") {
        &["number", "iid"]
    } else if name == "username" || name == "login" {
        &["login", "username"]
    } else if name == "sha" || name.ends_with("_sha") {
        &["sha"]
    } else if name == "tag" || name == "tag_name" {
        &["tag_name", "name"]
    } else if name == "path" {
        &["path"]
    } else if name.ends_with("name") || name == "branch" || name == "ref" {
        &["name"]
    } else {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn repository() -> Repository {
        Repository {
            owner: "o".into(),
            repo: "r".into(),
        }
    }

    const ROOT: &str = "/api/v5/repos/{owner}/{repo}";

    #[test]
    fn each_source_in_turn() {
        let mut facts = Facts::default();
        facts.learn(
            &format!("{ROOT}/issues"),
            &[],
            None,
            &json!([{"number": "7", "user": {"login": "u1"}}]),
        );
        facts.learn(
            &format!("{ROOT}/issues/comments"),
            &[],
            None,
            &json!([{"id": 42}]),
        );
        facts.learn(
            &format!("{ROOT}/branches"),
            &[],
            None,
            &json!([{"name": "main"}, {"name": "feat/x"}]),
        );
        facts.learn(
            "/api/v8/runs",
            &[],
            Some("runs"),
            &json!({"runs": [{"workflow_run_id": 9, "id": 1}]}),
        );
        let r = repository();
        let c = |template: &str, name: &str| candidates(template, name, &r, &facts, &[]);
        assert_eq!(c(&format!("{ROOT}/issues/{{number}}"), "owner"), ["o"]);
        assert_eq!(c(&format!("{ROOT}/issues/{{number}}"), "number"), ["7"]);
        assert_eq!(
            c(
                &format!("{ROOT}/issues/comment/{{comment_id}}/x"),
                "comment_id"
            ),
            ["42"]
        );
        assert_eq!(c("/api/v8/runs/{run_id}", "run_id"), ["9"]);
        assert_eq!(
            c(&format!("{ROOT}/compare/{{base}}...{{head}}"), "head"),
            ["main", "feat/x"]
        );
        assert_eq!(c("/api/v5/users/{username}", "username"), ["u1"]);
        assert_eq!(
            c(&format!("{ROOT}/pulls/{{number}}"), "number"),
            Vec::<String>::new()
        );
        assert_eq!(
            c("/api/v8/enterprises/{enterprise}/x", "enterprise"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_nested_list_must_agree_with_the_values_chosen_before() {
        let mut facts = Facts::default();
        let template = format!("{ROOT}/discuss/{{number}}/comment");
        let bound = |n: &str| vec![("number".to_string(), n.to_string())];
        facts.learn(&template, &bound("1"), None, &json!([{"id": 10}]));
        facts.learn(
            &template,
            &bound("2"),
            None,
            &json!([{"id": 20}, {"id": ".."}]),
        );
        let reply = format!("{ROOT}/discuss/{{number}}/comment/{{comment_id}}/reply");
        let r = repository();
        assert_eq!(
            candidates(&reply, "comment_id", &r, &facts, &bound("2")),
            ["20"]
        );
        assert_eq!(
            candidates(&reply, "comment_id", &r, &facts, &bound("3")),
            Vec::<String>::new()
        );
    }
}
