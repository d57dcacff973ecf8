//! Astp: placeholder until the builder lands.

use crate::{Body, BuildInput, Declaration, DeclarationError, Draft};

pub struct Astp;

impl Declaration for Astp {
    fn body(&self) -> Body {
        Body::Astp
    }
    fn build(&self, _input: &BuildInput<'_>) -> Result<Draft, DeclarationError> {
        unimplemented!()
    }
}
