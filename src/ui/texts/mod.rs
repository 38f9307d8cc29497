//! Every word the page says about the run, derived from the state on screen, in English
//! and 简体中文: inspector rows, the quorum line and event sentences ([`words`], with
//! their Chinese in [`words_zh`]), the tour's captions and questions ([`tour_text`]),
//! what the live region says ([`narration`]), and the lab's rules ([`lab_text`]).

pub mod lab_text;
pub mod narration;
pub mod tour_text;
pub mod words;
pub mod words_zh;
