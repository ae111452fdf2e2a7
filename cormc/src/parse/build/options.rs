//! `{ name: value, … }` maps of `options { … }` and `compaction … { … }`.

use super::{Builder, P};
use crate::ast::{OptionEntry, OptionMap, OptionValue};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    /// `option_map = { lbrace ~ (option_entry ~ comma?)* ~ rbrace }`
    pub(super) fn option_map(&mut self, pair: P<'_>) -> OptionMap {
        let span = self.span(&pair);
        let mut entries = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::option_entry => entries.extend(self.option_entry(p)),
                Rule::lbrace | Rule::rbrace | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        OptionMap { entries, span }
    }

    /// `option_entry = { ident ~ option_colon ~ option_value }`
    fn option_entry(&mut self, pair: P<'_>) -> Option<OptionEntry> {
        let span = self.span(&pair);
        let mut name = None;
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(&p)),
                Rule::option_value => value = self.option_value(p),
                Rule::option_colon => {}
                _ => self.unexpected(&p),
            }
        }
        match (name, value) {
            (Some(name), Some(value)) => Some(OptionEntry { name, value, span }),
            _ => {
                self.bug(span, "an option without a name or a value");
                None
            }
        }
    }

    fn option_value(&mut self, pair: P<'_>) -> Option<OptionValue> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::option_map => Some(OptionValue::Map(self.option_map(inner))),
            Rule::literal => Some(OptionValue::Literal(self.literal(inner))),
            _ => {
                self.unexpected(&inner);
                None
            }
        }
    }
}
