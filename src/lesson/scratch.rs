//! Working memory a model keeps between steps only to avoid allocating it
//! again: not part of its state, so a clone (a rewind checkpoint) starts
//! empty and two models compare equal whatever their scratch holds.

#[derive(Debug, Default)]
pub struct Scratch<T>(pub T);

impl<T: Default> Clone for Scratch<T> {
    fn clone(&self) -> Self {
        Scratch(T::default())
    }
}

impl<T> PartialEq for Scratch<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_starts_empty_and_scratch_never_tells_models_apart() {
        let full = Scratch(vec![1.0; 1_000]);
        assert!(full.clone().0.is_empty());
        assert_eq!(full, Scratch(Vec::new()));
    }
}
