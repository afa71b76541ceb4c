//! Which library encrypts the connection, chosen by feature.
//!
//! - `rustls-aws-lc` (default): rustls with aws-lc-rs, reqwest's own
//!   default, so that a crate with reqwest builds one TLS stack.
//! - `rustls-ring`: rustls with ring as its crypto provider, the quickest
//!   to build.
//! - `native-tls`: the platform's TLS (OpenSSL on Linux).
//! - none of them: reqwest 0.13 uses whatever TLS backend the crates around
//!   `gitcode` turned on, so that a crate which already has reqwest in its
//!   tree builds one TLS stack, not two.
//!
//! reqwest's rustls backend takes the process's default rustls provider
//! and, without reqwest's own `rustls` feature, has none to fall back to.
//! So with `rustls-ring` (and not `rustls-aws-lc`), building a client
//! installs ring as the process default when no default is installed yet,
//! as rustls itself does when ring is its only provider. A program that
//! installs its own provider first keeps it. Another `reqwest::Client` of
//! the same program built before any of ours finds no provider and panics
//! (reqwest's rule for `rustls-no-provider`, which this feature turns on for
//! the whole tree): such a program installs one itself, first.

/// Makes sure reqwest will find a rustls provider (see the module docs).
/// Called before every `reqwest::Client` the crate builds.
pub(crate) fn prepare() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one in between: then that one stays,
        // which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Makes sure the Redis client finds a rustls provider for `rediss://`
/// (feature `redis`): the one installed, else the one of the TLS feature
/// chosen (aws-lc-rs first, as reqwest prefers). With `native-tls` alone
/// there is none to install: an error says what to turn on.
#[cfg(feature = "redis")]
pub(crate) fn rustls_provider_for_redis() -> Result<(), String> {
    if rustls::crypto::CryptoProvider::get_default().is_some() {
        return Ok(());
    }
    #[cfg(feature = "rustls-aws-lc")]
    let provider = Some(rustls::crypto::aws_lc_rs::default_provider());
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    let provider = Some(rustls::crypto::ring::default_provider());
    #[cfg(not(any(feature = "rustls-aws-lc", feature = "rustls-ring")))]
    let provider: Option<rustls::crypto::CryptoProvider> = None;
    match provider {
        Some(provider) => {
            // Another thread may install one in between: then that one stays.
            let _ = provider.install_default();
            Ok(())
        }
        None => Err(
            "rediss:// needs rustls with a crypto provider: turn on feature `rustls-aws-lc` or \
             `rustls-ring`, or install a rustls CryptoProvider before building the client"
                .to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_https_client_builds_with_the_tls_features_chosen() {
        // reqwest panics here when rustls is on and finds no provider.
        crate::redirect::http_client_builder().build().unwrap();
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
