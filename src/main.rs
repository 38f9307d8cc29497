fn main() {
    #[cfg(target_arch = "wasm32")]
    raft_playground::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("Raft Playground runs in the browser: `make serve`, then open http://127.0.0.1:8080");
}
