//! The Images page's shared state: the history (kept in IndexedDB), the edit source, the image
//! open in the lightbox, and the open tab.
use leptos::{prelude::*, task::spawn_local};
use tonic::Code;

use super::{
    fetch::fetch_data_url,
    history::{self, Generation, GenerationKind, ImageBytes},
    store::ImageStore,
};
use crate::{
    chat::state::{new_id, now_ms},
    error::AppError,
    proto::ImageResponse,
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

/// Shared by the page's components through context. Copy.
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
    store: StoredValue<Option<ImageStore>, LocalStorage>,
}

impl ImagesState {
    pub fn new() -> Self {
        ImagesState {
            history: RwSignal::new(Vec::new()),
            load: RwSignal::new(HistoryLoad::Loading),
            store_error: RwSignal::new(None),
            edit_source: RwSignal::new(None),
            tab: RwSignal::new(Tab::Create),
            lightbox: RwSignal::new(None),
            create_result: RwSignal::new(None),
            edit_result: RwSignal::new(None),
            store: StoredValue::new_local(None),
        }
    }

    /// Opens the database and loads the history.
    pub fn open(self) {
        spawn_local(async move {
            let loaded = async {
                let store = ImageStore::open().await?;
                let all = super::history::newest_first(store.all().await?);
                Ok::<_, super::store::StoreError>((store, all))
            };
            match loaded.await {
                Ok((store, all)) => {
                    for early in self.history.get_untracked() {
                        if let Err(error) = store.put(&early).await {
                            self.store_error.set(Some(error.to_string()));
                        }
                    }
                    self.store.set_value(Some(store));
                    // Generations made while the database opened stay.
                    self.history.update(|history| all.into_iter().for_each(|g| history::insert(history, g)));
                    self.load.set(HistoryLoad::Ready);
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
        // The page may have been left while the call ran (its state is gone then): the
        // generation is still kept, through a store of its own.
        let saved = match self.store.try_get_value().flatten() {
            Some(store) => store.put(&generation).await,
            None if self.load.try_get_untracked() == Some(HistoryLoad::Loading) => Ok(()), // saved by `open`
            None => match ImageStore::open().await {
                Ok(store) => store.put(&generation).await,
                Err(error) => Err(error),
            },
        };
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
                if let Err(error) = store.delete(&id).await {
                    self.store_error.set(Some(error.to_string()));
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
