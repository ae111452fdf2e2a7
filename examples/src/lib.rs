//! Runnable programs that use corm against a local node; see `src/bin/`.
