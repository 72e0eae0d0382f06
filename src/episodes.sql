
-- Episodes: window functions over plans, referrals and episodes of care (src/episodes.c).
-- Window functions ignore STRICT (the executor never skips their call), so none is declared
-- STRICT: each states its own NULL rule in its comment.

CREATE FUNCTION @extschema@.repeat_within(start_date date, end_date date, within interval)
RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_repeat_within'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.repeat_within(date, date, interval) IS
'window over (PARTITION BY child ORDER BY start_date): true when an earlier row ended on or after start_date - within (PostgreSQL date - interval) or is still open (NULL end); false for the first row; NULL when start_date or within is NULL (the row still counts as earlier for later rows unless its start_date is NULL)';

CREATE FUNCTION @extschema@.previous_end(start_date date, end_date date)
RETURNS date
AS 'MODULE_PATHNAME', 'skpi_previous_end'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.previous_end(date, date) IS
'window over (PARTITION BY child ORDER BY start_date): latest end date of the earlier rows, ''infinity'' when one of them is open (NULL end); NULL for the first row and when start_date is NULL';

CREATE FUNCTION @extschema@.spell_number(start_date date, end_date date,
										 max_gap_days int DEFAULT 0, continues boolean DEFAULT true)
RETURNS int
AS 'MODULE_PATHNAME', 'skpi_spell_number'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.spell_number(date, date, int, boolean) IS
'window over (PARTITION BY child ORDER BY start_date): spells 1, 2, ...; a row joins the current spell when continues is true and start_date <= previous_end + max_gap_days, else starts the next; NULL continues starts a spell; NULL start_date gives NULL; NULL or negative max_gap_days is an error';

CREATE FUNCTION @extschema@.grid_distance_miles(e1 float8, n1 float8, e2 float8, n2 float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'skpi_grid_distance_miles'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_distance_miles(float8, float8, float8, float8) IS
'straight line between OSGB grid references (easting, northing in metres) in miles (/ 1609.344), rounded to 1 decimal place';
