//! ip's `get_time_rtt` (the `rtt`, `rttvar`, `rto_min` metric values), computed on
//! integers. ip reads the number with `strtod` into a double, scales it, and rounds it up
//! through a 64-bit integer; this gives bit for bit the same results without linking a float
//! parser (the standard one, with its tables, is 15 KB of the static binary): the decimal is
//! rounded to the double nearest to it (ties to even, as `strtod` and Rust's parser do) by
//! reading its binary digits exactly, and the double is then scaled and rounded up as ip
//! does.

use crate::toolbox::args::{strtoul, C_SPACE};

/// Digits after the point that can change a double: `2^-1075` (half the smallest subnormal)
/// is the last binary place that matters, and a decimal with 1,100 places has every binary
/// place up to 2^-1100 decided, whatever follows it (which is kept as "not zero" only).
const FRACTION_PLACES: usize = 1100;

/// A double as an exact binary number: `mantissa * 2^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Binary {
    mantissa: u64,
    exponent: i32,
}

/// A value at or above 2^64, a double's integer range that ip's rounding maps to 1.
const HUGE: Binary = Binary {
    mantissa: 1,
    exponent: 64,
};

/// ip's `get_time_rtt`: a number (a fraction when the word has a `.`) with an optional
/// `s`/`sec`/`secs` or `ms`/`msec`/`msecs` suffix, as whole milliseconds rounded up; the
/// flag says it had no unit (a raw value, sent unscaled).
pub fn time_rtt(word: &str) -> Option<(u32, bool)> {
    let (t, rest) = if word.contains('.') {
        let (negative, t, rest) = leading_decimal(word)?;
        if negative && t.mantissa != 0 {
            return None;
        }
        (t, rest)
    } else {
        let (n, rest) = strtoul(word)?;
        (round_to_double(n, 0, false), rest)
    };
    let unit_is = |units: &[&str]| units.iter().any(|u| rest.eq_ignore_ascii_case(u));
    let t = if rest.is_empty() {
        return Some((c_to_unsigned_ceil(t), true));
    } else if unit_is(&["s", "sec", "secs"]) {
        // t * 1000.0: exact on integers (below 2^63), then rounded to a double.
        round_to_double(t.mantissa * 1000, t.exponent, false)
    } else if unit_is(&["ms", "msec", "msecs"]) {
        t
    } else {
        return None;
    };
    Some((c_to_unsigned_ceil(t), false))
}

/// C's `strtod` for a plain decimal (sign, digits, point, digits, exponent) at the start of
/// `word`: whether it is negative, the double nearest to its magnitude, and what follows.
fn leading_decimal(word: &str) -> Option<(bool, Binary, &str)> {
    let s = word.trim_start_matches(C_SPACE);
    let bytes = s.as_bytes();
    let digits_from = |i: usize| {
        let tail = bytes.get(i..).unwrap_or_default();
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        tail.get(..n).unwrap_or_default()
    };
    let negative = bytes.first() == Some(&b'-');
    let mut end = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let whole = digits_from(end);
    end += whole.len();
    let mut fraction: &[u8] = &[];
    if bytes.get(end) == Some(&b'.') {
        fraction = digits_from(end + 1);
        end += 1 + fraction.len();
    }
    if whole.len() + fraction.len() == 0 {
        return None;
    }
    let mut exponent = 0i64;
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = bytes.get(end + 1).copied();
        let sign_len = usize::from(matches!(sign, Some(b'+' | b'-')));
        let digits = digits_from(end + 1 + sign_len);
        if !digits.is_empty() {
            end += 1 + sign_len + digits.len();
            for d in digits {
                // Saturated where Rust's float parser saturates it: far past any double.
                if exponent < 0x10000 {
                    exponent = exponent * 10 + i64::from(d - b'0');
                }
            }
            if sign == Some(b'-') {
                exponent = -exponent;
            }
        }
    }
    let t = decimal_to_double(whole, fraction, exponent);
    Some((negative, t, s.get(end..).unwrap_or_default()))
}

