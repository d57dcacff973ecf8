use crate::api::compliance::suite::ScenarioFn;
use crate::api::Scenario;

pub(crate) const SUITE: &[(Scenario, ScenarioFn)] = &[];
