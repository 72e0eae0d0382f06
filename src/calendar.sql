
-- ============================================================================================
-- calendar: financial periods, ages, England and Wales bank holidays, working days
-- ============================================================================================

-- Financial periods (1 April to 31 March). Dates outside 0001-04-01..5874897-03-31 and
-- infinity raise 22008.
CREATE FUNCTION @extschema@.fiscal_year(d date) RETURNS text
AS 'MODULE_PATHNAME', 'skpi_fiscal_year'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fiscal_year(date) IS
	'financial year of d as ''2019/20'' (2019-04-01 to 2020-03-31); infinity raises 22008';

CREATE FUNCTION @extschema@.fiscal_year_start(d date) RETURNS date
AS 'MODULE_PATHNAME', 'skpi_fiscal_year_start'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fiscal_year_start(date) IS
	'the 1 April that starts d''s financial year; infinity raises 22008';

CREATE FUNCTION @extschema@.fiscal_quarter(d date) RETURNS int
AS 'MODULE_PATHNAME', 'skpi_fiscal_quarter'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fiscal_quarter(date) IS
	'financial quarter of d, 1 to 4 (April-June = 1, January-March = 4); infinity raises 22008';

CREATE FUNCTION @extschema@.fiscal_period(d date) RETURNS text
AS 'MODULE_PATHNAME', 'skpi_fiscal_period'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fiscal_period(date) IS
	'financial year and quarter of d as ''2019/20 Q1''; infinity raises 22008';

CREATE FUNCTION @extschema@.periods(from_date date, to_date date, unit text)
RETURNS TABLE (period_start date, period_end date, label text)
AS 'MODULE_PATHNAME', 'skpi_periods'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION @extschema@.periods(date, date, text) IS
	'every month (''Apr 2019''), financial quarter (''2019/20 Q1'') or financial year (''2019/20'') overlapping from_date..to_date, in order; unit month, quarter or year (else 22023); from_date > to_date raises 22023, infinity 22008';

CREATE FUNCTION @extschema@.month_ends(from_date date, to_date date) RETURNS date[]
AS 'MODULE_PATHNAME', 'skpi_month_ends'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.month_ends(date, date) IS
	'last day of each month that ends within from_date..to_date (both included), ascending; from_date > to_date raises 22023, infinity 22008';

CREATE FUNCTION @extschema@.quarter_ends(from_date date, to_date date) RETURNS date[]
AS 'MODULE_PATHNAME', 'skpi_quarter_ends'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.quarter_ends(date, date) IS
	'each quarter end (30 June, 30 September, 31 December, 31 March) within from_date..to_date (both included), ascending';

CREATE FUNCTION @extschema@.year_ends(from_date date, to_date date) RETURNS date[]
AS 'MODULE_PATHNAME', 'skpi_year_ends'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.year_ends(date, date) IS
	'each financial year end (31 March) within from_date..to_date (both included), ascending';

-- Ages.
CREATE FUNCTION @extschema@.age_at(dob date, on_date date) RETURNS int
AS 'MODULE_PATHNAME', 'skpi_age_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.age_at(date, date) IS
	'completed years from dob to on_date (a 29 February birthday counts on 1 March in other years); on_date < dob raises 22023, infinity 22008';

CREATE FUNCTION @extschema@.age_band(dob date, on_date date) RETURNS text
AS 'MODULE_PATHNAME', 'skpi_age_band'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.age_band(date, date) IS
	'DfE age band on on_date: Under 1, 1 to 4, 5 to 9, 10 to 15, 16 and over; errors as age_at';

-- England and Wales bank holidays.
CREATE FUNCTION @extschema@.bank_holiday_rules(from_year int, to_year int)
RETURNS TABLE (holiday date, name text)
AS 'MODULE_PATHNAME', 'skpi_bank_holiday_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION @extschema@.bank_holiday_rules(int, int) IS
	'England and Wales bank holidays of from_year..to_year (1995 to 9999) by rule, moved and one-off days of the past included, substitute days instead of weekend days; future one-off days are not known to it';

CREATE TABLE @extschema@.bank_holidays (
	holiday date PRIMARY KEY CHECK (holiday BETWEEN '1900-01-01' AND '9999-12-31'),
	name text NOT NULL
);
COMMENT ON TABLE @extschema@.bank_holidays IS
	'England and Wales bank holidays (the days off, substitute days included), pre-filled for 2000 to 2040; add announced one-off days and later years here. A year with no row is not covered: working-day functions raise 22008 for its dates';

INSERT INTO @extschema@.bank_holidays (holiday, name)
SELECT r.holiday, r.name FROM @extschema@.bank_holiday_rules(2000, 2040) AS r;
SELECT @extschema@._make_reference_table('@extschema@.bank_holidays', ARRAY['holiday']);

-- Working days, from a per-backend index of bank_holidays rebuilt when the table changes.
CREATE FUNCTION @extschema@.is_working_day(d date) RETURNS boolean
AS 'MODULE_PATHNAME', 'skpi_is_working_day'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_working_day(date) IS
	'true when d is Monday to Friday and not in skpi.bank_holidays; dates outside the covered years raise 22008';

CREATE FUNCTION @extschema@.working_days_between(from_date date, to_date date) RETURNS int
AS 'MODULE_PATHNAME', 'skpi_working_days_between'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.working_days_between(date, date) IS
	'number of working days d with from_date < d <= to_date (same day 0, Friday to Monday 1), negative when to_date < from_date; dates outside the covered years raise 22008';

CREATE FUNCTION @extschema@.add_working_days(d date, n int) RETURNS date
AS 'MODULE_PATHNAME', 'skpi_add_working_days'
LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.add_working_days(date, int) IS
	'the working day r with working_days_between(d, r) = n (n < 0 goes back, n = 0 returns d); a result outside the covered years raises 22008';
