//! `-batch FILE`: one command per line, read and split the way ip reads them.
//!
//! Per line: everything from `#` on is dropped, a trailing backslash joins the next line,
//! and the rest is split into words at blanks, where a word that *starts* with `'` or `"`
//! runs to the next matching quote. A failed command prints `Command failed FILE:LINE`
//! and ends the batch unless `-force` is given; the status is 1 if any command failed.
//! Usage errors, an unterminated quote and too many words end the whole program at once,
//! as they do in ip (which calls `exit()` there).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::ops::ControlFlow;
use std::os::fd::AsFd;

use crate::toolbox::args::Globals;
use crate::toolbox::error::{os_failed, CliError, CliResult};
use crate::toolbox::files::open_read;
use crate::toolbox::word::push_word;

/// ip 6.1 keeps 512 argv slots per line, the last one for the terminating NULL.
const MAX_WORDS: usize = 511;

/// Runs one command: its line number and its words (the object first).
pub type Runner<'a> = dyn FnMut(usize, &[String]) -> CliResult + 'a;

/// Bytes that separate words (ip's `" \t\r\n"`). All are ASCII, so they never fall
/// inside a multi-byte character: the words are cut at byte offsets of the `&str`.
fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Runs every line of `file` (`-` for stdin).
pub fn run(g: &Globals, file: &str, runner: &mut Runner<'_>) -> CliResult {
    let cannot_open = |e| os_failed(format_args!("Cannot open file \"{file}\" for reading"), &e);
    // Stdin is read as a file too, through a duplicate of its descriptor: one input type,
    // so the line reader is compiled once.
    let opened = if file == "-" {
        match io::stdin().as_fd().try_clone_to_owned() {
            Ok(stdin) => File::from(stdin),
            // A closed stdin reads as empty, as std's own stdin does.
            Err(e) if e.raw_os_error() == Some(libc::EBADF) => return Ok(()),
            Err(e) => return Err(cannot_open(e)),
        }
    } else {
        open_read(file).map_err(cannot_open)?
    };
    run_lines(g, file, BufReader::new(opened), runner)
}

/// ip's report of a failed batch line: the error, then `Command failed FILE:LINE`.
pub fn report_failed_line(file: &str, line: usize, failure: &CliError) {
    failure.print();
    let _ = writeln!(io::stderr(), "Command failed {file}:{line}");
}

fn run_lines(g: &Globals, name: &str, input: impl BufRead, runner: &mut Runner<'_>) -> CliResult {
    let mut any_failed = false;
    read_commands(name, input, &mut |line, words| match runner(line, words) {
        Ok(()) => ControlFlow::Continue(()),
        // ip leaves the program from inside a usage error, batch or not.
        Err(usage) if usage.is_usage() => ControlFlow::Break(Err(usage)),
        Err(failure) => {
            report_failed_line(name, line, &failure);
            any_failed = true;
            if g.force {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(Ok(()))
            }
        }
    })?;
    if any_failed {
        // Everything was already reported line by line.
        Err(CliError::failed(""))
    } else {
        Ok(())
    }
}

/// Reads `input` (called `name` in errors) command by command and hands each non-blank one
/// to `each` with its line number and words, until the input ends or `each` breaks with a
/// result. A line that cannot be split (an unterminated quote, too many words) ends the
/// reading with its error, as ip exits there. No command is run here: the fuzz target for
/// the batch reader drives this with a parser.
pub fn read_commands(
    name: &str,
    input: impl BufRead,
    each: &mut dyn FnMut(usize, &[String]) -> ControlFlow<CliResult>,
) -> CliResult {
    let mut reader = CommandReader::new(input);
    let mut words = Words::default();
    loop {
        match reader.next_command() {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(ReadError::MissingContinuation) => {
                // ip reports it and treats it as the end of input.
                eprintln!("Missing continuation line");
                return Ok(());
            }
            Err(ReadError::Io(e)) => {
                return Err(os_failed(format_args!("Error reading \"{name}\""), &e))
            }
        }
        split_words(reader.command(), &mut words)?;
        if words.as_slice().is_empty() {
            continue;
        }
        if let ControlFlow::Break(result) = each(reader.line_number(), words.as_slice()) {
            return result;
        }
    }
}

