//! Checks a bundled spec against the project's conventions (see
//! `spec/README.md`) and against what progenitor can generate, before
//! progenitor sees it. Every problem is collected, each with its file and line.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::bundle::Bundle;
use super::extensions::{DESTRUCTIVE, KNOWN_EXTENSIONS, SEND_AS};
use super::load::SpecFile;
use crate::error::{Location, SpecError};

/// Runs every check; an empty result means the spec may be generated.
pub fn check(bundle: &Bundle) -> Vec<SpecError> {
    let mut errors = Vec::new();
    let tags = declared_tags(&bundle.document);
    let mut operation_ids: BTreeMap<String, Location> = BTreeMap::new();

    for (path, method, op) in bundle.operations() {
        let file = bundle
            .file_of_operation(path, method)
            .expect("every operation has an origin");
        let ctx = OpContext { file, path, method };
        check_operation(&ctx, op, &tags, &mut operation_ids, &mut errors);
        check_path_parameters(&ctx, op, bundle, &mut errors);
        check_id_parameters(&ctx, op, bundle, &mut errors);
    }

    for (section, name, file, value) in components(bundle) {
        check_component(section, name, file, value, &mut errors);
    }

    check_refs(bundle, &mut errors);
    check_extensions(bundle, &mut errors);
    errors.sort_by(|a, b| {
        (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line))
    });
    errors
}

struct OpContext<'a> {
    file: &'a SpecFile,
    path: &'a str,
    method: &'a str,
}

impl OpContext<'_> {
    fn locate(&self, keys: &[&str]) -> Location {
        let mut full = vec!["paths", self.path, self.method];
        full.extend_from_slice(keys);
        self.file.locate(&full)
    }

    fn name(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

fn declared_tags(document: &Value) -> BTreeSet<String> {
    document
        .get("tags")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name")?.as_str().map(String::from))
        .collect()
}

fn check_operation(
    ctx: &OpContext<'_>,
    op: &Value,
    tags: &BTreeSet<String>,
    operation_ids: &mut BTreeMap<String, Location>,
    errors: &mut Vec<SpecError>,
) {
    let name = ctx.name();
    match op.get("operationId").and_then(Value::as_str) {
        None => errors.push(
            SpecError::new(format!("`{name}` has no operationId"), ctx.locate(&[])).with_note(
                "add a snake_case `operationId`, e.g. `get_repo`; it names the Rust method",
            ),
        ),
        Some(id) => {
            let here = ctx.locate(&["operationId"]);
            if !is_snake_case(id) {
                errors.push(SpecError::new(
                    format!("operationId `{id}` is not snake_case"),
                    here.clone(),
                ));
            }
            if let Some(first) = operation_ids.get(id) {
                errors.push(
                    SpecError::new(format!("duplicate operationId `{id}`"), here)
                        .with_note(format!("first used at {first}")),
                );
            } else {
                operation_ids.insert(id.to_string(), here);
            }
        }
    }

    if op
        .get("summary")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        errors.push(SpecError::new(
            format!("`{name}` has no summary"),
            ctx.locate(&[]),
        ));
    }

    match op
        .get("tags")
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
    {
        Some([tag]) => {
            let tag = tag.as_str().unwrap_or_default();
            if !tags.contains(tag) {
                errors.push(
                    SpecError::new(
                        format!("tag `{tag}` is not declared"),
                        ctx.locate(&["tags"]),
                    )
                    .with_note("declare it under `tags` in openapi.yaml"),
                );
            }
        }
        _ => errors.push(SpecError::new(
            format!("`{name}` must have exactly one tag (its docs category)"),
            ctx.locate(&["tags"]),
        )),
    }

    if op
        .get("externalDocs")
        .and_then(|d| d.get("url"))
        .and_then(Value::as_str)
        .is_none()
    {
        errors.push(
            SpecError::new(format!("`{name}` has no externalDocs.url"), ctx.locate(&[])).with_note(
                "link the official page (the `Source:` line of its page in gitcode-docs/en/)",
            ),
        );
    }

    for param in op
        .get("parameters")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        if param.get("name").and_then(Value::as_str) == Some("access_token") {
            errors.push(
                SpecError::new(
                    format!("`{name}` lists `access_token` as a parameter"),
                    ctx.locate(&["parameters"]),
                )
                .with_note("authentication is declared once in openapi.yaml; remove the parameter"),
            );
        }
    }

    if let Some(body) = op.get("requestBody") {
        check_request_body(ctx, body, op.get(SEND_AS), errors);
    } else if op.get(SEND_AS).is_some() {
        errors.push(SpecError::new(
            format!("`{name}` has `{SEND_AS}` but no request body"),
            ctx.locate(&[SEND_AS]),
        ));
    }

    if ctx.method == "delete" && op.get(DESTRUCTIVE).is_some() {
        errors.push(
            SpecError::new(
                format!("`{name}` is marked `{DESTRUCTIVE}`"),
                ctx.locate(&[DESTRUCTIVE]),
            )
            .with_note(
                "every DELETE is destructive already; the mark is for other methods \
                 (a transfer, a replacement): remove it",
            ),
        );
    }

    if let Err(err) = serde_yaml::from_value::<openapiv3::Operation>(op.clone()) {
        errors.push(SpecError::new(
            format!("`{name}` is not a valid OpenAPI operation: {err}"),
            ctx.locate(&[]),
        ));
    }
}

