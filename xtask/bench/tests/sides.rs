//! Every side of the benchmark does every scenario on the node: a short
//! run each, with no failed operation (a get that finds no row, a
//! partition without its 100 rows and any driver error count as failures).
//! Writes the `corm_bench` keyspace, as `cargo xtask bench` does.

use corm_bench::data;
use corm_bench::generated::UserKey;
use corm_bench::load::Limits;
use corm_bench::setup;
use corm_bench::suite::{self, Context};
use corm_bench::workload::{Scenario, Side};

const OPS: u64 = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_side_runs_every_scenario() {
    let session = setup::connect().await.unwrap();
    let mut context = Context::create(&session).await.unwrap();
    for scenario in Scenario::ALL {
        for side in Side::ALL {
            let delete_base = if scenario == Scenario::Delete {
                context.preload_deletes(OPS).await.unwrap()
            } else {
                0
            };
            let limits = Limits {
                ops: Some(OPS),
                duration: None,
            };
            let stats = suite::run_side(&context, side, scenario, delete_base, 4, limits).await;
            assert_eq!(
                (stats.ops, stats.errors, stats.first_error.as_deref()),
                (OPS, 0, None),
                "{scenario} on {side}"
            );
            if scenario == Scenario::Delete {
                for n in 0..OPS {
                    let key = UserKey {
                        id: data::delete_id(delete_base, n),
                    };
                    let row = context.db.user().get(&key).await.unwrap();
                    assert_eq!(row, None, "{side} left deleted user {n}");
                }
            }
        }
    }
}
