#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nsip_fuzz::neigh(data));
