//! Unit tests of the geo stage.
