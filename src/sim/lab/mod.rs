//! The lab: experiments that run many ordinary runs of this simulator and measure them.
//! [`figure16`] repeats the paper's Figure 16 (how long an election takes).

pub mod figure16;
