//! Finding the line a JSON pointer names in YAML (or JSON) text, so that annotations can
//! point at the changed line.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The line (from 1) of every mapping key and sequence item in a document, by JSON pointer.
///
/// Pointers are kept as hashes of their tokens, not as strings: a 5 MB spec has hundreds of
/// thousands of keys, and only a few are ever looked up. A collision could only misplace an
/// annotation's line.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<u64, usize>,
}

impl LineIndex {
    /// Indexes YAML or JSON text; text that does not parse gives an empty index.
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        if Parser::new_from_str(text).load(&mut builder, false).is_err() {
            return Self::default();
        }
        Self { lines: builder.lines }
    }

    /// The line of `pointer`, or of its nearest ancestor that has one.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        let mut at = ROOT;
        let mut prefixes = Vec::new();
        for token in pointer.split('/').skip(1) {
            at = child(at, &modelhost_codegen::pointer::unescape(token));
            prefixes.push(at);
        }
        prefixes.iter().rev().find_map(|h| self.lines.get(h).copied())
    }
}

/// The hash of the document root.
const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of `token` under the node hashed `parent` (FNV-1a over both).
fn child(parent: u64, token: &str) -> u64 {
    let mut hash = parent ^ 0x2f;
    hash = hash.wrapping_mul(0x0100_0000_01b3);
    for byte in token.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

enum Frame {
    Mapping { at: u64, key: Option<u64> },
    Sequence { at: u64, next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    lines: HashMap<u64, usize>,
}

impl Builder {
    /// Where the node that starts now sits, or `None` when it is a mapping key.
    fn place(&mut self, event: &Event, line: usize) -> Option<u64> {
        match self.stack.last_mut() {
            None => Some(ROOT),
            Some(Frame::Mapping { at, key }) => match key.take() {
                Some(key) => Some(key),
                None => {
                    let name = match event {
                        Event::Scalar(name, ..) => name.as_str(),
                        _ => "",
                    };
                    let here = child(*at, name);
                    self.lines.entry(here).or_insert(line);
                    *key = Some(here);
                    None
                }
            },
            Some(Frame::Sequence { at, next }) => {
                let here = child(*at, &next.to_string());
                *next += 1;
                self.lines.entry(here).or_insert(line);
                Some(here)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let line = mark.line();
        match &event {
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Scalar(..) | Event::Alias(..) => {
                self.place(&event, line);
            }
            Event::MappingStart(..) => {
                // A complex key's contents are placed under a key nothing looks up.
                let at = self.place(&event, line).unwrap_or(0);
                self.stack.push(Frame::Mapping { at, key: None });
            }
            Event::SequenceStart(..) => {
                let at = self.place(&event, line).unwrap_or(0);
                self.stack.push(Frame::Sequence { at, next: 0 });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_items_and_ancestors() {
        let text = "openapi: 3.1.0\npaths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n          in: query\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line("/openapi"), Some(1));
        assert_eq!(index.line("/paths/~1a~1b/get"), Some(4));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/0"), Some(6));
        assert_eq!(index.line("/paths/~1a~1b/get/parameters/0/in"), Some(7));
        assert_eq!(index.line("/paths/~1a~1b/get/responses/200"), Some(4));
        assert_eq!(index.line("/nothing"), None);
        let json = LineIndex::new("{\n  \"paths\": {\n    \"/a\": {}\n  }\n}\n");
        assert_eq!(json.line("/paths/~1a"), Some(3));
    }
}
