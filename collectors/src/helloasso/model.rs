//! HelloAsso v5 payloads, as far as releve reads them.

use crate::api::mapping::Text;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub organization_slug: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    #[serde(default)]
    pub page_index: Option<i64>,
    #[serde(default)]
    pub total_pages: Option<i64>,
    #[serde(default)]
    pub continuation_token: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub pagination: Pagination,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: i64,
    #[serde(default)]
    pub form_slug: Option<String>,
    #[serde(default)]
    pub form_type: Option<String>,
}

/// An entry of the forms list.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormLight {
    pub form_slug: String,
    #[serde(default)]
    pub form_type: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub zip_code: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    pub id: i64,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub tier_type: Option<String>,
    /// Cents.
    #[serde(default)]
    pub price: Option<i64>,
    /// Percent (`5.5`) as observed, or a fraction (`0.055`) as documented.
    #[serde(default)]
    pub vat_rate: Text,
}

/// `GET …/forms/Event/{slug}/public`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Form {
    pub form_slug: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub max_entries: Option<u32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemOrder {
    #[serde(default)]
    pub date: Option<String>,
}

/// One ticket of `…/items`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub id: i64,
    /// Cents, after discount.
    pub amount: i64,
    #[serde(default, rename = "type")]
    pub item_type: Option<String>,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub tier_id: Option<i64>,
    #[serde(default)]
    pub price_category: Option<String>,
    #[serde(default)]
    pub order: Option<ItemOrder>,
}
