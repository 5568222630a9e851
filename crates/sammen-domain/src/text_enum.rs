//! Enumerations kept as text: in database columns, JSON and query strings alike.

/// A text that names no variant of an enumeration (a bad query value, or a stored value the code
/// no longer knows: a bug or a manual edit).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a {what}; expected one of: {expected}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
    pub expected: String,
}

/// Defines an enumeration whose variants are written as lower snake_case text, with the one
/// conversion between text and variant everything uses: `ALL`, `as_str`, `parse`, `FromStr`,
/// `TryFrom<String>` (how the store reads a column) and `Display`.
///
/// ```ignore
/// text_enum! {
///     /// A listing's state.
///     #[derive(Serialize, Deserialize)]
///     #[serde(rename_all = "snake_case")]
///     pub enum ListingStatus ("listing status") { Draft = "draft", Published = "published" }
/// }
/// ```
/// Serde's names must be the same texts; `tests::serde_names_are_the_text_names` checks every
/// enumeration defined with this macro.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The variant's text.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant named `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::text_enum::UnknownValue;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text).ok_or_else(|| $crate::text_enum::UnknownValue {
                    what: $what,
                    value: text.chars().take(100).collect(),
                    expected: [$($text),+].join(", "),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::text_enum::UnknownValue;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                text.parse()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::directory::activity::Mode;
    use crate::directory::moderation::ListingStatus;
    use crate::directory::organisation::OrganisationKind;
    use crate::directory::vocabulary::Vocabulary;
    use crate::identity::{Role, Scope};

    /// Serialises every variant with serde and compares with the macro's text.
    fn same_names<T: serde::Serialize + Copy + std::fmt::Display>(all: &[T]) {
        for v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(v.to_string()));
        }
    }

    #[test]
    fn serde_names_are_the_text_names() {
        same_names(&ListingStatus::ALL);
        same_names(&OrganisationKind::ALL);
        same_names(&Mode::ALL);
        same_names(&Role::ALL);
        same_names(&Scope::ALL);
        same_names(&Vocabulary::ALL);
    }

    #[test]
    fn text_round_trips_and_unknown_text_says_what_was_expected() {
        for status in ListingStatus::ALL {
            assert_eq!(status.as_str().parse::<ListingStatus>(), Ok(status));
            assert_eq!(ListingStatus::try_from(status.to_string()), Ok(status));
        }
        let err = "deleted".parse::<ListingStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "`deleted` is not a listing status; expected one of: draft, submitted, published, rejected, withdrawn"
        );
    }
}
