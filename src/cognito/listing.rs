//! The lists fetched on demand for a user (groups, devices, sign-in history): which list,
//! its items, and whether it was cut short. Shared by the model and the worker.

use super::{AuthEvent, Device, Group};

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

/// A fetched list and whether it was cut at `MAX_PAGES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub listing: Listing,
    pub more: bool,
}
