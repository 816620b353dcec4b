//! Text a server (or a spec) sent, made safe to keep and to print: every control character
//! and invisible reordering mark escaped ([`Escaped`]), so that no answer can erase a line,
//! move the cursor, set a terminal's title or forge a line of output; and lengths capped
//! ([`capped`]). No dependencies: the spec review uses it without an HTTP stack.

use std::fmt;

/// Displays a string with control characters (C0, DEL, C1: escape sequences, `CR`, newlines)
/// and the invisible bidirectional and zero-width marks escaped as `\u{..}` (`\n`, `\r` and
/// `\t` as themselves), everything else as it is.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| needs_escape(*c)) {
            f.write_str(&rest[..at])?;
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// Whether `c` could change what a terminal shows beyond itself: what [`Escaped`] escapes.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width space and joiners, left-to-right and right-to-left marks
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidirectional isolates
            | '\u{FEFF}' // byte-order mark, zero-width no-break space
        )
}

/// `text` cut to at most `max` bytes at a character boundary, with `…` where it was cut.
pub fn capped(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_at_a_character_boundary() {
        assert_eq!(capped("abc", 3), "abc");
        assert_eq!(capped("abcd", 3), "abc…");
        assert_eq!(capped("ééé", 3), "é…");
    }

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        let hostile = "ok\u{1b}[2K\u{1b}[1A\rbaseten:m1: deleted\u{1b}]0;pwned\u{7}\n\u{9b}31m \u{202E}x";
        let shown = Escaped(hostile).to_string();
        assert_eq!(
            shown,
            "ok\\u{1b}[2K\\u{1b}[1A\\rbaseten:m1: deleted\\u{1b}]0;pwned\\u{7}\\n\\u{9b}31m \\u{202e}x"
        );
        assert!(!shown.chars().any(needs_escape));
        assert_eq!(Escaped("tök€n – plain text").to_string(), "tök€n – plain text");
    }
}
