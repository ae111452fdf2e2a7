//! First steps with corm: connect, create a keyspace and a table, write rows,
//! read them back, and see a lightweight transaction refuse a second writer.
//!
//! Run it with `cargo xtask example` (which starts a local node first).

use corm::{Config, Session, lwt};

const KEYSPACE: &str = "corm_first_steps";

#[tokio::main]
async fn main() -> Result<(), corm::Error> {
    let config = Config::from_env()?;
    let session = Session::connect(&config).await?;
    println!("connected to {}", config.contact_points.join(","));

    session
        .run_ddl(&format!(
            "CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = \
             {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
        ))
        .await?;
    session.use_keyspace(KEYSPACE).await?;
    session
        .run_ddl(
            "CREATE TABLE IF NOT EXISTS greetings \
             (language text, said_at int, text text, PRIMARY KEY ((language), said_at))",
        )
        .await?;

    let insert = session
        .prepare("INSERT INTO greetings (language, said_at, text) VALUES (?, ?, ?)")
        .await?;
    for (said_at, text) in [(1, "hello"), (2, "hello again")] {
        session.execute(&insert, ("en", said_at, text)).await?;
    }

    let select = "SELECT said_at, text FROM greetings WHERE language = ?";
    let rows = session
        .query(select, ("en",))
        .await?
        .into_rows_result()
        .map_err(|err| unexpected(select, err))?;
    for row in rows
        .rows::<(i32, String)>()
        .map_err(|err| unexpected(select, err))?
    {
        let (said_at, text) = row.map_err(|err| unexpected(select, err))?;
        println!("read back: en #{said_at}: {text}");
    }

    let claim = "INSERT INTO greetings (language, said_at, text) VALUES (?, ?, ?) IF NOT EXISTS";
    let claim_prepared = session.prepare(claim).await?;
    let result = session
        .execute(&claim_prepared, ("en", 1, "overwritten?"))
        .await?;
    let applied = lwt::applied(claim, result)?;
    if applied.applied() {
        println!("IF NOT EXISTS applied: the row was new");
    } else {
        let text: Option<String> = applied.get("text").map_err(|err| unexpected(claim, err))?;
        println!("IF NOT EXISTS refused the second writer; the row holds {text:?}");
    }

    session
        .run_ddl(&format!("DROP KEYSPACE {KEYSPACE}"))
        .await?;
    println!("dropped keyspace {KEYSPACE}");
    Ok(())
}

fn unexpected(statement: &str, err: impl std::fmt::Display) -> corm::Error {
    corm::Error::UnexpectedResult {
        statement: statement.to_owned(),
        problem: err.to_string(),
    }
}
