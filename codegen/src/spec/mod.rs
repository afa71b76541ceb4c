//! The spec: loading its files, merging them, checking them: step 1 of
//! the pipeline, and what every other step and the evidence read.
//!
//! - [`load`] reads `spec/**/*.yaml`; [`locate`] finds the line of a key;
//! - [`bundle`] merges the files into one document, remembering where each
//!   operation and component came from;
//! - [`check`] holds the merge to the project's conventions, every problem a
//!   [`SpecError`] with its file and line;
//! - [`extensions`] lists the `x-gitcode-*` extensions the checker accepts;
//! - [`operations`] is the flat view of each operation the passes read
//!   ([`OperationInfo`]), [`webhooks`] the webhook events;
//! - [`matching`] says which operation a method and a path as sent are
//!   (for the evidence: recorded requests, gc's source, HAR files).
//!
//! Where to look: a new convention is a check in [`check`]; a new quirk
//! marker is declared in [`extensions`] (where it may stand, which pass
//! handles it), read into [`OperationInfo`] in [`operations`] if a pass needs
//! it, and documented for spec authors in `spec/README.md`.

pub mod bundle;
pub mod check;
pub mod extensions;
pub mod load;
pub mod locate;
pub mod matching;
pub mod operations;
pub mod webhooks;

use std::path::Path;

pub use bundle::Bundle;
pub use operations::OperationInfo;
pub use webhooks::WebhookEvent;

use crate::error::{Error, Result, SpecError};

/// A loaded, merged and checked spec.
#[derive(Debug, Clone)]
pub struct Spec {
    pub bundle: Bundle,
    pub openapi: openapiv3::OpenAPI,
    pub operations: Vec<OperationInfo>,
    /// `x-gitcode-webhooks`, by event name.
    pub webhooks: Vec<WebhookEvent>,
}

impl Spec {
    /// Loads `dir` (the folder holding `openapi.yaml`), merges and checks it.
    pub fn load(dir: &Path) -> Result<Self> {
        let files = load::load_dir(dir)?;
        let bundle = bundle::bundle(files).map_err(Error::Spec)?;
        Self::from_bundle(bundle)
    }

    pub fn from_bundle(bundle: Bundle) -> Result<Self> {
        let errors = check::check(&bundle);
        if !errors.is_empty() {
            return Err(Error::Spec(errors));
        }
        let openapi: openapiv3::OpenAPI =
            serde_yaml::from_value(bundle.document.clone()).map_err(|err| {
                Error::Spec(vec![SpecError::new(
                    format!("the merged document is not valid OpenAPI 3.0: {err}"),
                    bundle.files[0].at(1, 1),
                )])
            })?;
        let operations = operations::collect(&openapi);
        let webhooks = webhooks::collect(&openapi);
        Ok(Self {
            bundle,
            openapi,
            operations,
            webhooks,
        })
    }

    pub fn operation(&self, operation_id: &str) -> Option<&OperationInfo> {
        self.operations
            .iter()
            .find(|op| op.operation_id == operation_id)
    }
}
