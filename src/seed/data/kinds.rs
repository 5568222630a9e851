//! What a kind of activity is made of: its rhythm, its audiences and the ranges its activities are
//! drawn from.

use super::*;

pub(super) const WEEKDAYS: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];
pub(super) const NOT_SUNDAY: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday];

/// How often an activity of a kind usually happens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rhythm {
    /// Mostly weekly, some every other week or monthly, rarely a one-off.
    Regular,
    /// Monthly, or on a few dates (talks, excursions).
    Occasional,
}

/// Which audiences an activity of a kind may be aimed at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Audiences {
    /// Any of [`AUDIENCES`], by weight.
    Any,
    /// Only older people with a minority background ([`Audience::minority`]).
    Minority,
    /// Only the template's own target groups, in Danish.
    Fixed,
}

/// One kind of activity: the texts and the ranges its activities are drawn from. A name holds
/// `{sted}`, replaced by where it is ("på Nørrebro", "i Sydhavnen").
pub struct ActivityTemplate {
    pub names: &'static [&'static str],
    /// Plain-language summaries; with the audience's sentence at most 300 characters.
    pub summaries: &'static [&'static str],
    pub description: &'static str,
    pub activity_types: &'static [&'static str],
    /// Target groups every activity of the kind has.
    pub target_groups: &'static [&'static str],
    pub audiences: Audiences,
    pub mode: Mode,
    /// Where it meets, when the organisation has no venue of its own; empty for [`VENUES`].
    pub venues: &'static [&'static str],
    /// The accessibility features to draw from (in person only).
    pub accessibility: &'static [&'static str],
    pub first_visit_support: &'static [&'static str],
    pub rhythm: Rhythm,
    pub weekdays: &'static [Weekday],
    /// Local start times (hour, minute).
    pub start_times: &'static [(u32, u32)],
    pub durations: &'static [u32],
    /// Places (from, to), or none for no limit.
    pub capacity: Option<(i32, i32)>,
    /// How many in a hundred cost money, and the price range in øre.
    pub paid_percent: u32,
    pub price_ore: (i64, i64),
    /// How many in a hundred need registration, and what to add to how to sign up.
    pub registration_percent: u32,
    pub registration_note: &'static str,
    /// How many in a hundred seek volunteers, and for which roles.
    pub volunteer_percent: u32,
    pub volunteer_roles: &'static [&'static str],
}
