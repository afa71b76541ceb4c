//! The arguments an operation runs with ([`Args`]): the flags of a parsed
//! command line, or the JSON arguments of an MCP tool call, read through
//! one set of getters, so that the generated `execute` runs either the
//! same way. How a tool call's JSON is read where it differs from a flag
//! (an id in its other form, a file as base64) is in `tool_arguments`.

use clap::ArgMatches;

use super::CliError;
#[cfg(feature = "mcp")]
use super::tool_arguments;

/// The arguments of the command being run, for the generated code: the
/// flags of a command line, or the arguments of an MCP tool call (named as
/// the flags, with `_` for `-`).
pub struct Args<'a> {
    source: Source<'a>,
}

enum Source<'a> {
    Flags(&'a ArgMatches),
    /// A tool call's arguments, already checked against the tool's schema.
    #[cfg(feature = "mcp")]
    Json(&'a serde_json::Map<String, serde_json::Value>),
}

impl<'a> Args<'a> {
    /// The flags of a parsed command line.
    pub(crate) fn flags(matches: &'a ArgMatches) -> Self {
        Args {
            source: Source::Flags(matches),
        }
    }

    /// The arguments of a tool call.
    #[cfg(feature = "mcp")]
    pub(crate) fn json(arguments: &'a serde_json::Map<String, serde_json::Value>) -> Self {
        Args {
            source: Source::Json(arguments),
        }
    }

    /// A flag's raw value, if given.
    fn flag(&self, name: &str) -> Option<&str> {
        match self.source {
            Source::Flags(matches) => matches.get_one::<String>(name).map(String::as_str),
            #[cfg(feature = "mcp")]
            Source::Json(_) => None,
        }
    }

    /// A tool call's argument for the flag `name`; `null` is no value.
    #[cfg(feature = "mcp")]
    fn argument(&self, name: &str) -> Option<&serde_json::Value> {
        match self.source {
            Source::Flags(_) => None,
            Source::Json(arguments) => arguments
                .get(&name.replace('-', "_"))
                .filter(|value| !value.is_null()),
        }
    }

    /// The value given for `name`, as `T`. A flag is read as JSON first
    /// (numbers, booleans, lists, objects), else as a JSON string (names,
    /// dates, comma lists); a tool call's argument is JSON already.
    pub fn get<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, CliError> {
        if let Some(raw) = self.flag(name) {
            return serde_json::from_str(raw)
                .or_else(|_| serde_json::from_value(serde_json::Value::String(raw.to_string())))
                .map(Some)
                .map_err(|e| CliError::Usage(format!("invalid value for --{name}: {e}")));
        }
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument(name) {
            return T::deserialize(value)
                .or_else(|e| match tool_arguments::other_form(value) {
                    Some(other) => T::deserialize(other).map_err(|_| e),
                    None => Err(e),
                })
                .map(Some)
                .map_err(|e| {
                    CliError::Usage(format!("argument `{}`: {e}", name.replace('-', "_")))
                });
        }
        Ok(None)
    }

    /// A file to upload: from its path on the command line; in a tool call,
    /// an object with `file_name`, `content_base64` and, optionally,
    /// `media_type` (an agent never names a file on the server's disk).
    pub fn file(&self, name: &str) -> Result<Option<crate::multipart::UploadFile>, CliError> {
        if let Some(path) = self.flag(name) {
            return crate::multipart::UploadFile::from_path(path)
                .map(Some)
                .map_err(|e| CliError::Usage(format!("--{name} {path}: {e}")));
        }
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument(name) {
            return tool_arguments::upload_file(&name.replace('-', "_"), value).map(Some);
        }
        Ok(None)
    }

    /// The request body from `--json-body FILE` (`-` for standard input),
    /// or a tool call's `json_body` object.
    pub fn json_body<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, CliError> {
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument("json-body") {
            return T::deserialize(value)
                .map(Some)
                .map_err(|e| CliError::Usage(format!("argument `json_body`: {e}")));
        }
        let Some(source) = self.flag("json-body") else {
            return Ok(None);
        };
        let bytes = read_source("--json-body", source)?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| CliError::Usage(format!("--json-body: not a valid request body: {e}")))
    }

    /// The request body from `--body-file FILE` (`-` for standard input),
    /// or a tool call's `body_base64`, sent as the bytes it holds.
    pub fn body_file(&self) -> Result<Option<Vec<u8>>, CliError> {
        #[cfg(feature = "mcp")]
        if let Some(value) = self.argument("body-base64") {
            return tool_arguments::base64_argument("body_base64", value).map(Some);
        }
        self.flag("body-file")
            .map(|source| read_source("--body-file", source))
            .transpose()
    }

    /// Whether `--all` was given, or a tool call's `all_pages: true`.
    pub fn all(&self) -> bool {
        match self.source {
            Source::Flags(matches) => matches.get_flag("all"),
            #[cfg(feature = "mcp")]
            Source::Json(arguments) => arguments
                .get(tool_arguments::ALL_PAGES)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
        }
    }
}

