//! Generates the client from `openapi/replicate.yaml` into `OUT_DIR`.

fn main() {
    modelhost_codegen::REPLICATE.build_script();
}
