//! The lists fetched on demand for a user (groups, devices, sign-in history): which list,
//! its items, and whether it was cut short. Shared by the model and the worker.

use super::resources::collect_pages;
use super::{AuthEvent, Backend, CognitoError, Device, Group, Page, PoolId};

/// The lists fetched on demand, each in a pane of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Groups,
    Devices,
    SignIns,
}

impl ListKind {
    /// The API operation behind the list.
    pub fn operation(self) -> &'static str {
        match self {
            Self::Groups => "AdminListGroupsForUser",
            Self::Devices => "AdminListDevices",
            Self::SignIns => "AdminListUserAuthEvents",
        }
    }

    /// The list with no items yet.
    fn empty(self) -> Listing {
        match self {
            Self::Groups => Listing::Groups(Vec::new()),
            Self::Devices => Listing::Devices(Vec::new()),
            Self::SignIns => Listing::SignIns(Vec::new()),
        }
    }

    /// One page (60 at most) of this list for `username`, as a listing of its own.
    async fn page(
        self,
        backend: &dyn Backend,
        pool: &PoolId,
        username: &str,
        token: Option<&str>,
    ) -> Result<Page<Listing>, CognitoError> {
        const PAGE: i32 = 60;
        Ok(match self {
            Self::Groups => Listing::page(
                backend
                    .list_groups_for_user(pool, username, PAGE, token)
                    .await?,
                Listing::Groups,
            ),
            Self::Devices => Listing::page(
                backend.list_devices(pool, username, PAGE, token).await?,
                Listing::Devices,
            ),
            Self::SignIns => Listing::page(
                backend
                    .list_auth_events(pool, username, PAGE, token)
                    .await?,
                Listing::SignIns,
            ),
        })
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
    /// A page of items as a page of one listing.
    fn page<T>(page: Page<T>, listing: fn(Vec<T>) -> Listing) -> Page<Listing> {
        Page {
            items: vec![listing(page.items)],
            next_token: page.next_token,
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
    let (pages, more) =
        collect_pages(
            |token| async move { list.page(backend, pool, username, token.as_deref()).await },
        )
        .await?;
    let mut listing = list.empty();
    for page in pages {
        listing.append(page);
    }
    Ok(Fetched { listing, more })
}
