//! Pseudonyms of facilities for the 公表用 edition: HMAC-SHA256 of the 医療機関コード (or the
//! case id) under a secret key kept outside the output, so that the same facility gets the same
//! pseudonym in every run with that key, and hashing the public list of 医療機関コード does not
//! give them back. The key is made on first use (32 random bytes, hex) in the user's config
//! folder, or read from `--key`.

use crate::error::{Error, Result};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// The key file's name in the config folder.
pub const KEY_FILE: &str = "pseudonym.key";

/// `$XDG_CONFIG_HOME/kensa/pseudonym.key`, `~/.config/kensa/pseudonym.key`, or on Windows
/// `%APPDATA%\kensa\pseudonym.key`.
pub fn default_key_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("APPDATA").filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("kensa").join(KEY_FILE))
}

/// The key and where it lives.
pub struct Pseudonyms {
    key: Vec<u8>,
    pub path: PathBuf,
    /// Whether this run made the key.
    pub created: bool,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pseudonyms").field("path", &self.path).field("created", &self.created).finish()
    }
}

fn parse_key(path: &Path, text: &str) -> Result<Vec<u8>> {
    let hex = text.trim();
    let bad = || {
        Error::file(
            path,
            "仮名の鍵が読めません（16進数64文字の1行であるはずです）。鍵を失った場合、以前と同じ仮名は作れません",
        )
    };
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())).collect()
}

impl Pseudonyms {
    /// Reads the key at `path`, or makes it there when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Pseudonyms> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Pseudonyms { key: parse_key(path, &text)?, path: path.to_path_buf(), created: false }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key)
                    .map_err(|e| Error::file(path, format!("仮名の鍵に使う乱数が得られません（{e}）")))?;
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                let dir = crate::fs::parent(path);
                std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
                crate::fs::write_atomic(path, format!("{hex}\n").as_bytes())?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                        .map_err(|e| Error::write(path, e))?;
                }
                Ok(Pseudonyms { key: key.to_vec(), path: path.to_path_buf(), created: true })
            }
            Err(e) => Err(Error::read(path, e)),
        }
    }

    /// The pseudonym of a facility (`施設-` and 12 hex digits).
    pub fn of(&self, id: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else { return "施設-不明".into() };
        mac.update(id.trim().as_bytes());
        let out = mac.finalize().into_bytes();
        let hex: String = out.iter().take(6).map(|b| format!("{b:02x}")).collect();
        format!("施設-{hex}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_key_and_not_a_plain_hash() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("k/pseudonym.key");
        let a = Pseudonyms::load_or_create(&p).unwrap();
        assert!(a.created);
        let b = Pseudonyms::load_or_create(&p).unwrap();
        assert!(!b.created);
        assert_eq!(a.of("1312345678"), b.of("1312345678"));
        assert_ne!(a.of("1312345678"), a.of("1312345679"));
        let plain = crate::fs::sha256_hex(b"1312345678");
        assert!(!plain.starts_with(a.of("1312345678").trim_start_matches("施設-")));
        let other = Pseudonyms::load_or_create(&d.path().join("other.key")).unwrap();
        assert_ne!(a.of("1312345678"), other.of("1312345678"), "another key, other pseudonyms");
        std::fs::write(&p, "zz").unwrap();
        assert!(Pseudonyms::load_or_create(&p).unwrap_err().to_string().contains("鍵"));
    }
}
