//! The changes between two [`Api`]s, each with its impact on code written
//! against the generated client. The rules are in the module docs of
//! [`crate::api_diff`].

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Api, Body, Operation, Parameter, Section, Shape};
use crate::spec::extensions::{KNOWN_ISSUE, LENIENT, SEND_AS, UNDOCUMENTED, UNVERIFIED};

/// What a change does to code written against the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Such code may stop compiling or behave differently: a major change.
    Breaking,
    /// Something new: a minor change.
    Addition,
    /// A compatible change that is not an addition: a minor change.
    Other,
    /// Only the generated documentation changes: a patch.
    Docs,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub section: Section,
    /// What changed, in Markdown: `` `Issue.number` ``.
    pub subject: String,
    /// How, in Markdown: ``type `integer` → `string` ``.
    pub detail: String,
    pub impact: Impact,
    /// The operations and webhook events that reach a changed component
    /// schema (empty for other changes).
    pub reached_by: Vec<String>,
}

impl Change {
    pub fn breaking(&self) -> bool {
        self.impact == Impact::Breaking
    }
}

/// The semver bump a set of changes calls for, for the `gitcode` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Semver {
    Patch,
    Minor,
    Major,
}

impl std::fmt::Display for Semver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        })
    }
}

/// Every change, sorted by section, subject and detail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    pub changes: Vec<Change>,
    /// Descriptions, summaries, examples, titles and `externalDocs` added,
    /// removed or changed.
    pub docs_changes: usize,
}

impl Diff {
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    pub fn breaking(&self) -> usize {
        self.count(Impact::Breaking)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.docs_changes == 0
    }

    pub fn semver(&self) -> Semver {
        match self.changes.iter().map(|c| c.impact).min() {
            Some(Impact::Breaking) => Semver::Major,
            Some(Impact::Addition | Impact::Other) => Semver::Minor,
            Some(Impact::Docs) | None => Semver::Patch,
        }
    }
}

/// Compares `old` with `new`.
pub fn compare(old: &Api, new: &Api) -> Diff {
    let mut out = Changes {
        changes: Vec::new(),
        new,
        old,
    };
    out.operations();
    out.shapes();
    out.webhooks();
    out.extensions();
    let docs_changes = count_differences(&old.docs, &new.docs);
    if out.changes.is_empty() && old.skeleton != new.skeleton {
        out.push(
            Section::Other,
            "the spec".into(),
            "changed outside what this report itemises (servers, security, defaults, \
             validation keywords…): check the generated diff"
                .into(),
            Impact::Other,
        );
    }
    let mut changes = out.changes;
    changes.sort();
    changes.dedup();
    Diff {
        changes,
        docs_changes,
    }
}

struct Changes<'a> {
    changes: Vec<Change>,
    old: &'a Api,
    new: &'a Api,
}