/// The bytes of a file named on the command line, or of standard input for
/// `-`; `flag` names the flag in the error.
pub(crate) fn read_source(flag: &str, source: &str) -> Result<Vec<u8>, CliError> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(source).map_err(|e| CliError::Usage(format!("{flag} {source}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flags of a command taking `--per-page`, `--labels`, `--json-body`
    /// and `--all`, parsed from `line`.
    fn flags(line: &[&str]) -> ArgMatches {
        let value = |name: &'static str| clap::Arg::new(name).long(name);
        clap::Command::new("test")
            .arg(value("per-page"))
            .arg(value("labels"))
            .arg(value("json-body"))
            .arg(
                clap::Arg::new("all")
                    .long("all")
                    .action(clap::ArgAction::SetTrue),
            )
            .try_get_matches_from(std::iter::once("test").chain(line.iter().copied()))
            .expect("a valid command line")
    }

    #[test]
    fn a_flag_is_read_as_json_else_as_a_string() {
        let matches = flags(&["--per-page", "20", "--labels", "bug,p1"]);
        let args = Args::flags(&matches);
        assert_eq!(args.get::<u64>("per-page").unwrap(), Some(20));
        assert_eq!(
            args.get::<String>("labels").unwrap().as_deref(),
            Some("bug,p1")
        );
        assert_eq!(args.get::<String>("json-body").unwrap(), None);
        assert!(!args.all());
        assert!(Args::flags(&flags(&["--all"])).all());
    }

    #[test]
    fn a_bad_flag_value_is_a_usage_error_naming_the_flag() {
        let matches = flags(&["--per-page", "twenty"]);
        let error = Args::flags(&matches).get::<u64>("per-page").unwrap_err();
        assert!(matches!(error, CliError::Usage(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .starts_with("invalid value for --per-page: "),
            "{error}"
        );
    }

    #[test]
    fn a_json_body_that_is_missing_or_not_a_body_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.json");
        let missing = missing.to_str().unwrap();
        let error = Args::flags(&flags(&["--json-body", missing]))
            .json_body::<serde_json::Value>()
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("--json-body {missing}: ")),
            "{error}"
        );

        let broken = dir.path().join("broken.json");
        std::fs::write(&broken, "{\"title\": ").unwrap();
        let error = Args::flags(&flags(&["--json-body", broken.to_str().unwrap()]))
            .json_body::<serde_json::Value>()
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("--json-body: not a valid request body: "),
            "{error}"
        );
    }

    #[cfg(feature = "mcp")]
    #[test]
    fn a_tool_call_argument_is_read_in_either_form_and_named_with_underscores() {
        let arguments = serde_json::json!({
            "per_page": "20",
            "labels": null,
            "all_pages": true,
            "body_base64": "aGk=",
        });
        let arguments = arguments.as_object().unwrap();
        let args = Args::json(arguments);
        assert_eq!(args.get::<u64>("per-page").unwrap(), Some(20));
        assert_eq!(args.get::<String>("labels").unwrap(), None);
        assert!(args.all());
        assert_eq!(args.body_file().unwrap().as_deref(), Some(&b"hi"[..]));
        let error = args.get::<bool>("per-page").unwrap_err().to_string();
        assert!(error.starts_with("argument `per_page`: "), "{error}");
    }
}
