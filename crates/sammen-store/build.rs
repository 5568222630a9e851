// Re-embed the migrations whenever a file under migrations/ changes (embed_migrations! docs).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
