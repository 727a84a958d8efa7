//! The output's renderings against ip's, byte for byte.

use super::*;

fn render(pretty: bool) -> String {
    let mut bytes = Vec::new();
    let mut out = Out::new(&mut bytes, true, pretty);
    out.open_array(None).unwrap();
    out.open_object(None).unwrap();
    out.put_uint("ifindex", "", 3, "").unwrap();
    out.open_array(Some("flags")).unwrap();
    out.put_element("BROADCAST", " ").unwrap();
    out.element(format_args!("UP "), "UP").unwrap();
    out.close_array().unwrap();
    out.open_array(Some("empty")).unwrap();
    out.close_array().unwrap();
    out.open_array(Some("addr_info")).unwrap();
    out.open_object(None).unwrap();
    out.put_str("family", "", "inet", "").unwrap();
    // The address, addr_info, the link, the listing.
    for _ in 0..2 {
        out.close_object().unwrap();
        out.close_array().unwrap();
    }
    drop(out);
    String::from_utf8(bytes).unwrap()
}

#[test]
fn compact_json_matches_ip() {
    assert_eq!(
        render(false),
        r#"[{"ifindex":3,"flags":["BROADCAST","UP"],"empty":[],"addr_info":[{"family":"inet"}]}]"#
    );
}

#[test]
fn pretty_json_matches_ip() {
    let want = "[ {\n        \"ifindex\": 3,\n        \"flags\": [ \"BROADCAST\",\"UP\" ],\n        \"empty\": [ ],\n        \"addr_info\": [ {\n                \"family\": \"inet\"\n            } ]\n    } ]";
    assert_eq!(render(true), want);
}

#[test]
fn text_keeps_the_fragments_and_drops_the_json_scopes() {
    let mut bytes = Vec::new();
    let mut out = Out::new(&mut bytes, false, false);
    out.open_object(None).unwrap();
    out.put_str("dst", "", "default", " ").unwrap();
    out.put_uint("metric", "metric ", 1024, " ").unwrap();
    out.put_int("expires", "expires ", -5, "sec ").unwrap();
    out.json_str("hidden", "x").unwrap();
    out.text(format_args!("{}|", 7)).unwrap();
    out.text_str("\n").unwrap();
    out.close_object().unwrap();
    out.finish().unwrap();
    drop(out);
    assert_eq!(bytes, b"default metric 1024 expires -5sec 7|\n");
}

#[test]
fn strings_keep_their_bytes_and_control_characters_stay_valid_json() {
    let name = crate::toolbox::args::word_from_bytes(b"a\x01b\"c\\d\te\xff\xfe\xc3\xa9\x1f");
    let mut json = Vec::new();
    Out::new(&mut json, true, false)
        .put_str("name", "", &name, "\n")
        .unwrap();
    assert_eq!(
        json,
        b"\"name\":\"a\\u0001b\\\"c\\\\d\\te\xff\xfe\xc3\xa9\\u001f\""
    );
    let mut text = Vec::new();
    Out::new(&mut text, false, false)
        .put_str("name", "(", &name, ")")
        .unwrap();
    assert_eq!(text, b"(a\x01b\"c\\d\te\xff\xfe\xc3\xa9\x1f)");
}

#[test]
fn rewind_takes_back_only_what_has_not_been_sent() {
    let mut bytes = Vec::new();
    let mut out = Out::new(&mut bytes, true, false);
    out.open_array(None).unwrap();
    out.checkpoint();
    out.put_str("a", "", "first try", "").unwrap();
    assert!(out.rewind());
    out.open_object(None).unwrap();
    out.close_object().unwrap();
    out.close_array().unwrap();
    out.finish().unwrap();
    drop(out);
    assert_eq!(bytes, b"[{}]\n");

    let mut sink = Vec::new();
    let mut out = Out::new(&mut sink, false, false);
    out.checkpoint();
    let long = "x".repeat(SPILL_AT);
    out.text_str(&long).unwrap();
    assert!(!out.rewind());
}

#[test]
fn output_reaches_the_writer_in_large_blocks() {
    struct Counting(usize, usize);
    impl Write for Counting {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0 += 1;
            self.1 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Counting(0, 0);
    let mut out = Out::new(&mut sink, false, false);
    for i in 0..100_000u64 {
        out.put_uint("n", "", i, "\n").unwrap();
    }
    out.finish().unwrap();
    drop(out);
    assert!(sink.0 < 30, "{} writes", sink.0);
    assert_eq!(
        sink.1,
        (0..100_000u64)
            .map(|i| i.to_string().len() + 1)
            .sum::<usize>()
    );
}
