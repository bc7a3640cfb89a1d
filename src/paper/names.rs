/// N.
pub fn normalise_committee(s: &str) -> String {
    s.to_lowercase()
}
/// N.
pub fn normalise_council(s: &str) -> String {
    s.to_lowercase()
}
