//! Generates the client from `openapi/baseten.yaml` (in this package; a link to the
//! workspace's spec in a checkout) into `OUT_DIR`.

fn main() {
    modelhost_codegen::BASETEN.build_script();
}
