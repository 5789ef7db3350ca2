//! Reading the files a user names (config, detection data): only regular
//! files, only up to a stated size, so a device (`/dev/zero`), a FIFO or a
//! huge file is refused with a message instead of hanging or filling memory.

use std::io::Read;
use std::path::Path;

use crate::error::echo;

/// Bytes in a mebibyte, for limits and their messages.
pub const MIB: u64 = 1 << 20;

/// A text file's whole contents, refused unless it is a regular file of at
/// most `limit` bytes in UTF-8. The message names the file (and `limit`).
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let name = echo(&path.display().to_string());
    // Checked before opening: opening a FIFO blocks until a writer appears.
    let meta = std::fs::metadata(path).map_err(|err| format!("{name}: cannot read: {err}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{name}: not a regular file (a directory, device or pipe); give the path of a file"
        ));
    }
    if meta.len() > limit {
        return Err(format!(
            "{name}: {} is over the limit of {}",
            size_text(meta.len()),
            size_text(limit)
        ));
    }
    let file = std::fs::File::open(path).map_err(|err| format!("{name}: cannot read: {err}"))?;
    let mut bytes = Vec::new();
    // The file may grow between the check and the read: never take more.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("{name}: cannot read: {err}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{name}: grew past the limit of {} while being read",
            size_text(limit)
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        format!(
            "{name}: not UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        )
    })
}

/// A size as people read it: `512 bytes`, `3.2 MiB`, `16 MiB`.
pub fn size_text(bytes: u64) -> String {
    if bytes < MIB {
        return format!("{bytes} bytes");
    }
    let mib = bytes as f64 / MIB as f64;
    if bytes.is_multiple_of(MIB) {
        format!("{mib} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

/// Line and column (1-based) of a byte offset, for parse errors.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("learndeck-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join(name)
    }

    #[test]
    fn a_small_file_is_read() {
        let path = scratch("small.toml");
        std::fs::write(&path, "a = 1\n").expect("written");
        assert_eq!(read_text(&path, 100), Ok("a = 1\n".to_string()));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading() {
        let path = scratch("big.toml");
        std::fs::write(&path, "x".repeat(2_000)).expect("written");
        let err = read_text(&path, 1_000).expect_err("too big");
        assert!(
            err.contains("2000 bytes is over the limit of 1000 bytes"),
            "{err}"
        );
    }

    #[test]
    fn devices_and_directories_are_refused() {
        let dir = std::env::temp_dir();
        let err = read_text(&dir, MIB).expect_err("a directory");
        assert!(err.contains("not a regular file"), "{err}");
        #[cfg(unix)]
        {
            let err = read_text(Path::new("/dev/zero"), MIB).expect_err("a device");
            assert!(err.contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(512), "512 bytes");
        assert_eq!(size_text(16 * MIB), "16 MiB");
        assert_eq!(size_text(3 * MIB + MIB / 2), "3.5 MiB");
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
