//! The Images page's shared state: the history (kept in IndexedDB), the forms as typed, the
//! calls in flight, the edit source, the image open in the lightbox, and the open tab. The app
//! creates it once (see [`crate::work`]): a generation finishes and is kept while other pages
//! are shown, and the page shows it when it comes back.
use leptos::{prelude::*, task::spawn_local};
use tonic::Code;

use super::{
    fetch::fetch_data_url,
    history::{self, Generation, GenerationKind, ImageBytes},
    options::ImageParams,
    run::GenerationRun,
    saved::{SavedForm, SavedImages, KEY},
    store::ImageStore,
    sync::{Announcement, Channel},
};
use crate::{
    error::AppError,
    proto::{ImageAspectRatio, ImageResponse},
    storage::local,
    work::{
        clock::{new_id, now_ms},
        live_calls,
    },
};

/// Which form is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Create,
    Edit,
}

/// The history as loaded from the device.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryLoad {
    Loading,
    Ready,
    Failed(String),
}

/// An image open in full size.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewed {
    pub data_url: String,
    pub file_name: String,
    pub caption: String,
}

/// What a finished call is recorded with.
pub struct Asked {
    pub kind: GenerationKind,
    pub prompt: String,
    pub aspect_ratio: i32,
    pub source: Option<String>,
}

/// Created once by the app and shared through context (the page and its components borrow it).
/// Copy.
#[derive(Clone, Copy)]
pub struct ImagesState {
    pub history: RwSignal<Vec<Generation>>,
    pub load: RwSignal<HistoryLoad>,
    /// Saving on the device failed (the generation stays on screen until reload).
    pub store_error: RwSignal<Option<String>>,
    /// The image to edit (a data URL).
    pub edit_source: RwSignal<Option<String>>,
    pub tab: RwSignal<Tab>,
    pub lightbox: RwSignal<Option<Viewed>>,
    /// The last generation of each form, shown under it (and not again in the history list).
    pub create_result: RwSignal<Option<String>>,
    pub edit_result: RwSignal<Option<String>>,
    /// The forms as typed, and the edit's reference images (data URLs).
    pub create_params: RwSignal<ImageParams>,
    pub edit_params: RwSignal<ImageParams>,
    pub references: RwSignal<Vec<String>>,
    /// Each form's call in flight.
    pub create_run: GenerationRun,
    pub edit_run: GenerationRun,
    store: StoredValue<Option<ImageStore>, LocalStorage>,
    /// The other tabs' news of the history (see [`super::sync`]).
    pub(super) channel: StoredValue<Channel, LocalStorage>,
    /// The history is opened on the first visit to the page, once.
    opened: StoredValue<bool, LocalStorage>,
}

impl ImagesState {
    /// The state with the forms and tab as this tab's last page left them (see
    /// [`super::saved`]), kept from now on.
    pub fn new() -> Self {
        let saved = local::get_for_tab::<SavedImages>(KEY).unwrap_or_default();
        let state = Self::fresh();
        let forms = [(saved.create, state.create_params, state.create_run), (saved.edit, state.edit_params, state.edit_run)];
        for (form, params, run) in forms {
            if let Some(form) = form {
                params.set(form.params(params.get_untracked()));
                // A call another tab runs (this one a copy of it) was not cut short here.
                let cut_short = !live_calls::running_elsewhere(form.call.as_deref());
                run.interrupted.set(form.running.filter(|_| cut_short));
            }
        }
        if saved.edit_tab {
            state.tab.set(Tab::Edit);
        }
        Effect::new(move |_| {
            let form = |params: RwSignal<ImageParams>, run: GenerationRun| {
                // A call a reload cut short stays noted until the next one starts.
                let running = run.step.get().or_else(|| run.interrupted.get());
                params.with(|params| SavedForm::of(params, running, run.call.get()))
            };
            let saved = SavedImages {
                create: Some(form(state.create_params, state.create_run)),
                edit: Some(form(state.edit_params, state.edit_run)),
                edit_tab: state.tab.get() == Tab::Edit,
            };
            // A call the page's going aborts was cut short: the next page says so.
            if !live_calls::page_is_going() {
                local::set_for_tab(KEY, &saved);
            }
        });
        state
    }

