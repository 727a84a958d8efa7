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

use crate::toolbox::args::{word_from_bytes, Globals};
use crate::toolbox::error::{os_error_text, CliError, CliResult};

/// ip 6.1 keeps 512 argv slots per line, the last one for the terminating NULL.
const MAX_WORDS: usize = 511;

/// Runs one command: its line number and its words (the object first).
pub type Runner<'a> = dyn FnMut(usize, &[String]) -> CliResult + 'a;

/// Characters that separate words (ip's `" \t\r\n"`).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Runs every line of `file` (`-` for stdin).
pub fn run(g: &Globals, file: &str, runner: &mut Runner<'_>) -> CliResult {
    if file == "-" {
        let stdin = io::stdin();
        let lock = stdin.lock();
        return run_lines(g, file, lock, runner);
    }
    let opened = File::open(file).map_err(|e| {
        CliError::failed(format!(
            "Cannot open file \"{file}\" for reading: {}",
            os_error_text(&e)
        ))
    })?;
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
        Err(usage @ CliError::Usage { .. }) => ControlFlow::Break(Err(usage)),
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
    loop {
        let line = match reader.next_command() {
            Ok(Some(line)) => line,
            Ok(None) => return Ok(()),
            Err(ReadError::MissingContinuation) => {
                // ip reports it and treats it as the end of input.
                let _ = io::stdout().flush();
                eprintln!("Missing continuation line");
                return Ok(());
            }
            Err(ReadError::Io(e)) => {
                return Err(CliError::failed(format!(
                    "Error reading \"{name}\": {}",
                    os_error_text(&e)
                )))
            }
        };
        let words = split_words(&line)?;
        if words.is_empty() {
            continue;
        }
        if let ControlFlow::Break(result) = each(reader.line_number(), &words) {
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

/// Reads commands: physical lines with comments cut and backslash continuations joined.
struct CommandReader<R> {
    input: R,
    /// The number of the last physical line read, as ip counts it for `Command failed`.
    line_number: usize,
    raw: Vec<u8>,
}

impl<R: BufRead> CommandReader<R> {
    fn new(input: R) -> Self {
        CommandReader {
            input,
            line_number: 0,
            raw: Vec::new(),
        }
    }

    fn line_number(&self) -> usize {
        self.line_number
    }

    /// One physical line with its comment cut, or None at the end of input.
    fn physical_line(&mut self) -> Result<Option<String>, ReadError> {
        self.raw.clear();
        let read = self
            .input
            .read_until(b'\n', &mut self.raw)
            .map_err(ReadError::Io)?;
        if read == 0 {
            return Ok(None);
        }
        self.line_number = self.line_number.saturating_add(1);
        let text = word_from_bytes(&self.raw);
        let uncommented = match text.find('#') {
            Some(cut) => text.get(..cut).unwrap_or(""),
            None => &text,
        };
        Ok(Some(uncommented.to_string()))
    }

    /// The next command (possibly blank), or None at the end of input.
    fn next_command(&mut self) -> Result<Option<String>, ReadError> {
        let Some(mut line) = self.physical_line()? else {
            return Ok(None);
        };
        // A backslash right before the newline joins the next line; after a comment the
        // newline is gone, so a commented line never continues.
        while let Some(joined) = line.strip_suffix("\\\n") {
            let joined_len = joined.len();
            line.truncate(joined_len);
            match self.physical_line()? {
                Some(next) => line.push_str(&next),
                None => return Err(ReadError::MissingContinuation),
            }
        }
        Ok(Some(line))
    }
}

/// Splits one command line into words as ip's `makeargs` does.
fn split_words(line: &str) -> CliResult<Vec<String>> {
    let mut words = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(is_blank);
        let Some(first) = rest.chars().next() else {
            break;
        };
        if words.len() >= MAX_WORDS {
            return Err(CliError::failed("Too many arguments to command"));
        }
        if first == '"' || first == '\'' {
            let quoted = rest.get(first.len_utf8()..).unwrap_or("");
            let Some(end) = quoted.find(first) else {
                return Err(CliError::failed("Unterminated quoted string"));
            };
            words.push(quoted.get(..end).unwrap_or("").to_string());
            // The closing quote ends the word; whatever follows starts the next one.
            rest = quoted
                .get(end.saturating_add(first.len_utf8())..)
                .unwrap_or("");
        } else {
            let end = rest.find(is_blank).unwrap_or(rest.len());
            words.push(rest.get(..end).unwrap_or("").to_string());
            rest = rest.get(end..).unwrap_or("");
        }
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<String> {
        split_words(line).expect("splits")
    }

    fn commands(text: &str) -> Vec<(usize, String)> {
        let mut reader = CommandReader::new(text.as_bytes());
        let mut out = Vec::new();
        while let Some(line) = reader.next_command().expect("reads") {
            out.push((reader.line_number(), line));
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
        let err = split_words("link show \"lo").expect_err("unterminated");
        assert_eq!(err.message(), "Unterminated quoted string");
        assert_eq!(err.status(), 1);
    }

    #[test]
    fn too_many_words_is_an_error() {
        let many = vec!["w"; MAX_WORDS].join(" ");
        assert_eq!(split(&many).len(), MAX_WORDS);
        let err = split_words(&format!("{many} w")).expect_err("too many");
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
        let line = reader.next_command().expect("reads").expect("a line");
        let words = split(&line);
        assert_eq!(words.len(), 3);
        let name = words.get(2).expect("a name");
        assert_eq!(&*crate::toolbox::args::word_bytes(name), b"\xff\xfe");
    }
}
