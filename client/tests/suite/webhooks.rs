//! Webhook deliveries: every known payload decodes into its variant,
//! signatures and passwords are checked as GitCode sends them, and no
//! input makes the receiver panic.

use gitcode::decode::DecodeMode;
use gitcode::webhooks::{self, Event, Receiver, Secret, WebhookError};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/webhooks");

/// `sources.tsv`: file, `X-GitCode-Event`, where the payload comes from.
fn fixtures() -> Vec<(String, String, String)> {
    let index = std::fs::read_to_string(format!("{FIXTURES}/sources.tsv")).unwrap();
    index
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "sources.tsv: {line}");
            (cols[0].into(), cols[1].into(), cols[2].into())
        })
        .collect()
}

#[test]
fn every_example_and_captured_delivery_decodes_strictly_into_its_variant() {
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for (file, event, source) in fixtures() {
        let body = std::fs::read(format!("{FIXTURES}/{file}")).unwrap();
        match webhooks::parse_with(&event, &body, DecodeMode::Strict) {
            Ok((Event::Unknown { .. }, _)) => {
                failures.push(format!("{source}: `{event}` is not a known event"))
            }
            Ok((parsed, _)) => {
                assert_eq!(parsed.name(), event);
                covered.insert(event);
            }
            // The error names the JSON path of the value that did not fit.
            Err(e) => failures.push(format!("{source} ({file}): {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        covered.into_iter().collect::<Vec<_>>(),
        Event::KNOWN,
        "every event has a payload to test"
    );
}

#[test]
fn typed_fields_read_what_deliveries_send() {
    let body = std::fs::read(format!("{FIXTURES}/push_delivery.json")).unwrap();
    let Event::Push(push) = webhooks::parse("Push Hook", &body).unwrap() else {
        panic!("not a push")
    };
    assert_eq!(push.ref_.as_deref(), Some("refs/heads/dev"));
    assert_eq!(
        push.user_id.as_ref().and_then(|id| id.as_i64()),
        Some(-9999)
    );
    assert_eq!(push.commits.len(), 1);
    assert!(
        push.commits[0].added.is_empty(),
        "no file lists in the delivery"
    );
    assert_eq!(
        push.project.as_ref().and_then(|p| p.visibility_level),
        Some(20)
    );

    let body = std::fs::read(format!("{FIXTURES}/merge_request_delivery.json")).unwrap();
    let Event::MergeRequest(mr) = webhooks::parse("Merge Request Hook", &body).unwrap() else {
        panic!("not a merge request")
    };
    let attributes = mr.object_attributes.as_ref().unwrap();
    assert_eq!(attributes.action.as_deref(), Some("open"));
    assert_eq!(attributes.iid.as_ref().and_then(|id| id.as_i64()), Some(4));
    assert!(mr.changes.as_ref().unwrap().contains_key("merge_params"));
}

/// A body of each event as a server might send it at its worst: nulls
/// everywhere, negative and string ids, 0/1 flags, empty times.
#[test]
fn hand_written_bodies_with_nulls_and_negative_ids_decode() {
    let bodies = [
        (
            "Push Hook",
            r#"{"object_kind":"push","ref":"refs/heads/main","user_id":-1,"project_id":"42","base_ref":null,
               "commits":[{"id":"abc","timestamp":"","author":null,"added":null}],"project":null,
               "manual_build":0,"total_commits_count":null,"push_options":null}"#,
        ),
        (
            "Tag Push Hook",
            r#"{"object_kind":"tag_push","ref":"refs/tags/v1","after":"0000000000000000000000000000000000000000",
               "user_id":-9999,"commits":[],"repository":{"visibility_level":null}}"#,
        ),
        (
            "Issue Hook",
            r#"{"object_kind":"issue","user":{"id":-5,"name":null},"object_attributes":{"id":"1","iid":-2,
               "assignee_ids":[-3,"4"],"confidential":"false","created_at":"2024-10-26 10:28","due_date":"2024-12-01",
               "closed_at":""},"changes":{"title":{"current":"a","previous":null}},"labels":null}"#,
        ),
        (
            "Merge Request Hook",
            r#"{"object_kind":"merge_request","object_attributes":{"id":-1,"iid":"7","work_in_progress":1,
               "merge_params":"force_remove_source_branch: false\n","last_commit":{"timestamp":"2024-10-26T02:32:14Z"},
               "source":null,"target":{"id":null}},"changes":{},"issues":null,"user":null}"#,
        ),
        (
            "Note Hook",
            r#"{"object_kind":"note","object_attributes":{"id":-1,"noteable_type":"Commit","position":{},"system":"0",
               "resolved_at":null},"commit":{"id":"abc","added":[]},"issue":null,"merge_request":null}"#,
        ),
    ];
    for (event, body) in bodies {
        let (parsed, repairs) = webhooks::parse_with(event, body.as_bytes(), DecodeMode::Strict)
            .unwrap_or_else(|e| panic!("{event}: {e}"));
        assert_eq!(parsed.name(), event);
        assert!(repairs.is_empty());
    }

    // A `null` inside a list is dropped, with a repair, when not strict.
    let body = br#"{"object_attributes":{"assignee_ids":[null,-3]}}"#;
    let (parsed, repairs) = webhooks::parse_with("Issue Hook", body, DecodeMode::Tolerant).unwrap();
    let Event::Issue(issue) = parsed else {
        panic!()
    };
    let ids = &issue.object_attributes.as_ref().unwrap().assignee_ids;
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].as_i64(), Some(-3));
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].path, "object_attributes.assignee_ids[0]");
}

