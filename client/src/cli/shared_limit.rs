//! `--rate-limit-url URL` (or `GITCODE_RATE_LIMIT_URL`) and
//! `--rate-limit-on-failure POLICY`: the global options that share the rate
//! limit with every process using one Redis
//! ([`crate::rate_limit::shared`]), for every command and `gitcode mcp`.
//!
//! A binary built without feature `redis` still takes the options, and
//! fails with a message that says so when a URL is given. The URL's
//! password is never printed: errors show it as `***`. What they ask for
//! is held by the [`Globals`](super::Globals) that make every client.

use clap::ArgMatches;

use crate::invoke::{CliError, SharedLimit};

/// Reads and checks both options: the limit to share, if a URL was given.
pub(crate) fn read(matches: &ArgMatches) -> Result<SharedLimit, CliError> {
    let url = matches.get_one::<String>("rate-limit-url");
    let policy = matches
        .get_one::<String>("rate-limit-on-failure")
        .map_or("wait", String::as_str);
    let policy = Policy::parse(policy)?;
    #[cfg(feature = "redis")]
    {
        let limit = url
            .map(|url| {
                crate::rate_limit::shared::SharedRateLimit::redis(url)
                    .map(|limit| limit.on_failure(policy.on_failure()))
                    .map_err(|e| CliError::Usage(format!("--rate-limit-url: {e}")))
            })
            .transpose()?;
        Ok(SharedLimit { limit })
    }
    #[cfg(not(feature = "redis"))]
    {
        let _ = policy;
        match url {
            None => Ok(SharedLimit::default()),
            Some(_) => Err(CliError::Usage(
                "--rate-limit-url (or GITCODE_RATE_LIMIT_URL): this gitcode was built without \
                 the `redis` feature; rebuild it with `--features redis` to share the rate limit"
                    .into(),
            )),
        }
    }
}

/// `--rate-limit-on-failure`, read the same with or without the feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// `wait`: [`OnStoreFailure::default`](crate::rate_limit::shared::OnStoreFailure::default).
    Wait,
    /// `fail`.
    Fail,
    /// `local:N`: a local limit at 1/N.
    Local(u32),
}

impl Policy {
    fn parse(text: &str) -> Result<Policy, CliError> {
        match text {
            "wait" => Ok(Policy::Wait),
            "fail" => Ok(Policy::Fail),
            _ => text
                .strip_prefix("local:")
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|&n| n > 0)
                .map(Policy::Local)
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--rate-limit-on-failure {text}: expected `wait`, `fail` or `local:N` \
                         (N from 1: the number of processes sharing the limit)"
                    ))
                }),
        }
    }

    #[cfg(feature = "redis")]
    fn on_failure(self) -> crate::rate_limit::shared::OnStoreFailure {
        use crate::rate_limit::shared::OnStoreFailure;
        match self {
            Policy::Wait => OnStoreFailure::default(),
            Policy::Fail => OnStoreFailure::Fail,
            Policy::Local(share) => OnStoreFailure::FallbackLocal { share },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(args: &[&str]) -> Result<SharedLimit, CliError> {
        let mut line = vec!["gitcode"];
        line.extend_from_slice(args);
        line.extend_from_slice(&["completions", "bash"]);
        let matches = crate::cli::app()
            .try_get_matches_from(line)
            .expect("a valid command line");
        super::read(&matches)
    }

    #[test]
    fn the_url_is_taken_with_the_feature_and_refused_without() {
        let chosen = read(&["--rate-limit-url", "redis://:hunter2@127.0.0.1:1/0"]);
        #[cfg(feature = "redis")]
        {
            let chosen = chosen.unwrap();
            assert!(chosen.limit.is_some());
            assert!(!format!("{chosen:?}").contains("hunter2"), "{chosen:?}");
            let error = read(&["--rate-limit-url", "http://:hunter2@host"])
                .unwrap_err()
                .to_string();
            assert!(error.starts_with("--rate-limit-url: "), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
        #[cfg(not(feature = "redis"))]
        {
            let error = chosen.unwrap_err().to_string();
            assert!(
                error.contains("built without the `redis` feature"),
                "{error}"
            );
            assert!(!error.contains("hunter2"), "{error}");
        }
        assert!(read(&["--rate-limit-on-failure", "local:0"]).is_err());
    }

    #[test]
    fn policies_are_read_and_bad_ones_named() {
        assert_eq!(Policy::parse("wait").unwrap(), Policy::Wait);
        assert_eq!(Policy::parse("fail").unwrap(), Policy::Fail);
        assert_eq!(Policy::parse("local:4").unwrap(), Policy::Local(4));
        for bad in ["local:0", "local:", "local:x", "retry", ""] {
            let error = Policy::parse(bad).unwrap_err().to_string();
            assert!(error.contains("--rate-limit-on-failure"), "{error}");
        }
    }
}
