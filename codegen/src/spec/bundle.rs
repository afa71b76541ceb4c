//! Merging the spec files into one OpenAPI document.
//!
//! `openapi.yaml` is the base. Each file under `components/` and `paths/`
//! contributes `paths` entries and `components` sections; a path + method,
//! or a component name, defined twice is an error naming both places. The
//! bundle remembers which file each operation and component came from, so
//! that later checks can point at the right file.
//!
//! An area file may also hold `x-gitcode-webhooks` (webhook event name →
//! payload schema); the entries of every file merge into the document's
//! own, an event named twice being an error like a component.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::extensions::WEBHOOKS;
use super::load::{SpecFile, SpecFiles};
use crate::error::SpecError;

/// HTTP methods as OpenAPI path-item keys.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The merged document and where each part of it came from.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub document: Value,
    /// `(path, method)` → index into `files`.
    pub operation_origin: BTreeMap<(String, String), usize>,
    /// `(section, name)`, e.g. `("schemas", "User")` → index into `files`.
    pub component_origin: BTreeMap<(String, String), usize>,
    /// Webhook event name (`Push Hook`) → index into `files`.
    pub webhook_origin: BTreeMap<String, usize>,
    pub files: Vec<SpecFile>,
}

impl Bundle {
    pub fn file_of_operation(&self, path: &str, method: &str) -> Option<&SpecFile> {
        self.operation_origin
            .get(&(path.to_string(), method.to_string()))
            .map(|&i| &self.files[i])
    }

    pub fn file_of_webhook(&self, event: &str) -> Option<&SpecFile> {
        self.webhook_origin.get(event).map(|&i| &self.files[i])
    }

    pub fn file_of_component(&self, section: &str, name: &str) -> Option<&SpecFile> {
        self.component_origin
            .get(&(section.to_string(), name.to_string()))
            .map(|&i| &self.files[i])
    }

    /// Operations in document order: `(path, method, operation)`.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &str, &Value)> {
        self.document
            .get("paths")
            .and_then(Value::as_mapping)
            .into_iter()
            .flat_map(|paths| paths.iter())
            .filter_map(|(path, item)| Some((path.as_str()?, item.as_mapping()?)))
            .flat_map(|(path, item)| {
                item.iter().filter_map(move |(method, op)| {
                    let method = method.as_str()?;
                    METHODS.contains(&method).then_some((path, method, op))
                })
            })
    }
}

/// Merges the files. Collects every conflict before failing.
pub fn bundle(files: SpecFiles) -> Result<Bundle, Vec<SpecError>> {
    let mut errors = Vec::new();
    let all: Vec<SpecFile> = files.all().cloned().collect();
    let mut document = all[0].value.clone();
    let mut operation_origin = BTreeMap::new();
    let mut component_origin = BTreeMap::new();

    let root = match document.as_mapping_mut() {
        Some(root) => root,
        None => {
            return Err(vec![SpecError::new(
                "the root document must be a mapping",
                all[0].at(1, 1),
            )]);
        }
    };
    let mut paths = take_mapping(root, "paths");
    let mut components = take_mapping(root, "components");
    let mut webhooks = take_mapping(root, WEBHOOKS);
    let mut webhook_origin: BTreeMap<String, usize> = webhooks
        .keys()
        .filter_map(|k| Some((k.as_str()?.to_string(), 0)))
        .collect();
    record_origins(
        0,
        &paths,
        &components,
        &mut operation_origin,
        &mut component_origin,
    );

    for (index, file) in all.iter().enumerate().skip(1) {
        let Some(contribution) = file.value.as_mapping() else {
            if !file.value.is_null() {
                errors.push(SpecError::new(
                    "a spec file must be a mapping with `paths` and/or `components`",
                    file.at(1, 1),
                ));
            }
            continue;
        };
        for (key, value) in contribution {
            match key.as_str() {
                Some("paths") => merge_paths(
                    index,
                    &all,
                    value,
                    &mut paths,
                    &mut operation_origin,
                    &mut errors,
                ),
                Some("components") => merge_components(
                    index,
                    &all,
                    value,
                    &mut components,
                    &mut component_origin,
                    &mut errors,
                ),
                Some(WEBHOOKS) => merge_webhooks(
                    index,
                    &all,
                    value,
                    &mut webhooks,
                    &mut webhook_origin,
                    &mut errors,
                ),
                other => errors.push(SpecError::new(
                    format!(
                        "unexpected top-level key `{}`: area files hold only `paths`, `components` and `{WEBHOOKS}`",
                        other.unwrap_or("?")
                    ),
                    file.locate(&[other.unwrap_or("")]),
                )),
            }
        }
    }

    root.insert("paths".into(), Value::Mapping(paths));
    root.insert("components".into(), Value::Mapping(components));
    if !webhooks.is_empty() {
        root.insert(WEBHOOKS.into(), Value::Mapping(webhooks));
    }
    if errors.is_empty() {
        Ok(Bundle {
            document,
            operation_origin,
            component_origin,
            webhook_origin,
            files: all,
        })
    } else {
        Err(errors)
    }
}

