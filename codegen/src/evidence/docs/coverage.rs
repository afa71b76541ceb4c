//! How much of the documented API the spec covers, against the docs' index
//! of endpoints and their webhook events (both read from the docs fixtures,
//! [`crate::evidence::docs::DocsFacts`]), and which operations the spec holds
//! beyond the docs (`x-gitcode-undocumented`, each with its evidence): those a
//! maintained client sends apart from those resting only on weaker evidence
//! (`weak`, a client never run against the live server).

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::Spec;

/// One endpoint of the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub category: String,
}

/// The comparison of the spec with the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Category → (covered, documented).
    pub by_category: BTreeMap<String, (usize, usize)>,
    /// Index entries with no operation in the spec.
    pub missing: Vec<Endpoint>,
    /// Spec operations (method, path, operationId) not in the index and not
    /// marked `x-gitcode-undocumented`.
    pub extra: Vec<(String, String, String)>,
    /// Spec operations marked `x-gitcode-undocumented` on a maintained
    /// client's evidence (no `weak`), with it (`client, source`).
    pub undocumented: Vec<(String, String, String, String)>,
    /// Spec operations marked `x-gitcode-undocumented` whose only evidence is
    /// weaker (`weak` set), with it (`client, source; weak: why`).
    pub weak_undocumented: Vec<(String, String, String, String)>,
    /// Operations marked `x-gitcode-undocumented` that the index lists after
    /// all: the mark is stale.
    pub marked_but_documented: Vec<(String, String, String)>,
    /// Webhook events: (covered, documented).
    pub webhooks: (usize, usize),
    /// Documented webhook events the spec lacks.
    pub missing_webhooks: Vec<String>,
    /// Webhook events of the spec the docs do not list.
    pub extra_webhooks: Vec<String>,
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.by_category.values().map(|(c, _)| c).sum()
    }

    pub fn documented(&self) -> usize {
        self.by_category.values().map(|(_, d)| d).sum()
    }

    /// The spec and the docs agree: every documented endpoint and event is
    /// in the spec, and every other operation is marked undocumented.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.marked_but_documented.is_empty()
            && self.missing_webhooks.is_empty()
            && self.extra_webhooks.is_empty()
    }
}

/// A path with its parameter names erased: `/a/{x}/b` → `/a/{}/b`. The spec
/// names a URL's parameters once for all its methods, where the index
/// sometimes names them per method (`branches/{branch}` for GET,
/// `branches/{name}` for DELETE).
pub fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Compares by method and full path (parameter names aside).
pub fn coverage(spec: &Spec, index: &[Endpoint], webhook_events: &[String]) -> Coverage {
    let in_spec: BTreeSet<(String, String)> = spec
        .operations
        .iter()
        .map(|op| (op.method.to_uppercase(), path_shape(&op.path)))
        .collect();
    let in_index: BTreeSet<(String, String)> = index
        .iter()
        .map(|e| (e.method.clone(), path_shape(&e.path)))
        .collect();
    let mut report = Coverage::default();
    for endpoint in index {
        let entry = report
            .by_category
            .entry(endpoint.category.clone())
            .or_default();
        entry.1 += 1;
        if in_spec.contains(&(endpoint.method.clone(), path_shape(&endpoint.path))) {
            entry.0 += 1;
        } else {
            report.missing.push(endpoint.clone());
        }
    }
    for op in &spec.operations {
        let key = (op.method.to_uppercase(), path_shape(&op.path));
        let row = (key.0.clone(), op.path.clone(), op.operation_id.clone());
        match (&op.undocumented, in_index.contains(&key)) {
            (None, true) => {}
            (None, false) => report.extra.push(row),
            (Some(evidence), false) => match &evidence.weak {
                None => report.undocumented.push((
                    row.0,
                    row.1,
                    row.2,
                    format!("{}, {}", evidence.client, evidence.source),
                )),
                Some(weak) => report.weak_undocumented.push((
                    row.0,
                    row.1,
                    row.2,
                    format!("{}, {}; weak: {weak}", evidence.client, evidence.source),
                )),
            },
            (Some(_), true) => report.marked_but_documented.push(row),
        }
    }
    let in_spec: BTreeSet<&str> = spec.webhooks.iter().map(|e| e.name.as_str()).collect();
    for event in webhook_events {
        if in_spec.contains(event.as_str()) {
            report.webhooks.0 += 1;
        } else {
            report.missing_webhooks.push(event.clone());
        }
        report.webhooks.1 += 1;
    }
    report.extra_webhooks = in_spec
        .into_iter()
        .filter(|e| !webhook_events.iter().any(|d| d == e))
        .map(String::from)
        .collect();
    report
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = self
            .by_category
            .keys()
            .map(String::len)
            .max()
            .unwrap_or(8)
            .max("undocumented, weak".len());
        for (category, (covered, documented)) in &self.by_category {
            writeln!(f, "{category:<width$}  {covered:>3} / {documented:<3}")?;
        }
        writeln!(
            f,
            "{:<width$}  {:>3} / {:<3}",
            "total",
            self.covered(),
            self.documented()
        )?;
        for e in &self.missing {
            writeln!(
                f,
                "missing from the spec: {} {} ({})",
                e.method, e.path, e.category
            )?;
        }
        for (method, path, id) in &self.extra {
            writeln!(
                f,
                "not in the index: {method} {path} ({id}); mark it x-gitcode-undocumented with its evidence"
            )?;
        }
        writeln!(
            f,
            "{:<width$}  {:>3} (a maintained client's evidence)",
            "undocumented",
            self.undocumented.len()
        )?;
        for (method, path, id, evidence) in &self.undocumented {
            writeln!(f, "undocumented: {method} {path} ({id}; {evidence})")?;
        }
        writeln!(
            f,
            "{:<width$}  {:>3} (weaker evidence only)",
            "undocumented, weak",
            self.weak_undocumented.len()
        )?;
        for (method, path, id, evidence) in &self.weak_undocumented {
            writeln!(f, "undocumented, weak: {method} {path} ({id}; {evidence})")?;
        }
        for (method, path, id) in &self.marked_but_documented {
            writeln!(
                f,
                "marked x-gitcode-undocumented but documented: {method} {path} ({id})"
            )?;
        }
        let (covered, documented) = self.webhooks;
        writeln!(
            f,
            "{:<width$}  {covered:>3} / {documented:<3}",
            "webhook events"
        )?;
        for event in &self.missing_webhooks {
            writeln!(f, "webhook event missing from the spec: {event}")?;
        }
        for event in &self.extra_webhooks {
            writeln!(f, "webhook event not in the docs: {event}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes_ignore_parameter_names() {
        assert_eq!(
            path_shape("/r/{owner}/{repo}/compare/{base}...{head}"),
            "/r/{}/{}/compare/{}...{}"
        );
        assert_eq!(path_shape("/b/{name}"), path_shape("/b/{branch}"));
    }
}
