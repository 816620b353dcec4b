//! JSON pointers (RFC 6901), used to say where in a document something is.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token: `~1` becomes `/` and `~0` becomes `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer (in one allocation: specs have hundreds of thousands).
pub fn push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    if token.contains(['~', '/']) {
        out.push_str(&escape(token));
    } else {
        out.push_str(token);
    }
    out
}

/// Appends an array index to a pointer.
pub fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        assert_eq!(push("/paths", "/v1/models/{id}"), "/paths/~1v1~1models~1{id}");
        assert_eq!(push("", "a~b"), "/a~0b");
        assert_eq!(push_index("/x", 3), "/x/3");
        assert_eq!(unescape(&escape("/a~b")), "/a~b");
    }
}
