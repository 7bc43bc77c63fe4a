-- The NGO network's secretariat (the city hall's public relations department): staff of the
-- departments marked here approve the network's events and resources and write its newsletter.
-- A locality that marks none leaves that to all of its staff.
ALTER TABLE departments ADD COLUMN network_secretariat BOOLEAN NOT NULL DEFAULT FALSE;
