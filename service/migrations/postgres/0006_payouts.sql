-- Payouts to contractors (SPEC "Payments"). A job's payment status is derived from the
-- order and this table (domain::payment::PaymentStatus): Completed with an invoice is
-- pending review, Closed with an invoice awaits payout, a row here means paid. Only the
-- fact of the payment is stored, so the status cannot disagree with the order.
CREATE TABLE payouts (
    work_order_id BIGINT NOT NULL PRIMARY KEY REFERENCES work_orders (id), -- one payout per order
    contractor_id BIGINT NOT NULL REFERENCES contractors (user_id),
    amount_minor  BIGINT NOT NULL CHECK (amount_minor >= 0),
    -- The day it was paid, as the start of that day in the agency's time zone (UTC seconds).
    paid_at       BIGINT NOT NULL,
    reference     TEXT   NOT NULL CHECK (length(reference) BETWEEN 1 AND 60),
    recorded_by   BIGINT NOT NULL REFERENCES users (id),
    recorded_at   BIGINT NOT NULL
);

-- The first schema's payables kept a stored status beside the order's state; nothing
-- wrote or read it, and a stored status could only drift. payouts replaces it.
DROP TABLE payables;