/// Content types the generator handles (multipart through a pass).
const BODY_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
];

/// A body may list several content types (the server accepts each); then
/// `x-gitcode-send-as` names the one the generated client sends.
fn check_request_body(
    ctx: &OpContext<'_>,
    body: &Value,
    send_as: Option<&Value>,
    errors: &mut Vec<SpecError>,
) {
    let Some(content) = body.get("content").and_then(Value::as_mapping) else {
        return; // a `$ref` body is checked with the refs
    };
    let listed: Vec<&str> = content.keys().filter_map(Value::as_str).collect();
    match send_as {
        None if listed.len() > 1 => errors.push(
            SpecError::new(
                format!(
                    "`{}` accepts {} request content types but does not say which to send",
                    ctx.name(),
                    listed.len()
                ),
                ctx.locate(&["requestBody", "content"]),
            )
            .with_note(format!(
                "add `{SEND_AS}: <one of {}>` to the operation, chosen on evidence",
                listed.join(", ")
            )),
        ),
        Some(chosen) if !chosen.as_str().is_some_and(|c| listed.contains(&c)) => {
            errors.push(SpecError::new(
                format!(
                    "`{SEND_AS}` must name one of the body's content types ({})",
                    listed.join(", ")
                ),
                ctx.locate(&[SEND_AS]),
            ))
        }
        _ => {}
    }
    if content.is_empty() {
        errors.push(SpecError::new(
            format!("`{}` has a request body with no content type", ctx.name()),
            ctx.locate(&["requestBody", "content"]),
        ));
    }
    for (content_type, media) in content {
        let content_type = content_type.as_str().unwrap_or_default();
        let here = ctx.locate(&["requestBody", "content", content_type]);
        if !BODY_TYPES.contains(&content_type) {
            errors.push(
                SpecError::new(
                    format!("unsupported request content type `{content_type}`"),
                    here.clone(),
                )
                .with_note(format!("supported: {}", BODY_TYPES.join(", "))),
            );
        }
        if media.get("schema").is_none() {
            errors.push(SpecError::new("request body has no schema", here.clone()));
        }
        if media.get("encoding").is_some() {
            errors.push(SpecError::new(
                "`encoding` on a request body is not supported by the generator",
                here,
            ));
        }
    }
}

/// Every `{name}` in the path template must be declared as a path parameter,
/// and every declared path parameter must be in the template.
fn check_path_parameters(
    ctx: &OpContext<'_>,
    op: &Value,
    bundle: &Bundle,
    errors: &mut Vec<SpecError>,
) {
    let in_template: BTreeSet<&str> = ctx
        .path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect();
    let declared: BTreeSet<String> = op
        .get("parameters")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|p| resolve(bundle, p))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| p.get("name")?.as_str().map(String::from))
        .collect();
    for missing in in_template.iter().filter(|n| !declared.contains(**n)) {
        errors.push(SpecError::new(
            format!(
                "path parameter `{{{missing}}}` of `{}` is not declared",
                ctx.name()
            ),
            ctx.locate(&["parameters"]),
        ));
    }
    for extra in declared
        .iter()
        .filter(|n| !in_template.contains(n.as_str()))
    {
        errors.push(SpecError::new(
            format!("path parameter `{extra}` is not in the path `{}`", ctx.path),
            ctx.locate(&["parameters"]),
        ));
    }
}

/// Parameters named like an id that are not one: the OAuth app's key.
const NOT_IDS: &[&str] = &["client_id"];

