-- In-app notifications use the `notifications` table from 0001 (one row per recipient).
-- Whether a user also wants desktop notifications for them; on by default.
ALTER TABLE users ADD COLUMN desktop_notifications BOOLEAN NOT NULL DEFAULT TRUE;
-- The watcher asks "anything newer than the last id I saw, for this user?" every few seconds.
CREATE INDEX notifications_by_user_id ON notifications (user_id, id);
