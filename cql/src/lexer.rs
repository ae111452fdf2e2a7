//! The CQL lexer: statement text to tokens with byte spans.
//!
//! Keywords are not distinguished from names here: both are
//! [`TokenKind::Word`], and the parser compares words case-insensitively.
//! Comments (`--`, `//`, `/* */`) and whitespace are skipped. Strings are
//! `'…'` (with `''` for a quote) or `$$…$$`; quoted names are `"…"` (with
//! `""` for a quote).

use std::ops::Range;

use super::error::DdlError;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word: a keyword or a name, as written.
    Word(String),
    /// A `"quoted"` name, unescaped.
    QuotedName(String),
    /// A string literal, unescaped.
    String(String),
    /// A number, as written (`42`, `-1`, `0.01`, `1e-3`).
    Number(String),
    /// A UUID literal, as written.
    Uuid(String),
    /// A blob literal (`0x…`), as written.
    Blob(String),
    /// One punctuation character.
    Punct(char),
}

impl TokenKind {
    /// The word, if this is an unquoted word.
    #[must_use]
    pub fn word(&self) -> Option<&str> {
        match self {
            Self::Word(w) => Some(w),
            Self::QuotedName(_)
            | Self::String(_)
            | Self::Number(_)
            | Self::Uuid(_)
            | Self::Blob(_)
            | Self::Punct(_) => None,
        }
    }

    /// The number as written, if this is a number.
    #[must_use]
    pub fn number(&self) -> Option<&str> {
        match self {
            Self::Number(n) => Some(n),
            Self::Word(_)
            | Self::QuotedName(_)
            | Self::String(_)
            | Self::Uuid(_)
            | Self::Blob(_)
            | Self::Punct(_) => None,
        }
    }

    /// The text, if this is a string literal.
    #[must_use]
    pub fn string(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            Self::Word(_)
            | Self::QuotedName(_)
            | Self::Number(_)
            | Self::Uuid(_)
            | Self::Blob(_)
            | Self::Punct(_) => None,
        }
    }
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its byte offsets in the text.
    pub span: Range<usize>,
}

const PUNCTUATION: &[char] = &[
    '(', ')', '<', '>', ',', '.', '=', '{', '}', ':', ';', '[', ']', '*', '+', '-', '?', '!',
];

/// Splits `text` into tokens.
///
/// # Errors
/// An unterminated string, name or comment, or a character CQL has no use
/// for.
pub fn tokenize(text: &str) -> Result<Vec<Token>, DdlError> {
    Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    }
    .run()
}

