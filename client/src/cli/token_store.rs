//! Where `gitcode auth login` keeps tokens: `hosts.json` in the user's
//! config directory (`$GITCODE_CONFIG_DIR`, else `gitcode/` under the
//! platform's config directory, such as `~/.config/gitcode`), one entry per
//! API host. The file is created with mode 0600 in a 0700 directory and
//! replaced atomically (written beside it, then renamed), so a crash never
//! leaves half a file and no other user can read a token.
//!
//! ```json
//! { "hosts": { "api.gitcode.com": { "login": "alice", "api_url": "https://api.gitcode.com", "token": "…" } } }
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The environment variable that overrides the config directory.
pub const CONFIG_DIR_ENV: &str = "GITCODE_CONFIG_DIR";

/// The file's name in the config directory.
const FILE_NAME: &str = "hosts.json";

/// One stored login.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Login {
    /// The account the token belongs to, as `GET /api/v5/user` said.
    pub login: String,
    /// The base URL the token was checked against.
    pub api_url: String,
    pub token: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("login", &self.login)
            .field("api_url", &self.api_url)
            .field("token", &"<redacted>")
            .finish()
    }
}

#[derive(Default, Serialize, Deserialize)]
struct HostsFile {
    #[serde(default)]
    hosts: BTreeMap<String, Login>,
}

/// The stored tokens, by host.
#[derive(Debug, Clone)]
pub struct TokenStore {
    dir: PathBuf,
}

impl TokenStore {
    /// The store in `$GITCODE_CONFIG_DIR`, else the platform's config
    /// directory; `None` when neither is known (no home directory).
    pub fn locate() -> Option<TokenStore> {
        match std::env::var_os(CONFIG_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Some(TokenStore::at(PathBuf::from(dir))),
            _ => dirs::config_dir().map(|dir| TokenStore::at(dir.join("gitcode"))),
        }
    }

    /// The store in `dir`.
    pub fn at(dir: PathBuf) -> TokenStore {
        TokenStore { dir }
    }

    /// The file the tokens are in.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The login stored for `host`.
    pub fn get(&self, host: &str) -> Result<Option<Login>, String> {
        Ok(self.read()?.hosts.remove(host))
    }

    /// Every stored login, by host.
    pub fn all(&self) -> Result<BTreeMap<String, Login>, String> {
        Ok(self.read()?.hosts)
    }

    /// Stores `login` for `host`, replacing any earlier one.
    pub fn put(&self, host: &str, login: Login) -> Result<(), String> {
        let mut file = self.read()?;
        file.hosts.insert(host.to_string(), login);
        self.write(&file)
    }

    /// Removes the login of `host`; whether there was one.
    pub fn remove(&self, host: &str) -> Result<bool, String> {
        let mut file = self.read()?;
        let removed = file.hosts.remove(host).is_some();
        if removed {
            self.write(&file)?;
        }
        Ok(removed)
    }

    fn read(&self) -> Result<HostsFile, String> {
        let path = self.path();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HostsFile::default()),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        warn_if_readable_by_others(&path);
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a valid token file ({e}); fix or remove it",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }

    fn write(&self, file: &HostsFile) -> Result<(), String> {
        let fail = |what: &str, path: &Path, e: std::io::Error| {
            format!("cannot {what} {}: {e}", path.display())
        };
        create_private_dir(&self.dir).map_err(|e| fail("create", &self.dir, e))?;
        let path = self.path();
        let temp = self
            .dir
            .join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(file).expect("a map of strings serialises");
        let written = (|| {
            let mut out = create_private_file(&temp)?;
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
            out.sync_all()?;
            std::fs::rename(&temp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(fail("write", &path, e));
        }
        Ok(())
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// A token file others can read was made or changed by hand: say so.
#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "warning: {} can be read by other users (mode {:o}); run `chmod 600` on it",
            path.display(),
            meta.permissions().mode() & 0o777
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

/// The key a base URL's token is stored under: its host, with the port when
/// one is given (`api.gitcode.com`, `127.0.0.1:8080`).
pub fn host_key(base_url: &str) -> Result<String, String> {
    let url =
        reqwest::Url::parse(base_url).map_err(|e| format!("`{base_url}` is not a URL: {e}"))?;
    crate::origin::host_and_port(&url).ok_or_else(|| format!("`{base_url}` has no host"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(name: &str) -> Login {
        Login {
            login: name.into(),
            api_url: "https://api.gitcode.com".into(),
            token: format!("{name}-token"),
        }
    }

    #[test]
    fn logins_round_trip_by_host() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().join("nested/gitcode"));
        assert_eq!(store.get("api.gitcode.com").unwrap(), None);
        store.put("api.gitcode.com", login("alice")).unwrap();
        store.put("127.0.0.1:9", login("bob")).unwrap();
        assert_eq!(store.get("api.gitcode.com").unwrap(), Some(login("alice")));
        assert_eq!(store.all().unwrap().len(), 2);
        assert!(store.remove("api.gitcode.com").unwrap());
        assert!(!store.remove("api.gitcode.com").unwrap());
        assert_eq!(store.get("127.0.0.1:9").unwrap(), Some(login("bob")));
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_directory_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().join("gitcode"));
        store.put("h", login("alice")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path()), 0o600);
        assert_eq!(mode(&dir.path().join("gitcode")), 0o700);
        // No temporary file is left behind.
        assert_eq!(
            std::fs::read_dir(dir.path().join("gitcode"))
                .unwrap()
                .count(),
            1
        );
    }

    #[test]
    fn a_broken_file_is_an_error_naming_the_line_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().to_path_buf());
        std::fs::write(store.path(), "{\n  \"hosts\": {,\n}").unwrap();
        let error = store.put("h", login("alice")).unwrap_err();
        assert!(error.contains("hosts.json:2:"), "{error}");
        assert_eq!(
            std::fs::read_to_string(store.path()).unwrap(),
            "{\n  \"hosts\": {,\n}"
        );
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        assert!(!format!("{:?}", login("alice")).contains("alice-token"));
    }

    #[test]
    fn host_keys_keep_explicit_ports_only() {
        assert_eq!(
            host_key("https://api.gitcode.com").unwrap(),
            "api.gitcode.com"
        );
        assert_eq!(
            host_key("https://api.gitcode.com:443/").unwrap(),
            "api.gitcode.com"
        );
        assert_eq!(host_key("http://127.0.0.1:8080").unwrap(), "127.0.0.1:8080");
        assert!(host_key("not a url").is_err());
    }
}
