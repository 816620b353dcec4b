//! JSON pointers (RFC 6901), used to say where in a document something is.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
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
    }
}
