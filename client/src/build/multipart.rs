//! Multipart uploads: repository file upload, release attachments, AI hub
//! audio and images.
//!
//! The spec describes these bodies as `multipart/form-data`; codegen types
//! each file property as [`UploadFile`] and sends the body with [`form`]
//! (pass `multipart_bodies`).

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A file to upload: its name, bytes and (optional) media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFile {
    file_name: String,
    content_type: Option<String>,
    bytes: Bytes,
}

impl UploadFile {
    /// A file named `file_name` holding `bytes`. The media type is left to
    /// the server unless set with [`UploadFile::content_type`].
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        UploadFile {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Reads the file at `path`, named after its last component.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        Ok(UploadFile::new(name, bytes))
    }

    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file as a form part; the error says what is wrong with it.
    fn to_part(&self) -> Result<reqwest::multipart::Part, String> {
        let part =
            reqwest::multipart::Part::bytes(self.bytes.to_vec()).file_name(self.file_name.clone());
        match &self.content_type {
            // reqwest's own error says only "builder error".
            Some(mime) => part
                .mime_str(mime)
                .map_err(|_| format!("`{mime}` is not a media type (as `text/plain`)")),
            None => Ok(part),
        }
    }
}

/// Files are sent as parts of their own, never serialized with the text
/// fields: they serialize as nothing.
impl Serialize for UploadFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_none()
    }
}

/// A file cannot come back from the server in a body.
impl<'de> Deserialize<'de> for UploadFile {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "an upload file is never decoded from a response",
        ))
    }
}

/// Builds the multipart form for a typed body: every non-null field of
/// `body` as a text part (scalars as their text, lists and objects as JSON),
/// then `files` as file parts.
#[allow(clippy::result_large_err)] // the error type is the generated send()'s
pub fn form<'a, T, E>(
    body: &T,
    files: impl IntoIterator<Item = (&'static str, Option<&'a UploadFile>)>,
) -> Result<reqwest::multipart::Form, progenitor_client::Error<E>>
where
    T: Serialize,
{
    let invalid = |message: String| progenitor_client::Error::InvalidRequest(message);
    let value = serde_json::to_value(body)
        .map_err(|e| invalid(format!("failed to serialize body: {e}")))?;
    let mut form = reqwest::multipart::Form::new();
    if let serde_json::Value::Object(fields) = value {
        for (name, value) in fields {
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            form = form.text(name, text);
        }
    }
    for (name, file) in files {
        if let Some(file) = file {
            let part = file
                .to_part()
                .map_err(|e| invalid(format!("invalid upload `{name}`: {e}")))?;
            form = form.part(name, part);
        }
    }
    Ok(form)
}