/// Why the next command could not be read.
#[derive(Debug)]
enum ReadError {
    /// The input ended right after a line ending in a backslash.
    MissingContinuation,
    /// The file could not be read.
    Io(io::Error),
}

/// Reads commands: physical lines with comments cut and backslash continuations joined,
/// into one buffer reused from command to command.
struct CommandReader<R> {
    input: R,
    /// The number of the last physical line read, as ip counts it for `Command failed`.
    line_number: usize,
    raw: Vec<u8>,
    /// The command read last, as the parsers see its words ([`push_word`]).
    command: String,
}

impl<R: BufRead> CommandReader<R> {
    fn new(input: R) -> Self {
        CommandReader {
            input,
            line_number: 0,
            raw: Vec::new(),
            command: String::new(),
        }
    }

    fn line_number(&self) -> usize {
        self.line_number
    }

    /// The command read last (possibly blank).
    fn command(&self) -> &str {
        &self.command
    }

    /// Appends one physical line, its comment cut, to the command; false at the end of
    /// input.
    fn physical_line(&mut self) -> Result<bool, ReadError> {
        self.raw.clear();
        let read = self
            .input
            .read_until(b'\n', &mut self.raw)
            .map_err(ReadError::Io)?;
        if read == 0 {
            return Ok(false);
        }
        self.line_number = self.line_number.saturating_add(1);
        // `#` is ASCII, never part of a multi-byte sequence, valid or not: cutting the
        // bytes there cuts the text where its first `#` is.
        let uncommented = match self.raw.iter().position(|&b| b == b'#') {
            Some(cut) => self.raw.get(..cut).unwrap_or_default(),
            None => &self.raw,
        };
        push_word(&mut self.command, uncommented);
        Ok(true)
    }

    /// Reads the next command (possibly blank); false at the end of input.
    fn next_command(&mut self) -> Result<bool, ReadError> {
        self.command.clear();
        if !self.physical_line()? {
            return Ok(false);
        }
        // A backslash right before the newline joins the next line; after a comment the
        // newline is gone, so a commented line never continues.
        while let Some(joined) = self.command.strip_suffix("\\\n") {
            let joined_len = joined.len();
            self.command.truncate(joined_len);
            if !self.physical_line()? {
                return Err(ReadError::MissingContinuation);
            }
        }
        Ok(true)
    }
}

/// The words of one command, in strings kept from command to command (a batch of
/// thousands of lines allocates for its longest, not for each).
#[derive(Default)]
struct Words {
    strings: Vec<String>,
    len: usize,
}

