//! A runner of one `Transfer` saga in a process of its own, for the saga
//! recovery test (`examples/tests/sagas.rs`): told where to crash, it
//! aborts there, as a killed runner would, and leaves the saga to
//! recovery.
//!
//! ```sh
//! saga_worker <keyspace> <saga id> <from> <to> <amount> <crash point or ->
//! ```

use corm::{Config, Session, Uuid};
use corm_examples::bank::{Bank, Fault};
use corm_examples::generated::{Db, TransferInput};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [keyspace, id, from, to, amount, crash] = args.as_slice() else {
        return Err(
            "usage: saga_worker <keyspace> <saga id> <from> <to> <amount> <crash point or ->"
                .into(),
        );
    };
    let session = Session::connect(&Config::from_env()?).await?;
    let db = Db::new(session, keyspace.as_str());
    let fault = (crash != "-").then(|| Fault::Crash(crash.clone()));
    let runner = db.transfer(Bank::new(db.clone()).with_fault(fault));
    let input = TransferInput {
        from: from.parse::<Uuid>()?,
        to: to.parse::<Uuid>()?,
        amount: amount.parse()?,
    };
    let outcome = runner.start_with_id(id.parse()?, &input).await?;
    println!("{outcome:?}");
    Ok(())
}