/// Whether a parameter's name says it holds an id or a number.
fn names_an_id(name: &str) -> bool {
    matches!(name, "id" | "iid" | "number")
        || (name.ends_with("_id") || name.ends_with("_number")) && !NOT_IDS.contains(&name)
}

/// An id or number parameter (path or query) is an `Id`: the server reads
/// its text, and a caller passes the id an answer or a webhook gave in
/// whichever form it came (`7`, `"7"`, an `Id`).
fn check_id_parameters(
    ctx: &OpContext<'_>,
    op: &Value,
    bundle: &Bundle,
    errors: &mut Vec<SpecError>,
) {
    let parameters = op.get("parameters").and_then(Value::as_sequence);
    for p in parameters
        .into_iter()
        .flatten()
        .filter_map(|p| resolve(bundle, p))
    {
        let (Some(name), Some(place)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let is_id = p
            .get("schema")
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            == Some("#/components/schemas/Id");
        if matches!(place, "path" | "query") && names_an_id(name) && !is_id {
            errors.push(SpecError::new(
                format!(
                    "{place} parameter `{name}` of `{}` names an id or number: give it \
                     `schema: {{$ref: '#/components/schemas/Id'}}`, so that an id from an answer \
                     goes back in as it came (it is sent as the same text)",
                    ctx.name()
                ),
                ctx.locate(&["parameters"]),
            ));
        }
    }
}

/// Follows one `$ref` to a component (parameters are never nested deeper).
fn resolve<'a>(bundle: &'a Bundle, value: &'a Value) -> Option<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        None => Some(value),
        Some(target) => {
            let (section, name) = parse_ref(target)?;
            bundle.document.get("components")?.get(section)?.get(name)
        }
    }
}

fn parse_ref(target: &str) -> Option<(&str, &str)> {
    let rest = target.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    (!name.contains('/')).then_some((section, name))
}

fn components(bundle: &Bundle) -> impl Iterator<Item = (&str, &str, &SpecFile, &Value)> {
    bundle
        .document
        .get("components")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(section, entries)| Some((section.as_str()?, entries.as_mapping()?)))
        .flat_map(move |(section, entries)| {
            entries.iter().filter_map(move |(name, value)| {
                let name = name.as_str()?;
                let file = bundle.file_of_component(section, name)?;
                Some((section, name, file, value))
            })
        })
}

fn check_component(
    section: &str,
    name: &str,
    file: &SpecFile,
    value: &Value,
    errors: &mut Vec<SpecError>,
) {
    let here = || file.locate(&["components", section, name]);
    let parsed = match section {
        "schemas" => {
            serde_yaml::from_value::<openapiv3::ReferenceOr<openapiv3::Schema>>(value.clone())
                .map(drop)
        }
        "parameters" => {
            serde_yaml::from_value::<openapiv3::ReferenceOr<openapiv3::Parameter>>(value.clone())
                .map(drop)
        }
        "responses" => {
            serde_yaml::from_value::<openapiv3::ReferenceOr<openapiv3::Response>>(value.clone())
                .map(drop)
        }
        "requestBodies" => {
            serde_yaml::from_value::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(value.clone())
                .map(drop)
        }
        "securitySchemes" => serde_yaml::from_value::<
            openapiv3::ReferenceOr<openapiv3::SecurityScheme>,
        >(value.clone())
        .map(drop),
        other => {
            errors.push(SpecError::new(
                format!("unsupported components section `{other}`"),
                file.locate(&["components", other]),
            ));
            return;
        }
    };
    if let Err(err) = parsed {
        errors.push(SpecError::new(
            format!("`components.{section}.{name}` is not valid: {err}"),
            here(),
        ));
    }
    if section == "schemas" && !is_pascal_case(name) {
        errors.push(SpecError::new(
            format!("schema name `{name}` is not PascalCase"),
            here(),
        ));
    }
}

