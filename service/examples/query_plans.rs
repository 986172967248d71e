//! Prints the engine's plan for each query the screens run, on the 100,000-order store:
//! `cargo run --release -p plumbline-service --example query_plans` (SQLite), or with
//! `PLUMBLINE_BENCH_POSTGRES_URL` set (PostgreSQL, `EXPLAIN ANALYZE`: the plan as run, with
//! times; `scripts/bench.sh --plans` does both). Each should read an index, never scan a
//! whole table of orders or sort it.

#[path = "../benches/scale_store.rs"]
mod scale_store;

use plumbline_service::db::{Engine, Sql};

const ROW: &str = "SELECT w.id, p.street, u.label, c.name, s.name, w.priority, w.state, w.opened_at
    FROM work_orders w JOIN properties p ON p.id = w.property_id JOIN units u ON u.id = w.unit_id
    JOIN categories c ON c.id = w.category_id JOIN categories s ON s.id = w.subcategory_id
    LEFT JOIN contractors k ON k.user_id = w.contractor_id";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store = scale_store::scale_store().await;
    let order = "ORDER BY w.opened_at DESC, w.id DESC LIMIT 101";
    let queries = [
        ("list, newest first", format!("{ROW} WHERE 1 = 1 {order}")),
        ("list, next page", format!("{ROW} WHERE 1 = 1 AND (w.opened_at, w.id) < (1760000000, 5000) {order}")),
        ("list, by state", format!("{ROW} WHERE w.state IN ('InProgress') {order}")),
        ("list, by priority", format!("{ROW} WHERE w.priority_rank = 0 {order}")),
        (
            "list, landlord",
            format!("{ROW} WHERE w.property_id IN (SELECT id FROM properties WHERE landlord_id = 10) {order}"),
        ),
        ("list, contractor", format!("{ROW} WHERE w.contractor_id = 900 {order}")),
        ("list, tenant", format!("{ROW} WHERE w.tenant_id = 5000 {order}")),
        ("count, by state", "SELECT count(*) FROM work_orders w WHERE w.state IN ('New', 'Assigned')".to_owned()),
        (
            "dashboard counts",
            "SELECT state, priority_rank, count(*) FROM work_orders GROUP BY state, priority_rank".to_owned(),
        ),
        (
            "timeline",
            "SELECT e.at, u.name FROM work_order_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.work_order_id = 4242 ORDER BY e.at, e.id"
                .to_owned(),
        ),
        (
            "recent activity (staff)",
            "SELECT e.work_order_id, e.at FROM work_order_events e JOIN work_orders w ON w.id = e.work_order_id
             WHERE 1 = 1 ORDER BY e.at DESC, e.id DESC LIMIT 50"
                .to_owned(),
        ),
    ];
    for (name, sql) in queries {
        println!("\n## {name}");
        let lines: Vec<String> = match store.engine() {
            Engine::Sqlite => {
                let plan: Vec<(i64, i64, i64, String)> =
                    Sql::new(format!("EXPLAIN QUERY PLAN {sql}")).fetch_all(&store).await?;
                plan.into_iter().map(|(_, _, _, detail)| detail).collect()
            }
            Engine::Postgres => {
                let plan: Vec<(String,)> = Sql::new(format!("EXPLAIN ANALYZE {sql}")).fetch_all(&store).await?;
                plan.into_iter().map(|(line,)| line).collect()
            }
        };
        for line in lines {
            println!("    {line}");
        }
    }
    Ok(())
}
