//! The case: its model, the form schema of its fields, parsing case.toml (every error of a file
//! at once), reading and writing it (an existing file edited in place), and making a new case.
//! Its value types (dates, item references, vocabularies) are [`crate::values`], re-exported here.

pub mod edit;
pub mod fields;
pub mod model;
pub mod new;
pub mod parse;
pub mod store;

pub use crate::values::*;
pub use model::*;
pub use store::{case_path, load, save, update, LoadedCase, Saved};
