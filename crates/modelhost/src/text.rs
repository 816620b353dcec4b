//! Text a server sent, made safe to keep and to print: capped in length, and with every
//! control character and invisible reordering mark escaped ([`Escaped`], shared with the
//! spec review through `modelhost-http`).

pub use modelhost_http::Escaped;

/// `text` cut to at most `max` bytes at a character boundary, with `…` where it was cut.
pub(crate) fn capped(text: &str, max: usize) -> String {
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
}