    fn fresh() -> Self {
        ImagesState {
            history: RwSignal::new(Vec::new()),
            load: RwSignal::new(HistoryLoad::Loading),
            store_error: RwSignal::new(None),
            edit_source: RwSignal::new(None),
            tab: RwSignal::new(Tab::Create),
            lightbox: RwSignal::new(None),
            create_result: RwSignal::new(None),
            edit_result: RwSignal::new(None),
            create_params: RwSignal::new(ImageParams::default()),
            edit_params: RwSignal::new(ImageParams { aspect_ratio: ImageAspectRatio::Auto, ..Default::default() }),
            references: RwSignal::new(Vec::new()),
            create_run: GenerationRun::new(),
            edit_run: GenerationRun::new(),
            store: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
            opened: StoredValue::new_local(false),
        }
    }

    /// Opens the database and loads the history (the first time only: later visits of the page
    /// show what is in memory).
    pub fn open(self) {
        if self.opened.get_value() {
            return;
        }
        self.opened.set_value(true);
        spawn_local(async move {
            let loaded = async {
                let store = ImageStore::open().await?;
                let all = super::history::newest_first(store.all().await?);
                Ok::<_, super::store::StoreError>((store, all))
            };
            match loaded.await {
                Ok((store, all)) => {
                    // From here on, a generation that finishes saves itself; the ones that
                    // finished while the database opened (all in `history` by now) are saved
                    // below, and stay on screen.
                    self.store.set_value(Some(store.clone()));
                    self.listen_to_other_tabs(store.clone());
                    let early = self.history.get_untracked();
                    self.history.update(|history| all.into_iter().for_each(|g| history::insert(history, g)));
                    self.load.set(HistoryLoad::Ready);
                    for early in early {
                        match store.put(&early).await {
                            Ok(()) => self.announce(&Announcement::Kept { id: early.id }),
                            Err(error) => self.store_error.set(Some(error.to_string())),
                        }
                    }
                }
                Err(error) => self.load.set(HistoryLoad::Failed(error.to_string())),
            }
        });
    }

    /// Turns an answer into a kept generation: URL images are fetched so their bytes are kept.
    /// Shown at once; saved on the device as well (a failure to save is reported, not fatal).
    pub async fn record(self, asked: Asked, response: ImageResponse, endpoint: &str) -> Result<Generation, AppError> {
        let unusable = |detail: String| AppError::client(Code::DataLoss, detail);
        let mut images = Vec::new();
        for pending in history::pending_images(&response, endpoint).map_err(unusable)? {
            let data_url = match &pending.bytes {
                ImageBytes::Inline(data_url) => data_url.clone(),
                ImageBytes::Remote(url) => fetch_data_url(url).await.map_err(unusable)?,
            };
            images.push(pending.stored(data_url));
        }
        let generation = Generation {
            id: new_id(),
            created_ms: now_ms(),
            kind: asked.kind,
            prompt: asked.prompt,
            model: response.model,
            aspect_ratio: asked.aspect_ratio,
            cost_usd_ticks: response.usage.map(|u| u.cost_usd_ticks).unwrap_or_default(),
            source: asked.source,
            images,
        };
        self.history.update(|history| history::insert(history, generation.clone()));
        let slot = match generation.kind {
            GenerationKind::Create => self.create_result,
            GenerationKind::Edit => self.edit_result,
        };
        slot.set(Some(generation.id.clone()));
        let saved = match self.store.get_value() {
            Some(store) => store.put(&generation).await,
            None if self.load.get_untracked() == HistoryLoad::Loading => Ok(()), // saved by `open`
            // The history could not be opened: one more try, for this generation.
            None => match ImageStore::open().await {
                Ok(store) => store.put(&generation).await,
                Err(error) => Err(error),
            },
        };
        if saved.is_ok() {
            self.announce(&Announcement::Kept { id: generation.id.clone() });
        }
        self.store_error.set(saved.err().map(|error| error.to_string()));
        Ok(generation)
    }

    /// A generation by id.
    pub fn find(self, id: &str) -> Option<Generation> {
        self.history.with(|history| history.iter().find(|g| g.id == id).cloned())
    }

    /// Deletes a generation from the screen and the device.
    pub fn delete(self, id: String) {
        self.history.update(|history| {
            history::remove(history, &id);
        });
        if let Some(store) = self.store.get_value() {
            spawn_local(async move {
                match store.delete(&id).await {
                    Ok(()) => self.announce(&Announcement::Deleted { id }),
                    Err(error) => self.store_error.set(Some(error.to_string())),
                }
            });
        }
    }

    /// Makes an image the edit source and shows the edit form.
    pub fn edit_from(self, data_url: String) {
        self.edit_source.set(Some(data_url));
        self.tab.set(Tab::Edit);
        self.lightbox.set(None);
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

impl Default for ImagesState {
    fn default() -> Self {
        Self::new()
    }
}
