//! The panes of a user: their Tab order (the digit keys), titles, and which are lists fetched
//! when opened.

use crate::cognito::listing::ListKind;

/// The panes, in Tab order. Groups, Devices and Sign-ins share the lower half of the screen
/// with Attributes and MFA, as tabs, and are fetched only when opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Attributes,
    Status,
    Mfa,
    Groups,
    Devices,
    SignIns,
}

impl Pane {
    /// Tab order, which is also the order of the digit keys 1-6.
    pub const ALL: [Pane; 6] = [
        Pane::Status,
        Pane::Attributes,
        Pane::Mfa,
        Pane::Groups,
        Pane::Devices,
        Pane::SignIns,
    ];

    /// Title on the pane's border.
    pub fn title(self) -> &'static str {
        match self {
            Self::Attributes => "Attributes",
            Self::Status => "Status",
            Self::Mfa => "MFA",
            Self::Groups => "Groups",
            Self::Devices => "Devices",
            Self::SignIns => "Sign-ins",
        }
    }

    /// Position in [`Pane::ALL`]; the digit key is this plus one.
    pub fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|p| *p == self)
            .expect("every pane is in Pane::ALL")
    }

    /// The list this pane shows, for the panes fetched on demand.
    pub fn list(self) -> Option<ListKind> {
        match self {
            Self::Groups => Some(ListKind::Groups),
            Self::Devices => Some(ListKind::Devices),
            Self::SignIns => Some(ListKind::SignIns),
            _ => None,
        }
    }
}
