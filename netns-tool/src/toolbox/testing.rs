//! For the objects' tests: their help against their parser, and their refusals.

use std::fmt::Display;

/// Parses each of `examples` with `parse` (each must be accepted) and checks that together
/// they use every keyword `usage` names: its words that start lower-case (with `-` and `_`
/// inside), but for those in `exempt` (`nsip`, the object's own name...). An example word
/// with a leading `-` (`-tentative`) counts as the word.
pub fn check_help_examples<E: Display>(
    usage: &str,
    examples: &[&str],
    exempt: &[&str],
    mut parse: impl FnMut(&str) -> Result<(), E>,
) {
    for line in examples {
        if let Err(e) = parse(line) {
            panic!("{line}: {e}");
        }
    }
    let used: Vec<&str> = examples
        .iter()
        .flat_map(|line| line.split_whitespace())
        .map(|word| word.trim_start_matches('-'))
        .collect();
    let keywords = usage
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()));
    for keyword in keywords {
        let seen = used.contains(&keyword) || exempt.contains(&keyword);
        assert!(seen, "help names {keyword:?}, no example uses it");
    }
}

/// A refusal as the objects' tests compare them: ip's message and exit status.
pub fn refusal(message: &str, status: i32) -> (String, i32) {
    (message.to_owned(), status)
}