#[test]
fn a_value_that_does_not_fit_is_left_out_or_fails_strictly() {
    let body = br#"{"object_kind":"push","ref":{"not":"a string"},"after":"abc"}"#;
    let (event, repairs) = webhooks::parse_with("Push Hook", body, DecodeMode::Tolerant).unwrap();
    let Event::Push(push) = event else { panic!() };
    assert_eq!(push.ref_, None);
    assert_eq!(push.after.as_deref(), Some("abc"));
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0].path, "ref");

    let error = webhooks::parse_with("Push Hook", body, DecodeMode::Strict).unwrap_err();
    assert!(error.to_string().contains("at `ref`"), "{error}");
    let WebhookError::Body { body: kept, .. } = error else {
        panic!()
    };
    assert_eq!(&kept[..], &body[..], "the body is kept");
}

#[test]
fn an_unknown_event_keeps_its_name_and_body() {
    let body = br#"{"object_kind":"release","tag":{"name":"v1"}}"#;
    let event = webhooks::parse("Release Hook", body).unwrap();
    let Event::Unknown { name, body } = &event else {
        panic!("{event:?}")
    };
    assert_eq!(name, "Release Hook");
    assert_eq!(body["tag"]["name"], "v1");
    assert_eq!(event.name(), "Release Hook");

    let error = webhooks::parse("Release Hook", b"<html>").unwrap_err();
    assert!(matches!(error, WebhookError::Body { .. }), "{error}");
    for event in ["Push Hook", "Release Hook"] {
        let error = webhooks::parse(event, b" \n").unwrap_err();
        assert!(error.to_string().contains("the body is empty"), "{error}");
    }
}

// --- Verification ---

/// RFC 4231, test case 2: HMAC-SHA256 of "what do ya want for nothing?"
/// under the key "Jefe".
const RFC_KEY: &[u8] = b"Jefe";
const RFC_BODY: &[u8] = b"what do ya want for nothing?";
const RFC_HMAC: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(n, v)| {
            (
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            )
        })
        .collect()
}

fn signed(event: &str, signature: &str) -> HeaderMap {
    headers(&[
        ("X-GitCode-Event", event),
        ("X-GitCode-Signature-256", signature),
        ("X-GitCode-Delivery", "d-1"),
    ])
}