/// Every `$ref` must point at an existing component.
fn check_refs(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let mut visit = |file: &SpecFile, start: Location, value: &Value| {
        let mut refs = Vec::new();
        collect_refs(value, &mut refs);
        for target in refs {
            let exists = parse_ref(&target).is_some_and(|(section, name)| {
                bundle
                    .document
                    .get("components")
                    .and_then(|c| c.get(section))
                    .and_then(|s| s.get(name))
                    .is_some()
            });
            if !exists {
                let (line, column) = super::locate::find_text(&file.text, &target, start.line)
                    .unwrap_or((start.line, start.column));
                errors.push(
                    SpecError::new(format!("unknown $ref `{target}`"), file.at(line, column)).with_note(
                        "refs are document-local: `#/components/<section>/<Name>`, defined in some spec/components/*.yaml",
                    ),
                );
            }
        }
    };
    for (path, method, op) in bundle.operations() {
        let file = bundle.file_of_operation(path, method).expect("origin");
        visit(file, file.locate(&["paths", path, method]), op);
    }
    for (section, name, file, value) in components(bundle) {
        visit(file, file.locate(&["components", section, name]), value);
    }
    let webhooks = bundle
        .document
        .get(super::extensions::WEBHOOKS)
        .and_then(Value::as_mapping);
    for (event, entry) in webhooks.into_iter().flatten() {
        let event = event.as_str().unwrap_or_default();
        if let Some(file) = bundle.file_of_webhook(event) {
            visit(
                file,
                file.locate(&[super::extensions::WEBHOOKS, event]),
                entry,
            );
        }
    }
}

