//! Form bodies (`application/x-www-form-urlencoded`), lists included.
//!
//! Quirk: where GitCode takes a list in a form, GitCode's own CLI sends it
//! as one field per item under a bracketed name (`labels[]=bug&labels[]=p1`),
//! and the spec describes such a field as an array (`labels[]`, type
//! `array`), as OpenAPI's default form style does. progenitor encodes form
//! bodies with `serde_urlencoded`, which refuses any list; pass
//! `repeated_form_fields` routes every generated form body through
//! [`form_urlencoded`] instead, and [`crate::request::Request::form`]
//! uses [`encode`] too, so the one encoding rule holds everywhere:
//!
//! - a field that is `None` is left out; text, numbers and booleans are sent
//!   as their text;
//! - a list is sent as one field per item, under the field's own name (the
//!   spec names such fields with their brackets);
//! - a nested object cannot be sent as a form: the error says so, naming
//!   nothing sent.
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Body {
//!     title: &'static str,
//!     #[serde(rename = "labels[]")]
//!     labels: Vec<&'static str>,
//!     #[serde(skip_serializing_if = "Option::is_none")]
//!     milestone_number: Option<i64>,
//! }
//! let body = Body { title: "Fix it", labels: vec!["bug", "p1"], milestone_number: None };
//! assert_eq!(
//!     gitcode::form::encode(&body).unwrap(),
//!     "title=Fix+it&labels%5B%5D=bug&labels%5B%5D=p1"
//! );
//! ```

use serde::Serialize;

/// `body` as the text of a form: see the [module docs](self) for the rules.
pub fn encode<T: Serialize + ?Sized>(body: &T) -> Result<String, String> {
    serde_html_form::to_string(body).map_err(|e| {
        format!(
            "the body cannot be sent as a form ({e}): a form holds text, numbers, booleans and \
             lists of them, not nested objects"
        )
    })
}

/// Sets `body` as the form body of `request`, with its content type: what
/// the generated operations call in place of progenitor's
/// `form_urlencoded` (pass `repeated_form_fields`).
#[doc(hidden)]
#[allow(clippy::result_large_err)] // the error type is the generated send()'s
pub fn form_urlencoded<T: Serialize + ?Sized, E>(
    request: reqwest::RequestBuilder,
    body: &T,
) -> Result<reqwest::RequestBuilder, progenitor_client::Error<E>> {
    let text = encode(body).map_err(progenitor_client::Error::InvalidRequest)?;
    Ok(request
        .header(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        )
        .body(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Body {
        title: String,
        #[serde(rename = "labels[]", skip_serializing_if = "Option::is_none")]
        labels: Option<Vec<String>>,
        #[serde(rename = "assignee_ids[]", skip_serializing_if = "Option::is_none")]
        assignee_ids: Option<Vec<i64>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        draft: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<serde_json::Value>,
    }

    fn body() -> Body {
        Body {
            title: "A & B".into(),
            labels: Some(vec!["bug".into(), "good first".into()]),
            assignee_ids: Some(vec![7, 8]),
            draft: Some(true),
            extra: None,
        }
    }

    #[test]
    fn lists_are_repeated_fields_in_field_order() {
        assert_eq!(
            encode(&body()).unwrap(),
            "title=A+%26+B&labels%5B%5D=bug&labels%5B%5D=good+first\
             &assignee_ids%5B%5D=7&assignee_ids%5B%5D=8&draft=true"
        );
    }

    #[test]
    fn absent_fields_and_empty_lists_send_nothing() {
        let body = Body {
            labels: Some(vec![]),
            assignee_ids: None,
            draft: None,
            ..body()
        };
        assert_eq!(encode(&body).unwrap(), "title=A+%26+B");
    }

    #[test]
    fn a_nested_object_is_a_clear_error() {
        let body = Body {
            extra: Some(serde_json::json!({"a": 1})),
            ..body()
        };
        let error = encode(&body).unwrap_err();
        assert!(error.contains("not nested objects"), "{error}");
    }

    #[test]
    fn the_request_gets_the_form_and_its_content_type() {
        let request =
            form_urlencoded::<_, ()>(reqwest::Client::new().post("http://localhost/x"), &body())
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(
            request.headers()[reqwest::header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        let sent = request.body().and_then(|b| b.as_bytes()).unwrap();
        assert!(
            sent.starts_with(b"title=A+%26+B&labels%5B%5D=bug"),
            "{sent:?}"
        );
    }
}
