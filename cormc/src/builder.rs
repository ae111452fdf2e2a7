//! The `build.rs` API, in the style of `prost-build`: name the schema files
//! and an output folder, and [`Builder::compile`] parses, checks and
//! generates, writing only files whose content changed.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     cormc::Builder::new()
//!         .schema("schema/shop.corm")
//!         .out_dir("src/generated")
//!         .compile()?;
//!     Ok(())
//! }
//! ```
//!
//! Every schema file is announced with `cargo:rerun-if-changed`, and every
//! warning with `cargo:warning`, so cargo reruns the build script when a
//! schema changes and shows what the checker found. With
//! [`Builder::check_only`] nothing is written: a stale output folder is an
//! error (for CI).

use camino::{Utf8Path, Utf8PathBuf};

use crate::codegen::{self, CodegenError, GeneratedFiles, WriteReport};
use crate::diagnostics::{LoadError, RenderOptions, Severity, SourceMap, render_all};

/// Compiles `.corm` schemas into a folder of generated Rust.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    schemas: Vec<Utf8PathBuf>,
    out_dir: Option<Utf8PathBuf>,
    check_only: bool,
    cargo_directives: bool,
    options: codegen::Options,
}

/// Why [`Builder::compile`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No schema file was named.
    #[error("no schema files: call `Builder::schema` at least once")]
    NoSchemas,
    /// No output folder was named and `OUT_DIR` is not set.
    #[error("no output folder: call `Builder::out_dir` (OUT_DIR is not set)")]
    NoOutDir,
    /// A schema file could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The schema has errors; the text is the rendered diagnostics.
    #[error("the schema has errors:\n{0}")]
    Schema(String),
    /// Generation or writing failed.
    #[error(transparent)]
    Codegen(#[from] CodegenError),
    /// In check mode: these files differ from what the schema generates.
    #[error("generated code in `{out_dir}` is stale: {}", files.join(", "))]
    Stale {
        /// The output folder.
        out_dir: Utf8PathBuf,
        /// The files that are missing or differ.
        files: Vec<String>,
    },
}

impl Builder {
    /// A builder with no schemas, printing cargo directives.
    #[must_use]
    pub fn new() -> Self {
        Self {
            cargo_directives: true,
            ..Self::default()
        }
    }

    /// Adds a schema file (all files are compiled together).
    #[must_use]
    pub fn schema(mut self, path: impl Into<Utf8PathBuf>) -> Self {
        self.schemas.push(path.into());
        self
    }

    /// Adds several schema files.
    #[must_use]
    pub fn schemas(mut self, paths: impl IntoIterator<Item = impl Into<Utf8PathBuf>>) -> Self {
        self.schemas.extend(paths.into_iter().map(Into::into));
        self
    }

    /// The folder the module tree is written to (`mod.rs` at its root);
    /// `OUT_DIR` when not set.
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<Utf8PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Writes nothing; [`compile`](Self::compile) fails with
    /// [`BuildError::Stale`] when the folder differs from the schema.
    #[must_use]
    pub fn check_only(mut self, check: bool) -> Self {
        self.check_only = check;
        self
    }

    /// Also generates `graphql.rs` and `schema.graphql`: the GraphQL
    /// schema over the repositories (the crate then needs `corm`'s
    /// `graphql` feature).
    #[must_use]
    pub fn graphql(mut self, graphql: bool) -> Self {
        self.options.graphql = graphql;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` and `cargo:warning` lines
    /// (on by default; turn off outside build scripts).
    #[must_use]
    pub fn cargo_directives(mut self, print: bool) -> Self {
        self.cargo_directives = print;
        self
    }

    /// Parses, checks and generates; writes the files that changed.
    ///
    /// # Errors
    /// [`BuildError`]: a missing input, a schema error (with the rendered
    /// diagnostics), a generation or I/O failure, or stale output in check
    /// mode.
    pub fn compile(self) -> Result<WriteReport, BuildError> {
        if self.schemas.is_empty() {
            return Err(BuildError::NoSchemas);
        }
        let out_dir = match (&self.out_dir, std::env::var("OUT_DIR")) {
            (Some(dir), _) => dir.clone(),
            (None, Ok(dir)) => Utf8PathBuf::from(dir),
            (None, Err(_)) => return Err(BuildError::NoOutDir),
        };
        let mut sources = SourceMap::new();
        for path in &self.schemas {
            if self.cargo_directives {
                println!("cargo:rerun-if-changed={path}");
            }
            sources.load(path.clone())?;
        }
        let files = self.generate(&sources, &out_dir)?;
        if self.check_only {
            let stale = stale_files(&files, &out_dir);
            if stale.is_empty() {
                return Ok(WriteReport {
                    written: Vec::new(),
                    unchanged: files.iter().map(|(path, _)| path.to_owned()).collect(),
                    removed: Vec::new(),
                });
            }
            return Err(BuildError::Stale {
                out_dir,
                files: stale,
            });
        }
        Ok(codegen::write(&files, &out_dir)?)
    }

    fn generate(
        &self,
        sources: &SourceMap,
        out_dir: &Utf8Path,
    ) -> Result<GeneratedFiles, BuildError> {
        let options = RenderOptions {
            color: false,
            ..RenderOptions::default()
        };
        let ast = crate::parse::parse(sources).map_err(|diagnostics| {
            BuildError::Schema(render_all(&diagnostics, sources, options))
        })?;
        let checked = crate::check::check(&ast);
        if self.cargo_directives {
            for warning in checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
            {
                let at = sources
                    .get(warning.primary.span.file)
                    .map(|file| {
                        let place = file.line_col(warning.primary.span.start);
                        format!("{}:{}:{}", file.path(), place.line, place.column)
                    })
                    .unwrap_or_default();
                println!("cargo:warning={at}: {} [{}]", warning.message, warning.code);
            }
        }
        let Some(schema) = checked.schema else {
            return Err(BuildError::Schema(render_all(
                &checked.diagnostics,
                sources,
                options,
            )));
        };
        // Writing reuses the files whose formatting would not change; a
        // check formats everything, so an edited file is always found.
        if self.check_only {
            Ok(codegen::generate_with(&schema, self.options)?)
        } else {
            Ok(codegen::generate_reusing_with(
                &schema,
                self.options,
                codegen::earlier_output(out_dir),
            )?)
        }
    }
}

/// The files of `files` that are missing from `out_dir` or differ there.
fn stale_files(files: &GeneratedFiles, out_dir: &Utf8Path) -> Vec<String> {
    files
        .iter()
        .filter(|(path, text)| {
            std::fs::read(out_dir.join(path)).map_or(true, |bytes| bytes != text.as_bytes())
        })
        .map(|(path, _)| path.to_string())
        .chain(
            codegen::leftover_files(files, out_dir)
                .into_iter()
                .map(|path| format!("{path} (no longer generated)")),
        )
        .collect()
}
