//! The steps of the `PlaceOrder` saga: a unit of a product held through
//! the product's reservations, the price paid by a `Transfer` saga of its
//! own, and the unit confirmed; a refused payment gives the unit back.
//!
//! The charge starts the transfer with an id named after the order (a
//! name-based UUID), so a charge attempted again resumes the same
//! transfer instead of paying twice, and its compensation refunds by
//! another transfer named after the order.

use std::time::Duration;

use corm::Uuid;
use corm::saga::reservation::Reserved;
use corm::saga::{Outcome, StepError};

use crate::bank::Bank;
use crate::generated::{
    Db, PlaceOrderContext, PlaceOrderReserveStockOutput, PlaceOrderSteps, ProductKey, TransferInput,
};

/// How long a held unit waits for its order to finish.
const HOLD: Duration = Duration::from_secs(60);

/// The shop: the `PlaceOrder` saga's steps on a `Db`.
#[derive(Clone, Debug)]
pub struct Shop {
    db: Db,
    bank: Bank,
}

impl Shop {
    /// The steps on `db`, paying through `bank`.
    pub fn new(db: Db, bank: Bank) -> Self {
        Self { db, bank }
    }

    /// The id of the order's transfer named `purpose` (`charge`, `refund`).
    pub fn transfer_id(order: Uuid, purpose: &str) -> Uuid {
        Uuid::new_v5(&order, purpose.as_bytes())
    }

    /// The holder name of an order's unit.
    fn holder(context: &PlaceOrderContext<'_>) -> String {
        format!("order {}", context.input().order)
    }

    fn product(context: &PlaceOrderContext<'_>) -> ProductKey {
        ProductKey {
            sku: context.input().sku.clone(),
        }
    }

    /// Runs (or resumes) the order's transfer `purpose` of `input`.
    async fn transfer(
        &self,
        context: &PlaceOrderContext<'_>,
        purpose: &str,
        input: TransferInput,
    ) -> Result<(), StepError> {
        let id = Self::transfer_id(context.input().order, purpose);
        match self
            .db
            .transfer(self.bank.clone())
            .start_with_id(id, &input)
            .await?
        {
            Outcome::Completed(_) => Ok(()),
            Outcome::Compensated { error } => Err(StepError::permanent(format!(
                "the {purpose} was refused: {error}"
            ))),
            Outcome::Stuck { error } => Err(StepError::permanent(format!(
                "the {purpose} is stuck: {error}"
            ))),
            Outcome::Elsewhere => Err(StepError::transient(format!(
                "the {purpose} is running elsewhere"
            ))),
        }
    }
}

impl PlaceOrderSteps for Shop {
    async fn run_reserve_stock(
        &self,
        context: &PlaceOrderContext<'_>,
    ) -> Result<PlaceOrderReserveStockOutput, StepError> {
        let reservations = self.db.product().reservations();
        match reservations
            .reserve(&Self::product(context), &Self::holder(context), HOLD)
            .await?
        {
            Reserved::Held { until } => Ok(PlaceOrderReserveStockOutput { until }),
            Reserved::Unavailable => Err(StepError::permanent("out of stock")),
            Reserved::Missing => Err(StepError::permanent(format!(
                "no product {}",
                context.input().sku
            ))),
        }
    }

    async fn compensate_reserve_stock(
        &self,
        context: &PlaceOrderContext<'_>,
    ) -> Result<(), StepError> {
        let reservations = self.db.product().reservations();
        reservations
            .cancel(&Self::product(context), &Self::holder(context))
            .await?;
        Ok(())
    }

    async fn run_charge(&self, context: &PlaceOrderContext<'_>) -> Result<(), StepError> {
        let input = context.input();
        let payment = TransferInput {
            from: input.customer,
            to: input.shop,
            amount: input.price,
        };
        self.transfer(context, "charge", payment).await
    }

    async fn compensate_charge(&self, context: &PlaceOrderContext<'_>) -> Result<(), StepError> {
        let charge = Self::transfer_id(context.input().order, "charge");
        let runner = self.db.transfer(self.bank.clone());
        match runner.status(charge).await? {
            // Never started, or refused (and compensated): nothing was paid.
            None => Ok(()),
            Some(status) if status.status == corm::saga::Status::Compensated => Ok(()),
            Some(status) if status.status == corm::saga::Status::Completed => {
                let input = context.input();
                let refund = TransferInput {
                    from: input.shop,
                    to: input.customer,
                    amount: input.price,
                };
                self.transfer(context, "refund", refund).await
            }
            Some(status) => Err(StepError::transient(format!(
                "the charge is {}",
                status.status
            ))),
        }
    }

    async fn run_confirm_stock(&self, context: &PlaceOrderContext<'_>) -> Result<(), StepError> {
        let reservations = self.db.product().reservations();
        if reservations
            .confirm(&Self::product(context), &Self::holder(context))
            .await?
        {
            return Ok(());
        }
        // Confirmed by an earlier attempt (the hold is gone, the unit sold),
        // or the hold expired: only the first is a success.
        match context.outputs().reserve_stock.as_ref() {
            Some(held) if held.until > corm::chrono::Utc::now() => Ok(()),
            _ => Err(StepError::permanent("the hold on the unit expired")),
        }
    }

    async fn compensate_confirm_stock(
        &self,
        _context: &PlaceOrderContext<'_>,
    ) -> Result<(), StepError> {
        // Confirmation is the last step: it is compensated only when it
        // failed, and a failed confirmation kept nothing.
        Ok(())
    }
}
