-- The desk's default view is every order that still needs work, newest first. With
-- state IN (seven states) SQLite sorted thousands of rows (105 ms at 100k orders); this
-- partial index holds only open orders, already in list order.
CREATE INDEX work_orders_open ON work_orders (opened_at DESC, id DESC)
    WHERE state NOT IN ('Closed', 'Rejected', 'Cancelled');
