//! Edits to the spec made only for progenitor, for constructs it cannot
//! generate. Each edit is paired with a pass that completes it.
//!
//! - a request body with several content types (the server accepts each):
//!   progenitor sees only the one `x-gitcode-send-as` names.
//! - `multipart/form-data` request bodies (unsupported by progenitor 0.15):
//!   generated as a form body, with every `format: binary` property replaced
//!   by [`UPLOAD_FILE`]; the pass `multipart_bodies` then sends the typed body
//!   as a multipart form.

use openapiv3::{
    OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::spec::extensions::SEND_AS;

/// The component schema standing for an uploaded file; generated as
/// `gitcode::multipart::UploadFile`.
pub const UPLOAD_FILE: &str = "UploadFile";
pub const UPLOAD_FILE_TYPE: &str = "crate::multipart::UploadFile";

const MULTIPART: &str = "multipart/form-data";
const FORM: &str = "application/x-www-form-urlencoded";

/// The spec as progenitor should see it.
pub fn for_progenitor(spec: &OpenAPI) -> OpenAPI {
    let mut spec = spec.clone();
    let mut uses_upload = false;
    for (_, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for op in ops.into_iter().flatten() {
            let send_as = op
                .extensions
                .get(SEND_AS)
                .and_then(|v| v.as_str())
                .map(String::from);
            let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() else {
                continue;
            };
            if let Some(chosen) = send_as {
                body.content
                    .retain(|content_type, _| *content_type == chosen);
            }
            if let Some(media) = body.content.shift_remove(MULTIPART) {
                let mut media = media;
                if let Some(ReferenceOr::Item(schema)) = media.schema.as_mut() {
                    uses_upload |= replace_binary_properties(schema);
                }
                body.content.insert(FORM.to_string(), media);
            }
        }
    }
    if uses_upload {
        let components = spec.components.get_or_insert_with(Default::default);
        components.schemas.insert(
            UPLOAD_FILE.to_string(),
            ReferenceOr::Item(Schema {
                schema_data: Default::default(),
                schema_kind: SchemaKind::Type(Type::String(Default::default())),
            }),
        );
    }
    spec
}

/// Replaces `type: string, format: binary` properties by a `$ref` to
/// [`UPLOAD_FILE`]; true if any was replaced.
fn replace_binary_properties(schema: &mut Schema) -> bool {
    let SchemaKind::Type(Type::Object(object)) = &mut schema.schema_kind else {
        return false;
    };
    let mut replaced = false;
    for (_, property) in object.properties.iter_mut() {
        let ReferenceOr::Item(inner) = property else {
            continue;
        };
        if let SchemaKind::Type(Type::String(s)) = &inner.schema_kind
            && s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
        {
            *property = ReferenceOr::Reference {
                reference: format!("#/components/schemas/{UPLOAD_FILE}"),
            };
            replaced = true;
        }
    }
    replaced
}

/// Names of the properties of an operation's multipart body that are files.
pub fn multipart_file_fields(spec: &OpenAPI, operation_id: &str) -> Option<Vec<String>> {
    for (_, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (_, op) in item.iter() {
            if op.operation_id.as_deref() != Some(operation_id) {
                continue;
            }
            let body = op.request_body.as_ref()?.as_item()?;
            let schema = body.content.get(MULTIPART)?.schema.as_ref()?.as_item()?;
            let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
                return Some(Vec::new());
            };
            return Some(
                object
                    .properties
                    .iter()
                    .filter(|(_, p)| {
                        p.as_item().is_some_and(|s| {
                            matches!(&s.schema_kind, SchemaKind::Type(Type::String(st))
                                if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
                        })
                    })
                    .map(|(name, _)| name.clone())
                    .collect(),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progenitor_sees_only_the_content_type_sent() {
        let spec: OpenAPI = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    patch:
      operationId: update_x
      x-gitcode-send-as: application/x-www-form-urlencoded
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {a: {type: string}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {a: {type: string}}}
      responses: {'200': {description: ok}}
"#,
        )
        .unwrap();
        let prepared = for_progenitor(&spec);
        let op = prepared.paths.paths["/x"]
            .as_item()
            .unwrap()
            .patch
            .as_ref()
            .unwrap();
        let body = op.request_body.as_ref().unwrap().as_item().unwrap();
        assert_eq!(body.content.keys().collect::<Vec<_>>(), [FORM]);
    }

    #[test]
    fn multipart_becomes_a_form_with_upload_file_refs() {
        let spec: OpenAPI = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /up:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                note: {type: string}
      responses: {'200': {description: ok}}
"#,
        )
        .unwrap();
        assert_eq!(
            multipart_file_fields(&spec, "upload"),
            Some(vec!["file".to_string()])
        );
        let prepared = for_progenitor(&spec);
        let op = prepared.paths.paths["/up"]
            .as_item()
            .unwrap()
            .post
            .as_ref()
            .unwrap();
        let body = op.request_body.as_ref().unwrap().as_item().unwrap();
        assert_eq!(body.content.keys().collect::<Vec<_>>(), [FORM]);
        let text = serde_yaml::to_string(&body.content[FORM]).unwrap();
        assert!(
            text.contains("$ref: '#/components/schemas/UploadFile'"),
            "{text}"
        );
        assert!(text.contains("note:"), "{text}");
        assert!(
            prepared
                .components
                .unwrap()
                .schemas
                .contains_key(UPLOAD_FILE)
        );
    }
}