/// The byte ranges of the statements in a script of `;`-separated
/// statements (without the `;`, comments outside statements skipped).
///
/// # Errors
/// As [`tokenize`].
pub fn split_statements(script: &str) -> Result<Vec<Range<usize>>, DdlError> {
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for token in tokenize(script)? {
        if token.kind == TokenKind::Punct(';') {
            if let Some(range) = current.take() {
                out.push(range);
            }
        } else {
            current = Some(match current {
                Some(range) => range.start..token.span.end,
                None => token.span.clone(),
            });
        }
    }
    out.extend(current);
    Ok(out)
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn run(mut self) -> Result<Vec<Token>, DdlError> {
        let mut tokens = Vec::new();
        while let Some(c) = self.peek_char() {
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else if self.starts_with("--") || self.starts_with("//") {
                self.skip_line();
            } else if self.starts_with("/*") {
                self.skip_block_comment(start)?;
            } else if c == '\'' {
                let s = self.quoted(start, '\'', "string", "'")?;
                tokens.push(Token {
                    kind: TokenKind::String(s),
                    span: start..self.pos,
                });
            } else if c == '"' {
                let s = self.quoted(start, '"', "quoted name", "\"")?;
                tokens.push(Token {
                    kind: TokenKind::QuotedName(s),
                    span: start..self.pos,
                });
            } else if self.starts_with("$$") {
                let s = self.dollar_string(start)?;
                tokens.push(Token {
                    kind: TokenKind::String(s),
                    span: start..self.pos,
                });
            } else if let Some(len) = self.uuid_len() {
                self.pos += len;
                tokens.push(Token {
                    kind: TokenKind::Uuid(self.slice(start)),
                    span: start..self.pos,
                });
            } else if self.starts_with("0x") || self.starts_with("0X") {
                self.pos += 2;
                self.eat_while(|b| b.is_ascii_hexdigit());
                tokens.push(Token {
                    kind: TokenKind::Blob(self.slice(start)),
                    span: start..self.pos,
                });
            } else if c.is_ascii_digit()
                || (c == '-'
                    && self
                        .byte_at(self.pos + 1)
                        .is_some_and(|b| b.is_ascii_digit()))
            {
                self.number();
                tokens.push(Token {
                    kind: TokenKind::Number(self.slice(start)),
                    span: start..self.pos,
                });
            } else if c.is_ascii_alphabetic() {
                self.eat_while(|b| b.is_ascii_alphanumeric() || b == b'_');
                tokens.push(Token {
                    kind: TokenKind::Word(self.slice(start)),
                    span: start..self.pos,
                });
            } else if PUNCTUATION.contains(&c) {
                self.pos += 1;
                tokens.push(Token {
                    kind: TokenKind::Punct(c),
                    span: start..self.pos,
                });
            } else {
                let end = start + c.len_utf8();
                let err = DdlError::new(start..end, format!("unexpected character `{c}`"));
                return Err(if c == '_' {
                    err.with_help(
                        "an unquoted CQL name starts with a letter; quote it like `\"_name\"`",
                    )
                } else {
                    err
                });
            }
        }
        Ok(tokens)
    }

    fn peek_char(&self) -> Option<char> {
        self.text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn byte_at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    fn slice(&self, start: usize) -> String {
        self.text
            .get(start..self.pos)
            .unwrap_or_default()
            .to_owned()
    }

    fn eat_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.byte_at(self.pos).is_some_and(&f) {
            self.pos += 1;
        }
    }

    fn skip_line(&mut self) {
        self.eat_while(|b| b != b'\n');
    }

    fn skip_block_comment(&mut self, start: usize) -> Result<(), DdlError> {
        let rest = self.text.get(start + 2..).unwrap_or_default();
        match rest.find("*/") {
            Some(i) => {
                self.pos = start + 2 + i + 2;
                Ok(())
            }
            None => Err(
                DdlError::new(start..start + 2, "unterminated block comment")
                    .with_help("close it with `*/`"),
            ),
        }
    }

    /// A `'…'` string or `"…"` name: the delimiter doubled is an escape.
    fn quoted(
        &mut self,
        start: usize,
        delimiter: char,
        what: &str,
        shown: &str,
    ) -> Result<String, DdlError> {
        let mut out = String::new();
        let mut i = start + 1;
        loop {
            let rest = self.text.get(i..).unwrap_or_default();
            match rest.find(delimiter) {
                None => {
                    return Err(DdlError::new(start..start + 1, format!("unterminated {what}"))
                        .with_help(format!("close it with `{shown}` (write `{shown}{shown}` for a `{shown}` inside)")));
                }
                Some(j) => {
                    out.push_str(rest.get(..j).unwrap_or_default());
                    let after = i + j + 1;
                    if self.byte_at(after) == Some(delimiter as u8) {
                        out.push(delimiter);
                        i = after + 1;
                    } else {
                        self.pos = after;
                        return Ok(out);
                    }
                }
            }
        }
    }

    fn dollar_string(&mut self, start: usize) -> Result<String, DdlError> {
        let rest = self.text.get(start + 2..).unwrap_or_default();
        match rest.find("$$") {
            Some(i) => {
                self.pos = start + 2 + i + 2;
                Ok(rest.get(..i).unwrap_or_default().to_owned())
            }
            None => Err(DdlError::new(start..start + 2, "unterminated `$$` string")
                .with_help("close it with `$$`")),
        }
    }

    /// The length of a UUID literal at the cursor, if there is one.
    fn uuid_len(&self) -> Option<usize> {
        const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
        let mut i = self.pos;
        for (n, len) in GROUPS.iter().enumerate() {
            if n > 0 {
                if self.byte_at(i) != Some(b'-') {
                    return None;
                }
                i += 1;
            }
            for _ in 0..*len {
                if !self.byte_at(i).is_some_and(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                i += 1;
            }
        }
        if self
            .byte_at(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        Some(i - self.pos)
    }

    fn number(&mut self) {
        if self.byte_at(self.pos) == Some(b'-') {
            self.pos += 1;
        }
        self.eat_while(|b| b.is_ascii_digit());
        if self.byte_at(self.pos) == Some(b'.')
            && self
                .byte_at(self.pos + 1)
                .is_some_and(|b| b.is_ascii_digit())
        {
            self.pos += 1;
            self.eat_while(|b| b.is_ascii_digit());
        }
        if matches!(self.byte_at(self.pos), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(self.byte_at(self.pos + 1), Some(b'+' | b'-')));
            if self
                .byte_at(self.pos + 1 + sign)
                .is_some_and(|b| b.is_ascii_digit())
            {
                self.pos += 1 + sign;
                self.eat_while(|b| b.is_ascii_digit());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn word(s: &str) -> TokenKind {
        TokenKind::Word(s.to_owned())
    }

    #[test]
    fn words_punctuation_and_comments() {
        assert_eq!(
            kinds("CREATE table -- a comment\n t /* block */ (a int) // tail"),
            vec![
                word("CREATE"),
                word("table"),
                word("t"),
                TokenKind::Punct('('),
                word("a"),
                word("int"),
                TokenKind::Punct(')'),
            ]
        );
    }

    #[test]
    fn strings_and_names() {
        assert_eq!(kinds("'it''s'"), vec![TokenKind::String("it's".to_owned())]);
        assert_eq!(
            kinds("$$a 'b' ; c$$"),
            vec![TokenKind::String("a 'b' ; c".to_owned())]
        );
        assert_eq!(
            kinds("\"Odd \"\"name\"\"\""),
            vec![TokenKind::QuotedName("Odd \"name\"".to_owned())]
        );
        assert_eq!(kinds("''"), vec![TokenKind::String(String::new())]);
    }

    #[test]
    fn numbers_uuids_blobs() {
        assert_eq!(
            kinds("42 -1 0.01 1e-3 0xCAFE 5a1c395e-b41f-11e5-9f22-ba0be0483c18"),
            vec![
                TokenKind::Number("42".to_owned()),
                TokenKind::Number("-1".to_owned()),
                TokenKind::Number("0.01".to_owned()),
                TokenKind::Number("1e-3".to_owned()),
                TokenKind::Blob("0xCAFE".to_owned()),
                TokenKind::Uuid("5a1c395e-b41f-11e5-9f22-ba0be0483c18".to_owned()),
            ]
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let tokens = tokenize("é  'x' b").unwrap_err();
        assert_eq!(tokens.span, 0..2);
        let tokens = tokenize("a  'x' b").unwrap();
        assert_eq!(
            tokens.iter().map(|t| t.span.clone()).collect::<Vec<_>>(),
            vec![0..1, 3..6, 7..8]
        );
    }

    #[test]
    fn unterminated_things_are_errors() {
        assert_eq!(
            tokenize("a 'open").unwrap_err().message,
            "unterminated string"
        );
        assert_eq!(
            tokenize("a \"open").unwrap_err().message,
            "unterminated quoted name"
        );
        assert_eq!(
            tokenize("/* open").unwrap_err().message,
            "unterminated block comment"
        );
        assert_eq!(
            tokenize("$$ open").unwrap_err().message,
            "unterminated `$$` string"
        );
        assert_eq!(tokenize("a # b").unwrap_err().span, 2..3);
    }

    #[test]
    fn split_respects_strings_and_comments() {
        let script = "create table a (x int, primary key (x)); -- one; two\n alter table a with comment = 'a;b';\n";
        let ranges = split_statements(script).unwrap();
        assert_eq!(ranges.len(), 2);
        assert_eq!(
            &script[ranges[0].clone()],
            "create table a (x int, primary key (x))"
        );
        assert_eq!(
            &script[ranges[1].clone()],
            "alter table a with comment = 'a;b'"
        );
    }
}
