//! ip's `-color`: which values are painted (interface names, link-layer addresses, IPv4 and
//! IPv6 addresses, the `UP` and `DOWN` operstates), in which escape sequences, and when.
//!
//! The printers never decide about color: they name a value's [`Paint`] on the output's
//! calls, and the output (`toolbox::output::Out`) writes the escapes around the value's text
//! only when a [`Palette`] was chosen. ip 6.1 chooses one once, at start:
//! - `-c`, `-color` and `-color=always`: always, even into a pipe;
//! - `-color=auto`: when stdout is a terminal; `-color=never` (and no option): never;
//! - never under `-j` (JSON has no color);
//! - the bold palette when `COLORFGBG`'s last `;` field is a dark background (0–6 or 8).
//!
//! `NO_COLOR` is not read: ip 6.1 ignores it.

/// What `-color[=WHEN]` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// No option, or `=never`.
    Never,
    /// `=auto`: only into a terminal.
    Auto,
    /// `-c`, `=always`, or an empty `=`.
    Always,
}

/// ip's two palettes: plain colors for a light background, bold ones for a dark one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// The default.
    Light,
    /// `COLORFGBG` names a dark background.
    Dark,
}

/// The kind of a printed value, as far as color goes (ip's `enum color_attr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Never colored.
    Plain,
    /// An interface name.
    IfName,
    /// A link-layer (MAC) address.
    Mac,
    /// An IPv4 address or prefix.
    Inet,
    /// An IPv6 address or prefix.
    Inet6,
    /// The `UP` operstate.
    OperUp,
    /// The `DOWN` operstate.
    OperDown,
}

/// What ends a painted value.
pub const CLEAR: &str = "\x1b[0m";

impl Paint {
    /// An address of `family` (`AF_INET`, `AF_INET6`; any other stays plain).
    pub fn of_family(family: u8) -> Paint {
        match i32::from(family) {
            libc::AF_INET => Paint::Inet,
            libc::AF_INET6 => Paint::Inet6,
            _ => Paint::Plain,
        }
    }

    /// An operstate (`IF_OPER_*`): only `UP` and `DOWN` have a color.
    pub fn of_oper_state(state: u8) -> Paint {
        const IF_OPER_DOWN: u8 = 2;
        const IF_OPER_UP: u8 = 6;
        match state {
            IF_OPER_UP => Paint::OperUp,
            IF_OPER_DOWN => Paint::OperDown,
            _ => Paint::Plain,
        }
    }

    /// The escape sequence that starts this paint in `palette`, if it has one.
    pub fn escape(self, palette: Palette) -> Option<&'static str> {
        let (light, dark) = match self {
            Paint::Plain => return None,
            Paint::IfName => ("\x1b[36m", "\x1b[1;36m"),
            Paint::Mac => ("\x1b[33m", "\x1b[1;33m"),
            Paint::Inet => ("\x1b[35m", "\x1b[1;35m"),
            Paint::Inet6 => ("\x1b[34m", "\x1b[1;34m"),
            Paint::OperUp => ("\x1b[32m", "\x1b[1;32m"),
            Paint::OperDown => ("\x1b[31m", "\x1b[1;31m"),
        };
        Some(match palette {
            Palette::Light => light,
            Palette::Dark => dark,
        })
    }
}

/// The mode a `-color[=WHEN]` option (its spelling after the leading `-`s are folded to
/// one) asks for, or `None` when the word is not that option: ip matches the name part by
/// prefix (`-c`, `-col`) and takes only `always`, `auto`, `never` or nothing after `=`.
pub fn color_option(spelled: &str, name_matches: impl Fn(&str) -> bool) -> Option<ColorMode> {
    let (name, when) = match spelled.split_once('=') {
        Some((name, when)) => (name, when),
        None => (spelled, ""),
    };
    if !name_matches(name) {
        return None;
    }
    match when {
        "" | "always" => Some(ColorMode::Always),
        "auto" => Some(ColorMode::Auto),
        "never" => Some(ColorMode::Never),
        _ => None,
    }
}

/// The palette ip would paint with, given what it reads at start: the mode, `-j`, whether
/// stdout is a terminal and `COLORFGBG`.
pub fn choose_palette(
    mode: ColorMode,
    json: bool,
    stdout_is_terminal: bool,
    colorfgbg: Option<&[u8]>,
) -> Option<Palette> {
    let enabled = match mode {
        ColorMode::Never => false,
        ColorMode::Auto => stdout_is_terminal,
        ColorMode::Always => true,
    };
    if json || !enabled {
        return None;
    }
    Some(if dark_background(colorfgbg) {
        Palette::Dark
    } else {
        Palette::Light
    })
}

/// [`choose_palette`] for this process: its stdout and its environment.
pub fn palette_for_process(mode: ColorMode, json: bool) -> Option<Palette> {
    if mode == ColorMode::Never || json {
        return None;
    }
    let colorfgbg = std::env::var_os("COLORFGBG");
    choose_palette(
        mode,
        json,
        super::files::stdout_is_terminal(),
        colorfgbg
            .as_deref()
            .map(std::os::unix::ffi::OsStrExt::as_bytes),
    )
}

