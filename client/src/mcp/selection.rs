//! Which tools the server lists and serves: toolsets, single tools,
//! read-only mode, no destructive tools and dynamic discovery
//! (`--toolsets`, `--tools`, `--read-only`, `--no-destructive`,
//! `--dynamic`). The modes narrow whatever the toolsets and single tools
//! name, in every combination.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, RwLock};

use super::{Tool, tools};

/// The toolsets `default` names: everyday work on issues and pull requests
/// and the code around them, in at most 100 tools (99): issue triage and
/// discussion, pull request review and merging, branches, commits and
/// comparisons, and search to find the repository, issue or user to work
/// on. Repositories (45 tools: files, settings, forks, mirrors) are left to
/// `--toolsets default,repositories` or single `--tools`, so that the list
/// an agent reads at every start stays short.
pub const DEFAULT_TOOLSETS: &[&str] = &["issues", "pull-requests", "branch", "commit", "search"];

/// A toolset or tool name that does not exist, and the names that do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionError(String);

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SelectionError {}

/// The tools a server lists and serves. Clones share the enabled toolsets
/// (a dynamic server enables them as the agent asks).
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: Arc<RwLock<BTreeSet<&'static str>>>,
    tools: BTreeSet<&'static str>,
    read_only: bool,
    no_destructive: bool,
    dynamic: bool,
}

