//! `gitcode webhook parse`: checks and reads one delivery copied from a
//! hook's delivery log, through the same entry point a receiver uses
//! ([`crate::webhooks::Receiver`]).
//!
//! ```text
//! gitcode webhook parse --event NAME [--secret KEY --signature VALUE | --password VALUE -H 'X-GitCode-Token: ...']
//!                       [-H 'Name: value']... FILE|-
//! ```
//!
//! Prints the event as the typed payload decodes it (JSON) and exits 0;
//! a failed check exits 3, a body that is not the event's payload 8, each
//! with one line on standard error.

use clap::ArgMatches;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::Output;
use crate::invoke::check::warn;
use crate::invoke::{CliError, read_source};
use crate::webhooks::{self, Event, Receiver, Secret, WebhookError};

/// The `webhook` command.
pub fn command() -> clap::Command {
    clap::Command::new("webhook")
        .about("Check and read webhook deliveries")
        .subcommand_required(true)
        .subcommand(
            clap::Command::new("parse")
                .about("Verify a delivery copied from a hook's log and print its typed event as JSON")
                .arg(
                    clap::Arg::new("file")
                        .required(true)
                        .value_name("FILE")
                        .help("The delivery's body, or - for standard input"),
                )
                .arg(
                    clap::Arg::new("event")
                        .long("event")
                        .value_name("NAME")
                        .help("The X-GitCode-Event value, such as 'Push Hook' (or give it with -H)"),
                )
                .arg(
                    clap::Arg::new("secret")
                        .long("secret")
                        .value_name("KEY")
                        .conflicts_with("password")
                        .requires("signature")
                        .help("The hook's signing key: check X-GitCode-Signature-256"),
                )
                .arg(
                    clap::Arg::new("signature")
                        .long("signature")
                        .value_name("VALUE")
                        .help("The delivery's X-GitCode-Signature-256 (sha256=<hex>)"),
                )
                .arg(
                    clap::Arg::new("password")
                        .long("password")
                        .value_name("VALUE")
                        .help("The hook's password: check the delivery's X-GitCode-Token (give it with -H)"),
                )
                .arg(super::header_arg("A header of the delivery, as its log shows it")),
        )
}

/// Runs `gitcode webhook ...`.
pub fn run(matches: &ArgMatches, strict: bool, out: &mut Output) -> Result<(), CliError> {
    let Some(("parse", sub)) = matches.subcommand() else {
        return Err(CliError::Usage(
            "`gitcode webhook` needs a subcommand".into(),
        ));
    };
    let headers = headers(sub)?;
    let source = sub.get_one::<String>("file").expect("required");
    let body = read_source("reading", source)?;
    let secret = match (
        sub.get_one::<String>("secret"),
        sub.get_one::<String>("password"),
    ) {
        (Some(key), _) => Some(Secret::SigningKey(key.as_bytes().to_vec())),
        (None, Some(password)) => Some(Secret::Password(password.clone())),
        (None, None) => None,
    };
    let event = match secret {
        Some(secret) => {
            let receiver = Receiver::new(secret).map_err(webhook_error)?.strict(strict);
            let delivery = receiver.receive(&headers, &body).map_err(webhook_error)?;
            warn(delivery.event.name(), &delivery.repairs);
            delivery.event
        }
        None => {
            eprintln!("note: not verified (give --secret or --password to check the delivery)");
            let name = headers
                .get(webhooks::EVENT_HEADER)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| {
                    CliError::Usage("the event is not named: give --event NAME".into())
                })?;
            let mode = crate::decode::DecodeMode::from_strict(strict);
            let (event, repairs) =
                webhooks::parse_with(name, &body, mode).map_err(webhook_error)?;
            warn(name, &repairs);
            event
        }
    };
    print_event(&event, out)
}

/// The delivery's headers from `-H` and the shortcuts.
fn headers(sub: &ArgMatches) -> Result<HeaderMap, CliError> {
    let mut headers = HeaderMap::new();
    let mut put = |name: &str, value: &str| -> Result<(), CliError> {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| CliError::Usage(format!("`{name}` is not a header name")))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| CliError::Usage(format!("the value of `{name}` is not valid")))?;
        headers.insert(name, value);
        Ok(())
    };
    for (name, value) in super::headers_given(sub)? {
        put(name, value)?;
    }
    if let Some(event) = sub.get_one::<String>("event") {
        put(webhooks::EVENT_HEADER, event)?;
    }
    if let Some(signature) = sub.get_one::<String>("signature") {
        put(webhooks::SIGNATURE_HEADER, signature)?;
    }
    Ok(headers)
}

/// A failed check is an authentication failure (exit 3); a body that is
/// not the event's payload a decode failure (exit 8); a bad secret usage.
fn webhook_error(e: WebhookError) -> CliError {
    match e {
        WebhookError::EmptySecret => CliError::Usage(e.to_string()),
        WebhookError::Body { .. } => CliError::Undecodable(e.to_string()),
        _ => CliError::Refused(format!("the delivery does not verify: {e}")),
    }
}

/// The event as its typed payload serialises (what a receiver sees).
fn print_event(event: &Event, out: &mut Output) -> Result<(), CliError> {
    let value = serde_json::to_vec(event).map_err(std::io::Error::from)?;
    out.body(&value)
}
