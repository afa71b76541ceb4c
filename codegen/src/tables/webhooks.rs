//! The webhook events, generated from the spec's `x-gitcode-webhooks`.
//!
//! One item family is generated: `Event`, an enum with one variant per
//! `X-GitCode-Event` value, holding the payload type progenitor generated
//! from its schema (in `types`, gated by the `webhooks` feature through
//! pass `area_features`), plus `Unknown` for events the spec does not know
//! yet; and `Event::decode`, which picks the variant by name and decodes
//! the body the way answers are decoded. Verification and the public entry
//! points are hand-written (`client/src/webhooks.rs`).

use quote::format_ident;

use crate::spec::Spec;

/// Where the events go, relative to the workspace root.
pub const WEBHOOKS_FILE: &str = "client/src/generated/webhooks.rs";

/// Builds the events file.
pub fn webhooks(spec: &Spec) -> syn::File {
    let names: Vec<&str> = spec.webhooks.iter().map(|e| e.name.as_str()).collect();
    let variants: Vec<syn::Ident> = spec
        .webhooks
        .iter()
        .map(|e| format_ident!("{}", e.variant))
        .collect();
    let schemas: Vec<syn::Ident> = spec
        .webhooks
        .iter()
        .map(|e| format_ident!("{}", e.schema))
        .collect();
    let docs: Vec<String> = spec
        .webhooks
        .iter()
        .map(|e| {
            let mut doc = format!("`{}`", e.name);
            if let Some(description) = &e.description {
                let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
                doc.push_str(&format!(": {text}"));
            }
            if let Some(url) = &e.docs_url {
                doc.push_str(&format!("\n\n[GitCode documentation]({url})"));
            }
            doc
        })
        .collect();
    syn::parse_quote! {
        //! The webhook events of the spec (`x-gitcode-webhooks`); see
        //! `crate::webhooks` for verification and parsing.

        use crate::decode::{self, DecodeMode, Failure, Repair};
        use crate::types;

        /// A webhook delivery's payload, chosen by its `X-GitCode-Event`
        /// header. Serialises as the payload itself.
        #[derive(Debug, Clone, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Event {
            #(
                #[doc = #docs]
                #variants(Box<types::#schemas>),
            )*
            /// An event the spec does not know (yet): its name and its JSON
            /// body as sent. A new kind of event never fails a receiver.
            Unknown {
                name: String,
                body: serde_json::Value,
            },
        }

        impl Event {
            /// The `X-GitCode-Event` values with a typed variant, by name.
            pub const KNOWN: &'static [&'static str] = &[#(#names),*];

            /// The event's `X-GitCode-Event` value.
            pub fn name(&self) -> &str {
                match self {
                    #(Event::#variants(_) => #names,)*
                    Event::Unknown { name, .. } => name,
                }
            }

            /// Decodes `body` as the payload of the event `name`, as answers
            /// are decoded ([`crate::decode`]); an unknown name keeps the body
            /// as JSON.
            pub(crate) fn decode(
                name: &str,
                body: &[u8],
                mode: DecodeMode,
            ) -> Result<(Event, Vec<Repair>), Failure> {
                match name {
                    #(
                        #names => decode::from_slice::<types::#schemas>(body, mode)
                            .map(|(payload, repairs)| (Event::#variants(Box::new(payload)), repairs)),
                    )*
                    other => decode::from_slice::<serde_json::Value>(body, DecodeMode::Strict)
                        .map(|(body, _)| (Event::Unknown { name: other.to_string(), body }, Vec::new())),
                }
            }
        }
    }
}
