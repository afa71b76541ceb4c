//! Pass `operation_docs`: what the spec knows about an operation reaches its
//! rustdoc.
//!
//! Quirks: some endpoints misbehave on the server (`x-gitcode-known-issue`,
//! with the workaround when one is known), some have no English page and
//! were transcribed from other sources (`x-gitcode-unverified`), and some
//! are missing from the docs altogether but sent by a maintained client
//! (`x-gitcode-undocumented`, with the evidence). All are appended to the
//! doc comment of the operation's method in its tag trait
//! (`ClientIssuesExt::create_issue`, ...), with a link to the official page.

use super::Context;
use crate::spec::OperationInfo;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), String> {
    for op in &cx.spec.operations {
        let extra = extra_docs(op);
        if extra.is_empty() {
            continue;
        }
        let mut found = false;
        for item in file.items.iter_mut() {
            let syn::Item::Trait(tr) = item else { continue };
            for it in tr.items.iter_mut() {
                if let syn::TraitItem::Fn(f) = it
                    && f.sig.ident == op.operation_id
                {
                    f.attrs.extend(
                        extra
                            .iter()
                            .map(|line| -> syn::Attribute { syn::parse_quote!(#[doc = #line]) }),
                    );
                    found = true;
                }
            }
        }
        if !found {
            return Err(format!("no trait method for `{}`", op.operation_id));
        }
    }
    Ok(())
}

/// Doc lines to append (each a line of Markdown, leading space included).
fn extra_docs(op: &OperationInfo) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(what) = &op.destructive {
        lines.push(String::new());
        lines.push(format!(" **Destructive:** {}", what.trim()));
    }
    if let Some(issue) = &op.known_issue {
        lines.push(String::new());
        lines.push(format!(" **Known issue:** {}", issue.trim()));
    }
    if op.unverified {
        lines.push(String::new());
        lines.push(
            " **Unverified:** this endpoint has no English documentation page; it was transcribed from the index, the change log and the design notes, and its request and response shapes may differ."
                .to_string(),
        );
    }
    if let Some(evidence) = &op.undocumented {
        lines.push(String::new());
        let mut text = format!(
            " **Undocumented:** GitCode's docs do not list this endpoint; {} sends it ({}).",
            evidence.client, evidence.source
        );
        if let Some(command) = &evidence.recorded {
            text.push_str(&format!(" Its request is recorded for `{command}`."));
        }
        if let Some(fallback) = &evidence.on_404 {
            text.push_str(&format!(" On a 404: {}", fallback.trim()));
        }
        lines.push(text);
        if let Some(why) = &evidence.weak {
            lines.push(String::new());
            lines.push(format!(
                " **Weakly evidenced:** {} is the only source for this endpoint, and weaker than a \
                 client used against the live server: {}",
                evidence.client,
                why.trim()
            ));
        }
    }
    if !op.evidence.is_empty() {
        lines.push(String::new());
        lines.push(" **Evidence beyond the docs:**".to_string());
        lines.push(String::new());
        for seen in &op.evidence {
            let when = seen
                .seen
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default();
            let source = if seen.url.is_empty() {
                seen.title.clone()
            } else {
                format!("[{}]({})", seen.title, seen.url)
            };
            lines.push(format!(" - {} ({source}{when})", seen.fact.trim()));
        }
    }
    if !lines.is_empty()
        && let Some(url) = &op.docs_url
    {
        lines.push(String::new());
        let what = if op.undocumented.is_some() {
            "Evidence"
        } else {
            "Official documentation"
        };
        lines.push(format!(" {what}: <{url}>"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> OperationInfo {
        OperationInfo {
            operation_id: "create_branch".into(),
            method: "post".into(),
            path: "/api/v5/repos/{owner}/{repo}/branches".into(),
            tag: "Branch".into(),
            summary: "Create a branch.".into(),
            docs_url: Some("https://docs.gitcode.com/x".into()),
            keep_slashes: vec![],
            known_issue: Some("Fails with 400; create the branch with git push.".into()),
            ..OperationInfo::default()
        }
    }

    #[test]
    fn known_issue_and_docs_link_are_appended() {
        assert_eq!(
            extra_docs(&op()),
            [
                "",
                " **Known issue:** Fails with 400; create the branch with git push.",
                "",
                " Official documentation: <https://docs.gitcode.com/x>"
            ]
        );
    }

    #[test]
    fn what_cannot_be_undone_comes_first() {
        let transfer = OperationInfo {
            destructive: Some("The repository leaves its namespace. ".into()),
            known_issue: None,
            ..op()
        };
        assert_eq!(
            extra_docs(&transfer)[..2],
            ["", " **Destructive:** The repository leaves its namespace."]
        );
    }

    #[test]
    fn undocumented_operations_name_their_evidence() {
        let undocumented = OperationInfo {
            known_issue: None,
            undocumented: Some(crate::spec::operations::Undocumented {
                client: "gitcode-cli 0.15.0".into(),
                source: "api/queries_release.go".into(),
                recorded: Some("gc release delete v1 --yes".into()),
                on_404: Some("it deletes by id instead.".into()),
                weak: None,
            }),
            ..op()
        };
        assert_eq!(
            extra_docs(&undocumented),
            [
                "",
                " **Undocumented:** GitCode's docs do not list this endpoint; gitcode-cli 0.15.0 sends it \
                 (api/queries_release.go). Its request is recorded for `gc release delete v1 --yes`. \
                 On a 404: it deletes by id instead.",
                "",
                " Evidence: <https://docs.gitcode.com/x>"
            ]
        );
    }

    #[test]
    fn weak_evidence_and_field_notes_are_said() {
        let weak = OperationInfo {
            known_issue: None,
            undocumented: Some(crate::spec::operations::Undocumented {
                client: "ag-cli 0.4.0".into(),
                source: "atomgit/pr.py".into(),
                recorded: None,
                on_404: None,
                weak: Some("tested against mocks only.".into()),
            }),
            evidence: vec![crate::spec::operations::Evidence {
                source: "notes".into(),
                title: "Someone's notes".into(),
                url: "https://example.com/notes".into(),
                seen: Some("2026-07".into()),
                fact: "Answers 201.".into(),
            }],
            ..op()
        };
        let lines = extra_docs(&weak);
        assert!(
            lines.contains(
                &" **Weakly evidenced:** ag-cli 0.4.0 is the only source for this endpoint, and \
                  weaker than a client used against the live server: tested against mocks only."
                    .to_string()
            ),
            "{lines:#?}"
        );
        assert!(
            lines.contains(
                &" - Answers 201. ([Someone's notes](https://example.com/notes), 2026-07)"
                    .to_string()
            ),
            "{lines:#?}"
        );
    }

    #[test]
    fn plain_operations_get_nothing() {
        let plain = OperationInfo {
            known_issue: None,
            ..op()
        };
        assert!(extra_docs(&plain).is_empty());
    }
}
