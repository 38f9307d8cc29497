//! The lab: experiments that run many ordinary runs of this simulator and measure them.
//! [`figure16`] repeats the paper's Figure 16 (how long an election takes);
//! [`break_rule`] breaks one rule of Figure 2 and searches for the run that shows why it
//! is there.

pub mod break_rule;
pub mod figure16;
