-- 0007: find a person by email without regard to case (`--delegate carl@ue.org`), through an index:
-- a reference by email otherwise reads every person, which made importing activities slow.

CREATE INDEX people_by_email_nocase ON people(email COLLATE NOCASE) WHERE email IS NOT NULL;
