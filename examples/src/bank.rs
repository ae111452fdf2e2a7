//! The steps of the `Transfer` saga over the example's accounts and
//! ledger: what the example program, the saga worker binary and the
//! saga tests run.
//!
//! Each step's effect is a ledger entry named by the step's idempotency
//! key and written with `IF NOT EXISTS`, so an attempt made again after
//! one that took effect writes nothing; a compensation writes the
//! reversing entry (`<key>/undo`) only when the entry it reverses exists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use corm::saga::StepError;
use corm::{TryStreamExt, Uuid};

use crate::generated::{
    AccountKey, Db, LedgerEntry, LedgerEntryKey, LedgerEntryPartition, TransferContext,
    TransferDebitOutput, TransferInput, TransferSteps,
};

/// What goes wrong in the steps, to test the runner, at a point named
/// `before:debit`, `after:credit`, `before:undo:debit`, … (the moment
/// before or after a step's or compensation's effect).
#[derive(Clone, Debug)]
pub enum Fault {
    /// The process aborts there, as a killed runner would.
    Crash(String),
    /// Every attempt fails there for good.
    Refuse(String),
    /// The first attempt hangs there past its timeout.
    StallOnce(String),
}

/// Steps running at this moment, by saga and step: a step entered while
/// another runner is in it is a violation, recorded for tests.
#[derive(Debug, Default)]
pub struct InFlight {
    running: Mutex<HashMap<(Uuid, &'static str), usize>>,
    overlaps: Mutex<Vec<(Uuid, &'static str)>>,
}

impl InFlight {
    /// The (saga, step) pairs that were ever run twice at once.
    pub fn overlaps(&self) -> Vec<(Uuid, &'static str)> {
        self.overlaps.lock().map(|o| o.clone()).unwrap_or_default()
    }

    fn enter(self: &Arc<Self>, saga: Uuid, step: &'static str) -> Running {
        if let Ok(mut running) = self.running.lock() {
            let count = running.entry((saga, step)).or_default();
            *count += 1;
            if *count > 1
                && let Ok(mut overlaps) = self.overlaps.lock()
            {
                overlaps.push((saga, step));
            }
        }
        Running {
            flight: Arc::clone(self),
            saga,
            step,
        }
    }
}

/// A step in flight; leaving (or being cancelled) ends it.
struct Running {
    flight: Arc<InFlight>,
    saga: Uuid,
    step: &'static str,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut running) = self.flight.running.lock()
            && let Some(count) = running.get_mut(&(self.saga, self.step))
        {
            *count = count.saturating_sub(1);
        }
    }
}

/// The bank: the `Transfer` saga's steps on a `Db`.
#[derive(Clone, Debug)]
pub struct Bank {
    db: Db,
    fault: Option<Fault>,
    stalled: Arc<std::sync::atomic::AtomicBool>,
    in_flight: Arc<InFlight>,
}

impl Bank {
    /// The steps on `db`.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            fault: None,
            stalled: Arc::default(),
            in_flight: Arc::default(),
        }
    }

    /// These steps with `fault`.
    #[must_use]
    pub fn with_fault(mut self, fault: Option<Fault>) -> Self {
        self.fault = fault;
        self
    }

    /// These steps sharing `in_flight` with others (two runners in one
    /// process).
    #[must_use]
    pub fn sharing(mut self, in_flight: Arc<InFlight>) -> Self {
        self.in_flight = in_flight;
        self
    }

    /// What the steps have in flight.
    pub fn in_flight(&self) -> &Arc<InFlight> {
        &self.in_flight
    }

    /// The balance of `account`: the sum of its entries.
    ///
    /// # Errors
    /// A request's error.
    pub async fn balance(&self, account: Uuid) -> corm::Result<i64> {
        let entries: Vec<LedgerEntry> = self
            .db
            .ledger_entry()
            .partition(&LedgerEntryPartition { account })
            .await?
            .try_collect()
            .await?;
        Ok(entries.iter().map(|entry| entry.amount).sum())
    }

    /// How many times each effect of saga `saga` happened: `[debit, credit,
    /// undo debit, undo credit]`, counted in the ledger of the saga's two
    /// accounts. An entry of a step is named after the saga and the step,
    /// so a step whose effect was applied twice (under another name)
    /// counts twice.
    ///
    /// # Errors
    /// A request's error.
    pub async fn effects(&self, saga: Uuid, input: &TransferInput) -> corm::Result<[usize; 4]> {
        let mut counts = [0; 4];
        for account in [input.from, input.to] {
            let entries: Vec<LedgerEntry> = self
                .db
                .ledger_entry()
                .partition(&LedgerEntryPartition { account })
                .await?
                .try_collect()
                .await?;
            for entry in entries {
                let Some(step) = entry.entry.strip_prefix(&format!("{saga}/")) else {
                    continue;
                };
                let undo = step.ends_with("/undo");
                let slot = match (step.starts_with("debit"), undo) {
                    (true, false) => 0,
                    (false, false) => 1,
                    (true, true) => 2,
                    (false, true) => 3,
                };
                counts[slot] += 1;
            }
        }
        Ok(counts)
    }

    /// Goes wrong at `point` if that is where the fault is.
    async fn fault_at(&self, point: &str) -> Result<(), StepError> {
        match &self.fault {
            Some(Fault::Crash(at)) if at == point => {
                eprintln!("crashing at {point}");
                std::process::abort();
            }
            Some(Fault::Refuse(at)) if at == point => {
                Err(StepError::permanent(format!("refused at {point}")))
            }
            Some(Fault::StallOnce(at))
                if at == point && !self.stalled.swap(true, std::sync::atomic::Ordering::SeqCst) =>
            {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Writes `entry` unless it exists.
    async fn write_once(&self, entry: &LedgerEntry) -> Result<(), StepError> {
        self.db.ledger_entry().insert_if_not_exists(entry).await?;
        Ok(())
    }

    /// Reverses the entry of `account` named by the step's key, if it was
    /// written.
    async fn undo(&self, context: &TransferContext<'_>, account: Uuid) -> Result<(), StepError> {
        let key = LedgerEntryKey {
            account,
            entry: context.idempotency_key(),
        };
        if let Some(entry) = self.db.ledger_entry().get(&key).await? {
            let reversal = LedgerEntry::new(account, format!("{}/undo", key.entry), -entry.amount);
            self.write_once(&reversal).await?;
        }
        Ok(())
    }
}

impl TransferSteps for Bank {
    async fn run_debit(
        &self,
        context: &TransferContext<'_>,
    ) -> Result<TransferDebitOutput, StepError> {
        let _running = self.in_flight.enter(context.saga_id(), "debit");
        self.fault_at("before:debit").await?;
        let input = context.input();
        let entry = LedgerEntry::new(input.from, context.idempotency_key(), -input.amount);
        self.write_once(&entry).await?;
        self.fault_at("after:debit").await?;
        Ok(TransferDebitOutput { entry: entry.entry })
    }

    async fn compensate_debit(&self, context: &TransferContext<'_>) -> Result<(), StepError> {
        let _running = self.in_flight.enter(context.saga_id(), "undo debit");
        self.fault_at("before:undo:debit").await?;
        self.undo(context, context.input().from).await?;
        self.fault_at("after:undo:debit").await?;
        Ok(())
    }

    async fn run_credit(&self, context: &TransferContext<'_>) -> Result<(), StepError> {
        let _running = self.in_flight.enter(context.saga_id(), "credit");
        self.fault_at("before:credit").await?;
        let input = context.input();
        let account = self
            .db
            .account()
            .get(&AccountKey { id: input.to })
            .await?
            .ok_or_else(|| StepError::permanent(format!("account {} does not exist", input.to)))?;
        if account.closed {
            return Err(StepError::permanent(format!(
                "account {} is closed",
                input.to
            )));
        }
        let entry = LedgerEntry::new(input.to, context.idempotency_key(), input.amount);
        self.write_once(&entry).await?;
        self.fault_at("after:credit").await?;
        Ok(())
    }

    async fn compensate_credit(&self, context: &TransferContext<'_>) -> Result<(), StepError> {
        let _running = self.in_flight.enter(context.saga_id(), "undo credit");
        self.fault_at("before:undo:credit").await?;
        self.undo(context, context.input().to).await?;
        self.fault_at("after:undo:credit").await?;
        Ok(())
    }
}
