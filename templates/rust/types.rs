//! The schema's enums and user-defined types, with the driver's
//! (de)serialisation traits implemented by position through `corm::rt`.
{% for path in file.uses %}
use {{ path }};
{% endfor %}
{% for item in file.enums %}
{% for line in item.doc %}
///{{ line }}
{% endfor %}
{% if item.open %}
#[derive(Debug, Clone)]
pub enum {{ item.ident }} {
{% for variant in item.variants %}
{% for line in variant.doc %}
///{{ line }}
{% endfor %}
{{ variant.ident }},
{% endfor %}
    /// Text the schema does not list, as stored (by another writer, or a
    /// newer schema); build values with [`from_text`](Self::from_text).
    Other(String),
}

impl {{ item.ident }} {
    /// Every variant the schema lists, in declaration order.
    pub const ALL: [Self; {{ item.variants.len() }}] = [{% for variant in item.variants %}Self::{{ variant.ident }},{% endfor %}];

    /// The text stored in the database for this value.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
{% for variant in item.variants %}
            Self::{{ variant.ident }} => {{ variant.text }},
{% endfor %}
            Self::Other(text) => text,
        }
    }

    /// The value stored as `text`: a listed variant, or `Other`.
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        match text {
{% for variant in item.variants %}
            {{ variant.text }} => Self::{{ variant.ident }},
{% endfor %}
            other => Self::Other(other.to_owned()),
        }
    }

    /// The position of the value's text among the listed variants
    /// (unlisted text after them), then the text: equal texts are equal
    /// values, even an `Other` built with a listed text.
    fn rank(&self) -> (usize, &str) {
        let text = self.as_str();
        let position = match text {
{% for variant in item.variants %}
            {{ variant.text }} => {{ loop.index0 }},
{% endfor %}
            _ => {{ item.variants.len() }},
        };
        (position, text)
    }
}

impl PartialEq for {{ item.ident }} {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for {{ item.ident }} {}

impl std::hash::Hash for {{ item.ident }} {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for {{ item.ident }} {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for {{ item.ident }} {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl std::str::FromStr for {{ item.ident }} {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_text(text))
    }
}

impl serde::Serialize for {{ item.ident }} {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for {{ item.ident }} {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Self::from_text(&text))
    }
}

{% else %}
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
pub enum {{ item.ident }} {
{% for variant in item.variants %}
{% for line in variant.doc %}
///{{ line }}
{% endfor %}
#[serde(rename = {{ variant.text }})]
{{ variant.ident }},
{% endfor %}
}

impl {{ item.ident }} {
    /// Every variant, in declaration order.
    pub const ALL: [Self; {{ item.variants.len() }}] = [{% for variant in item.variants %}Self::{{ variant.ident }},{% endfor %}];

    /// The text stored in the database for this variant.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
{% for variant in item.variants %}
            Self::{{ variant.ident }} => {{ variant.text }},
{% endfor %}
        }
    }
}

impl std::str::FromStr for {{ item.ident }} {
    type Err = rt::CodecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
{% for variant in item.variants %}
            {{ variant.text }} => Ok(Self::{{ variant.ident }}),
{% endfor %}
            other => Err(rt::parse_error::<Self>(other)),
        }
    }
}

{% endif %}

impl std::fmt::Display for {{ item.ident }} {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SerializeValue for {{ item.ident }} {
    fn serialize<'b>(
        &self,
        typ: &ColumnType,
        writer: CellWriter<'b>,
    ) -> Result<WrittenCellProof<'b>, SerializationError> {
        rt::serialize_text(self.as_str(), typ, writer)
    }
}

impl<'f, 'm> DeserializeValue<'f, 'm> for {{ item.ident }} {
    fn type_check(typ: &ColumnType) -> Result<(), TypeCheckError> {
        rt::check_text(typ)
    }

    fn deserialize(
        typ: &'m ColumnType<'m>,
        v: Option<FrameSlice<'f>>,
    ) -> Result<Self, DeserializationError> {
{% if item.open %}
        rt::read_text(typ, v).map(Self::from_text)
{% else %}
        match rt::read_text(typ, v)? {
{% for variant in item.variants %}
            {{ variant.text }} => Ok(Self::{{ variant.ident }}),
{% endfor %}
            other => Err(rt::unknown_variant::<Self>(other)),
        }
{% endif %}
    }
}
{% endfor %}

{% for item in file.udts %}
{% for line in item.doc %}
///{{ line }}
{% endfor %}
{% if item.json %}
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(crate = "corm::serde")]
{% else %}
#[derive(Debug, Clone, PartialEq)]
{% endif %}
pub struct {{ item.ident }} {
{% for field in item.fields %}
{% for line in field.doc %}
///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl SerializeValue for {{ item.ident }} {
    fn serialize<'b>(
        &self,
        typ: &ColumnType,
        writer: CellWriter<'b>,
    ) -> Result<WrittenCellProof<'b>, SerializationError> {
        rt::serialize_udt::<Self>(typ, writer, &[{% for field in item.fields %}({{ field.cql_name }}, &self.{{ field.ident }}),{% endfor %}])
    }
}

impl<'f, 'm> DeserializeValue<'f, 'm> for {{ item.ident }} {
    fn type_check(typ: &ColumnType) -> Result<(), TypeCheckError> {
{% for field in item.fields %}
        rt::check_udt_field::<Self, {{ field.ty }}>(typ, {{ field.cql_name }})?;
{% endfor %}
        Ok(())
    }

    fn deserialize(
        typ: &'m ColumnType<'m>,
        v: Option<FrameSlice<'f>>,
    ) -> Result<Self, DeserializationError> {
{% for field in item.fields %}
        let mut {{ field.local }} = None;
{% endfor %}
        for field in rt::udt_fields::<Self>(typ, v)? {
            let field = field?;
            match field.name() {
{% for field in item.fields %}
                {{ field.cql_name }} => {{ field.local }} = Some(field.read()?),
{% endfor %}
                _ => {}
            }
        }
        Ok(Self {
{% for field in item.fields %}
            {{ field.ident }}: rt::required_field::<Self, _>({{ field.local }}, {{ field.cql_name }})?,
{% endfor %}
        })
    }
}
{% endfor %}
