//! Bit tricks over bytes, eight or sixty-four at a time: ASCII runs, bytes in
//! a range, letter and digit masks. The fast paths of the segmenter and the
//! indexer's acronym scan read text through these; each is tested equal to the
//! byte-at-a-time test it replaces.

/// The length of the leading run of ASCII bytes of `b`, checked 16 bytes at a time.
pub fn ascii_prefix_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 16) {
        let word = u128::from_le_bytes(chunk.try_into().unwrap_or([0x80; 16]));
        if word & 0x8080_8080_8080_8080_8080_8080_8080_8080 != 0 {
            break;
        }
        i += 16;
    }
    i + b[i..].iter().take_while(|b| b.is_ascii()).count()
}

pub(super) const ONE_BITS: u64 = u64::from_le_bytes([1; 8]);

pub(super) const HIGH_BITS: u64 = ONE_BITS << 7;

/// The high bit of each of the eight bytes of `w` that lies in `lo..=hi`
/// (both ASCII).
pub fn bytes_in_range(w: u64, lo: u8, hi: u8) -> u64 {
    // Tested on the low seven bits, where adding never carries into the next
    // byte; bytes with the high bit set (not ASCII) are never in range.
    let x = w & !HIGH_BITS;
    (x + ONE_BITS * u64::from(0x80 - lo)) & !(x + ONE_BITS * u64::from(0x7f - hi)) & !w & HIGH_BITS
}

/// The high bit of each of the eight bytes of `w` that is an ASCII letter or digit.
pub fn ascii_alnum_bytes(w: u64) -> u64 {
    // Setting bit 5 lower-cases letters; no other byte becomes one.
    bytes_in_range(w | (ONE_BITS * 0x20), b'a', b'z') | bytes_in_range(w, b'0', b'9')
}

/// One bit for each byte of a block of up to 64 bytes (bit `k` for byte
/// `k`; bytes past the block's end count as neither): ASCII letters and
/// digits, ASCII capitals, and bytes that are not ASCII.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteMasks {
    /// ASCII letters and digits.
    pub alnum: u64,
    /// ASCII capitals.
    pub upper: u64,
    /// Bytes that are not ASCII.
    pub high: u64,
}

impl ByteMasks {
    /// The masks of `block` (at most 64 bytes).
    pub fn of(block: &[u8]) -> Self {
        let mut padded = [0u8; 64];
        let n = block.len().min(64);
        let bytes: &[u8] = if n == 64 {
            &block[..64]
        } else {
            padded[..n].copy_from_slice(&block[..n]);
            &padded
        };
        let mut m = ByteMasks::default();
        for (k, eight) in bytes.chunks_exact(8).enumerate() {
            let w = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            let alnum = ascii_alnum_bytes(w);
            // Of letters and digits, only capitals have bit 5 clear.
            let upper = alnum & !(w << 2);
            m.alnum |= gather_high_bits(alnum) << (8 * k);
            m.upper |= gather_high_bits(upper) << (8 * k);
            m.high |= gather_high_bits(w & HIGH_BITS) << (8 * k);
        }
        m
    }
}

/// The high bits of the eight bytes of `x` (nothing else set) as eight bits, byte `k` to bit `k`.
fn gather_high_bits(x: u64) -> u64 {
    // Each byte's bit lands on its own bit of the top byte; no two partial products meet.
    ((x >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Where the run of ASCII letters and digits that continues at `i` ends:
/// eight bytes at a time.
pub fn alnum_run_end(b: &[u8], mut i: usize) -> usize {
    while let Some(eight) = b.get(i..i + 8) {
        let others = !ascii_alnum_bytes(u64::from_le_bytes(eight.try_into().unwrap_or_default())) & HIGH_BITS;
        if others != 0 {
            return i + others.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_masks_mark_each_byte_by_its_class() {
        for start in (0..256).step_by(5) {
            for len in [0, 1, 7, 8, 9, 63, 64] {
                let block: Vec<u8> = (start..start + len).map(|b| (b % 256) as u8).collect();
                let m = ByteMasks::of(&block);
                let bits = |test: fn(&u8) -> bool| {
                    block.iter().enumerate().filter(|(_, b)| test(b)).fold(0u64, |m, (k, _)| m | 1 << k)
                };
                assert_eq!(m.alnum, bits(u8::is_ascii_alphanumeric), "{start} {len}");
                assert_eq!(m.upper, bits(u8::is_ascii_uppercase), "{start} {len}");
                assert_eq!(m.high, bits(|b| !b.is_ascii()), "{start} {len}");
            }
        }
    }

    #[test]
    fn byte_masks_agree_with_the_byte_tests() {
        for b in 0..=255u8 {
            for at in [0, 3, 7] {
                let mut bytes = [b' '; 8];
                bytes[at] = b;
                // A byte above 0x80 next to it must not change the answer.
                bytes[(at + 1) % 8] = 0xC3;
                let w = u64::from_le_bytes(bytes);
                assert_eq!(ascii_alnum_bytes(w) >> (8 * at + 7) & 1 == 1, b.is_ascii_alphanumeric(), "{b}");
                assert_eq!(bytes_in_range(w, b' ', b' ') >> (8 * at + 7) & 1 == 1, b == b' ', "{b}");
            }
        }
    }
}
