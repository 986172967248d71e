-- The agency's money limits and idle sign-out (issue #16). The largest amount one order
-- may carry (estimate, approval, invoice, payout) in minor units: £1,000,000 by default,
-- far below where a month's sum could overflow or a webview lose a penny. How far an
-- invoice may exceed the approved cost, in percent, before staff must approve it. How
-- long a session may sit idle before it is signed out.
ALTER TABLE agency ADD COLUMN max_order_amount_minor BIGINT NOT NULL DEFAULT 100000000
    CHECK (max_order_amount_minor > 0);
ALTER TABLE agency ADD COLUMN invoice_overrun_percent BIGINT NOT NULL DEFAULT 10
    CHECK (invoice_overrun_percent BETWEEN 0 AND 100);
ALTER TABLE agency ADD COLUMN idle_sign_out_minutes BIGINT NOT NULL DEFAULT 60
    CHECK (idle_sign_out_minutes BETWEEN 5 AND 1440);
