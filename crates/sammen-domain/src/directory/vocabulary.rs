//! The vocabularies activities are described with. Their terms are data (the taxonomy, which a
//! municipality extends without a release); the vocabularies themselves are the code's.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// A vocabulary of the taxonomy.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Vocabulary ("vocabulary") {
        ActivityType = "activity_type",
        TargetGroup = "target_group",
        Accessibility = "accessibility",
        FirstVisitSupport = "first_visit_support",
        VolunteerRole = "volunteer_role",
    }
}

impl Vocabulary {
    /// The name of a list of its codes: the activity's field, the taxonomy's list
    /// (`activity_types`, `target_groups`, `accessibility`, `first_visit_support`,
    /// `volunteer_roles`). Filters and facets use the singular, `as_str`.
    pub fn plural(self) -> &'static str {
        match self {
            Vocabulary::ActivityType => "activity_types",
            Vocabulary::TargetGroup => "target_groups",
            Vocabulary::Accessibility => "accessibility",
            Vocabulary::FirstVisitSupport => "first_visit_support",
            Vocabulary::VolunteerRole => "volunteer_roles",
        }
    }

    /// The most of its codes one activity may name.
    pub fn max_per_activity(self) -> usize {
        match self {
            Vocabulary::TargetGroup => 15,
            Vocabulary::Accessibility => 20,
            _ => 10,
        }
    }

    /// Its name in Danish and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Vocabulary::ActivityType => ("Aktivitetstyper", "Activity types"),
            Vocabulary::TargetGroup => ("Målgrupper", "Target groups"),
            Vocabulary::Accessibility => ("Tilgængelighed", "Accessibility"),
            Vocabulary::FirstVisitSupport => ("Støtte til første besøg", "First-visit support"),
            Vocabulary::VolunteerRole => ("Frivilligroller", "Volunteer roles"),
        }
    }
}

/// The codes the taxonomy holds now, to check content and filters against.
#[derive(Debug, Clone, Default)]
pub struct KnownCodes {
    pub terms: HashMap<Vocabulary, HashSet<String>>,
    pub districts: HashSet<String>,
    pub housing_areas: HashSet<String>,
}

impl KnownCodes {
    /// The codes of one vocabulary (none if it has no terms yet).
    pub fn terms(&self, vocabulary: Vocabulary) -> &HashSet<String> {
        static NONE: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
        self.terms.get(&vocabulary).unwrap_or_else(|| NONE.get_or_init(HashSet::new))
    }

    pub fn add_term(&mut self, vocabulary: Vocabulary, code: impl Into<String>) {
        self.terms.entry(vocabulary).or_default().insert(code.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vocabulary_has_its_names_and_limits() {
        let plurals: Vec<&str> = Vocabulary::ALL.iter().map(|v| v.plural()).collect();
        assert_eq!(
            plurals,
            ["activity_types", "target_groups", "accessibility", "first_visit_support", "volunteer_roles"]
        );
        assert_eq!(Vocabulary::TargetGroup.max_per_activity(), 15);
        let mut known = KnownCodes::default();
        known.add_term(Vocabulary::TargetGroup, "dementia");
        assert!(known.terms(Vocabulary::TargetGroup).contains("dementia"));
        assert!(known.terms(Vocabulary::VolunteerRole).is_empty());
    }
}
