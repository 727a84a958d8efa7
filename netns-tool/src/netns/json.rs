//! The JSON ip prints for `netns list` / `list-id`: one array of flat objects, compact or
//! (`-p`) in iproute2's pretty layout, strings escaped as iproute2's json_writer escapes them.

/// An array of flat objects being written.
#[derive(Debug)]
pub struct JsonList {
    pretty: bool,
    out: Vec<u8>,
    objects: usize,
    fields: usize,
}

impl JsonList {
    /// An empty array.
    pub fn new(pretty: bool) -> Self {
        JsonList {
            pretty,
            out: b"[".to_vec(),
            objects: 0,
            fields: 0,
        }
    }

    /// Opens the next object.
    pub fn begin_object(&mut self) {
        if self.objects > 0 {
            self.out.push(b',');
        } else if self.pretty {
            self.out.push(b' ');
        }
        self.objects += 1;
        self.fields = 0;
        self.out.push(b'{');
    }

    fn key(&mut self, key: &str) {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
        if self.pretty {
            self.out.extend_from_slice(b"\n        ");
        }
        self.quoted(key.as_bytes());
        self.out.push(b':');
        if self.pretty {
            self.out.push(b' ');
        }
    }

    fn quoted(&mut self, text: &[u8]) {
        self.out.push(b'"');
        for &byte in text {
            match byte {
                b'\t' => self.out.extend_from_slice(b"\\t"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                0x0c => self.out.extend_from_slice(b"\\f"),
                0x08 => self.out.extend_from_slice(b"\\b"),
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'"' => self.out.extend_from_slice(b"\\\""),
                other => self.out.push(other),
            }
        }
        self.out.push(b'"');
    }

    /// A string field.
    pub fn string(&mut self, key: &str, value: &[u8]) {
        self.key(key);
        self.quoted(value);
    }

    /// An integer field.
    pub fn int(&mut self, key: &str, value: i64) {
        self.key(key);
        self.out.extend_from_slice(value.to_string().as_bytes());
    }

    /// A field whose value is already JSON (`true`, `null`).
    pub fn raw(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out.extend_from_slice(value.as_bytes());
    }

    /// Closes the current object.
    pub fn end_object(&mut self) {
        if self.pretty && self.fields > 0 {
            self.out.extend_from_slice(b"\n    ");
        }
        self.out.push(b'}');
    }

    /// The finished text, with its closing bracket and newline.
    pub fn finish(mut self) -> Vec<u8> {
        if self.pretty {
            self.out.push(b' ');
        }
        self.out.extend_from_slice(b"]\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two(pretty: bool) -> String {
        let mut j = JsonList::new(pretty);
        j.begin_object();
        j.string("name", b"x");
        j.int("id", 7);
        j.end_object();
        j.begin_object();
        j.string("name", b"a'b\"c\\d\te");
        j.end_object();
        String::from_utf8(j.finish()).expect("utf8")
    }

    #[test]
    fn compact_matches_ip() {
        assert_eq!(
            two(false),
            "[{\"name\":\"x\",\"id\":7},{\"name\":\"a'b\\\"c\\\\d\\te\"}]\n"
        );
        assert_eq!(
            String::from_utf8(JsonList::new(false).finish()).unwrap(),
            "[]\n"
        );
    }

    #[test]
    fn pretty_matches_ip() {
        assert_eq!(
            two(true),
            "[ {\n        \"name\": \"x\",\n        \"id\": 7\n    },{\n        \"name\": \"a'b\\\"c\\\\d\\te\"\n    } ]\n"
        );
        assert_eq!(
            String::from_utf8(JsonList::new(true).finish()).unwrap(),
            "[ ]\n"
        );
    }
}
