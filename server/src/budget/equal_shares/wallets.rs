//! What every distinct ballot's voters have left of their shares, held two ways: exactly, as a
//! numerator over one common denominator, and approximately, as an `f64` in lei. Decisions are
//! taken on the approximation only when it is far from a tie and confirmed exactly otherwise,
//! so results are exact while most of the work is float work.
//!
//! Paying for a project can change the common denominator (the equal part is a fraction of a
//! leu); numerators are brought to the new denominator only when they are next needed.

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};

pub(super) struct Wallets {
    /// Numerators, each over the denominator of the epoch in `epoch`.
    exact: Vec<BigUint>,
    epoch: Vec<usize>,
    /// `scales[e]` multiplied the denominator when epoch `e` ended.
    scales: Vec<u64>,
    denominator: BigUint,
    approx: Vec<f64>,
}

impl Wallets {
    /// `groups` wallets each holding `numerator / denominator` lei.
    pub(super) fn new(groups: usize, numerator: BigUint, denominator: u64) -> Self {
        let approx = ratio(&numerator, &BigUint::from(denominator));
        Self {
            exact: vec![numerator; groups],
            epoch: vec![0; groups],
            scales: Vec::new(),
            denominator: BigUint::from(denominator),
            approx: vec![approx; groups],
        }
    }

    pub(super) fn denominator(&self) -> &BigUint {
        &self.denominator
    }

    /// About what wallet `g` holds, in lei (relative error far below 1e-12).
    pub(super) fn approx(&self, g: usize) -> f64 {
        self.approx[g]
    }

    /// Wallet `g`'s numerator over the current denominator.
    pub(super) fn exact(&mut self, g: usize) -> &BigUint {
        let now = self.scales.len();
        for scale in &self.scales[self.epoch[g]..now] {
            self.exact[g] *= *scale;
        }
        self.epoch[g] = now;
        &self.exact[g]
    }

    /// Multiplies the common denominator by `scale` (numerators follow when next read).
    pub(super) fn rescale(&mut self, scale: u64) {
        if scale != 1 {
            self.scales.push(scale);
            self.denominator *= scale;
        }
    }

    /// Takes `part` (a numerator over the current denominator) from wallet `g`, or all it has.
    pub(super) fn pay(&mut self, g: usize, part: &BigUint) {
        self.exact(g);
        if self.exact[g] <= *part {
            self.exact[g].set_zero();
            self.approx[g] = 0.0;
        } else {
            self.exact[g] -= part;
            self.approx[g] = ratio(&self.exact[g], &self.denominator);
        }
    }
}

/// `num / den` as an `f64`, for numbers too large to convert directly.
pub(super) fn ratio(num: &BigUint, den: &BigUint) -> f64 {
    let shift = den.bits().saturating_sub(64);
    let n = (num >> shift).to_f64().unwrap_or(f64::INFINITY);
    let d = (den >> shift).to_f64().unwrap_or(f64::INFINITY);
    n / d
}
