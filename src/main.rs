//! Browser entry point: mounts the app on <body>.
fn main() {
    xai_web::start();
}