#[test]
fn a_known_signature_vector_verifies() {
    assert_eq!(
        webhooks::sign(RFC_KEY, RFC_BODY),
        format!("sha256={RFC_HMAC}")
    );
    webhooks::verify_signature(RFC_KEY, RFC_BODY, &format!("sha256={RFC_HMAC}")).unwrap();

    // The signature passes; the body, not being JSON, is what fails.
    let receiver = Receiver::new(Secret::SigningKey(RFC_KEY.to_vec())).unwrap();
    let error = receiver
        .receive(
            &signed("Push Hook", &format!("sha256={RFC_HMAC}")),
            RFC_BODY,
        )
        .unwrap_err();
    assert!(matches!(error, WebhookError::Body { .. }), "{error}");
}

#[test]
fn a_signed_delivery_is_received() {
    let body = std::fs::read(format!("{FIXTURES}/push_delivery.json")).unwrap();
    let key = b"hook signing key".to_vec();
    let receiver = Receiver::new(Secret::SigningKey(key.clone())).unwrap();
    let delivery = receiver
        .receive(&signed("Push Hook", &webhooks::sign(&key, &body)), &body)
        .unwrap();
    assert!(matches!(delivery.event, Event::Push(_)));
    assert_eq!(delivery.id.as_deref(), Some("d-1"));
    assert!(delivery.repairs.is_empty());
}

