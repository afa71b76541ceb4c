//! The example receiver (`examples/webhook_receiver.rs`) on a loopback
//! port: a signed delivery is accepted, a tampered one refused.

#[path = "../../examples/webhook_receiver.rs"]
#[allow(dead_code)]
mod example;

use gitcode::webhooks::{self, Event, Receiver, Secret};

const KEY: &[u8] = b"receiver test key";

async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let receiver = Receiver::new(Secret::SigningKey(KEY.to_vec())).unwrap();
    tokio::spawn(async move { axum::serve(listener, example::router(receiver)).await });
    url
}

async fn post(url: &str, headers: &[(&str, String)], body: &[u8]) -> (u16, String) {
    let mut request = reqwest::Client::new().post(url).body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn push_body() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/webhooks/push_delivery.json"
    ))
    .unwrap()
}

#[tokio::test]
async fn a_signed_delivery_is_accepted_and_a_tampered_one_refused() {
    let url = start().await;
    let body = push_body();
    let headers = |signature: String| {
        vec![
            ("X-GitCode-Event", "Push Hook".to_string()),
            ("X-GitCode-Delivery", "d-42".to_string()),
            ("X-GitCode-Signature-256", signature),
            ("Content-Type", "application/json".to_string()),
        ]
    };
    let (status, _) = post(&url, &headers(webhooks::sign(KEY, &body)), &body).await;
    assert_eq!(status, 204);

    let mut tampered = body.clone();
    let at = tampered.iter().position(|b| *b == b'9').unwrap();
    tampered[at] = b'8';
    let (status, text) = post(&url, &headers(webhooks::sign(KEY, &body)), &tampered).await;
    assert_eq!(status, 401);
    assert!(text.contains("signature does not match"), "{text}");

    let (status, text) = post(&url, &headers(webhooks::sign(b"wrong key", &body)), &body).await;
    assert_eq!(status, 401, "{text}");

    let (status, text) = post(&url, &[("X-GitCode-Event", "Push Hook".into())], &body).await;
    assert_eq!(status, 401);
    assert!(text.contains("X-GitCode-Signature-256"), "{text}");

    // Verified, but not a push payload.
    let (status, text) = post(&url, &headers(webhooks::sign(KEY, b"[1,2]")), b"[1,2]").await;
    assert_eq!(status, 400, "{text}");
}

#[test]
fn the_summary_names_the_key_fields() {
    let event = webhooks::parse("Push Hook", &push_body()).unwrap();
    assert_eq!(
        example::summary(&event),
        "ibforu pushed 1 commit(s) to refs/heads/dev (2f03691536b8ef5ee2710b8605b9d16ccc96b52f)"
    );
    let event = webhooks::parse("Release Hook", b"{}").unwrap();
    assert!(matches!(event, Event::Unknown { .. }));
    assert_eq!(
        example::summary(&event),
        "an event this version does not know: Release Hook"
    );
}
