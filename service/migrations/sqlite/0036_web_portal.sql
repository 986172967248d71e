-- Who may use the web portal (#21): the agency server serves the same UI to browsers and
-- phones, and the agency chooses which roles may sign in there. Tenants and contractors
-- (who should not have to install anything) by default; staff (admins and staff) and
-- landlords keep to the desktop app until an admin opens it to them.
ALTER TABLE agency ADD COLUMN web_portal_staff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agency ADD COLUMN web_portal_landlords INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agency ADD COLUMN web_portal_contractors INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agency ADD COLUMN web_portal_tenants INTEGER NOT NULL DEFAULT 1;
