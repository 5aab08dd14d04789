//! The case: its model and values, the form schema of its fields, reading and writing
//! case.toml, making a new case and merging a filled workbook into one.

pub mod fields;
pub mod merge;
pub mod model;
pub mod new;
pub mod store;
pub mod values;

pub use model::*;
pub use store::{case_path, load, save, LoadedCase};
pub use values::*;
