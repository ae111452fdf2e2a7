//! The errors of code generation.

use camino::Utf8PathBuf;

/// Why code generation or writing its output failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The schema uses a construct that has no Rust mapping yet.
    #[error("cannot generate Rust for {what}: {reason}")]
    Unsupported {
        /// The item and field concerned.
        what: String,
        /// Why.
        reason: String,
    },
    /// A template was rendered into text that is not valid Rust: a bug in
    /// cormc. Carries the unformatted text so the bug can be reported.
    #[error(
        "bug: the generated `{file}` is not valid Rust ({message}); \
         please report it with this text:\n{text}"
    )]
    InvalidRust {
        /// The generated file.
        file: Utf8PathBuf,
        /// The parser's message.
        message: String,
        /// The rendered, unformatted text.
        text: String,
    },
    /// A template failed to render: a bug in cormc.
    #[error("bug: template for `{file}` failed to render: {message}")]
    Template {
        /// The generated file.
        file: Utf8PathBuf,
        /// askama's message.
        message: String,
    },
    /// A file or folder could not be read or written.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// The path.
        path: Utf8PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}
