//! A panic must never leave a class staring at a frozen page: the hook writes a visible
//! banner (plain DOM, no Yew: Yew may be what broke) and logs the details to the console.
//! The banner cannot trust the page's state to know its language, so it says it in both.

pub const BANNER_ID: &str = "error-banner";

/// The window event that makes the page panic on purpose, so a browser journey can check
/// that a real panic shows the banner. Only a script can send it (no key or control
/// does), and all it can do is stop the page, which a reload undoes.
pub const TEST_PANIC_EVENT: &str = "raft-playground-test-panic";

/// Installs the banner as the panic hook. Through Yew's own setter: a plain
/// `std::panic::set_hook` is replaced by Yew's console-only hook when the renderer starts.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let detail = info.to_string();
        web_sys::console::error_1(&format!("Raft Playground crashed: {detail}").into());
        show_banner(&detail);
    }));
}

/// Shows (or replaces) the error banner at the top of the page.
pub fn show_banner(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let banner = match document.get_element_by_id(BANNER_ID) {
        Some(existing) => existing,
        None => {
            let Ok(created) = document.create_element("div") else {
                return;
            };
            created.set_id(BANNER_ID);
            let _ = created.set_attribute("role", "alert");
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&created);
            }
            created
        }
    };
    banner.set_inner_html("");
    let text = format!(
        "Raft Playground stopped because of a bug. Reload the page to start again. \
         Raft Playground 因程序错误停止了运行，请重新加载页面。Details / 详情：{detail}"
    );
    banner.set_text_content(Some(&text));
}
