//! The case file: model, values and the atomic store.

pub mod model;
pub mod store;
pub mod values;

pub use model::*;
pub use store::{case_path, load, save, LoadedCase};
pub use values::*;
