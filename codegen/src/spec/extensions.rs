//! The `x-gitcode-*` extensions: the spec's way of marking a quirk so that a
//! codegen pass (or a runtime type) handles it. `spec/README.md` documents
//! them for spec authors; this list is what the checker accepts.

/// Where an extension may stand and what it means.
pub struct Extension {
    pub name: &'static str,
    pub on: &'static str,
    pub handled_by: &'static str,
}

pub const LENIENT: &str = "x-gitcode-lenient";
pub const KEEP_SLASHES: &str = "x-gitcode-keep-slashes";
pub const UNVERIFIED: &str = "x-gitcode-unverified";
pub const KNOWN_ISSUE: &str = "x-gitcode-known-issue";
pub const RAW_RESPONSE: &str = "x-gitcode-raw-response";
pub const CURSOR: &str = "x-gitcode-cursor";
pub const BODY_IN_QUERY: &str = "x-gitcode-body-in-query";
pub const PAGE_ITEMS: &str = "x-gitcode-page-items";
pub const WEBHOOKS: &str = "x-gitcode-webhooks";
pub const UNDOCUMENTED: &str = "x-gitcode-undocumented";
pub const SEND_AS: &str = "x-gitcode-send-as";
pub const SOURCES: &str = "x-gitcode-sources";
pub const EVIDENCE: &str = "x-gitcode-evidence";
pub const DESTRUCTIVE: &str = "x-gitcode-destructive";

/// The kinds of evidence a `x-gitcode-sources` entry may be, strongest
/// first (`spec/README.md`, "Weighing evidence", says why).
pub const SOURCE_KINDS: &[&str] = &[
    "server-answer",
    "maintained-client",
    "docs",
    "probe",
    "smoke-test",
    "ci-log",
    "other-client",
];

pub const KNOWN_EXTENSIONS: &[Extension] = &[
    Extension {
        name: LENIENT,
        on: "component schema",
        handled_by: "`generate::settings`: replaced by `gitcode::lenient::<Name>`",
    },
    Extension {
        name: KEEP_SLASHES,
        on: "path parameter",
        handled_by: "pass `keep_path_slashes`",
    },
    Extension {
        name: UNVERIFIED,
        on: "operation",
        handled_by: "pass `operation_docs`",
    },
    Extension {
        name: KNOWN_ISSUE,
        on: "operation",
        handled_by: "pass `operation_docs`",
    },
    Extension {
        name: BODY_IN_QUERY,
        on: "operation",
        handled_by: "pass `body_fields_in_query`",
    },
    Extension {
        name: CURSOR,
        on: "operation",
        handled_by: "pass `cursor_operations`",
    },
    Extension {
        name: PAGE_ITEMS,
        on: "operation",
        handled_by: "pass `paginated_operations`",
    },
    Extension {
        name: WEBHOOKS,
        on: "top level of any spec file",
        handled_by: "`tables::webhooks`: `gitcode::webhooks::Event`",
    },
    Extension {
        name: UNDOCUMENTED,
        on: "operation",
        handled_by: "pass `operation_docs`; `cargo xtask coverage` counts it apart",
    },
    Extension {
        name: SEND_AS,
        on: "operation",
        handled_by: "`generate::prepare`: progenitor sees only this request media type",
    },
    Extension {
        name: SOURCES,
        on: "top level of `openapi.yaml`",
        handled_by: "spec check: every `x-gitcode-evidence` names one of its keys",
    },
    Extension {
        name: EVIDENCE,
        on: "operation, parameter, schema or property",
        handled_by: "pass `operation_docs` (an operation's); `cargo xtask diff` reports it as docs",
    },
    Extension {
        name: DESTRUCTIVE,
        on: "operation other than a DELETE",
        handled_by: "`tables::mcp` (the tool's `destructiveHint`, left out by `--no-destructive`); pass `operation_docs`",
    },
    Extension {
        name: RAW_RESPONSE,
        on: "operation",
        handled_by: "spec: `application/octet-stream` response, generated as `ByteStream`",
    },
];
