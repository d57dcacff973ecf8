//! The workspace's tera templates (`templates/server/`), compiled into the binary so that
//! `releve serve` works from any folder. Every page extends `base.html`.

use anyhow::{anyhow, Result};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../templates/server/base.html.tera"),
    ),
    (
        "login.html",
        include_str!("../../templates/server/login.html.tera"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/server/dashboard.html.tera"),
    ),
    (
        "performance.html",
        include_str!("../../templates/server/performance.html.tera"),
    ),
    (
        "work_list.html",
        include_str!("../../templates/server/work_list.html.tera"),
    ),
    (
        "sources.html",
        include_str!("../../templates/server/sources.html.tera"),
    ),
    (
        "job.html",
        include_str!("../../templates/server/job.html.tera"),
    ),
    (
        "indicators.html",
        include_str!("../../templates/server/indicators.html.tera"),
    ),
    (
        "month.html",
        include_str!("../../templates/server/month.html.tera"),
    ),
    (
        "declaration.html",
        include_str!("../../templates/server/declaration.html.tera"),
    ),
    (
        "journal.html",
        include_str!("../../templates/server/journal.html.tera"),
    ),
    (
        "funder.html",
        include_str!("../../templates/server/funder.html.tera"),
    ),
    (
        "survey.html",
        include_str!("../../templates/server/survey.html.tera"),
    ),
    (
        "sharing.html",
        include_str!("../../templates/server/sharing.html.tera"),
    ),
    (
        "admin.html",
        include_str!("../../templates/server/admin.html.tera"),
    ),
    (
        "producer.html",
        include_str!("../../templates/server/producer.html.tera"),
    ),
];

/// The stylesheet served at `/static/releve.css`.
pub const STYLESHEET: &str = include_str!("../../templates/server/releve.css");

pub fn load() -> Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .map_err(|e| anyhow!("modèles de l'interface : {e:?}"))?;
    Ok(tera)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        super::load().unwrap();
    }
}
