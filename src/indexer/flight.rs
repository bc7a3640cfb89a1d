//! Handing documents to the writer without holding too many: the feeding
//! thread waits while the writer holds more than [`IN_FLIGHT_BYTES`] of item
//! text, and each document carries a [`Ticket`] that gives its bytes back once
//! the writer has let go of it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::{Document, TantivyDocument};

/// Item text handed to the writer and not yet stored by it, at most. tantivy
/// queues up to 10,000 documents for its indexing threads; when parsing runs
/// ahead of indexing, that queue (not the writer's budget) would hold the
/// memory, tens of MB that do nothing for speed.
pub(crate) const IN_FLIGHT_BYTES: usize = 16 << 20;

/// How long the feeder waits for the writer to store anything before it
/// hands over the next document regardless: should the writer's threads have
/// stopped (a full disk), the documents they were given are never dropped,
/// and only handing over another makes the writer report why.
pub(crate) const STALL: Duration = Duration::from_secs(2);

/// Counts the item text the writer holds; the feeding thread waits while it
/// is over the limit.
pub(crate) struct InFlight {
    bytes: AtomicUsize,
    limit: usize,
    stall: Duration,
    feeder: std::thread::Thread,
}

impl InFlight {
    /// For the calling thread to feed the writer.
    pub(crate) fn new(limit: usize, stall: Duration) -> Arc<Self> {
        Arc::new(InFlight { bytes: AtomicUsize::new(0), limit, stall, feeder: std::thread::current() })
    }

    /// Counts `bytes` more until the ticket is dropped; if they do not fit,
    /// first waits until the writer holds half the limit or less (so the
    /// feeder wakes once per batch, not once per document), or has stored
    /// nothing for `stall`.
    pub(crate) fn admit(self: &Arc<Self>, bytes: usize) -> Ticket {
        if self.bytes.load(Ordering::Acquire) + bytes > self.limit {
            let (mut held, mut since) = (self.bytes.load(Ordering::Acquire), Instant::now());
            while held > self.limit / 2 {
                // Woken when the count falls to half; the timeout only guards the wait.
                std::thread::park_timeout(Duration::from_millis(10));
                let now = self.bytes.load(Ordering::Acquire);
                if now < held {
                    since = Instant::now();
                } else if since.elapsed() >= self.stall {
                    break;
                }
                held = now;
            }
        }
        self.bytes.fetch_add(bytes, Ordering::AcqRel);
        Ticket { flight: Arc::clone(self), bytes }
    }
}

/// Item text counted in [`InFlight`] while the writer holds its document.
pub(crate) struct Ticket {
    flight: Arc<InFlight>,
    bytes: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let before = self.flight.bytes.fetch_sub(self.bytes, Ordering::AcqRel);
        let half = self.flight.limit / 2;
        if before > half && before - self.bytes <= half {
            self.flight.feeder.unpark();
        }
    }
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticket").field("bytes", &self.bytes).finish()
    }
}

/// A document on its way to the writer, with the [`Ticket`] that counts its
/// text until the writer has stored it and dropped it.
#[derive(Debug)]
pub(crate) struct QueuedDocument {
    doc: TantivyDocument,
    _ticket: Ticket,
}

impl QueuedDocument {
    /// `doc`, counted by `ticket` while the writer holds it.
    pub(crate) fn new(doc: TantivyDocument, ticket: Ticket) -> Self {
        QueuedDocument { doc, _ticket: ticket }
    }
}

impl Document for QueuedDocument {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::IndexWriter;

    use super::*;

    #[test]
    fn feeding_waits_while_the_writer_holds_too_much() {
        let flight = InFlight::new(100, Duration::from_secs(60));
        // A document over the limit goes in when nothing is held.
        drop(flight.admit(250));
        let first = flight.admit(60);
        let second = flight.admit(30);
        assert_eq!(flight.bytes.load(Ordering::Acquire), 90);
        let released = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(30));
                released.store(true, Ordering::Release);
                drop(first);
            });
            // 90 + 20 is over 100: this waits until the writer holds 50 or less.
            let third = flight.admit(20);
            assert!(released.load(Ordering::Acquire), "admitted before the writer let go");
            assert_eq!(flight.bytes.load(Ordering::Acquire), 50);
            drop((second, third));
        });
        assert_eq!(flight.bytes.load(Ordering::Acquire), 0);
    }

    /// A writer whose threads have stopped never drops what it was given; the
    /// feeder goes on after the stall, so that the writer can say why.
    #[test]
    fn feeding_goes_on_when_the_writer_stores_nothing() {
        let stall = Duration::from_millis(50);
        let flight = InFlight::new(100, stall);
        let stuck = flight.admit(90);
        let started = Instant::now();
        let next = flight.admit(20);
        assert!(started.elapsed() >= stall);
        assert_eq!(flight.bytes.load(Ordering::Acquire), 110);
        drop((stuck, next));
    }

    /// The same with a real writer: a document tantivy refuses stops its only
    /// thread with the documents it was given still queued, and the next
    /// document, handed over after the stall, gets the error.
    #[test]
    fn a_stopped_writer_is_reported_not_waited_for() {
        use tantivy::schema::{Schema, INDEXED, STORED, TEXT};
        use tantivy::TantivyDocument;
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT | STORED);
        let number = builder.add_u64_field("number", INDEXED);
        let index = tantivy::Index::create_in_ram(builder.build());
        let writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 16 << 20).unwrap();
        let flight = InFlight::new(100, Duration::from_millis(200));
        // Held as the stopped writer's queue would hold them: never dropped.
        let mut tickets = Vec::new();
        let mut refused = None;
        for k in 0..100 {
            tickets.push(flight.admit(60));
            let mut doc = TantivyDocument::new();
            if k == 1 {
                doc.add_text(number, "not a number");
            } else {
                doc.add_text(text, "a b c");
            }
            if let Err(e) = writer.add_document(doc) {
                refused = Some(e);
                break;
            }
        }
        assert!(refused.is_some(), "the writer took every document");
    }
}
