-- A compliance certificate's file (#20): the scan or PDF itself, kept like an order's
-- attachments in the files directory under its content's SHA-256 (service/src/compliance/
-- file.rs), so backups carry it and the same PDF kept twice is one file. One per
-- certificate: attaching again replaces it.
ALTER TABLE certificates ADD COLUMN file_sha256 TEXT;
ALTER TABLE certificates ADD COLUMN file_name TEXT;
ALTER TABLE certificates ADD COLUMN file_media_type TEXT;
ALTER TABLE certificates ADD COLUMN file_size_bytes BIGINT;
ALTER TABLE certificates ADD COLUMN file_added_by BIGINT REFERENCES users (id);
ALTER TABLE certificates ADD COLUMN file_added_at BIGINT;
