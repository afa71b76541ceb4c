//! The webhook events of the spec (`x-gitcode-webhooks`): each
//! `X-GitCode-Event` header value and the schema of its payload.

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, ReferenceOr};

use super::extensions::WEBHOOKS;

/// One webhook event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// The `X-GitCode-Event` value: `Push Hook`.
    pub name: String,
    /// The payload's schema (component) name: `PushEvent`.
    pub schema: String,
    /// The Rust variant: the name without ` Hook`, in UpperCamelCase (`Push`).
    pub variant: String,
    /// The payload schema's `description`.
    pub description: Option<String>,
    /// The entry's `externalDocs` URL (the event's docs page), else the
    /// payload schema's.
    pub docs_url: Option<String>,
}

/// The events, by name. The checker has already made sure each entry
/// is a `$ref` to a component schema, with an optional `externalDocs`
/// (events that share a payload schema each keep their own page).
pub fn collect(openapi: &OpenAPI) -> Vec<WebhookEvent> {
    let Some(serde_json::Value::Object(map)) = openapi.extensions.get(WEBHOOKS) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(name, entry)| {
            let schema = entry
                .get("$ref")?
                .as_str()?
                .strip_prefix("#/components/schemas/")?
                .to_string();
            let data = openapi
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(&schema))
                .and_then(|s| match s {
                    ReferenceOr::Item(s) => Some(&s.schema_data),
                    ReferenceOr::Reference { .. } => None,
                });
            Some(WebhookEvent {
                variant: variant_name(name),
                name: name.clone(),
                schema,
                description: data.and_then(|d| d.description.clone()),
                docs_url: entry
                    .get("externalDocs")
                    .and_then(|d| d.get("url")?.as_str().map(String::from))
                    .or_else(|| data.and_then(|d| d.external_docs.as_ref().map(|e| e.url.clone()))),
            })
        })
        .collect()
}

/// `Merge Request Hook` → `MergeRequest`.
pub fn variant_name(event: &str) -> String {
    let base = event.trim();
    let base = base.strip_suffix(" Hook").unwrap_or(base);
    base.to_upper_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_drop_hook_and_join_words() {
        assert_eq!(variant_name("Push Hook"), "Push");
        assert_eq!(variant_name("Tag Push Hook"), "TagPush");
        assert_eq!(variant_name("Merge Request Hook"), "MergeRequest");
        assert_eq!(variant_name("Job Hook"), "Job");
    }
}
