//! The kernel's clock as user space counts it, read once per process: route cache ages
//! and expiries are in its ticks.

use std::sync::OnceLock;

/// The kernel's clock ticks per second (`sysconf(_SC_CLK_TCK)`; 100 when the system does
/// not say). The first call asks; later ones answer from memory.
pub fn clock_ticks_per_second() -> i64 {
    static TICKS: OnceLock<i64> = OnceLock::new();
    *TICKS.get_or_init(ask_clock_ticks)
}

// sysconf returns c_long: 32 bits on 32-bit targets, where the conversion is not a no-op.
#[allow(clippy::useless_conversion)]
fn ask_clock_ticks() -> i64 {
    // SAFETY: sysconf takes a constant name and has no memory effects.
    let hz = i64::from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) });
    if hz > 0 {
        hz
    } else {
        100
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks_are_positive_and_stable() {
        let first = super::clock_ticks_per_second();
        assert!(first > 0);
        assert_eq!(super::clock_ticks_per_second(), first);
    }
}
