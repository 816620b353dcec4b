//! Generates the client from `openapi/baseten.yaml` into `OUT_DIR`.

fn main() {
    modelhost_codegen::BASETEN.build_script();
}
