//! The one kind of randomness the node uses: a draw from a seeded generator
//! that the simulator owns and lends to the node on each call.

/// The seeded generator behind every random choice of a run (PCG, 64-bit state).
pub type Rng = rand_pcg::Pcg64Mcg;

/// A uniform draw from the inclusive range `lo..=hi`.
///
/// Lemire's multiply-shift: unbiased enough for timeouts and latencies, and the same
/// on every platform, so a seed replays identically natively and in wasm.
pub fn uniform(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    use rand_core::Rng as _;
    if hi <= lo {
        return lo;
    }
    let span = hi - lo + 1;
    if span == 0 {
        // The full u64 range.
        return rng.next_u64();
    }
    lo + ((rng.next_u64() as u128 * span as u128) >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_in_range_and_cover_it() {
        let mut rng = Rng::new(7);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let x = uniform(&mut rng, 10, 14);
            assert!((10..=14).contains(&x));
            seen[(x - 10) as usize] = true;
        }
        assert!(
            seen.iter().all(|s| *s),
            "every value of a small range is drawn: {seen:?}"
        );
        assert_eq!(uniform(&mut rng, 5, 5), 5);
        assert_eq!(uniform(&mut rng, 9, 3), 9);
    }
}
