-- Issue #16: messages one person may post in a minute (domain::limits::MESSAGES_PER_MINUTE),
-- counted from the stored rows so the limit holds across desktops and the agency server.
-- The count reads one author's latest messages: this index serves it.
CREATE INDEX messages_by_author ON messages (author_id, sent_at);

-- A message its author retracted (within domain::message::RETRACT_WINDOW_MINUTES): the
-- row and its body stay for the agency's history; everyone else is sent no body.
ALTER TABLE messages ADD COLUMN retracted_at BIGINT;
