//! The facade shared through Leptos's context: the app's root provides one [`Api`]; every page
//! and component that makes a call takes it with [`use_api`].
use leptos::prelude::*;

use super::Api;

/// The facade in context (not Send: it lives on the page's thread).
type ApiContext = StoredValue<Api, LocalStorage>;

/// Makes `api` the facade of everything below the current owner (the app's root).
pub fn provide_api(api: Api) {
    provide_context::<ApiContext>(StoredValue::new_local(api));
}

/// The facade from context.
pub fn use_api() -> Api {
    expect_context::<ApiContext>().get_value()
}
