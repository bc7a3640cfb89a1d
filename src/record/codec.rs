//! How the stored item's numbers are packed into the index: LEB128 varints,
//! ascending values as deltas, (line, page) pairs, and meeting dates as
//! tantivy dates (midnight UTC). The writer encodes and the reader decodes
//! with these same functions, so neither needs the other.

use chrono::NaiveDate;
use tantivy::DateTime;

/// LEB128 varints.
pub fn encode_varints(values: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 2);
    for &v in values {
        let mut v = v;
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Decodes LEB128 varints; a truncated tail is ignored.
pub fn decode_varints(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0u32);
    for &b in bytes {
        v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            out.push(v);
            v = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
    out
}

/// Ascending values as varint deltas.
pub fn encode_deltas(values: &[u32]) -> Vec<u8> {
    let mut prev = 0;
    let deltas: Vec<u32> = values
        .iter()
        .map(|&v| {
            let d = v.saturating_sub(prev);
            prev = v;
            d
        })
        .collect();
    encode_varints(&deltas)
}

/// Inverse of [`encode_deltas`].
pub fn decode_deltas(bytes: &[u8]) -> Vec<u32> {
    let mut acc = 0u32;
    decode_varints(bytes)
        .into_iter()
        .map(|d| {
            acc = acc.saturating_add(d);
            acc
        })
        .collect()
}

/// (line, page) pairs as varints, two per pair.
pub fn encode_pairs(pairs: &[(usize, u32)]) -> Vec<u8> {
    let flat: Vec<u32> = pairs.iter().flat_map(|&(line, page)| [line as u32, page]).collect();
    encode_varints(&flat)
}

/// Inverse of [`encode_pairs`]; an odd value at the end is ignored.
pub fn decode_pairs(bytes: &[u8]) -> Vec<(usize, u32)> {
    decode_varints(bytes).chunks_exact(2).map(|c| (c[0] as usize, c[1])).collect()
}

/// Midnight UTC of a date, as the index stores it.
pub fn date_value(d: NaiveDate) -> DateTime {
    // tantivy keeps nanoseconds in an i64 (the years 1677 to 2262): a date
    // outside (a filter's `--from 6400`, a misread year) is held at the edge,
    // which orders and filters the same, instead of overflowing.
    const LIMIT: i64 = i64::MAX / 1_000_000_000;
    let secs = d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp());
    DateTime::from_timestamp_secs(secs.clamp(-LIMIT, LIMIT))
}

/// The date a stored [`date_value`] stands for.
pub fn date_of(value: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(value.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_beyond_the_engine_range_are_held_at_its_edge() {
        let far = date_value(NaiveDate::from_ymd_opt(6400, 1, 1).unwrap());
        let near = date_value(NaiveDate::from_ymd_opt(2200, 1, 1).unwrap());
        assert!(far > near);
        let early = date_value(NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
        assert!(early < date_value(NaiveDate::from_ymd_opt(1700, 1, 1).unwrap()));
    }

    #[test]
    fn varints_deltas_pairs_and_dates_round_trip() {
        let v = vec![0, 1, 127, 128, 300, 70_000, u32::MAX];
        assert_eq!(decode_varints(&encode_varints(&v)), v);
        let asc = vec![0, 0, 5, 200, 201, 100_000];
        assert_eq!(decode_deltas(&encode_deltas(&asc)), asc);
        let pairs = vec![(1, 2), (300, 4), (70_000, 9)];
        assert_eq!(decode_pairs(&encode_pairs(&pairs)), pairs);
        let d = NaiveDate::from_ymd_opt(2017, 11, 23).unwrap();
        assert_eq!(date_of(date_value(d)), Some(d));
        let early = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap();
        assert_eq!(date_of(date_value(early)), Some(early));
    }
}
