-- An admin deactivates an account (someone who left the agency, a landlord who moved
-- their properties elsewhere): they cannot sign in, their sessions end, and their name
-- stays on the orders and messages they took part in. NULL means active.
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