#[test]
fn signature_failures_say_which_check_failed() {
    let body = br#"{"object_kind":"push"}"#;
    let key = b"k3y".to_vec();
    let good = webhooks::sign(&key, body);
    let receiver = Receiver::new(Secret::SigningKey(key.clone())).unwrap();
    let fails = |headers: HeaderMap, body: &[u8]| receiver.receive(&headers, body).unwrap_err();

    // The wrong key.
    let wrong = webhooks::sign(b"other", body);
    assert!(matches!(
        fails(signed("Push Hook", &wrong), body),
        WebhookError::BadSignature
    ));
    // A tampered body.
    assert!(matches!(
        fails(signed("Push Hook", &good), br#"{"object_kind":"push "}"#),
        WebhookError::BadSignature
    ));
    // No `sha256=` prefix, another prefix, a short or non-hex value.
    let hex = good.trim_start_matches("sha256=");
    for bad in [
        hex.to_string(),
        format!("sha1={hex}"),
        format!("sha256={}", &hex[2..]),
        format!("sha256={}zz", &hex[2..]),
    ] {
        assert!(
            matches!(
                fails(signed("Push Hook", &bad), body),
                WebhookError::MalformedSignature
            ),
            "{bad}"
        );
    }
    // Upper-case hex is the same bytes: accepted.
    receiver
        .receive(
            &signed("Push Hook", &format!("sha256={}", hex.to_uppercase())),
            body,
        )
        .unwrap();
    // Missing headers.
    assert!(matches!(
        fails(headers(&[("X-GitCode-Event", "Push Hook")]), body),
        WebhookError::MissingHeader("X-GitCode-Signature-256")
    ));
    assert!(matches!(
        fails(headers(&[("X-GitCode-Signature-256", &good)]), body),
        WebhookError::MissingHeader("X-GitCode-Event")
    ));
    // A password where a signature is expected is no signature.
    assert!(matches!(
        fails(
            headers(&[("X-GitCode-Event", "Push Hook"), ("X-GitCode-Token", "k3y")]),
            body
        ),
        WebhookError::MissingHeader("X-GitCode-Signature-256")
    ));
}

#[test]
fn an_empty_secret_is_a_configuration_error() {
    for secret in [
        Secret::SigningKey(Vec::new()),
        Secret::Password(String::new()),
    ] {
        assert!(matches!(
            Receiver::new(secret),
            Err(WebhookError::EmptySecret)
        ));
    }
    assert!(matches!(
        webhooks::verify_signature(b"", b"{}", &webhooks::sign(b"", b"{}")),
        Err(WebhookError::EmptySecret)
    ));
    assert!(matches!(
        webhooks::verify_password("", ""),
        Err(WebhookError::EmptySecret)
    ));
}

#[test]
fn passwords_are_checked() {
    let body = br#"{"object_kind":"note"}"#;
    let receiver = Receiver::new(Secret::Password("s3cret".into())).unwrap();
    let with =
        |token: &str| headers(&[("X-GitCode-Event", "Note Hook"), ("X-GitCode-Token", token)]);
    let delivery = receiver.receive(&with("s3cret"), body).unwrap();
    assert!(matches!(delivery.event, Event::Note(_)));
    for wrong in ["s3cre", "s3cret2", "S3CRET", ""] {
        assert!(
            matches!(
                receiver.receive(&with(wrong), body),
                Err(WebhookError::WrongPassword)
            ),
            "{wrong:?}"
        );
    }
    assert!(matches!(
        receiver.receive(&headers(&[("X-GitCode-Event", "Note Hook")]), body),
        Err(WebhookError::MissingHeader("X-GitCode-Token"))
    ));
    // A header that is not text is an error, not a panic.
    let mut bad = with("s3cret");
    bad.insert(
        "X-GitCode-Token",
        HeaderValue::from_bytes(b"s3cr\xffet").unwrap(),
    );
    assert!(matches!(
        receiver.receive(&bad, body),
        Err(WebhookError::InvalidHeader("X-GitCode-Token"))
    ));
}

#[test]
fn secrets_never_show_in_debug_output() {
    let receiver = Receiver::new(Secret::Password("s3cret".into())).unwrap();
    assert!(!format!("{receiver:?}").contains("s3cret"));
    let receiver = Receiver::new(Secret::SigningKey(b"k3y".to_vec())).unwrap();
    assert!(!format!("{receiver:?}").contains("k3y"));
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    // Visible ASCII, spaces, tabs and obs-text bytes: what a HeaderValue can hold.
    proptest::collection::vec(prop_oneof![0x20u8..0x7f, Just(b'\t'), 0x80u8..=0xff], 0..80)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any body and any header values: an answer, never a panic.
    #[test]
    fn the_receiver_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..400),
        event in prop_oneof![
            Just(b"Push Hook".to_vec()),
            Just(b"Merge Request Hook".to_vec()),
            Just(b"Note Hook".to_vec()),
            header_value(),
        ],
        signature in prop_oneof![
            header_value(),
            "sha256=[0-9a-fA-F]{0,70}".prop_map(String::into_bytes),
        ],
        token in header_value(),
        json_body in any::<bool>(),
    ) {
        let body = if json_body {
            // Bytes that are JSON more often than chance would make them.
            format!(r#"{{"object_kind":{},"ref":{:?}}}"#, body.len(), String::from_utf8_lossy(&body)).into_bytes()
        } else {
            body
        };
        let mut headers = HeaderMap::new();
        headers.insert("X-GitCode-Event", HeaderValue::from_bytes(&event).unwrap());
        headers.insert("X-GitCode-Signature-256", HeaderValue::from_bytes(&signature).unwrap());
        headers.insert("X-GitCode-Token", HeaderValue::from_bytes(&token).unwrap());
        for secret in [Secret::SigningKey(b"key".to_vec()), Secret::Password("key".into())] {
            let _ = Receiver::new(secret).unwrap().receive(&headers, &body);
        }
        // Signed correctly, every body reaches the parser and comes back
        // parsed or as a `Body` error.
        headers.insert("X-GitCode-Signature-256", HeaderValue::from_str(&webhooks::sign(b"key", &body)).unwrap());
        let receiver = Receiver::new(Secret::SigningKey(b"key".to_vec())).unwrap();
        match receiver.receive(&headers, &body) {
            Ok(_) | Err(WebhookError::Body { .. }) | Err(WebhookError::InvalidHeader(_)) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
