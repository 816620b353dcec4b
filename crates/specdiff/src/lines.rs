//! Finding the line a JSON pointer names in YAML (or JSON) text, so that annotations can
//! point at the changed line.

use std::collections::HashMap;

use modelhost_codegen::pointer;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The line (from 1) of every mapping key and sequence item in a document, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
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
        let mut at = pointer;
        loop {
            if let Some(&line) = self.lines.get(at) {
                return Some(line);
            }
            at = &at[..at.rfind('/')?];
        }
    }
}

enum Frame {
    Mapping { at: String, key: Option<String> },
    Sequence { at: String, next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl Builder {
    /// Where the node that starts now sits, or `None` when it is a mapping key.
    fn place(&mut self, event: &Event, line: usize) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { at, key }) => match key.take() {
                Some(key) => Some(pointer::push(at, &key)),
                None => {
                    let name = match event {
                        Event::Scalar(name, ..) => name.clone(),
                        _ => String::new(),
                    };
                    self.lines.entry(pointer::push(at, &name)).or_insert(line);
                    *key = Some(name);
                    None
                }
            },
            Some(Frame::Sequence { at, next }) => {
                let here = pointer::push_index(at, *next);
                *next += 1;
                self.lines.entry(here.clone()).or_insert(line);
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
                if let Some(at) = self.place(&event, line) {
                    self.stack.push(Frame::Mapping { at, key: None });
                } else {
                    // A complex key: skip its contents as an unnamed mapping.
                    self.stack.push(Frame::Mapping { at: "/?".to_owned(), key: None });
                }
            }
            Event::SequenceStart(..) => {
                let at = self.place(&event, line).unwrap_or_else(|| "/?".to_owned());
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
