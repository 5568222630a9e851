//! Equal access, measured: per round, how applications and money went by the applicant's size,
//! kind, registered or informal, and first-time or repeat. Counts and sums only, no names.

use std::collections::BTreeMap;

use serde::Serialize;

use super::application::{ApplicationStatus, SizeBand};
use crate::directory::organisation::OrganisationKind;

/// One submitted application, as the statistics see it.
#[derive(Debug, Clone)]
pub struct Applied {
    pub kind: OrganisationKind,
    pub size_band: Option<SizeBand>,
    /// No earlier application of the organisation was submitted (in any round).
    pub first_time: bool,
    pub status: ApplicationStatus,
    pub requested_ore: i64,
    pub awarded_ore: Option<i64>,
}

/// The figures of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub applications: u32,
    /// Applications decided (awarded, rejected or found ineligible).
    pub decided: u32,
    pub awarded: u32,
    pub requested_ore: i64,
    pub awarded_ore: i64,
    /// Awarded of decided, in per cent with one decimal; `None` before any decision.
    pub success_rate_percent: Option<f64>,
}

impl Group {
    fn add(&mut self, a: &Applied) {
        self.applications += 1;
        self.requested_ore += a.requested_ore;
        let decided = !matches!(
            a.status,
            ApplicationStatus::Submitted
                | ApplicationStatus::InformationRequested
                | ApplicationStatus::InReview
                | ApplicationStatus::Waitlisted
                | ApplicationStatus::Withdrawn
                | ApplicationStatus::Declined
                | ApplicationStatus::Draft
        );
        if decided {
            self.decided += 1;
        }
        if let Some(amount) = a.awarded_ore {
            self.awarded += 1;
            self.awarded_ore += amount;
        }
        self.success_rate_percent =
            (self.decided > 0).then(|| (f64::from(self.awarded) * 1000.0 / f64::from(self.decided)).round() / 10.0);
    }
}

/// A round's equal-access statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub total: Group,
    /// By size band (`unknown` where the applicant did not say).
    pub by_size_band: BTreeMap<String, Group>,
    /// By kind of organisation.
    pub by_kind: BTreeMap<String, Group>,
    /// `informal` (informal groups) and `registered` (the rest).
    pub by_registration: BTreeMap<String, Group>,
    /// `first_time` and `repeat`.
    pub by_experience: BTreeMap<String, Group>,
}

/// The statistics of submitted applications (drafts are not counted).
pub fn statistics(applied: &[Applied]) -> Statistics {
    let mut s = Statistics::default();
    for a in applied.iter().filter(|a| a.status.submitted()) {
        s.total.add(a);
        let band = a.size_band.map_or("unknown", SizeBand::as_str);
        s.by_size_band.entry(band.to_owned()).or_default().add(a);
        s.by_kind.entry(a.kind.as_str().to_owned()).or_default().add(a);
        let registration = if a.kind == OrganisationKind::InformalGroup { "informal" } else { "registered" };
        s.by_registration.entry(registration.to_owned()).or_default().add(a);
        let experience = if a.first_time { "first_time" } else { "repeat" };
        s.by_experience.entry(experience.to_owned()).or_default().add(a);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(kind: OrganisationKind, first_time: bool, status: ApplicationStatus, awarded: Option<i64>) -> Applied {
        Applied {
            kind,
            size_band: Some(SizeBand::Micro),
            first_time,
            status,
            requested_ore: 1000,
            awarded_ore: awarded,
        }
    }

    #[test]
    fn groups_count_and_rate() {
        use ApplicationStatus as S;
        let s = statistics(&[
            applied(OrganisationKind::InformalGroup, true, S::Accepted, Some(800)),
            applied(OrganisationKind::InformalGroup, false, S::Rejected, None),
            applied(OrganisationKind::Ngo, true, S::InReview, None),
            applied(OrganisationKind::Ngo, true, S::Draft, None),
        ]);
        assert_eq!(s.total.applications, 3, "drafts are not counted");
        assert_eq!((s.total.decided, s.total.awarded, s.total.awarded_ore), (2, 1, 800));
        assert_eq!(s.by_registration["informal"].success_rate_percent, Some(50.0));
        assert_eq!(s.by_registration["registered"].success_rate_percent, None);
        assert_eq!(s.by_experience["first_time"].applications, 2);
        assert_eq!(s.by_kind["ngo"].requested_ore, 1000);
    }
}
