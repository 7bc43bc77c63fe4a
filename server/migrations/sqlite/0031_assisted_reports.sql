-- A report a member of staff filed at the information centre's desk on behalf of a visitor:
-- who filed it, and how to reach the visitor if they left a way (a phone, an address).
ALTER TABLE reports ADD COLUMN assisted_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE reports ADD COLUMN visitor_contact TEXT;
