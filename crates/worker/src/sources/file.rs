//! The file source of `newsworker process`: envelopes as JSON Lines, or one plain-text article.
//!
//! A file whose first non-blank character is `{` is JSON: either one (possibly pretty-printed)
//! envelope, or one envelope per line. Anything else is a single plain-text article, the way a
//! person would hand a text file to the tool. Each input keeps its line number so errors can
//! point at it.

/// One input read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInput<'a> {
    /// 1-based line where the input starts.
    pub line: usize,
    /// The raw input.
    pub value: &'a [u8],
}

/// Splits a file's bytes into inputs.
pub fn inputs(bytes: &[u8]) -> Vec<FileInput<'_>> {
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = first else {
        return vec![FileInput {
            line: 1,
            value: bytes,
        }];
    };
    let line_of = |at: usize| 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
    if bytes[first] != b'{' || serde_json::from_slice::<serde_json::Value>(bytes).is_ok() {
        return vec![FileInput {
            line: line_of(first),
            value: bytes,
        }];
    }
    lines(bytes)
}

/// Splits JSON Lines: every line that is not blank is one input (`\r\n` endings allowed). The
/// batch endpoint of `newsworker serve` reads its body the same way.
pub fn lines(bytes: &[u8]) -> Vec<FileInput<'_>> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| line.iter().any(|b| !b.is_ascii_whitespace()))
        .map(|(i, line)| FileInput {
            line: i + 1,
            value: line.strip_suffix(b"\r").unwrap_or(line),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_split_and_keep_line_numbers() {
        let got = inputs(b"{\"text\":\"a\"}\n\n{\"text\":\"b\"}\r\nnot json\n");
        let lines: Vec<_> = got.iter().map(|i| (i.line, i.value)).collect();
        assert_eq!(
            lines,
            [
                (1, &b"{\"text\":\"a\"}"[..]),
                (3, &b"{\"text\":\"b\"}"[..]),
                (4, &b"not json"[..])
            ]
        );
    }

    #[test]
    fn a_pretty_printed_envelope_is_one_input() {
        let got = inputs(b"\n{\n  \"text\": \"a\"\n}\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 2);
    }

    #[test]
    fn plain_text_is_one_article() {
        let got = inputs(b"Headline\n\nFirst paragraph.\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].value, b"Headline\n\nFirst paragraph.\n");
    }
}