/// Every `$ref` target under `value`.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, value) in map {
                if key.as_str() == Some("$ref") {
                    if let Some(target) = value.as_str() {
                        out.push(target.to_string());
                    }
                } else {
                    collect_refs(value, out);
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// A misspelt `x-gitcode-*` key would silently do nothing; reject it, and
/// an extension whose value has the wrong shape.
fn check_extensions(bundle: &Bundle, errors: &mut Vec<SpecError>) {
    let sources: Vec<&str> = bundle
        .document
        .get(super::extensions::SOURCES)
        .and_then(Value::as_mapping)
        .map(|m| m.keys().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (index, file) in bundle.files.iter().enumerate() {
        let mut keys = Vec::new();
        collect_extension_keys(&file.value, &mut keys);
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        for (key, value) in keys {
            let nth = {
                let n = seen.entry(key.clone()).or_default();
                *n += 1;
                *n
            };
            // The `nth` occurrence of the key in the file.
            let needle = format!("{key}:");
            let mut at = super::locate::find_text(&file.text, &needle, 1);
            for _ in 1..nth {
                at = at
                    .and_then(|(line, _)| super::locate::find_text(&file.text, &needle, line + 1));
            }
            let (line, column) = at.unwrap_or((1, 1));
            if let Some(problem) = extension_value_problem(&key, &value) {
                errors.push(SpecError::new(
                    format!("`{key}`: {problem}"),
                    file.at(line, column),
                ));
            }
            if key == super::extensions::SOURCES && index != 0 {
                errors.push(SpecError::new(
                    format!("`{key}` belongs at the top level of the root file, `openapi.yaml`"),
                    file.at(line, column),
                ));
            }
            if key == super::extensions::EVIDENCE {
                for unknown in evidence_sources(&value).filter(|s| !sources.contains(s)) {
                    errors.push(
                        SpecError::new(
                            format!("`{key}`: unknown source `{unknown}`"),
                            file.at(line, column),
                        )
                        .with_note(format!(
                            "register it under `{}` in openapi.yaml; known: {}",
                            super::extensions::SOURCES,
                            sources.join(", ")
                        )),
                    );
                }
            }
            if !KNOWN_EXTENSIONS.iter().any(|known| known.name == key) {
                errors.push(
                    SpecError::new(format!("unknown extension `{key}`"), file.at(line, column))
                        .with_note(format!(
                            "known: {}",
                            KNOWN_EXTENSIONS
                                .iter()
                                .map(|e| e.name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
            }
        }
    }
}

/// The `source` keys an `x-gitcode-evidence` list names.
fn evidence_sources(value: &Value) -> impl Iterator<Item = &str> {
    value
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.get("source").and_then(Value::as_str))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: when a source saw what it reports.
fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

/// What is wrong with an extension's value, for those whose value has a
/// shape (the others are checked where they are read).
fn extension_value_problem(key: &str, value: &Value) -> Option<String> {
    let text = |v: &Value, name: &str| {
        v.get(name)
            .map(|v| v.as_str().is_some_and(|t| !t.trim().is_empty()))
    };
    match key {
        super::extensions::SOURCES => {
            let expected = format!(
                "expected `<kebab-case key>: {{title: <text>, url: <address>, kind: <{}>}}` entries",
                super::extensions::SOURCE_KINDS.join(" | ")
            );
            let Some(map) = value.as_mapping() else {
                return Some(format!("not a mapping; {expected}"));
            };
            map.iter().find_map(|(name, entry)| {
                let name = name.as_str().unwrap_or("?");
                let kebab = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                let known_keys = entry.as_mapping().is_some_and(|m| {
                    m.keys()
                        .all(|k| matches!(k.as_str(), Some("title" | "url" | "kind")))
                });
                let kind = entry.get("kind").and_then(Value::as_str);
                if !kebab {
                    Some(format!("`{name}` is not a kebab-case key; {expected}"))
                } else if !(known_keys
                    && text(entry, "title") == Some(true)
                    && text(entry, "url") == Some(true))
                {
                    Some(format!("`{name}`: {expected}"))
                } else if !kind.is_some_and(|k| super::extensions::SOURCE_KINDS.contains(&k)) {
                    Some(format!(
                        "`{name}`: kind `{}` is not one of {}",
                        kind.unwrap_or("(missing)"),
                        super::extensions::SOURCE_KINDS.join(", ")
                    ))
                } else {
                    None
                }
            })
        }
        super::extensions::EVIDENCE => {
            let expected = "expected a list of `{source: <key of x-gitcode-sources>, seen: <YYYY[-MM[-DD]]> \
                            (optional), fact: <one sentence>}`";
            let Some(items) = value.as_sequence() else {
                return Some(format!("not a list; {expected}"));
            };
            if items.is_empty() {
                return Some(format!("empty; {expected}"));
            }
            items.iter().enumerate().find_map(|(n, entry)| {
                let known_keys = entry.as_mapping().is_some_and(|m| {
                    m.keys()
                        .all(|k| matches!(k.as_str(), Some("source" | "seen" | "fact")))
                });
                // YAML reads an unquoted 2026 as a number.
                let seen = match entry.get("seen") {
                    None => true,
                    Some(Value::Number(n)) => is_partial_date(&n.to_string()),
                    Some(v) => v.as_str().is_some_and(is_partial_date),
                };
                (!(known_keys
                    && text(entry, "source") == Some(true)
                    && text(entry, "fact") == Some(true)
                    && seen))
                    .then(|| format!("entry {}: {expected}", n + 1))
            })
        }
        super::extensions::DESTRUCTIVE => {
            value.as_str().is_none_or(|t| t.trim().is_empty()).then(|| {
                "expected a sentence saying what the operation does that cannot be undone \
                 (`the repository leaves its namespace`)"
                    .to_string()
            })
        }
        super::extensions::PAGE_ITEMS => {
            let expected = "expected `{items: <field>}` or `{items: <field>, has_next: <field>}`: \
                            the answer's list field, and its \"more pages\" flag if it has one";
            let Some(map) = value.as_mapping() else {
                return Some(format!("not a mapping; {expected}"));
            };
            if value.get("items").and_then(Value::as_str).is_none() {
                return Some(format!(
                    "`items` is missing or not a field name; {expected}"
                ));
            }
            if value.get("has_next").is_some_and(|v| v.as_str().is_none()) {
                return Some(format!("`has_next` is not a field name; {expected}"));
            }
            map.keys()
                .find(|k| !matches!(k.as_str(), Some("items" | "has_next")))
                .map(|k| format!("unknown key `{}`; {expected}", k.as_str().unwrap_or("?")))
        }
        super::extensions::WEBHOOKS => {
            let expected = "expected `<X-GitCode-Event value>: {$ref: '#/components/schemas/<Payload>', externalDocs: {url: <page>}}` entries (externalDocs optional)";
            let Some(map) = value.as_mapping() else {
                return Some(expected.to_string());
            };
            map.iter().find_map(|(event, entry)| {
                let named = event.as_str().is_some_and(|e| !e.trim().is_empty());
                let schema = entry
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"));
                let known_keys = entry.as_mapping().is_some_and(|m| {
                    m.keys()
                        .all(|k| matches!(k.as_str(), Some("$ref" | "externalDocs")))
                });
                let docs = entry
                    .get("externalDocs")
                    .is_none_or(|d| d.get("url").and_then(Value::as_str).is_some());
                (!(named && schema.is_some() && known_keys && docs))
                    .then(|| format!("`{}`: {expected}", event.as_str().unwrap_or("?")))
            })
        }
        super::extensions::UNDOCUMENTED => {
            let text = |name: &str| {
                value
                    .get(name)
                    .map(|v| v.as_str().is_some_and(|t| !t.trim().is_empty()))
            };
            let known_keys = value.as_mapping().is_some_and(|m| {
                m.keys().all(|k| {
                    matches!(
                        k.as_str(),
                        Some("client" | "source" | "recorded" | "on-404" | "weak")
                    )
                })
            });
            (!(known_keys
                && text("client") == Some(true)
                && text("source") == Some(true)
                && text("recorded") != Some(false)
                && text("on-404") != Some(false)
                && text("weak") != Some(false)))
            .then(|| {
                "expected `{client: <name and version>, source: <where in its code>, recorded: \
                 <command> (optional), on-404: <what it does then> (optional), weak: <why this \
                 evidence is weaker> (optional)}`"
                    .to_string()
            })
        }
        _ => None,
    }
}

fn collect_extension_keys(value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Mapping(map) => {
            for (key, value) in map {
                if let Some(key) = key.as_str().filter(|k| k.starts_with("x-gitcode-")) {
                    out.push((key.to_string(), value.clone()));
                }
                collect_extension_keys(value, out);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| collect_extension_keys(v, out)),
        _ => {}
    }
}

fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.contains("__")
        && !s.ends_with('_')
}

fn is_pascal_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::bundle::bundle;
    use crate::spec::load::{SpecFile, SpecFiles};

    const ROOT: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ntags:\n  - name: Users\npaths: {}\n";

    fn run(paths: &str) -> Vec<String> {
        run_with_root(ROOT, paths)
    }

    fn run_with_root(root: &str, paths: &str) -> Vec<String> {
        let files = SpecFiles {
            root: SpecFile::parse("openapi.yaml", root.into()).unwrap(),
            components: vec![
                SpecFile::parse(
                    "components/c.yaml",
                    "components:\n  schemas:\n    User:\n      type: object\n".into(),
                )
                .unwrap(),
            ],
            paths: vec![SpecFile::parse("paths/users.yaml", paths.into()).unwrap()],
        };
        check(&bundle(files).unwrap())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const GOOD_OP: &str = "      operationId: get_user
      summary: Get a user.
      tags: [Users]
      externalDocs: {url: 'https://docs.gitcode.com/x'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
";

    #[test]
    fn a_conforming_operation_passes() {
        let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{GOOD_OP}"));
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn destructive_takes_a_sentence_and_is_not_for_a_delete() {
        let marked = GOOD_OP.to_string() + "      x-gitcode-destructive: the user is gone\n";
        let errors = run(&format!("paths:\n  /api/v5/user:\n    post:\n{marked}"));
        assert!(errors.is_empty(), "{errors:#?}");

        let errors = run(&format!("paths:\n  /api/v5/user:\n    delete:\n{marked}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("`DELETE /api/v5/user` is marked `x-gitcode-destructive`")
                && errors[0].contains("every DELETE is destructive already"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("paths/users.yaml:"), "{}", errors[0]);

        let empty = GOOD_OP.to_string() + "      x-gitcode-destructive: true\n";
        let errors = run(&format!("paths:\n  /api/v5/user:\n    post:\n{empty}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("expected a sentence saying what the operation does"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn missing_operation_id_is_reported_at_the_operation() {
        let op = GOOD_OP.replace("      operationId: get_user\n", "");
        let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("has no operationId"), "{}", errors[0]);
        assert!(errors[0].contains("paths/users.yaml:3:5"), "{}", errors[0]);
    }

    #[test]
    fn duplicate_operation_id_points_at_both() {
        let errors = run(&format!(
            "paths:\n  /api/v5/user:\n    get:\n{GOOD_OP}  /api/v5/me:\n    get:\n{GOOD_OP}"
        ));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("duplicate operationId `get_user`"));
        assert!(errors[0].contains("paths/users.yaml:17:7"), "{}", errors[0]);
        assert!(
            errors[0].contains("first used at paths/users.yaml:4:7"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn unknown_ref_names_its_line() {
        let op = GOOD_OP.replace("schemas/User", "schemas/Usr");
        let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("unknown $ref `#/components/schemas/Usr`"));
        assert!(errors[0].contains("paths/users.yaml:14:"), "{}", errors[0]);
    }

    #[test]
    fn conventions_are_enforced() {
        let op = GOOD_OP
            .replace("get_user", "getUser")
            .replace("tags: [Users]", "tags: [Nope]")
            + "      parameters:\n        - {name: access_token, in: query, schema: {type: string}}\n      x-gitcode-typo: true\n";
        let errors = run(&format!("paths:\n  /api/v5/user/{{id}}:\n    get:\n{op}"));
        let all = errors.join("\n");
        for expected in [
            "not snake_case",
            "tag `Nope` is not declared",
            "lists `access_token`",
            "path parameter `{id}`",
            "unknown extension `x-gitcode-typo`",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in {all}");
        }
    }

    #[test]
    fn an_id_parameter_must_be_an_id() {
        let op = GOOD_OP.to_string()
            + "      parameters:\n        - {name: release_id, in: path, required: true, schema: {type: integer}}\n        - {name: client_id, in: query, schema: {type: string}}\n";
        let errors = run(&format!(
            "paths:\n  /api/v5/r/{{release_id}}:\n    get:\n{op}"
        ));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains(
                "path parameter `release_id` of `GET /api/v5/r/{release_id}` names an id or number"
            ) && errors[0].contains("$ref: '#/components/schemas/Id'")
                && errors[0].contains("paths/users.yaml:"),
            "{}",
            errors[0]
        );
        let fixed = op.replace(
            "schema: {type: integer}",
            "schema: {$ref: '#/components/schemas/Id'}",
        );
        let errors = run(&format!(
            "paths:\n  /api/v5/r/{{release_id}}:\n    get:\n{fixed}"
        ));
        assert!(
            errors.iter().all(|e| !e.contains("names an id")),
            "{errors:#?}"
        );
    }

    const TWO_BODIES: &str = "      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/User'}
";

    #[test]
    fn a_body_of_several_content_types_must_say_which_is_sent() {
        let op = format!("{GOOD_OP}{TWO_BODIES}");
        let errors = run(&format!("paths:\n  /api/v5/user:\n    patch:\n{op}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("accepts 2 request content types but does not say which to send")
                && errors[0].contains("paths/users.yaml:16:")
                && errors[0].contains("x-gitcode-send-as: <one of application/json, application/x-www-form-urlencoded>"),
            "{}",
            errors[0]
        );

        let named = format!("{op}      x-gitcode-send-as: application/x-www-form-urlencoded\n");
        let errors = run(&format!("paths:\n  /api/v5/user:\n    patch:\n{named}"));
        assert!(errors.is_empty(), "{errors:#?}");

        let wrong = format!("{op}      x-gitcode-send-as: text/plain\n");
        let errors = run(&format!("paths:\n  /api/v5/user:\n    patch:\n{wrong}"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("`x-gitcode-send-as` must name one of the body's content types")
                && errors[0].contains("paths/users.yaml:21:"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn undocumented_operations_name_their_evidence() {
        let good = GOOD_OP.to_string()
            + "      x-gitcode-undocumented: {client: gc 1.0, source: api/x.go, on-404: retries}\n";
        assert!(run(&format!("paths:\n  /api/v5/user:\n    get:\n{good}")).is_empty());
        for bad in [
            "      x-gitcode-undocumented: true\n",
            "      x-gitcode-undocumented: {client: gc 1.0}\n",
            "      x-gitcode-undocumented: {client: gc 1.0, source: x.go, why: because}\n",
            "      x-gitcode-undocumented: {client: gc 1.0, source: '', recorded: gc x}\n",
        ] {
            let op = GOOD_OP.to_string() + bad;
            let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}"));
            assert_eq!(errors.len(), 1, "{bad}: {errors:#?}");
            assert!(
                errors[0].contains("`x-gitcode-undocumented`: expected `{client:")
                    && errors[0].contains("paths/users.yaml:15:"),
                "{}",
                errors[0]
            );
        }
    }

    const SOURCES: &str =
        "x-gitcode-sources:\n  notes: {title: Some notes, url: 'https://x.test/n', kind: probe}\n";

    #[test]
    fn evidence_names_a_registered_source() {
        let root = format!("{ROOT}{SOURCES}");
        let with = |evidence: &str| {
            let op = GOOD_OP.to_string() + evidence;
            run_with_root(&root, &format!("paths:\n  /api/v5/user:\n    get:\n{op}"))
        };
        assert!(
            with("      x-gitcode-evidence:\n        - {source: notes, seen: 2026-07, fact: Answers 201.}\n")
                .is_empty()
        );
        assert!(
            with("      x-gitcode-evidence: [{source: notes, seen: 2026, fact: Answers 201.}]\n")
                .is_empty()
        );
        let errors = with("      x-gitcode-evidence: [{source: gossip, fact: Answers 201.}]\n");
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("unknown source `gossip`")
                && errors[0].contains("paths/users.yaml:15:")
                && errors[0].contains("known: notes"),
            "{}",
            errors[0]
        );
        for bad in [
            "      x-gitcode-evidence: {source: notes, fact: x}\n",
            "      x-gitcode-evidence: []\n",
            "      x-gitcode-evidence: [{source: notes}]\n",
            "      x-gitcode-evidence: [{source: notes, fact: x, seen: July}]\n",
            "      x-gitcode-evidence: [{source: notes, fact: x, url: y}]\n",
        ] {
            let errors = with(bad);
            assert_eq!(errors.len(), 1, "{bad}: {errors:#?}");
            assert!(
                errors[0].contains("`x-gitcode-evidence`: "),
                "{}",
                errors[0]
            );
        }
    }

    #[test]
    fn sources_have_a_title_an_address_and_a_known_kind() {
        let op = format!("paths:\n  /api/v5/user:\n    get:\n{GOOD_OP}");
        for (bad, says) in [
            ("x-gitcode-sources: [notes]\n", "not a mapping"),
            (
                "x-gitcode-sources:\n  Notes: {title: t, url: u, kind: probe}\n",
                "not a kebab-case key",
            ),
            (
                "x-gitcode-sources:\n  notes: {title: t, kind: probe}\n",
                "`notes`: expected",
            ),
            (
                "x-gitcode-sources:\n  notes: {title: t, url: u, kind: rumour}\n",
                "kind `rumour` is not one of",
            ),
        ] {
            let errors = run_with_root(&format!("{ROOT}{bad}"), &op);
            assert_eq!(errors.len(), 1, "{bad}: {errors:#?}");
            assert!(
                errors[0].contains(says) && errors[0].contains("openapi.yaml:6:"),
                "{bad}: {}",
                errors[0]
            );
        }
    }

    #[test]
    fn an_undocumented_operation_may_say_why_its_evidence_is_weak() {
        let op = GOOD_OP.to_string()
            + "      x-gitcode-undocumented: {client: ag-cli 0.4, source: pr.py, weak: mocks only}\n";
        assert!(run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}")).is_empty());
        let op = GOOD_OP.to_string()
            + "      x-gitcode-undocumented: {client: ag-cli 0.4, source: pr.py, weak: ''}\n";
        assert_eq!(
            run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}")).len(),
            1
        );
    }

    #[test]
    fn a_page_items_extension_without_its_list_field_is_an_error() {
        for (bad, says) in [
            ("{has_next: more}", "`items` is missing"),
            (
                "{items: [events]}",
                "`items` is missing or not a field name",
            ),
            (
                "{items: events, has_next: 1}",
                "`has_next` is not a field name",
            ),
            ("{items: events, hasNext: more}", "unknown key `hasNext`"),
            ("events", "not a mapping"),
        ] {
            let op = GOOD_OP.to_string() + &format!("      x-gitcode-page-items: {bad}\n");
            let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}"));
            assert_eq!(errors.len(), 1, "{bad}: {errors:#?}");
            assert!(
                errors[0].contains(&format!("`x-gitcode-page-items`: {says}"))
                    && errors[0].contains("expected `{items: <field>}` or")
                    && errors[0].contains("paths/users.yaml:"),
                "{bad}: {}",
                errors[0]
            );
        }
    }

    #[test]
    fn a_page_items_extension_may_leave_out_the_flag() {
        for good in ["{items: events}", "{items: events, has_next: more}"] {
            let op = GOOD_OP.to_string() + &format!("      x-gitcode-page-items: {good}\n");
            let errors = run(&format!("paths:\n  /api/v5/user:\n    get:\n{op}"));
            assert!(errors.is_empty(), "{good}: {errors:#?}");
        }
    }

    #[test]
    fn webhook_entries_must_name_an_existing_schema() {
        let paths = format!(
            "paths:\n  /api/v5/user:\n    get:\n{GOOD_OP}x-gitcode-webhooks:\n  Push Hook:\n    $ref: '#/components/schemas/User'\n  Tag Push Hook:\n    $ref: '#/components/schemas/NoSuch'\n  Note Hook: {{type: object}}\n"
        );
        let errors = run(&paths);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors.iter().any(
                |e| e.contains("`x-gitcode-webhooks`: `Note Hook`: expected")
                    && e.contains("paths/users.yaml:")
            ),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("unknown $ref `#/components/schemas/NoSuch`")
                    && e.contains("paths/users.yaml:19:")),
            "{errors:#?}"
        );
    }
}
