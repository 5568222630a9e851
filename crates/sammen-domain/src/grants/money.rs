//! Money: integer øre, never floats. A pool's committed, disbursed and remaining figures are sums
//! over its ledger; the pool row keeps them as a cache, written in the ledger entry's transaction.

use serde::{Deserialize, Serialize};

/// 80,000 kr: the largest small grant (Københavns Kommune's all-year track).
pub const SMALL_GRANT_LIMIT_ORE: i64 = 8_000_000;

/// The most a pool may hold: 10 billion kr, far beyond any pool, well within `i64`.
pub const MAX_BUDGET_ORE: i64 = 1_000_000_000_000;

crate::text_enum! {
    /// What a ledger entry records. IATI's transaction types: a commitment is type 2, a
    /// disbursement type 3; a release gives back committed money not paid, a reclaim money paid
    /// and returned.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum LedgerKind ("kind of ledger entry") {
        Commitment = "commitment",
        Release = "release",
        Disbursement = "disbursement",
        Reclaim = "reclaim",
    }
}

/// A pool's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Figures {
    pub budget_ore: i64,
    pub committed_ore: i64,
    pub disbursed_ore: i64,
    pub remaining_ore: i64,
}

/// The figures that follow from a budget and the ledger's entries.
pub fn figures(budget_ore: i64, entries: impl IntoIterator<Item = (LedgerKind, i64)>) -> Figures {
    let (mut committed, mut disbursed) = (0, 0);
    for (kind, amount) in entries {
        match kind {
            LedgerKind::Commitment => committed += amount,
            LedgerKind::Release => committed -= amount,
            LedgerKind::Disbursement => disbursed += amount,
            LedgerKind::Reclaim => {
                committed -= amount;
                disbursed -= amount;
            }
        }
    }
    Figures { budget_ore, committed_ore: committed, disbursed_ore: disbursed, remaining_ore: budget_ore - committed }
}

/// What each kind of entry does to the pool's cached (committed, disbursed) figures.
pub fn effect(kind: LedgerKind, amount: i64) -> (i64, i64) {
    match kind {
        LedgerKind::Commitment => (amount, 0),
        LedgerKind::Release => (-amount, 0),
        LedgerKind::Disbursement => (0, amount),
        LedgerKind::Reclaim => (-amount, -amount),
    }
}

crate::text_enum! {
    /// When a tranche is paid.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TrancheCondition ("tranche condition") {
        OnAcceptance = "on_acceptance",
        AfterReport = "after_report",
    }
}

crate::text_enum! {
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TrancheStatus ("tranche status") {
        Planned = "planned",
        Paid = "paid",
        Cancelled = "cancelled",
    }
}

/// The tranches of an award: one payment for a small grant; for a large one half on acceptance
/// (rounded down to whole kroner) and the rest after the report is approved. They sum to the award.
pub fn plan_tranches(small: bool, awarded_ore: i64) -> Vec<(i64, TrancheCondition)> {
    let first = awarded_ore / 2 / 100 * 100;
    if small || first == 0 {
        vec![(awarded_ore, TrancheCondition::OnAcceptance)]
    } else {
        vec![(first, TrancheCondition::OnAcceptance), (awarded_ore - first, TrancheCondition::AfterReport)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_follow_the_ledger() {
        let entries = [
            (LedgerKind::Commitment, 100_000),
            (LedgerKind::Commitment, 50_000),
            (LedgerKind::Release, 50_000),
            (LedgerKind::Disbursement, 60_000),
            (LedgerKind::Reclaim, 10_000),
        ];
        let f = figures(1_000_000, entries);
        assert_eq!(
            f,
            Figures { budget_ore: 1_000_000, committed_ore: 90_000, disbursed_ore: 50_000, remaining_ore: 910_000 }
        );
        let mut cached = (0, 0);
        for (kind, amount) in entries {
            let (c, d) = effect(kind, amount);
            cached = (cached.0 + c, cached.1 + d);
        }
        assert_eq!(cached, (f.committed_ore, f.disbursed_ore));
    }

    #[test]
    fn tranches_sum_to_the_award() {
        assert_eq!(plan_tranches(true, 7_999_999), vec![(7_999_999, TrancheCondition::OnAcceptance)]);
        let large = plan_tranches(false, 25_000_050);
        assert_eq!(
            large,
            vec![(12_500_000, TrancheCondition::OnAcceptance), (12_500_050, TrancheCondition::AfterReport)]
        );
        for amount in [1, 99, 100, 201, 12_345_678] {
            assert_eq!(plan_tranches(false, amount).iter().map(|t| t.0).sum::<i64>(), amount);
            assert!(plan_tranches(false, amount).iter().all(|t| t.0 > 0));
        }
    }
}
