//! A generation in flight (Image.CreateImage or Image.EditImage). It belongs to the app's
//! [`ImagesState`], not to the form that started it: leaving the page lets it finish and land in
//! the history, and the form, when the page comes back, shows its progress or its result.
use std::future::Future;

use leptos::{prelude::*, task::spawn_local};

use super::{
    history::GenerationKind,
    state::{Asked, ImagesState},
};
use crate::{
    api::Api,
    error::AppError,
    proto::{ImageEditRequest, ImageRequest, ImageResponse},
    work::{clock::now_ms, live_calls::LiveCall},
};

/// One form's call: what it is doing while it runs, since when, and how the last one failed.
#[derive(Clone, Copy)]
pub struct GenerationRun {
    /// What is happening ("Drawing 2 image(s)"); None when no call runs.
    pub step: RwSignal<Option<String>>,
    /// When the call started (for the seconds shown beside the progress bar).
    pub started_ms: RwSignal<f64>,
    /// The last call's failure, until the next call starts.
    pub error: RwSignal<Option<AppError>>,
    /// What the call a reload cut short was doing, until the next call starts.
    pub interrupted: RwSignal<Option<String>>,
    /// The running call's id in [`crate::work::live_calls`] (kept with the form, so that a copy
    /// of this tab can tell that the call runs on here).
    pub call: RwSignal<Option<String>>,
}

impl GenerationRun {
    /// No call yet.
    pub fn new() -> Self {
        GenerationRun {
            step: RwSignal::new(None),
            started_ms: RwSignal::new(0.0),
            error: RwSignal::new(None),
            interrupted: RwSignal::new(None),
            call: RwSignal::new(None),
        }
    }

    /// Whether a call runs (tracked).
    pub fn pending(self) -> bool {
        self.step.with(Option::is_some)
    }
}

impl Default for GenerationRun {
    fn default() -> Self {
        Self::new()
    }
}

/// What the progress says: "Drawing 2 image(s)".
pub fn step_label(verb: &str, count: Option<i32>) -> String {
    format!("{verb} {} image(s)", count.unwrap_or(1))
}

impl ImagesState {
    /// Draws the images of `request` (unless the create form's call is under way).
    pub fn create_images(self, api: Api, request: ImageRequest) {
        let asked =
            Asked { kind: GenerationKind::Create, prompt: request.prompt.clone(), aspect_ratio: request.aspect_ratio, source: None };
        let label = step_label("Drawing", request.n);
        let call = {
            let api = api.clone();
            async move { api.create_image(request).await }
        };
        self.generate(self.create_run, api, asked, label, call);
    }

    /// Edits the image of `request` (unless the edit form's call is under way).
    pub fn edit_image(self, api: Api, request: ImageEditRequest) {
        let source = request.image.as_ref().map(|image| image.url.clone());
        let asked = Asked { kind: GenerationKind::Edit, prompt: request.prompt.clone(), aspect_ratio: request.aspect_ratio, source };
        let label = step_label("Editing into", request.n);
        let call = {
            let api = api.clone();
            async move { api.edit_image(request).await }
        };
        self.generate(self.edit_run, api, asked, label, call);
    }

    /// Runs `call` as `run`'s call and keeps what it answers.
    fn generate(
        self,
        run: GenerationRun,
        api: Api,
        asked: Asked,
        label: String,
        call: impl Future<Output = Result<ImageResponse, AppError>> + 'static,
    ) {
        if run.step.with_untracked(Option::is_some) {
            return;
        }
        run.error.set(None);
        run.interrupted.set(None);
        run.started_ms.set(now_ms());
        let live = LiveCall::begin();
        run.call.set(Some(live.id().to_owned()));
        run.step.set(Some(label));
        spawn_local(async move {
            let kept = async {
                let response = call.await?;
                run.step.set(Some("Keeping the images".to_owned()));
                self.record(asked, response, &api.endpoint()?).await
            };
            let outcome = kept.await;
            // Off the list (also when this future is dropped with the page).
            drop(live);
            run.error.set(outcome.err());
            run.call.set(None);
            run.step.set(None);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_names_what_is_made_and_how_many() {
        assert_eq!(step_label("Drawing", Some(3)), "Drawing 3 image(s)");
        assert_eq!(step_label("Editing into", None), "Editing into 1 image(s)");
    }
}
