-- Who may use the web portal (#21): the agency server serves the same UI to browsers and
-- phones, and the agency chooses which roles may sign in there. Tenants and contractors
-- (who should not have to install anything) by default; staff (admins and staff) and
-- landlords keep to the desktop app until an admin opens it to them.
ALTER TABLE agency ADD COLUMN web_portal_staff BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE agency ADD COLUMN web_portal_landlords BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE agency ADD COLUMN web_portal_contractors BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE agency ADD COLUMN web_portal_tenants BOOLEAN NOT NULL DEFAULT TRUE;