/// The double nearest to `whole.fraction * 10^exponent` (ASCII digits).
fn decimal_to_double(whole: &[u8], fraction: &[u8], exponent: i64) -> Binary {
    let digits = whole.iter().chain(fraction);
    let Some(first) = digits.clone().position(|&d| d != b'0') else {
        return round_to_double(0, 0, false);
    };
    // The value is 0.DIGITS * 10^point, DIGITS from the first that is not zero.
    let point = whole.len() as i64 - first as i64 + exponent;
    if point > 20 {
        return HUGE;
    }
    let mut significant = digits.skip(first).map(|d| d - b'0');
    let mut int = 0u64;
    for _ in 0..usize::try_from(point).unwrap_or(0) {
        let digit = u64::from(significant.next().unwrap_or(0));
        // Past 2^64 at one digit is past it at the last (each step only grows the value).
        let Some(next) = int.checked_mul(10).and_then(|n| n.checked_add(digit)) else {
            return HUGE;
        };
        int = next;
    }
    // The fraction's places up to FRACTION_PLACES, then one that is 1 when any place
    // after them is not zero (a 0 there would change nothing: trailing zeros are dropped).
    let zeros = usize::try_from(-point).unwrap_or(0);
    let mut frac = vec![0; zeros.min(FRACTION_PLACES)];
    let mut beyond = zeros > FRACTION_PLACES;
    for d in significant {
        if frac.len() < FRACTION_PLACES {
            frac.push(d);
        } else {
            beyond |= d != 0;
        }
    }
    if beyond {
        frac.push(1);
    }
    with_fraction(int, frac)
}

/// The double nearest to `int + 0.FRAC` (decimal digit values; `frac` is used up).
fn with_fraction(int: u64, mut frac: Vec<u8>) -> Binary {
    // Trailing zeros stay zeros when doubled: dropping them keeps each doubling short.
    let mut next_bit = move || {
        while frac.last() == Some(&0) {
            frac.pop();
        }
        (double_fraction(&mut frac), !frac.iter().all(|&d| d == 0))
    };
    if int >> 53 != 0 {
        let (bit, rest) = next_bit();
        return round_to_double(int, 0, bit || rest);
    }
    // Bits are appended below the integer until the mantissa has 53 (normal) or reaches
    // the last subnormal place, 2^-1074; one more bit and "anything left" round it.
    let mut mantissa = int;
    let mut exponent = 0i32;
    while mantissa >> 52 == 0 && exponent > -1074 {
        mantissa = mantissa << 1 | u64::from(next_bit().0);
        exponent -= 1;
    }
    let (half, rest) = next_bit();
    if half && (rest || mantissa & 1 == 1) {
        mantissa += 1;
    }
    Binary { mantissa, exponent }
}

/// Doubles the decimal fraction `0.FRAC` in place; returns the integer bit it carried out.
fn double_fraction(frac: &mut [u8]) -> bool {
    let mut carry = 0;
    for d in frac.iter_mut().rev() {
        let twice = *d * 2 + carry;
        *d = twice % 10;
        carry = twice / 10;
    }
    carry == 1
}

/// `mantissa * 2^exponent` (plus a little more when `sticky`) rounded to 53 significant
/// bits, ties to even: what a double can hold.
fn round_to_double(mantissa: u64, exponent: i32, sticky: bool) -> Binary {
    let excess = (64 - mantissa.leading_zeros()).saturating_sub(53);
    if excess == 0 {
        return Binary { mantissa, exponent };
    }
    let below = mantissa & ((1 << excess) - 1);
    let half = 1 << (excess - 1);
    let mut kept = mantissa >> excess;
    if below > half || (below == half && (sticky || kept & 1 == 1)) {
        kept += 1;
    }
    Binary {
        mantissa: kept,
        exponent: exponent + excess as i32,
    }
}

