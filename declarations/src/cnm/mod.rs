//! Cnm: placeholder until the builder lands.

use crate::{Body, BuildInput, Declaration, DeclarationError, Draft};

pub struct Cnm;

impl Declaration for Cnm {
    fn body(&self) -> Body {
        Body::Cnm
    }
    fn build(&self, _input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        unimplemented!()
    }
}
