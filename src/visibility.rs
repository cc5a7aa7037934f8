//! Who may see a part of what a person tells about themselves: everyone, the center's
//! members, its coordinators (and the secretariat), or nobody but the person. Nothing
//! personal is shown to the public unless the person chose it: the default is nobody.

use crate::account::{Account, Role};
use crate::i18n::Lang;

/// Who a person lets see one part of their profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Members,
    Coordinators,
    #[default]
    Nobody,
}

crate::text_code!(Visibility {
    Public = "public",
    Members = "members",
    Coordinators = "coordinators",
    Nobody = "nobody",
});

/// Who is looking, from the least to the most trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Viewer {
    /// Not logged in.
    Public,
    /// A member of the center.
    Member,
    /// A coordinator or the secretariat.
    Coordinator,
}

impl Viewer {
    /// The viewer an account (or nobody logged in) is.
    pub fn of(account: Option<&Account>) -> Viewer {
        match account.map(|a| a.role) {
            None => Viewer::Public,
            Some(Role::Member) => Viewer::Member,
            Some(Role::Coordinator | Role::Admin) => Viewer::Coordinator,
        }
    }

    /// The codes of the choices shown to this viewer, for SQL's `col IN ($a, $b, $c)`
    /// (padded with `public`, which everyone sees), so that queries apply
    /// [`Visibility::shows_to`] rather than a rule of their own.
    pub fn codes_shown(self) -> [&'static str; 3] {
        let mut codes = [Visibility::Public.code(); 3];
        let shown = Visibility::ALL.into_iter().filter(|v| v.shows_to(self));
        for (slot, v) in codes.iter_mut().zip(shown) {
            *slot = v.code();
        }
        codes
    }
}

impl Visibility {
    /// Whether the viewer may see what is shown this way.
    pub fn shows_to(self, viewer: Viewer) -> bool {
        match self {
            Visibility::Public => true,
            Visibility::Members => viewer >= Viewer::Member,
            Visibility::Coordinators => viewer >= Viewer::Coordinator,
            Visibility::Nobody => false,
        }
    }

    /// The choice as people read it (公開, 会員のみ, …).
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("visibility-{}", self.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_shows_to_whom_it_says() {
        let viewers = [Viewer::Public, Viewer::Member, Viewer::Coordinator];
        let seen = |v: Visibility| viewers.iter().map(|w| v.shows_to(*w)).collect::<Vec<_>>();
        assert_eq!(seen(Visibility::Public), [true, true, true]);
        assert_eq!(seen(Visibility::Members), [false, true, true]);
        assert_eq!(seen(Visibility::Coordinators), [false, false, true]);
        assert_eq!(seen(Visibility::Nobody), [false, false, false]);
        assert_eq!(Visibility::default(), Visibility::Nobody, "nothing personal shown by default");
        assert_eq!(Viewer::Public.codes_shown(), ["public"; 3]);
        assert_eq!(Viewer::Member.codes_shown(), ["public", "members", "public"]);
        assert_eq!(Viewer::Coordinator.codes_shown(), ["public", "members", "coordinators"]);
    }
}
