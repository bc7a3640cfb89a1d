//! Councils and the bodies that meet, as papers name them: which council a
//! paper belongs to ([`councils`]) and which of its bodies met
//! ([`committees`]). Finding only: normalising names for filters is
//! [`crate::paper::names`]'s.

mod committees;
mod councils;

pub(crate) use committees::{body_name, is_whole_council, path_body, text_body, that_the_body, SPELT_OUT};
pub(crate) use councils::{council_in, domain_council, path_council, title_council, titled_or_printed};
