-- The statistics count the answers to "Is it fixed?" given in a period.
CREATE INDEX fixed_checks_answered ON fixed_checks (answered_at) WHERE answer IS NOT NULL;
