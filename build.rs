//! Build script: kensa.exe gets a manifest that declares it long-path aware (paths longer than
//! 260 characters, where Windows allows them) and names the Windows versions it was tested on.

fn main() {
    if std::env::var_os("CARGO_CFG_WINDOWS").is_some() {
        use embed_manifest::manifest::Setting;
        let manifest = embed_manifest::new_manifest("kensa").long_path_aware(Setting::Enabled);
        if let Err(e) = embed_manifest::embed_manifest(manifest) {
            println!("cargo:warning=kensa.exe のマニフェストを埋め込めません: {e}");
            std::process::exit(1);
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
