//! How much of the documented API the spec covers, against the docs' index
//! of endpoints (`gitcode-docs/endpoints.tsv`: method, path, category, ...).

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::Spec;

/// One endpoint of the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub category: String,
}

/// Parses the index (a header line, then tab-separated rows).
pub fn parse_index(tsv: &str) -> Result<Vec<Endpoint>, String> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut cols = line.split('\t');
            match (cols.next(), cols.next(), cols.next()) {
                (Some(m), Some(p), Some(c)) => Ok(Endpoint {
                    method: m.trim().to_uppercase(),
                    path: p.trim().to_string(),
                    category: c.trim().to_string(),
                }),
                _ => Err(format!(
                    "endpoints.tsv:{}: expected method, path and category",
                    i + 2
                )),
            }
        })
        .collect()
}

/// The comparison of the spec with the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Category → (covered, documented).
    pub by_category: BTreeMap<String, (usize, usize)>,
    /// Index entries with no operation in the spec.
    pub missing: Vec<Endpoint>,
    /// Spec operations (method, path, operationId) not in the index.
    pub extra: Vec<(String, String, String)>,
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.by_category.values().map(|(c, _)| c).sum()
    }

    pub fn documented(&self) -> usize {
        self.by_category.values().map(|(_, d)| d).sum()
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
pub fn coverage(spec: &Spec, index: &[Endpoint]) -> Coverage {
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
        if !in_index.contains(&key) {
            report
                .extra
                .push((key.0, op.path.clone(), op.operation_id.clone()));
        }
    }
    report
}

impl std::fmt::Display for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = self.by_category.keys().map(String::len).max().unwrap_or(8);
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
            writeln!(f, "not in the index: {method} {path} ({id})")?;
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

    #[test]
    fn index_rows_are_parsed_and_bad_rows_named() {
        let index =
            parse_index("method\tpath\tcategory\nget\t/api/v5/user\tUsers\tx\tp\n").unwrap();
        assert_eq!(
            index,
            [Endpoint {
                method: "GET".into(),
                path: "/api/v5/user".into(),
                category: "Users".into()
            }]
        );
        assert_eq!(
            parse_index("h\nGET /x\n").unwrap_err(),
            "endpoints.tsv:2: expected method, path and category"
        );
    }
}
