//! The browser UI (placeholder until the skeleton lands).