fn take_mapping(root: &mut Mapping, key: &str) -> Mapping {
    match root.remove(key) {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    }
}

fn record_origins(
    index: usize,
    paths: &Mapping,
    components: &Mapping,
    operation_origin: &mut BTreeMap<(String, String), usize>,
    component_origin: &mut BTreeMap<(String, String), usize>,
) {
    for (path, item) in paths {
        for method in item.as_mapping().into_iter().flat_map(|m| m.keys()) {
            if let (Some(path), Some(method)) = (path.as_str(), method.as_str()) {
                operation_origin.insert((path.into(), method.into()), index);
            }
        }
    }
    for (section, entries) in components {
        for name in entries.as_mapping().into_iter().flat_map(|m| m.keys()) {
            if let (Some(section), Some(name)) = (section.as_str(), name.as_str()) {
                component_origin.insert((section.into(), name.into()), index);
            }
        }
    }
}

fn merge_paths(
    index: usize,
    files: &[SpecFile],
    value: &Value,
    paths: &mut Mapping,
    origin: &mut BTreeMap<(String, String), usize>,
    errors: &mut Vec<SpecError>,
) {
    let file = &files[index];
    let Some(contribution) = value.as_mapping() else {
        errors.push(SpecError::new(
            "`paths` must be a mapping",
            file.locate(&["paths"]),
        ));
        return;
    };
    for (path_key, item) in contribution {
        let path = path_key.as_str().unwrap_or_default();
        let Some(item) = item.as_mapping() else {
            errors.push(SpecError::new(
                format!("path `{path}` must map methods to operations"),
                file.locate(&["paths", path]),
            ));
            continue;
        };
        let target = paths
            .entry(path_key.clone())
            .or_insert_with(|| Value::Mapping(Mapping::new()))
            .as_mapping_mut()
            .expect("path items are mappings");
        for (key, value) in item {
            let key_str = key.as_str().unwrap_or_default();
            let id = (path.to_string(), key_str.to_string());
            if let Some(&first) = origin.get(&id) {
                errors.push(defined_twice(
                    format!("`{} {path}`", key_str.to_uppercase()),
                    file,
                    &files[first],
                    &["paths", path, key_str],
                ));
                continue;
            }
            origin.insert(id, index);
            target.insert(key.clone(), value.clone());
        }
    }
}

fn merge_components(
    index: usize,
    files: &[SpecFile],
    value: &Value,
    components: &mut Mapping,
    origin: &mut BTreeMap<(String, String), usize>,
    errors: &mut Vec<SpecError>,
) {
    let file = &files[index];
    let Some(contribution) = value.as_mapping() else {
        errors.push(SpecError::new(
            "`components` must be a mapping",
            file.locate(&["components"]),
        ));
        return;
    };
    for (section_key, entries) in contribution {
        let section = section_key.as_str().unwrap_or_default();
        let Some(entries) = entries.as_mapping() else {
            errors.push(SpecError::new(
                format!("`components.{section}` must be a mapping"),
                file.locate(&["components", section]),
            ));
            continue;
        };
        let target = components
            .entry(section_key.clone())
            .or_insert_with(|| Value::Mapping(Mapping::new()))
            .as_mapping_mut()
            .expect("component sections are mappings");
        for (name_key, entry) in entries {
            let name = name_key.as_str().unwrap_or_default();
            let id = (section.to_string(), name.to_string());
            if let Some(&first) = origin.get(&id) {
                errors.push(defined_twice(
                    format!("component `{section}.{name}`"),
                    file,
                    &files[first],
                    &["components", section, name],
                ));
                continue;
            }
            origin.insert(id, index);
            target.insert(name_key.clone(), entry.clone());
        }
    }
}