/// Why a tool may not be called.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No tool has this name.
    Unknown,
    /// The tool writes and the server is read-only.
    ReadOnly(&'static Tool),
    /// The tool exists but its toolset is not enabled.
    NotEnabled(&'static Tool),
    /// The tool deletes and the server serves no destructive tool.
    Destructive(&'static Tool),
}

impl Selection {
    /// `toolsets`: toolset names, `all` or `default` (none: `default`);
    /// `tools`: single operationIds. With `dynamic`, toolsets start
    /// disabled unless named (`default` names none) and the discovery tools
    /// enable them.
    pub fn new(
        toolsets: &[String],
        tools_named: &[String],
        read_only: bool,
        dynamic: bool,
    ) -> Result<Selection, SelectionError> {
        let known = toolset_names();
        let mut enabled = BTreeSet::new();
        let toolsets: Vec<&str> = if toolsets.is_empty() {
            vec!["default"]
        } else {
            toolsets.iter().map(String::as_str).collect()
        };
        for name in toolsets {
            match name {
                "all" => enabled.extend(known.iter().copied()),
                "default" if dynamic => {}
                "default" => enabled.extend(DEFAULT_TOOLSETS.iter().copied()),
                other => match known.iter().find(|k| **k == other) {
                    Some(k) => {
                        enabled.insert(*k);
                    }
                    None => {
                        return Err(SelectionError(format!(
                            "--toolsets: no toolset `{other}`; the toolsets are all, default, {}",
                            known.join(", ")
                        )));
                    }
                },
            }
        }
        let mut single = BTreeSet::new();
        for name in tools_named {
            match tools().iter().find(|t| t.name == name) {
                Some(tool) => {
                    single.insert(tool.name);
                }
                None => {
                    return Err(SelectionError(format!(
                        "--tools: no tool `{name}` (tools are named by operationId, as `get_issue`; `gitcode mcp --toolsets all --list-tools` lists them)"
                    )));
                }
            }
        }
        Ok(Selection {
            enabled: Arc::new(RwLock::new(enabled)),
            tools: single,
            read_only,
            no_destructive: false,
            dynamic,
        })
    }

    /// With `true`, lists and serves no destructive tool
    /// ([`Tool::destructive`]): a middle mode between everything and
    /// read-only, for agents that may write but never delete.
    pub fn no_destructive(mut self, no_destructive: bool) -> Selection {
        self.no_destructive = no_destructive;
        self
    }

    /// Whether `tool` passes the read-only and no-destructive modes.
    pub fn allows(&self, tool: &Tool) -> bool {
        (!self.read_only || tool.read_only()) && (!self.no_destructive || !tool.destructive())
    }

    /// The same selection with an enabled set of its own, as it is now
    /// (for a new HTTP session of a dynamic server).
    pub fn fresh_copy(&self) -> Selection {
        Selection {
            enabled: Arc::new(RwLock::new(self.enabled_set().clone())),
            ..self.clone()
        }
    }

    /// Serves discovery tools that enable toolsets (`--dynamic`).
    pub fn dynamic(&self) -> bool {
        self.dynamic
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Serves no destructive tool (`--no-destructive`).
    pub fn serves_no_destructive(&self) -> bool {
        self.no_destructive
    }

    /// The enabled toolsets.
    pub fn enabled(&self) -> Vec<&'static str> {
        self.enabled_set().iter().copied().collect()
    }

    fn enabled_set(&self) -> std::sync::RwLockReadGuard<'_, BTreeSet<&'static str>> {
        // A panic while holding the lock cannot leave the set half-changed
        // (one insert), so a poisoned lock is still a good one.
        self.enabled.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Enables a toolset; `Ok(true)` if it was not enabled yet.
    pub fn enable(&self, toolset: &str) -> Result<bool, SelectionError> {
        let name = toolset_names()
            .into_iter()
            .find(|k| *k == toolset)
            .ok_or_else(|| {
                SelectionError(format!(
                    "no toolset `{toolset}`; the toolsets are {}",
                    toolset_names().join(", ")
                ))
            })?;
        let mut enabled = self.enabled.write().unwrap_or_else(|e| e.into_inner());
        Ok(enabled.insert(name))
    }

    /// The tools listed now, in spec order.
    pub fn listed(&self) -> Vec<&'static Tool> {
        let enabled = self.enabled_set();
        tools()
            .iter()
            .filter(|t| enabled.contains(t.toolset) || self.tools.contains(t.name))
            .filter(|t| self.allows(t))
            .collect()
    }

    /// The tool `name`, if it may be called now.
    pub fn callable(&self, name: &str) -> Result<&'static Tool, Refusal> {
        let tool = tools()
            .iter()
            .find(|t| t.name == name)
            .ok_or(Refusal::Unknown)?;
        if self.read_only && !tool.read_only() {
            return Err(Refusal::ReadOnly(tool));
        }
        if self.no_destructive && tool.destructive() {
            return Err(Refusal::Destructive(tool));
        }
        if self.enabled_set().contains(tool.toolset) || self.tools.contains(tool.name) {
            Ok(tool)
        } else {
            Err(Refusal::NotEnabled(tool))
        }
    }
}

/// Every toolset, in the order its first tool comes in the spec.
pub fn toolset_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for tool in tools() {
        if !names.contains(&tool.toolset) {
            names.push(tool.toolset);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(toolsets: &[&str], tools: &[&str], read_only: bool) -> Selection {
        let owned = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::new(&owned(toolsets), &owned(tools), read_only, false).unwrap()
    }

    #[test]
    fn the_default_set_lists_at_most_100_tools() {
        let listed = selection(&["default"], &[], false).listed();
        assert!(listed.len() <= 100, "{}", listed.len());
        for toolset in DEFAULT_TOOLSETS {
            assert!(listed.iter().any(|t| t.toolset == *toolset), "{toolset}");
        }
    }

    #[test]
    fn all_lists_every_tool_and_read_only_only_gets() {
        assert_eq!(
            selection(&["all"], &[], false).listed().len(),
            tools().len()
        );
        let read_only = selection(&["all"], &[], true);
        assert!(read_only.listed().iter().all(|t| t.method == "GET"));
        assert!(matches!(
            read_only.callable("create_issue"),
            Err(Refusal::ReadOnly(_))
        ));
        assert!(read_only.callable("get_issue").is_ok());
    }

    #[test]
    fn single_tools_add_to_the_toolsets() {
        let s = selection(&["search"], &["get_repo_contents"], false);
        assert!(s.callable("get_repo_contents").is_ok());
        assert!(matches!(
            s.callable("delete_repo"),
            Err(Refusal::NotEnabled(_))
        ));
        assert_eq!(s.callable("no_such_tool"), Err(Refusal::Unknown));
    }

    #[test]
    fn unknown_names_are_errors_that_list_the_known_ones() {
        let owned = |s: &str| vec![s.to_string()];
        let e = Selection::new(&owned("isues"), &[], false, false).unwrap_err();
        assert!(e.to_string().contains("no toolset `isues`"), "{e}");
        assert!(e.to_string().contains("pull-requests"), "{e}");
        let e = Selection::new(&[], &owned("get_isue"), false, false).unwrap_err();
        assert!(e.to_string().contains("no tool `get_isue`"), "{e}");
    }

    #[test]
    fn no_destructive_leaves_out_deletes_with_every_other_choice() {
        let all = selection(&["all"], &[], false).no_destructive(true);
        assert!(all.listed().iter().all(|t| t.method != "DELETE"));
        assert!(all.listed().iter().any(|t| t.method == "POST"));
        assert!(matches!(
            all.callable("delete_repo"),
            Err(Refusal::Destructive(_))
        ));
        assert!(all.callable("create_issue").is_ok());
        // A single tool named by --tools is still refused.
        let named = selection(&["search"], &["delete_repo", "get_repo_contents"], false)
            .no_destructive(true);
        assert!(matches!(
            named.callable("delete_repo"),
            Err(Refusal::Destructive(_))
        ));
        assert!(named.callable("get_repo_contents").is_ok());
        assert!(!named.listed().iter().any(|t| t.name == "delete_repo"));
        // Dynamic: an enabled toolset lists no delete.
        let dynamic = Selection::new(&[], &[], false, true)
            .unwrap()
            .no_destructive(true);
        dynamic.enable("labels").unwrap();
        assert!(!dynamic.listed().is_empty());
        assert!(dynamic.listed().iter().all(|t| !t.destructive()));
        // Read-only narrows further: both hold.
        let both = selection(&["all"], &[], true).no_destructive(true);
        assert!(both.listed().iter().all(|t| t.read_only()));
        assert!(matches!(
            both.callable("delete_repo"),
            Err(Refusal::ReadOnly(_))
        ));
    }

    #[test]
    fn dynamic_starts_empty_and_enables_toolsets() {
        let s = Selection::new(&[], &[], false, true).unwrap();
        assert!(s.listed().is_empty());
        assert_eq!(s.enable("labels"), Ok(true));
        assert_eq!(s.enable("labels"), Ok(false));
        assert!(s.listed().iter().all(|t| t.toolset == "labels"));
        assert!(s.enable("nope").is_err());
    }
}
