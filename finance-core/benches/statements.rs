//! What a full-size bank file costs to read: a 10 MiB file of each format parsed and
//! checked as an import does (`parse_statement` then `import_rows`), the time and the
//! peak of memory allocated meanwhile (counted by this binary's allocator). Target
//! (issue 25): under 1 s each. BENCHMARKS.md has the figures.
//!
//! `cargo bench -p finance-core --bench statements`

use std::alloc::{GlobalAlloc, Layout, System};
use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use finance_core::domain::{
    Account, AccountId, Currency, Format, Money, UserId, UserRef, import_rows, parse_statement,
    samples,
};
use time::OffsetDateTime;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SIZE: usize = 10 * 1024 * 1024;

fn main() -> Result<(), Box<dyn Error>> {
    let eur = Currency::parse("EUR")?;
    let now = OffsetDateTime::now_utc();
    let account = Account {
        reconciled_on: None,
        id: AccountId::random(),
        owner_id: UserId::random(),
        owner_email: None,
        role: finance_core::domain::Role::Owner,
        name: "Bank".into(),
        currency: eur,
        balance: Money::zero(eur),
        archived: false,
        created_at: now,
    };
    println!("| format | file | rows | parse + check | peak memory above the file |");
    println!("|---|---:|---:|---:|---:|");
    for format in [Format::Csv, Format::Ofx, Format::Qif, Format::Camt] {
        let text = samples::statement_of_size(format, SIZE);
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let started = Instant::now();
        let rows = parse_statement(format, &text)?;
        let by = UserRef {
            id: account.owner_id,
            email: None,
        };
        let checked = import_rows(&rows, &account, now, &by)?;
        let took = started.elapsed();
        let peak = PEAK.load(Ordering::Relaxed) - base;
        println!(
            "| {format:?} | {:.1} MiB | {} | {:.0} ms | {:.0} MiB |",
            text.len() as f64 / 1048576.0,
            checked.len(),
            took.as_secs_f64() * 1000.0,
            peak as f64 / 1048576.0,
        );
    }
    Ok(())
}
