//! Every word the page says about the run, derived from the state on screen, in English
//! and 简体中文: inspector rows, the quorum line and event sentences ([`words`], with
//! their Chinese in [`words_zh`]), the tour's captions and questions ([`tour_text`]),
//! and what the live region says ([`narration`]).

pub mod narration;
pub mod tour_text;
pub mod words;
pub mod words_zh;