/// `unsigned v = t; if (v < t) v++;` as ip's build does it on x86-64: the double truncated
/// through a 64-bit integer (out of range: its minimum), then rounded up.
fn c_to_unsigned_ceil(t: Binary) -> u32 {
    let bits = 64 - t.mantissa.leading_zeros() as i32;
    if t.mantissa == 0 {
        return 0;
    }
    if bits + t.exponent > 63 {
        // At or past 2^63: the integer is i64::MIN, whose low 32 bits are 0 < t.
        return 1;
    }
    let (int, has_fraction) = match u32::try_from(-t.exponent) {
        Err(_) => (t.mantissa << t.exponent, false),
        Ok(shift) if shift >= 64 => (0, true),
        Ok(shift) => (t.mantissa >> shift, t.mantissa & ((1 << shift) - 1) != 0),
    };
    let v = int as u32;
    if int >> 32 != 0 || has_fraction {
        v.wrapping_add(1)
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ip's reading as nsip did it before, with Rust's float parser (correctly rounded, as
    /// glibc's strtod): the reference the integer version must equal.
    fn float_time_rtt(word: &str) -> Option<(u32, bool)> {
        let (t, rest) = if word.contains('.') {
            let (negative, _, rest) = leading_decimal(word)?;
            let s = word.trim_start_matches(C_SPACE);
            let number = s.get(..s.len() - rest.len())?;
            let t: f64 = number.parse().ok()?;
            assert_eq!(negative, t.is_sign_negative(), "{word}");
            if t < 0.0 {
                return None;
            }
            (t, rest)
        } else {
            let (n, rest) = strtoul(word)?;
            (n as f64, rest)
        };
        let t = match rest.to_ascii_lowercase().as_str() {
            "" => return Some((float_ceil(t), true)),
            "s" | "sec" | "secs" => t * 1000.0,
            "ms" | "msec" | "msecs" => t,
            _ => return None,
        };
        Some((float_ceil(t), false))
    }

    fn float_ceil(t: f64) -> u32 {
        const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
        let wide = if (0.0..TWO_POW_63).contains(&t) {
            t as i64
        } else {
            i64::MIN
        };
        let v = wide as u32;
        if f64::from(v) < t {
            v.wrapping_add(1)
        } else {
            v
        }
    }

    fn same_as_float(word: &str) {
        assert_eq!(time_rtt(word), float_time_rtt(word), "{word:?}");
    }

    /// The exact decimal expansion of 2^-n.
    fn exact_power_of_half(n: usize) -> String {
        let mut digits = vec![1u8];
        for _ in 0..n {
            // Halving 0.DIGITS appends a place.
            let mut rem = 0;
            for d in digits.iter_mut() {
                let cur = rem * 10 + *d;
                *d = cur / 2;
                rem = cur % 2;
            }
            digits.push(rem * 5);
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("0.{}", text.get(1..).unwrap_or_default())
    }

    #[test]
    fn edges_read_as_the_float_version_read_them() {
        let words = [
            "0.0",
            "-0.0",
            "-0.0s",
            "-.0ms",
            "+.5",
            "5.",
            "-1e-400",
            "-1e-300",
            "1e-400",
            "1e-300s",
            "5e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "0.5",
            "1.5",
            "2.5",
            "0.0005ms",
            "0.0005s",
            "0.001s",
            "1.001s",
            "0.0011s",
            "4294967.2955s",
            "4294967.296s",
            "4294967.2965s",
            "4294967295.0",
            "4294967295.5",
            "4294967295.9999999999999",
            "4294967296.0",
            "4294967296.5",
            "4294967297.25",
            "9007199254740993.0",
            "9007199254740995.0",
            "9007199254740993.0000000000000001",
            "9007199254740993.5",
            "9007199254740993.25",
            "9007199254740995.5",
            "9223372036854775807.0",
            "9223372036854774784.0",
            "9223372036854775296.0",
            "9223372036854775295.9",
            "18446744073709551615.0",
            "18446744073709551616.0",
            "1e19",
            "1e20",
            "99999999999999999999.9",
            "123456789012345678901234567890.5",
            "9223372036854775.807s",
            "9223372036854775.808s",
            "9223372036854775.806s",
            "1.7976931348623157e308",
            "1e309",
            "1.0e65536",
            "1.0e99999999999999999999",
            "1.0e-99999999999999999999",
            "0.0e99999",
            "1.5e+3ms",
            "1.5E-3s",
            "1.5e",
            "1.5e+",
            "1.5e-x",
            " \t1.5",
            "1.5 ",
            "..5",
            "1..5",
            "1.5.",
            "-",
            "+",
            "-.",
            "0x1.8",
            "1.5sec",
            "1.5SECS",
            "1.5msecs",
            "1.5mss",
            "9",
            "0",
            "-1",
            "-4294967296",
            "18446744073709551615",
            "0777ms",
            "0x10s",
            "1e3",
            "4294967296s",
            "9007199254740993",
            "9007199254740993s",
            "18014398509481987s",
            "9223372036854775807s",
        ];
        for word in words {
            same_as_float(word);
        }
        let half = exact_power_of_half(1075);
        same_as_float(&half);
        same_as_float(&format!("{half}1"));
        same_as_float(&format!("{half}0000s"));
        same_as_float(&format!("{half}0000000000000001ms"));
        same_as_float(&format!("-{half}1"));
        let long = format!("1.{}1", "0".repeat(3000));
        same_as_float(&long);
        same_as_float(&format!("0.{}1e3001", "0".repeat(3000)));
        same_as_float(&format!("{}.5e-3000s", "1".repeat(3000)));
    }

    #[test]
    fn ties_read_as_the_float_version_read_them() {
        // Exactly between two neighbouring doubles with 53-bit mantissas m and m + 1.
        for j in 1..=30u32 {
            for m in [
                1u128 << 52,
                (1 << 52) + 1,
                (1 << 53) - 1,
                (1 << 52) | 0x5555,
            ] {
                // m / 2^j and (m + 1) / 2^j are neighbours; halfway is (2m + 1) / 2^(j+1).
                let places = j as usize + 1;
                let scaled = (2 * m + 1) * 5u128.pow(j + 1);
                let text = format!("{scaled:0>width$}", width = places + 1);
                let (int, frac) = text.split_at(text.len() - places);
                for unit in ["", "s", "ms"] {
                    same_as_float(&format!("{int}.{frac}{unit}"));
                    same_as_float(&format!("{int}.{frac}0001{unit}"));
                    same_as_float(&format!("{int}.{frac}e-3{unit}"));
                }
            }
        }
    }

    #[test]
    fn random_words_read_as_the_float_version_read_them() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..5_000 {
            let mut word = String::new();
            word.push_str(["", "-", "+"][next(3) as usize]);
            let digits = |word: &mut String, n: u64, next: &mut dyn FnMut(u64) -> u64| {
                for _ in 0..n {
                    let d = if next(4) == 0 { 9 } else { next(10) };
                    word.push(char::from(b'0' + d as u8));
                }
            };
            let whole = next(25);
            digits(&mut word, whole, &mut next);
            word.push('.');
            let fraction = next(30);
            digits(&mut word, fraction, &mut next);
            if next(3) == 0 {
                word.push_str(["e", "E-", "e+", "e-"][next(4) as usize]);
                // Up to two digits: three-digit exponents are among the edges above, and
                // reading a tiny value doubles its ~1,100 places ~1,074 times (slow under qemu).
                let exponent = next(3);
                digits(&mut word, exponent, &mut next);
            }
            word.push_str(["", "s", "ms", "msec", "x"][next(5) as usize]);
            same_as_float(&word);
        }
    }
}
