//! Post-processing passes over the code progenitor generates: step 3 of
//! the pipeline.
//!
//! Each pass is a small function from syntax tree to syntax tree, in its own
//! module, named after the quirk it handles; the spec extension that triggers
//! it is named in its doc comment. [`PASSES`] runs them in order.
//!
//! Where to look: a quirk of the server that the generated code must handle
//! is a pass here, triggered by a `x-gitcode-*` extension (declared in
//! [`crate::spec::extensions`]) or by a shape of the spec; the pass gets its
//! own module with its unit test and a row in [`PASSES`] (and in the
//! pass table of docs/maintaining.md). What a pass emits calls hand-written code in
//! `client/src/` wherever it can, so that the quirk's behaviour is written
//! once there. The shared readers of progenitor's output (builder and type
//! names) are in `builder`.

pub mod area_features;
pub mod body_fields_in_query;
pub(crate) mod builder;
pub mod checked_path_parameters;
pub mod compact_deserialize;
pub mod cursor_operations;
pub mod keep_path_slashes;
pub mod lazy_codegen;
pub mod lenient_optional_fields;
pub mod merge_duplicate_fields;
pub mod multipart_bodies;
pub mod no_api_version_header;
pub mod open_string_enums;
pub mod operation_docs;
pub mod operation_servers;
pub mod operation_table;
pub mod paginated_operations;
pub mod plain_value_setters;
pub mod raw_answers;
pub mod repeated_form_fields;
pub mod typed_errors;

use crate::spec::Spec;

/// What a pass may read besides the tree.
pub struct Context<'a> {
    pub spec: &'a Spec,
}

/// A named transformation of the generated client.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut syn::File, &Context<'_>) -> Result<(), String>,
}

/// The passes, in the order they run.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "merge_duplicate_fields",
        run: merge_duplicate_fields::run,
    },
    Pass {
        name: "lenient_optional_fields",
        run: lenient_optional_fields::run,
    },
    Pass {
        name: "open_string_enums",
        run: open_string_enums::run,
    },
    Pass {
        name: "plain_value_setters",
        run: plain_value_setters::run,
    },
    Pass {
        name: "compact_deserialize",
        run: compact_deserialize::run,
    },
    Pass {
        name: "multipart_bodies",
        run: multipart_bodies::run,
    },
    Pass {
        name: "keep_path_slashes",
        run: keep_path_slashes::run,
    },
    Pass {
        name: "checked_path_parameters",
        run: checked_path_parameters::run,
    },
    Pass {
        name: "body_fields_in_query",
        run: body_fields_in_query::run,
    },
    Pass {
        name: "repeated_form_fields",
        run: repeated_form_fields::run,
    },
    Pass {
        name: "operation_servers",
        run: operation_servers::run,
    },
    Pass {
        name: "no_api_version_header",
        run: no_api_version_header::run,
    },
    Pass {
        name: "operation_docs",
        run: operation_docs::run,
    },
    Pass {
        name: "typed_errors",
        run: typed_errors::run,
    },
    Pass {
        name: "raw_answers",
        run: raw_answers::run,
    },
    Pass {
        name: "paginated_operations",
        run: paginated_operations::run,
    },
    Pass {
        name: "cursor_operations",
        run: cursor_operations::run,
    },
    Pass {
        name: "operation_table",
        run: operation_table::run,
    },
    Pass {
        name: "area_features",
        run: area_features::run,
    },
    Pass {
        name: "lazy_codegen",
        run: lazy_codegen::run,
    },
];

/// Runs every pass over `file`.
pub fn run_all(file: &mut syn::File, cx: &Context<'_>) -> crate::error::Result<()> {
    for pass in PASSES {
        (pass.run)(file, cx).map_err(|message| crate::error::Error::Pass {
            pass: pass.name,
            message,
        })?;
    }
    Ok(())
}