/// `what`, at `keys` in `file`, was already defined at the same keys in
/// `first`: an error that names both places.
fn defined_twice(what: String, file: &SpecFile, first: &SpecFile, keys: &[&str]) -> SpecError {
    SpecError::new(format!("{what} is defined twice"), file.locate(keys))
        .with_note(format!("first defined at {}", first.locate(keys)))
}

fn merge_webhooks(
    index: usize,
    files: &[SpecFile],
    value: &Value,
    webhooks: &mut Mapping,
    origin: &mut BTreeMap<String, usize>,
    errors: &mut Vec<SpecError>,
) {
    let file = &files[index];
    let Some(contribution) = value.as_mapping() else {
        errors.push(SpecError::new(
            format!("`{WEBHOOKS}` must map event names to payload schemas"),
            file.locate(&[WEBHOOKS]),
        ));
        return;
    };
    for (key, entry) in contribution {
        let event = key.as_str().unwrap_or_default();
        if let Some(&first) = origin.get(event) {
            errors.push(defined_twice(
                format!("webhook event `{event}`"),
                file,
                &files[first],
                &[WEBHOOKS, event],
            ));
            continue;
        }
        origin.insert(event.to_string(), index);
        webhooks.insert(key.clone(), entry.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SpecFile {
        SpecFile::parse(name, text.to_string()).unwrap()
    }

    fn files(components: Vec<SpecFile>, paths: Vec<SpecFile>) -> SpecFiles {
        SpecFiles {
            root: file("openapi.yaml", "openapi: 3.0.3\npaths: {}\n"),
            components,
            paths,
        }
    }

    #[test]
    fn merges_paths_and_components_from_area_files() {
        let bundle = bundle(files(
            vec![file(
                "c.yaml",
                "components:\n  schemas:\n    User:\n      type: object\n",
            )],
            vec![
                file(
                    "a.yaml",
                    "paths:\n  /x:\n    get:\n      operationId: get_x\n",
                ),
                file(
                    "b.yaml",
                    "paths:\n  /x:\n    post:\n      operationId: post_x\n",
                ),
            ],
        ))
        .unwrap();
        let ops: Vec<_> = bundle.operations().map(|(p, m, _)| (p, m)).collect();
        assert_eq!(ops, [("/x", "get"), ("/x", "post")]);
        assert_eq!(
            bundle
                .file_of_operation("/x", "post")
                .unwrap()
                .path
                .to_str(),
            Some("b.yaml")
        );
        assert_eq!(
            bundle
                .file_of_component("schemas", "User")
                .unwrap()
                .path
                .to_str(),
            Some("c.yaml")
        );
    }

    #[test]
    fn duplicate_definitions_name_both_files() {
        let errors = bundle(files(
            vec![
                file("c1.yaml", "components:\n  schemas:\n    User: {}\n"),
                file("c2.yaml", "components:\n  schemas:\n    User: {}\n"),
            ],
            vec![
                file("a.yaml", "paths:\n  /x:\n    get: {}\n"),
                file("b.yaml", "paths:\n  /x:\n    get: {}\n"),
            ],
        ))
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{text:?}");
        assert!(
            text[0].contains("schemas.User")
                && text[0].contains("c2.yaml:3")
                && text[0].contains("c1.yaml:3")
        );
        assert!(
            text[1].contains("GET /x")
                && text[1].contains("b.yaml:3")
                && text[1].contains("a.yaml:3")
        );
    }

    #[test]
    fn webhook_events_merge_and_a_repeated_one_names_both_files() {
        let bundle = bundle(files(
            vec![file(
                "c.yaml",
                "x-gitcode-webhooks:\n  Push Hook: {$ref: '#/components/schemas/PushEvent'}\n",
            )],
            vec![],
        ))
        .unwrap();
        assert_eq!(
            bundle.document["x-gitcode-webhooks"]["Push Hook"]["$ref"].as_str(),
            Some("#/components/schemas/PushEvent")
        );
        assert_eq!(
            bundle.file_of_webhook("Push Hook").unwrap().path.to_str(),
            Some("c.yaml")
        );

        let errors = bundle_err(files(
            vec![
                file("c1.yaml", "x-gitcode-webhooks:\n  Push Hook: {}\n"),
                file("c2.yaml", "x-gitcode-webhooks:\n  Push Hook: {}\n"),
            ],
            vec![],
        ));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("`Push Hook` is defined twice")
                && errors[0].contains("c2.yaml:2")
                && errors[0].contains("c1.yaml:2"),
            "{errors:?}"
        );
    }

    fn bundle_err(files: SpecFiles) -> Vec<String> {
        bundle(files)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}
