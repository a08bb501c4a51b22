//! JSON in, canonical bytes out: strict parsing (I-JSON: no duplicate keys) and the RFC 8785
//! JSON Canonicalization Scheme.
//!
//! RFC 8785 fixes one byte sequence per JSON value: object members sorted by their keys'
//! UTF-16 code units, no whitespace, strings with the minimal escapes, and every number
//! printed as ECMAScript prints the IEEE 754 double it denotes (`1E30` → `1e+30`, `4.50` →
//! `4.5`, integers above 2^53 rounded like any double). The canonicalization itself is the
//! `serde_json_canonicalizer` crate; this module adds the parsing RFC 8785 presumes.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A text that is not the JSON RFC 8785 accepts, with where it stops being so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Line of the first offending character (1-based; 0 when the text ended early).
    pub line: usize,
    /// Column of the first offending character (1-based).
    pub column: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// Parses JSON text into a value, refusing what would make its meaning depend on the parser:
/// an object with the same key twice (I-JSON, RFC 7493; `serde_json` alone keeps the last one,
/// other parsers the first), invalid UTF-8, lone surrogates, trailing text.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value =
        StrictValue::deserialize(&mut deserializer).and_then(|StrictValue(value)| deserializer.end().map(|()| value));
    value.map_err(|error| JsonError {
        line: error.line(),
        column: error.column(),
        // serde_json appends " at line L column C"; the position has fields of its own.
        message: error
            .to_string()
            .rsplit_once(" at line ")
            .map_or_else(|| error.to_string(), |(message, _)| message.to_owned()),
    })
}

/// The RFC 8785 canonical form of a value.
pub fn canonicalize(value: &Value) -> Result<Vec<u8>, serde_json::Error> {
    serde_json_canonicalizer::to_vec(value)
}

/// A [`Value`] deserialized with duplicate object keys refused.
struct StrictValue(Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StrictValue, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(value).map(Value::Number).ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            // Checked before the value is read, so the error points at the key.
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}` in an object")));
            }
            let StrictValue(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jcs(text: &str) -> String {
        String::from_utf8(canonicalize(&parse(text.as_bytes()).unwrap()).unwrap()).unwrap()
    }

    /// RFC 8785 section 3.2.2: numbers, string escapes and literals.
    #[test]
    fn rfc_8785_section_3_2_2_example() {
        let input = r#"{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"#;
        let expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\
                        \"string\":\"\u{20ac}$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assert_eq!(jcs(input), expected);
    }

    /// RFC 8785 section 3.2.3: keys sorted by UTF-16 code units, so U+1F600 (a surrogate
    /// pair, 0xD83D…) sorts before U+FB33 although its UTF-8 and code point order is after.
    #[test]
    fn rfc_8785_section_3_2_3_sorting() {
        let input = r#"{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"#;
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
                        \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
                        \"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
        assert_eq!(jcs(input), expected);
    }

    /// RFC 8785 appendix B: IEEE 754 doubles (given by their bits) and their canonical text.
    #[test]
    fn rfc_8785_appendix_b_numbers() {
        let vectors: [(u64, &str); 24] = [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, expected) in vectors {
            let value = Value::from(f64::from_bits(bits));
            assert_eq!(String::from_utf8(canonicalize(&value).unwrap()).unwrap(), expected, "{bits:#018x}");
            // The same double written as JSON text reaches the same canonical form: the
            // parser rounds decimals to the nearest double (serde_json's float_roundtrip).
            assert_eq!(jcs(&format!("{:e}", f64::from_bits(bits))), expected, "{bits:#018x} from text");
        }
    }

    #[test]
    fn integers_beyond_2_pow_53_are_doubles_as_rfc_8785_says() {
        assert_eq!(jcs("9007199254740993"), "9007199254740992");
        assert_eq!(jcs("-0"), "0");
        assert_eq!(jcs("1.0"), "1");
    }

    #[test]
    fn duplicate_keys_and_trailing_text_are_refused_with_their_position() {
        let error = parse(b"{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert_eq!((error.line, error.message.as_str()), (3, "duplicate key `a` in an object"), "{error}");
        let error = parse(b"{\"a\": [{\"b\": 1, \"b\": 1}]}").unwrap_err();
        assert!(error.message.contains("duplicate key `b`"), "{error}");
        let error = parse(b"{} x").unwrap_err();
        assert_eq!((error.line, error.column), (1, 4), "{error}");
        assert!(parse(b"\"\\ud800\"").is_err(), "a lone surrogate is no Unicode string");
        assert!(parse(b"\"\xff\"").is_err(), "invalid UTF-8");
    }
}
