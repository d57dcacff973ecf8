//! JSON files: pretty-printed with a 2-space indent and a final newline. Field order is the
//! declaration order of the model's structs (serde), so the file reads like `formats.md`;
//! models must not contain hash maps (use `BTreeMap` or `Vec`) so the bytes are stable.

use super::RenderError;
use serde::Serialize;

/// The model as the bytes of a `.json` file.
pub fn render<T: Serialize + ?Sized>(model: &T) -> Result<Vec<u8>, RenderError> {
    let mut bytes =
        serde_json::to_vec_pretty(model).map_err(|e| RenderError::Json(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The model as a JSON value (for [`crate::Draft::model`]).
pub fn value<T: Serialize + ?Sized>(model: &T) -> Result<serde_json::Value, RenderError> {
    serde_json::to_value(model).map_err(|e| RenderError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use releve_domain::Money;

    #[derive(Serialize)]
    struct Line {
        performance_id: &'static str,
        tax_due: Money,
        lines: Vec<u32>,
    }

    #[test]
    fn pretty_two_spaces_and_trailing_newline() {
        let line = Line {
            performance_id: "p1",
            tax_due: Money::from_cents(9791),
            lines: vec![1],
        };
        let text = String::from_utf8(render(&line).unwrap()).unwrap();
        assert_eq!(
            text,
            "{\n  \"performance_id\": \"p1\",\n  \"tax_due\": \"97.91\",\n  \"lines\": [\n    1\n  ]\n}\n"
        );
        assert_eq!(value(&line).unwrap()["tax_due"], "97.91");
    }
}
