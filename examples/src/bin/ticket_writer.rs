//! A writer of ticket changes, for the change feed's multi-process test
//! (`examples/tests/changes.rs`): one process of several, each with its
//! own name and a deliberately shifted clock.
//!
//! ```sh
//! ticket_writer <keyspace> <writer name> <clock offset in ms> <writes>
//! ```
//!
//! It makes `writes` mixed writes: inserts of its own tickets, updates and
//! deletes of them, and updates of the ten tickets of board `shared`
//! (which every writer updates), then prints how many changes it made.

use corm::{Config, Session, TryStreamExt};
use corm_examples::generated::{Db, Ticket, TicketPartition, TicketPatch, TicketStatus};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [keyspace, name, offset_ms, writes] = args.as_slice() else {
        return Err(
            "usage: ticket_writer <keyspace> <writer name> <clock offset in ms> <writes>".into(),
        );
    };
    let offset_ms: i64 = offset_ms.parse()?;
    let writes: u32 = writes.parse()?;
    let session = Session::connect(&Config::from_env()?)
        .await?
        .with_change_writer(name)
        .with_change_clock_offset(offset_ms * 1000);
    let db = Db::new(session, keyspace.as_str());
    let tickets = db.ticket();
    let shared: Vec<Ticket> = tickets
        .partition(&TicketPartition {
            board: "shared".to_owned(),
        })
        .await?
        .try_collect()
        .await?;
    let mut own: Vec<Ticket> = Vec::new();
    let mut changes = 0_u32;
    for i in 0..writes {
        let priority = i32::try_from(i)?;
        let step = i % 5;
        if step == 0 || own.is_empty() {
            let title = format!("{name} {i}");
            let row = Ticket::new(format!("own-{name}"), title, TicketStatus::Open, priority);
            tickets.insert(&row).await?;
            own.push(row);
        } else if step == 3 {
            let row = own.remove(0);
            tickets.delete(&row.key()).await?;
        } else {
            // Steps 2 and 4 update a shared ticket, step 1 the newest own.
            let shared_row = shared.get((i as usize / 5) % shared.len().max(1));
            let Some(row) = shared_row.filter(|_| step != 1).or(own.last()) else {
                continue;
            };
            let patch = TicketPatch::default().priority(priority);
            tickets.update(&row.key(), &patch).await?;
        }
        changes += 1;
    }
    println!("{changes}");
    Ok(())
}