impl Words {
    fn as_slice(&self) -> &[String] {
        self.strings.get(..self.len).unwrap_or_default()
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    fn push(&mut self, word: &str) {
        match self.strings.get_mut(self.len) {
            Some(kept) => {
                kept.clear();
                kept.push_str(word);
            }
            None => self.strings.push(word.to_owned()),
        }
        self.len = self.len.saturating_add(1);
    }
}

/// The offset of the first byte at or after `from` that `stop` picks, or the length.
fn first_at(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut at = from;
    while bytes.get(at).is_some_and(|&b| !stop(b)) {
        at = at.saturating_add(1);
    }
    at
}

/// Splits one command line into `words` as ip's `makeargs` does. The blanks and quotes are
/// ASCII, so every cut is at a character boundary.
fn split_words(line: &str, words: &mut Words) -> CliResult {
    words.clear();
    let bytes = line.as_bytes();
    let mut at = 0usize;
    loop {
        at = first_at(bytes, at, |b| !is_blank(b));
        let Some(&first) = bytes.get(at) else {
            return Ok(());
        };
        if words.len >= MAX_WORDS {
            return Err(CliError::failed("Too many arguments to command"));
        }
        let (word, next) = if first == b'"' || first == b'\'' {
            let start = at.saturating_add(1);
            let end = first_at(bytes, start, |b| b == first);
            if end >= bytes.len() {
                return Err(CliError::failed("Unterminated quoted string"));
            }
            // The closing quote ends the word; whatever follows starts the next one.
            (start..end, end.saturating_add(1))
        } else {
            let end = first_at(bytes, at, is_blank);
            (at..end, end)
        };
        words.push(line.get(word).unwrap_or_default());
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_words_of(line: &str) -> CliResult<Vec<String>> {
        let mut words = Words::default();
        // A reused list must not keep words of the command before.
        split_words("stale words to be replaced", &mut words).expect("splits");
        split_words(line, &mut words)?;
        Ok(words.as_slice().to_vec())
    }

    fn split(line: &str) -> Vec<String> {
        split_words_of(line).expect("splits")
    }

    fn commands(text: &str) -> Vec<(usize, String)> {
        let mut reader = CommandReader::new(text.as_bytes());
        let mut out = Vec::new();
        while reader.next_command().expect("reads") {
            out.push((reader.line_number(), reader.command().to_owned()));
        }
        out
    }

    #[test]
    fn words_split_at_blanks() {
        assert_eq!(
            split(" \tlink  set\tlo up\r\n"),
            ["link", "set", "lo", "up"]
        );
        assert!(split("   \t\r\n").is_empty());
        assert!(split("").is_empty());
    }

    #[test]
    fn a_quote_only_opens_a_word_at_its_start() {
        assert_eq!(
            split("netns add \"a b\" 'c d'"),
            ["netns", "add", "a b", "c d"]
        );
        assert_eq!(split("x\"y z"), ["x\"y", "z"]);
        assert_eq!(split("\"a\"b"), ["a", "b"]);
        assert_eq!(split("'it\"s'"), ["it\"s"]);
        assert_eq!(split("\"\""), [""]);
    }

    #[test]
    fn unterminated_quote_is_an_error() {
        let err = split_words_of("link show \"lo").expect_err("unterminated");
        assert_eq!(err.message(), "Unterminated quoted string");
        assert_eq!(err.status(), 1);
    }

    #[test]
    fn too_many_words_is_an_error() {
        let many = vec!["w"; MAX_WORDS].join(" ");
        assert_eq!(split(&many).len(), MAX_WORDS);
        let err = split_words_of(&format!("{many} w")).expect_err("too many");
        assert_eq!(err.message(), "Too many arguments to command");
    }

    #[test]
    fn comments_are_cut_anywhere() {
        let got = commands("# whole line\nlink show lo#tail\nnetns list # note\n");
        assert_eq!(
            got,
            [
                (1, String::new()),
                (2, "link show lo".to_string()),
                (3, "netns list ".to_string())
            ]
        );
    }

    #[test]
    fn backslash_joins_lines_and_counts_them() {
        let got = commands("link show \\\n lo\nnetns list");
        assert_eq!(
            got,
            [
                (2, "link show  lo\n".to_string()),
                (3, "netns list".to_string())
            ]
        );
        // After a comment the newline is gone, so the line does not continue.
        let got = commands("a # b \\\nc\n");
        assert_eq!(got, [(1, "a ".to_string()), (2, "c\n".to_string())]);
    }

    #[test]
    fn continuation_at_end_of_input_is_reported() {
        let mut reader = CommandReader::new(&b"link show \\\n"[..]);
        assert!(matches!(
            reader.next_command(),
            Err(ReadError::MissingContinuation)
        ));
    }

    #[test]
    fn invalid_utf8_words_keep_their_bytes() {
        let mut reader = CommandReader::new(&b"netns add \xff\xfe\n"[..]);
        assert!(reader.next_command().expect("reads"));
        let words = split(reader.command());
        assert_eq!(words.len(), 3);
        let name = words.get(2).expect("a name");
        assert_eq!(&*crate::toolbox::args::word_bytes(name), b"\xff\xfe");
    }
}
