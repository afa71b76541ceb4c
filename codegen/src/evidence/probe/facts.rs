//! What the answers so far tell: [`Facts`].
//!
//! Two kinds: the items of each list answered (by the list's path template
//! and the parameter values it was called with), whose fields fill the
//! parameters of the operations below it (`/issues` → `{number}` of
//! `/issues/{number}`); and every scalar field seen anywhere, by name
//! (`login`), for the parameters no list names.

use std::collections::BTreeMap;

use serde_json::Value;

/// How many values of one field name [`Facts`] keeps.
const KEPT_PER_NAME: usize = 8;

/// One list answer: its template, the values it was called with, and the
/// scalar fields of its items, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAnswer {
    /// The list's path template.
    pub template: String,
    /// `(parameter, value)` it was called with.
    pub bindings: Vec<(String, String)>,
    /// Each item's scalar fields, as text (`7` for the number 7).
    pub items: Vec<BTreeMap<String, String>>,
}

/// Everything learnt from the answers so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    lists: Vec<ListAnswer>,
    /// Field name → the distinct values seen, first seen first.
    anywhere: BTreeMap<String, Vec<String>>,
}

impl Facts {
    /// Learns `answer`, the answer of the operation at `template` called
    /// with `bindings`; `items` is the field holding its list where the
    /// answer is an object that wraps one (`x-gitcode-page-items`).
    pub fn learn(
        &mut self,
        template: &str,
        bindings: &[(String, String)],
        items: Option<&str>,
        answer: &Value,
    ) {
        let list = match (answer, items) {
            (Value::Array(list), _) => Some(list),
            (Value::Object(fields), Some(field)) => fields.get(field).and_then(Value::as_array),
            _ => None,
        };
        if let Some(list) = list {
            let items: Vec<BTreeMap<String, String>> = list
                .iter()
                .filter_map(Value::as_object)
                .map(|item| {
                    item.iter()
                        .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
                        .collect()
                })
                .filter(|item: &BTreeMap<String, String>| !item.is_empty())
                .collect();
            if !items.is_empty() {
                self.lists.push(ListAnswer {
                    template: template.to_string(),
                    bindings: bindings.to_vec(),
                    items,
                });
            }
        }
        self.learn_anywhere(answer, 0);
    }

    fn learn_anywhere(&mut self, value: &Value, depth: usize) {
        if depth > 32 {
            return;
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    self.learn_anywhere(item, depth + 1);
                }
            }
            Value::Object(fields) => {
                for (name, field) in fields {
                    match scalar(field) {
                        Some(text) => {
                            let seen = self.anywhere.entry(name.clone()).or_default();
                            if seen.len() < KEPT_PER_NAME && !seen.contains(&text) {
                                seen.push(text);
                            }
                        }
                        None => self.learn_anywhere(field, depth + 1),
                    }
                }
            }
            _ => {}
        }
    }

    /// The lists answered at `template`, whose bindings agree with
    /// `bound` wherever both name a parameter.
    pub fn lists<'f>(
        &'f self,
        template: &'f str,
        bound: &'f [(String, String)],
    ) -> impl Iterator<Item = &'f ListAnswer> + 'f {
        self.lists.iter().filter(move |list| {
            list.template == template
                && list.bindings.iter().all(|(name, value)| {
                    bound
                        .iter()
                        .all(|(other, chosen)| other != name || chosen == value)
                })
        })
    }

    /// The values of field `name` seen anywhere in an answer.
    pub fn anywhere(&self, name: &str) -> &[String] {
        self.anywhere.get(name).map_or(&[], Vec::as_slice)
    }
}

/// A string, or a number as its text; `None` for anything else (and for
/// an empty string, which fills no parameter).
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_items_are_kept_by_template_and_bindings() {
        let mut facts = Facts::default();
        let bound = |n: &str| vec![("number".to_string(), n.to_string())];
        facts.learn(
            "/c",
            &bound("7"),
            None,
            &json!([{"id": 1, "user": {"login": "a"}}, {"id": "x2", "body": ""}]),
        );
        facts.learn(
            "/runs",
            &[],
            Some("workflow_runs"),
            &json!({"total_count": 1, "workflow_runs": [{"workflow_run_id": 9}]}),
        );
        let seven = bound("7");
        let ids: Vec<&str> = facts
            .lists("/c", &seven)
            .flat_map(|l| &l.items)
            .map(|i| i["id"].as_str())
            .collect();
        assert_eq!(ids, ["1", "x2"]);
        assert_eq!(facts.lists("/c", &bound("8")).count(), 0);
        assert_eq!(facts.lists("/c", &[]).count(), 1);
        assert_eq!(
            facts.lists("/runs", &[]).next().unwrap().items[0]["workflow_run_id"],
            "9"
        );
        assert_eq!(facts.anywhere("login"), ["a"]);
        assert_eq!(facts.anywhere("body"), Vec::<String>::new().as_slice());
        assert_eq!(facts.anywhere("total_count"), ["1"]);
    }
}
