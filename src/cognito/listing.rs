//! The lists fetched on demand for a user (groups, devices, sign-in history): which list,
//! its items, and whether it was cut short. Shared by the model and the worker. A new list
//! is a [`ListKind`] and a [`Listing`] variant here, an [`Op`], and one arm in each backend.

use super::resources::collect_pages;
use super::{AuthEvent, Backend, CognitoError, Device, Group, Op, Page, PageRequest, PoolId};

/// The lists fetched on demand, each in a pane of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Groups,
    Devices,
    SignIns,
}

impl ListKind {
    /// The operation that lists it, one request a page.
    pub fn op(self) -> Op {
        match self {
            Self::Groups => Op::LIST_GROUPS_FOR_USER,
            Self::Devices => Op::LIST_DEVICES,
            Self::SignIns => Op::LIST_AUTH_EVENTS,
        }
    }

    /// The API operation behind the list.
    pub fn operation(self) -> &'static str {
        self.op().name
    }

    /// The list with no items yet.
    fn empty(self) -> Listing {
        match self {
            Self::Groups => Listing::Groups(Vec::new()),
            Self::Devices => Listing::Devices(Vec::new()),
            Self::SignIns => Listing::SignIns(Vec::new()),
        }
    }

    /// "groups", for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Groups => "groups",
            Self::Devices => "devices",
            Self::SignIns => "sign-in history",
        }
    }
}

/// The items of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    Groups(Vec<Group>),
    Devices(Vec<Device>),
    SignIns(Vec<AuthEvent>),
}

impl Listing {
    /// How many items the list holds, whatever their kind.
    pub fn item_count(&self) -> usize {
        match self {
            Listing::Groups(items) => items.len(),
            Listing::Devices(items) => items.len(),
            Listing::SignIns(items) => items.len(),
        }
    }

    /// Adds the items of `next`, a later page of the same list.
    fn append(&mut self, next: Listing) {
        match (self, next) {
            (Self::Groups(items), Self::Groups(more)) => items.extend(more),
            (Self::Devices(items), Self::Devices(more)) => items.extend(more),
            (Self::SignIns(items), Self::SignIns(more)) => items.extend(more),
            // Pages of one list are all of its kind.
            _ => {}
        }
    }
}

/// One page of a user's list, as [`Backend::list_for_user`] answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingPage {
    pub listing: Listing,
    pub next_token: Option<String>,
}

impl ListingPage {
    /// A page of items as a page of `listing` (the list's variant).
    pub fn of<T>(page: Page<T>, listing: fn(Vec<T>) -> Listing) -> Self {
        Self {
            listing: listing(page.items),
            next_token: page.next_token,
        }
    }
}

/// A fetched list and whether it was cut at `MAX_PAGES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub listing: Listing,
    pub more: bool,
}

/// Every page of `list` for `username` (60 a page, at most `MAX_PAGES`).
pub async fn fetch_list(
    backend: &dyn Backend,
    pool: &PoolId,
    username: &str,
    list: ListKind,
) -> Result<Fetched, CognitoError> {
    let (pages, more) = collect_pages(|token| async move {
        let page = PageRequest::after(60, token.as_deref());
        let ListingPage {
            listing,
            next_token,
        } = backend.list_for_user(pool, username, list, page).await?;
        Ok(Page {
            items: vec![listing],
            next_token,
        })
    })
    .await?;
    let mut listing = list.empty();
    for page in pages {
        listing.append(page);
    }
    Ok(Fetched { listing, more })
}