/// `COLORFGBG` is "FG;BG" or "FG;X;BG": the background is its last field, dark when that
/// is one character among 0–6 and 8 (the terminal's dark color indexes).
fn dark_background(colorfgbg: Option<&[u8]>) -> bool {
    let Some(value) = colorfgbg else {
        return false;
    };
    let Some(at) = value.iter().rposition(|&b| b == b';') else {
        return false;
    };
    matches!(value.get(at + 1..), Some([b'0'..=b'6' | b'8']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_prefix(name: &str) -> bool {
        name.len() >= 2 && "-color".starts_with(name)
    }

    #[test]
    fn the_option_takes_ips_spellings_only() {
        let cases = [
            ("-c", Some(ColorMode::Always)),
            ("-color", Some(ColorMode::Always)),
            ("-col=", Some(ColorMode::Always)),
            ("-c=always", Some(ColorMode::Always)),
            ("-c=auto", Some(ColorMode::Auto)),
            ("-color=never", Some(ColorMode::Never)),
            ("-c=bogus", None),
            ("-c=Always", None),
            ("-colour", None),
            ("-colors", None),
        ];
        for (word, want) in cases {
            assert_eq!(color_option(word, by_prefix), want, "{word}");
        }
    }

    #[test]
    fn palette_follows_mode_json_terminal_and_background() {
        use ColorMode::*;
        assert_eq!(choose_palette(Never, false, true, None), None);
        assert_eq!(choose_palette(Auto, false, false, None), None);
        assert_eq!(
            choose_palette(Auto, false, true, None),
            Some(Palette::Light)
        );
        assert_eq!(
            choose_palette(Always, false, false, None),
            Some(Palette::Light)
        );
        assert_eq!(choose_palette(Always, true, true, None), None);
        let dark = [&b"15;0"[..], b"15;default;0", b"7;8", b"x;6"];
        for bg in dark {
            assert_eq!(
                choose_palette(Always, false, false, Some(bg)),
                Some(Palette::Dark),
                "{bg:?}"
            );
        }
        let light = [&b"0;15"[..], b"15;08", b"15;7", b"0", b"15;", b"", b";9"];
        for bg in light {
            assert_eq!(
                choose_palette(Always, false, false, Some(bg)),
                Some(Palette::Light),
                "{bg:?}"
            );
        }
    }

    #[test]
    fn escapes_are_ips() {
        assert_eq!(Paint::IfName.escape(Palette::Light), Some("\x1b[36m"));
        assert_eq!(Paint::OperDown.escape(Palette::Dark), Some("\x1b[1;31m"));
        assert_eq!(Paint::Plain.escape(Palette::Dark), None);
        assert_eq!(Paint::of_family(libc::AF_INET6 as u8), Paint::Inet6);
        assert_eq!(Paint::of_family(libc::AF_PACKET as u8), Paint::Plain);
        assert_eq!(Paint::of_oper_state(6), Paint::OperUp);
        assert_eq!(Paint::of_oper_state(0), Paint::Plain);
    }

    #[test]
    fn painted_values_get_escapes_only_in_painting_text() {
        let paint_all = |out: &mut crate::toolbox::output::Out<&mut Vec<u8>>| {
            out.put_painted(Paint::Inet, "local", "inet ", "198.51.100.1", "")
                .unwrap();
            out.put_uint("prefixlen", "/", 24, " ").unwrap();
            out.text_str("state ").unwrap();
            out.string_painted(
                Paint::OperUp,
                "operstate",
                format_args!("{:<4} ", "UP"),
                "UP",
            )
            .unwrap();
            out.text_painted(Paint::IfName, format_args!("{}: ", "v0"))
                .unwrap();
            out.put_painted(Paint::Plain, "x", "", "plain", "").unwrap();
        };
        let render = |json: bool, palette: Option<Palette>| {
            let mut bytes = Vec::new();
            let mut out =
                crate::toolbox::output::Out::new(&mut bytes, json, false).with_palette(palette);
            paint_all(&mut out);
            drop(out);
            String::from_utf8(bytes).unwrap()
        };
        assert_eq!(
            render(false, Some(Palette::Light)),
            "inet \x1b[35m198.51.100.1\x1b[0m/24 state \x1b[32mUP   \x1b[0m\x1b[36mv0: \x1b[0mplain"
        );
        assert_eq!(
            render(false, Some(Palette::Dark)),
            "inet \x1b[1;35m198.51.100.1\x1b[0m/24 state \x1b[1;32mUP   \x1b[0m\x1b[1;36mv0: \x1b[0mplain"
        );
        assert_eq!(
            render(false, None),
            "inet 198.51.100.1/24 state UP   v0: plain"
        );
        assert_eq!(render(true, Some(Palette::Light)), render(true, None));
        assert!(!render(true, Some(Palette::Light)).contains('\x1b'));
    }
}
