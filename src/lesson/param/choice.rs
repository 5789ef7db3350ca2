//! Enums a choice parameter reads into, so that nothing past a lesson's
//! typed read compares a choice as a string.

/// An enum whose values are a parameter's choices.
pub trait Choice: Copy + PartialEq + 'static {
    /// Each choice's name as typed and configured, in the order ←/→ cycle.
    const NAMES: &'static [&'static str];
    /// The choices, in the order of `NAMES`.
    const ALL: &'static [Self];

    /// The name this choice is typed and configured as.
    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .position(|c| *c == self)
            .and_then(|at| Self::NAMES.get(at))
            .copied()
            .unwrap_or("")
    }

    /// The choice named `name` (names are checked by the parameter's spec).
    fn named(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(|at| Self::ALL.get(at))
            .copied()
    }
}

/// Declares the choices of an enum once, with the names users type:
/// `choices!(Mode { Mode::TwoD => "2d", Mode::OneD => "1d" });`
macro_rules! choices {
    ($ty:ty { $($variant:path => $name:literal),+ $(,)? }) => {
        impl $crate::lesson::param::Choice for $ty {
            const NAMES: &'static [&'static str] = &[$($name),+];
            const ALL: &'static [Self] = &[$($variant),+];
        }
    };
}
pub(crate) use choices;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Side {
        Left,
        Right,
    }
    choices!(Side { Side::Left => "left", Side::Right => "right" });

    #[test]
    fn names_and_choices_map_both_ways() {
        assert_eq!(Side::Right.name(), "right");
        assert_eq!(Side::named("left"), Some(Side::Left));
        assert_eq!(Side::named("up"), None);
        assert_eq!(Side::NAMES.len(), Side::ALL.len());
    }
}
