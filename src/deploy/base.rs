//! The base path. index.html sets a `<base href>` before anything loads, so assets and the
//! config file resolve under the deployment's path; links inside the app are made absolute
//! under the same base with [`href`].
use std::cell::RefCell;

thread_local! {
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the base path for [`href`] (startup does this once).
pub fn set_base(base: &str) {
    BASE.with(|cell| *cell.borrow_mut() = base.to_owned());
}

/// An app path ("/models") as a link under the deployment's base ("/tools/xai/models").
pub fn href(path: &str) -> String {
    BASE.with(|cell| format!("{}{path}", cell.borrow()))
}

/// The path part of `document.baseURI`, without its trailing slash:
/// "https://h.example/tools/xai/" gives "/tools/xai", "http://127.0.0.1:8080/" gives "".
pub fn base_from_document_uri(uri: &str) -> String {
    let after_scheme = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |start| &after_scheme[start..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    // The base names a directory: drop a file name after the last slash.
    let directory = path.rfind('/').map_or("", |end| &path[..end]);
    directory.to_owned()
}

/// The app route of a page path: `pathname` without the base ("/tools/xai/models" -> "/models").
pub fn route_of<'a>(pathname: &'a str, base: &str) -> &'a str {
    match pathname.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => pathname,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// index.html tells the app's root from a deep link by the first path segment of the
    /// routes: its list must name every top-level route of src/app.rs and the widget's.
    #[test]
    fn index_html_knows_every_top_level_route() {
        let index = include_str!("../../index.html");
        let list_start = index.find("(?:").expect("the route pattern in index.html") + 3;
        let list_end = list_start + index[list_start..].find(')').unwrap();
        let mut in_index: Vec<&str> = index[list_start..list_end].split('|').collect();
        let app = include_str!("../app.rs");
        let mut in_app: Vec<&str> = app
            .split("path!(\"/")
            .skip(1)
            .filter_map(|rest| rest.split(['/', '"']).next())
            .filter(|segment| !segment.is_empty())
            .chain(["embed"])
            .collect();
        in_index.sort_unstable();
        in_app.sort_unstable();
        in_app.dedup();
        assert_eq!(in_index, in_app);
    }

    #[test]
    fn base_paths_come_from_the_document_base() {
        assert_eq!(base_from_document_uri("http://127.0.0.1:8080/"), "");
        assert_eq!(base_from_document_uri("https://h.example/tools/xai/"), "/tools/xai");
        assert_eq!(base_from_document_uri("https://h.example/tools/xai/index.html?x=1"), "/tools/xai");
        assert_eq!(base_from_document_uri("https://h.example"), "");
    }

    #[test]
    fn links_and_routes_respect_the_base() {
        set_base("/tools/xai");
        assert_eq!(href("/models"), "/tools/xai/models");
        set_base("");
        assert_eq!(href("/models"), "/models");
        assert_eq!(route_of("/tools/xai/models/grok", "/tools/xai"), "/models/grok");
        assert_eq!(route_of("/tools/xai", "/tools/xai"), "/");
        assert_eq!(route_of("/tools/xaiother", "/tools/xai"), "/tools/xaiother");
        assert_eq!(route_of("/embed", ""), "/embed");
    }
}
