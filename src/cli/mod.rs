//! The binary's own modules: argument definitions and rendering.

pub mod args;
pub mod render;
pub mod watch;
