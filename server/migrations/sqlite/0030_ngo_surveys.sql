-- A locality may let the organisations of its NGO network write surveys of their own (the
-- network's plan counts its participants and their feedback); such a survey belongs to its
-- organisation, whose members run it beside the locality's staff.
ALTER TABLE localities ADD COLUMN ngo_surveys BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE surveys ADD COLUMN organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL;
