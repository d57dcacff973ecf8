//! Parsing vendor bodies: a failure names the vendor, the endpoint and the JSON path
//! (`[3].price`, `data[0].items[1].amount`), so a malformed answer can be reported precisely.

use super::error::ApiError;
use serde::de::DeserializeOwned;

pub fn parse<T: DeserializeOwned>(vendor: &str, endpoint: &str, body: &str) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Malformed {
            vendor: vendor.to_string(),
            endpoint: endpoint.to_string(),
            path: if path.is_empty() { ".".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Row {
        id: String,
        price: String,
    }

    #[test]
    fn errors_name_vendor_endpoint_and_path() {
        let err = parse::<Vec<Row>>(
            "billetweb",
            "/events",
            r#"[{"id":"1","price":"2"},{"id":"2","price":3}]"#,
        )
        .unwrap_err();
        match &err {
            ApiError::Malformed {
                vendor,
                endpoint,
                path,
                ..
            } => {
                assert_eq!(
                    (vendor.as_str(), endpoint.as_str(), path.as_str()),
                    ("billetweb", "/events", "[1].price")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("[1].price"));
        let err = parse::<Vec<Row>>("billetweb", "/events", "<html>").unwrap_err();
        assert!(matches!(err, ApiError::Malformed { .. }));
    }
}