impl Changes<'_> {
    fn push(&mut self, section: Section, subject: String, detail: String, impact: Impact) {
        self.changes.push(Change {
            section,
            subject,
            detail,
            impact,
            reached_by: Vec::new(),
        });
    }

    fn operations(&mut self) {
        let (old, new) = (&self.old.operations, &self.new.operations);
        let mut added: Vec<&String> = new.keys().filter(|id| !old.contains_key(*id)).collect();
        for (id, op) in old.iter().filter(|(id, _)| !new.contains_key(*id)) {
            let renamed = added
                .iter()
                .position(|a| new[*a].method == op.method && new[*a].path == op.path);
            match renamed {
                Some(index) => {
                    let new_id = added.remove(index);
                    self.push(
                        Section::Operations,
                        format!("`{id}`"),
                        format!(
                            "renamed to `{new_id}` (`{} {}`): the Rust method is renamed",
                            op.method, op.path
                        ),
                        Impact::Breaking,
                    );
                    self.operation(new_id, op, &new[new_id]);
                }
                None => self.push(
                    Section::Operations,
                    format!("`{id}`"),
                    format!("removed (`{} {}`)", op.method, op.path),
                    Impact::Breaking,
                ),
            }
        }
        for id in added {
            let op = &new[id];
            self.push(
                Section::Operations,
                format!("`{id}`"),
                format!("new operation (`{} {}`)", op.method, op.path),
                Impact::Addition,
            );
        }
        for (id, op) in old {
            if let Some(new_op) = new.get(id) {
                self.operation(id, op, new_op);
            }
        }
    }

    fn operation(&mut self, id: &str, old: &Operation, new: &Operation) {
        let subject = format!("`{id}`");
        if (&old.method, &old.path) != (&new.method, &new.path) {
            self.push(
                Section::Operations,
                subject.clone(),
                format!(
                    "moved from `{} {}` to `{} {}`",
                    old.method, old.path, new.method, new.path
                ),
                Impact::Other,
            );
        }
        if old.tag != new.tag {
            self.push(
                Section::Operations,
                subject.clone(),
                format!(
                    "tag `{}` → `{}`: the method moves to another extension trait",
                    old.tag, new.tag
                ),
                Impact::Breaking,
            );
        }
        self.parameters(id, &old.parameters, &new.parameters);
        self.body(id, old.body.as_ref(), new.body.as_ref());
        for (status, ty) in &old.responses {
            match new.responses.get(status) {
                None => self.push(
                    Section::Operations,
                    subject.clone(),
                    format!("response `{status}` removed (was `{ty}`)"),
                    Impact::Breaking,
                ),
                Some(new_ty) if new_ty != ty => self.push(
                    Section::Operations,
                    subject.clone(),
                    format!("response `{status}`: type `{ty}` → `{new_ty}`"),
                    Impact::Breaking,
                ),
                Some(_) => {}
            }
        }
        for (status, ty) in &new.responses {
            if !old.responses.contains_key(status) {
                self.push(
                    Section::Operations,
                    subject.clone(),
                    format!("new response `{status}` (`{ty}`)"),
                    Impact::Addition,
                );
            }
        }
    }

    fn parameters(
        &mut self,
        id: &str,
        old: &BTreeMap<(String, String), Parameter>,
        new: &BTreeMap<(String, String), Parameter>,
    ) {
        let subject = format!("`{id}`");
        for ((location, name), param) in old {
            let what = format!("{location} parameter `{name}`");
            let Some(new_param) = new.get(&(location.clone(), name.clone())) else {
                self.push(
                    Section::Parameters,
                    subject.clone(),
                    format!("{what} removed (was `{}`)", param.ty),
                    Impact::Breaking,
                );
                continue;
            };
            if param.ty != new_param.ty {
                // An open enum converts from `&str` and `String`, what a
                // builder of a string parameter took.
                let (note, impact) = if param.ty == "string" && new_param.ty == "string enum" {
                    (
                        ": the builder still takes a `&str` or `String` (the enum is open)",
                        Impact::Other,
                    )
                } else {
                    ("", Impact::Breaking)
                };
                self.push(
                    Section::Parameters,
                    subject.clone(),
                    format!("{what}: type `{}` → `{}`{note}", param.ty, new_param.ty),
                    impact,
                );
            }
            match (param.required, new_param.required) {
                (false, true) => self.push(
                    Section::Parameters,
                    subject.clone(),
                    format!("{what} made required"),
                    Impact::Breaking,
                ),
                (true, false) => self.push(
                    Section::Parameters,
                    subject.clone(),
                    format!("{what} made optional"),
                    Impact::Other,
                ),
                _ => {}
            }
        }
        for ((location, name), param) in new {
            if !old.contains_key(&(location.clone(), name.clone())) {
                let (how, impact) = if param.required {
                    ("required", Impact::Breaking)
                } else {
                    ("optional", Impact::Addition)
                };
                self.push(
                    Section::Parameters,
                    subject.clone(),
                    format!("new {location} parameter `{name}` (`{}`, {how})", param.ty),
                    impact,
                );
            }
        }
    }

    fn body(&mut self, id: &str, old: Option<&Body>, new: Option<&Body>) {
        let subject = format!("`{id}`");
        let (detail, impact) = match (old, new) {
            (None, None) => return,
            (Some(old), None) => (
                format!("request body removed (was `{}`)", old.ty),
                Impact::Breaking,
            ),
            (None, Some(new)) if new.required => (
                format!("new request body (`{}`, required)", new.ty),
                Impact::Breaking,
            ),
            (None, Some(new)) => (
                format!("new request body (`{}`, optional)", new.ty),
                Impact::Addition,
            ),
            (Some(old), Some(new)) => {
                if old.content_type != new.content_type {
                    // JSON and a form are generated from the same body type:
                    // only the bytes on the wire change.
                    let same_type = [&old.content_type, &new.content_type].iter().all(|c| {
                        matches!(
                            c.as_str(),
                            "application/json" | "application/x-www-form-urlencoded"
                        )
                    });
                    let (note, impact) = if same_type {
                        (
                            ": the same Rust body, sent in another encoding",
                            Impact::Other,
                        )
                    } else {
                        ("", Impact::Breaking)
                    };
                    self.push(
                        Section::Operations,
                        subject.clone(),
                        format!(
                            "request body: content type `{}` → `{}`{note}",
                            old.content_type, new.content_type
                        ),
                        impact,
                    );
                }
                if old.ty != new.ty {
                    self.push(
                        Section::Operations,
                        subject.clone(),
                        format!("request body: type `{}` → `{}`", old.ty, new.ty),
                        Impact::Breaking,
                    );
                }
                match (old.required, new.required) {
                    (false, true) => ("request body made required".into(), Impact::Breaking),
                    (true, false) => ("request body made optional".into(), Impact::Other),
                    _ => return,
                }
            }
        };
        self.push(Section::Operations, subject, detail, impact);
    }

    fn shapes(&mut self) {
        let (old, new) = (&self.old.shapes, &self.new.shapes);
        let removed: Vec<&String> = old
            .iter()
            .filter(|(name, shape)| shape.component && !new.contains_key(*name))
            .map(|(name, _)| name)
            .collect();
        let mut added: Vec<&String> = new
            .iter()
            .filter(|(name, shape)| shape.component && !old.contains_key(*name))
            .map(|(name, _)| name)
            .collect();
        for name in removed {
            let renamed = added
                .iter()
                .position(|a| new[*a].definition == old[name].definition);
            let (detail, reach) = match renamed {
                Some(index) => {
                    let new_name = added.remove(index);
                    (
                        format!(
                            "renamed to `{new_name}` (same definition): the Rust type is renamed"
                        ),
                        self.reach(new_name, self.new),
                    )
                }
                None => ("removed".to_string(), self.reach(name, self.old)),
            };
            self.changes.push(Change {
                section: Section::Schemas,
                subject: format!("`{name}`"),
                detail,
                impact: Impact::Breaking,
                reached_by: reach,
            });
        }
        for name in added {
            self.push(
                Section::Schemas,
                format!("`{name}`"),
                format!("new schema (`{}`)", new[name].ty),
                Impact::Addition,
            );
        }
        for (name, shape) in old {
            if let Some(new_shape) = new.get(name) {
                let before = self.changes.len();
                self.shape(name, shape, new_shape);
                let reach = self.reach(name, self.new);
                for change in &mut self.changes[before..] {
                    change.reached_by = reach.clone();
                }
            }
        }
    }

    /// The operations and events that reach component schema `name`.
    fn reach(&self, name: &str, api: &Api) -> Vec<String> {
        api.reached_by
            .get(name)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn shape(&mut self, name: &str, old: &Shape, new: &Shape) {
        // A lenient schema's JSON schema only documents its hand-written
        // type: the generated code does not follow it.
        let lenient = old.lenient.is_some() && new.lenient.is_some();
        let impact = |impact: Impact| if lenient { Impact::Docs } else { impact };
        let note = if lenient {
            " (`x-gitcode-lenient`: generated code unchanged)"
        } else {
            ""
        };
        let section = new.section;
        if old.component && old.ty != new.ty {
            self.push(
                section,
                format!("`{name}`"),
                format!("type `{}` → `{}`{note}", old.ty, new.ty),
                impact(Impact::Breaking),
            );
        }
        for (prop, p) in &old.properties {
            let subject = format!("`{name}.{prop}`");
            let Some(np) = new.properties.get(prop) else {
                self.push(
                    section,
                    subject,
                    format!("removed (was `{}`){note}", p.ty),
                    impact(Impact::Breaking),
                );
                continue;
            };
            if p.ty != np.ty {
                self.push(
                    section,
                    subject.clone(),
                    format!("type `{}` → `{}`{note}", p.ty, np.ty),
                    impact(Impact::Breaking),
                );
            }
            if p.required != np.required {
                let (how, field) = if np.required {
                    ("made required", "`Option<T>` → `T`")
                } else {
                    ("made optional", "`T` → `Option<T>`")
                };
                self.push(
                    section,
                    subject,
                    format!("{how}: the Rust field changes {field}{note}"),
                    impact(Impact::Breaking),
                );
            }
        }
        for (prop, p) in &new.properties {
            if old.properties.contains_key(prop) {
                continue;
            }
            let (how, kind) = match (p.required, new.in_request) {
                (true, true) => ("required, in a request", Impact::Breaking),
                (true, false) => ("required", Impact::Addition),
                (false, _) => ("optional", Impact::Addition),
            };
            self.push(
                section,
                format!("`{name}.{prop}`"),
                format!("new property (`{}`, {how}){note}", p.ty),
                impact(kind),
            );
        }
        let old_values: BTreeSet<&String> = old.enum_values.iter().collect();
        let new_values: BTreeSet<&String> = new.enum_values.iter().collect();
        for value in old_values.difference(&new_values) {
            self.push(
                section,
                format!("`{name}`"),
                format!("enum value `{value}` removed{note}"),
                impact(Impact::Breaking),
            );
        }
        for value in new_values.difference(&old_values) {
            let (detail, kind) = if new.string_enum {
                (
                    "a new variant of an open Rust enum (it was sent and decoded as `Other` before)",
                    Impact::Addition,
                )
            } else {
                ("accepted by the generated newtype", Impact::Addition)
            };
            self.push(
                section,
                format!("`{name}`"),
                format!("enum value `{value}` added: {detail}{note}"),
                impact(kind),
            );
        }
        if old.lenient != new.lenient {
            let show = |l: &Option<String>| {
                l.as_ref().map_or_else(
                    || "generated".to_string(),
                    |l| format!("`gitcode::lenient::{l}`"),
                )
            };
            self.push(
                section,
                format!("`{name}`"),
                format!(
                    "Rust type {} → {} (`{LENIENT}`)",
                    show(&old.lenient),
                    show(&new.lenient)
                ),
                Impact::Breaking,
            );
        }
    }

    fn webhooks(&mut self) {
        let (old, new) = (&self.old.webhooks, &self.new.webhooks);
        for (event, schema) in old {
            let (detail, impact) = match new.get(event) {
                None => (
                    format!("removed (payload `{schema}`): its `Event` variant goes"),
                    Impact::Breaking,
                ),
                Some(new_schema) if new_schema != schema => (
                    format!("payload `{schema}` → `{new_schema}`"),
                    Impact::Breaking,
                ),
                Some(_) => continue,
            };
            self.push(Section::WebhookEvents, format!("`{event}`"), detail, impact);
        }
        for (event, schema) in new {
            if !old.contains_key(event) {
                self.push(
                    Section::WebhookEvents,
                    format!("`{event}`"),
                    format!("new event (payload `{schema}`; `Event` is `#[non_exhaustive]`)"),
                    Impact::Addition,
                );
            }
        }
    }

    fn extensions(&mut self) {
        let (old, new) = (&self.old.extensions, &self.new.extensions);
        let keys: BTreeSet<&(String, String)> = old.keys().chain(new.keys()).collect();
        for key @ (place, name) in keys {
            let (what, impact) = match (old.get(key), new.get(key)) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => (
                    format!("`{name}` changed: `{}` → `{}`", short(a), short(b)),
                    Impact::Other,
                ),
                (Some(a), None) => (
                    format!("`{name}` removed (was `{}`)", short(a)),
                    Impact::Other,
                ),
                (None, Some(b)) => (format!("`{name}` added: `{}`", short(b)), Impact::Addition),
                (None, None) => continue,
            };
            let (why, impact) = match name.as_str() {
                // Reported with the schema, whose Rust type it replaces.
                LENIENT => continue,
                UNVERIFIED | KNOWN_ISSUE | UNDOCUMENTED => {
                    ("changes the generated docs only", Impact::Docs)
                }
                // Reported with the request body, as its content type.
                SEND_AS => continue,
                _ => (
                    "may change generated code — check the generated diff",
                    impact,
                ),
            };
            self.push(
                Section::Extensions,
                format!("`{place}`"),
                format!("{what}: {why}"),
                impact,
            );
        }
    }
}

/// Entries added, removed or changed between two maps.
fn count_differences(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> usize {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .count()
}

/// An extension's value, cut to a length that fits a line.
fn short(value: &str) -> String {
    const MAX: usize = 60;
    let value = value.replace('`', "'");
    match value.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value,
    }
}
