//! progenitor settings derived from the spec.

use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

use crate::spec::Spec;
use crate::spec::extensions::LENIENT;

/// Builder-style operations (optional parameters as chained setters) with one
/// extension trait per tag, the runtime as the client's inner value, and every `x-gitcode-lenient` schema replaced by
/// its hand-written type in `gitcode::lenient`.
pub fn generation_settings(spec: &Spec) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Separate)
        .with_derive("PartialEq")
        // Every request goes through the hand-written runtime (auth, rate
        // limit, retries, tracing): `gitcode::runtime::Runtime` is the
        // client's inner value and its `ClientHooks` impl is required.
        .with_inner_type(quote::quote!(crate::runtime::Runtime))
        .with_hooks(HooksMode::Expected);
    for (schema, lenient_type) in lenient_replacements(spec) {
        settings.with_replacement(
            schema,
            format!("crate::lenient::{lenient_type}"),
            [TypeImpl::Display].into_iter(),
        );
    }
    settings.with_replacement(
        super::prepare::UPLOAD_FILE,
        super::prepare::UPLOAD_FILE_TYPE,
        std::iter::empty(),
    );
    settings
}

/// `(schema name, lenient type name)` for every schema marked `x-gitcode-lenient`.
pub fn lenient_replacements(spec: &Spec) -> Vec<(String, String)> {
    let Some(components) = &spec.openapi.components else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| {
            let schema = schema.as_item()?;
            let target = schema.schema_data.extensions.get(LENIENT)?.as_str()?;
            Some((name.clone(), target.to_string()))
        })
        .collect()
}
