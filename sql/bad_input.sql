-- Bad-input catalogue: every public function against each class of bad input (NULL, empty,
-- out of range, malformed, infinity dates, window rows out of order), with the outcome, the
-- SQLSTATE and the message. The README's "Bad input" table (section Hardening) is this file's
-- output; api.md fixes the SQLSTATEs: 22023 invalid parameter, 22007/22008 dates, 22012 zero
-- population, 22P02 unparsable text; STRICT functions give NULL for a NULL argument.
SET datestyle = ISO, YMD;
SET extra_float_digits = 0;
CREATE SCHEMA bad_input;

-- Runs one statement; returns its single value as text, or ERROR with the SQLSTATE and message.
CREATE FUNCTION bad_input.try(q text, OUT outcome text, OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q INTO outcome;
	outcome := COALESCE(outcome, 'NULL');
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
	outcome := 'ERROR';
END
$$;

CREATE TABLE bad_input.cases (n serial PRIMARY KEY, fn text NOT NULL, class text NOT NULL, q text NOT NULL);
INSERT INTO bad_input.cases (fn, class, q) VALUES
	('fiscal_year', 'NULL', $q$SELECT skpi.fiscal_year(NULL)$q$),
	('fiscal_year', 'out of range', $q$SELECT skpi.fiscal_year('0001-03-31')$q$),
	('fiscal_year', 'infinity', $q$SELECT skpi.fiscal_year('infinity')$q$),
	('fiscal_year_start', 'NULL', $q$SELECT skpi.fiscal_year_start(NULL)$q$),
	('fiscal_year_start', 'infinity', $q$SELECT skpi.fiscal_year_start('-infinity')$q$),
	('fiscal_quarter', 'NULL', $q$SELECT skpi.fiscal_quarter(NULL)$q$),
	('fiscal_quarter', 'infinity', $q$SELECT skpi.fiscal_quarter('infinity')$q$),
	('fiscal_period', 'NULL', $q$SELECT skpi.fiscal_period(NULL)$q$),
	('fiscal_period', 'out of range', $q$SELECT skpi.fiscal_period('5874897-04-01')$q$),
	('fiscal_period', 'infinity', $q$SELECT skpi.fiscal_period('infinity')$q$),
	('periods', 'NULL', $q$SELECT count(*) FROM skpi.periods(NULL, '2020-03-31', 'month')$q$),
	('periods', 'NULL', $q$SELECT count(*) FROM skpi.periods('2019-04-01', '2020-03-31', NULL)$q$),
	('periods', 'empty', $q$SELECT count(*) FROM skpi.periods('2019-04-01', '2020-03-31', '')$q$),
	('periods', 'malformed', $q$SELECT count(*) FROM skpi.periods('2019-04-01', '2020-03-31', 'week')$q$),
	('periods', 'out of range', $q$SELECT count(*) FROM skpi.periods('2020-04-01', '2019-04-01', 'month')$q$),
	('periods', 'out of range', $q$SELECT count(*) FROM skpi.periods('0001-01-01', '2019-04-01', 'year')$q$),
	('periods', 'infinity', $q$SELECT count(*) FROM skpi.periods('2019-04-01', 'infinity', 'month')$q$),
	('month_ends', 'NULL', $q$SELECT skpi.month_ends(NULL, '2020-03-31')$q$),
	('month_ends', 'out of range', $q$SELECT skpi.month_ends('2020-04-01', '2019-04-01')$q$),
	('month_ends', 'infinity', $q$SELECT skpi.month_ends('-infinity', '2019-04-01')$q$),
	('quarter_ends', 'NULL', $q$SELECT skpi.quarter_ends('2019-04-01', NULL)$q$),
	('quarter_ends', 'out of range', $q$SELECT skpi.quarter_ends('2020-04-01', '2019-04-01')$q$),
	('quarter_ends', 'infinity', $q$SELECT skpi.quarter_ends('2019-04-01', 'infinity')$q$),
	('year_ends', 'NULL', $q$SELECT skpi.year_ends(NULL, NULL)$q$),
	('year_ends', 'out of range', $q$SELECT skpi.year_ends('2020-04-01', '2019-04-01')$q$),
	('year_ends', 'infinity', $q$SELECT skpi.year_ends('2019-04-01', 'infinity')$q$),
	('age_at', 'NULL', $q$SELECT skpi.age_at(NULL, '2019-04-01')$q$),
	('age_at', 'out of range', $q$SELECT skpi.age_at('2019-04-02', '2019-04-01')$q$),
	('age_at', 'infinity', $q$SELECT skpi.age_at('2019-04-01', 'infinity')$q$),
	('age_at', 'infinity', $q$SELECT skpi.age_at('-infinity', '2019-04-01')$q$),
	('age_band', 'NULL', $q$SELECT skpi.age_band('2010-01-01', NULL)$q$),
	('age_band', 'out of range', $q$SELECT skpi.age_band('2019-04-02', '2019-04-01')$q$),
	('age_band', 'infinity', $q$SELECT skpi.age_band('infinity', 'infinity')$q$),
	('is_working_day', 'NULL', $q$SELECT skpi.is_working_day(NULL)$q$),
	('is_working_day', 'out of range', $q$SELECT skpi.is_working_day('1990-06-01')$q$),
	('is_working_day', 'infinity', $q$SELECT skpi.is_working_day('infinity')$q$),
	('working_days_between', 'NULL', $q$SELECT skpi.working_days_between(NULL, '2019-04-01')$q$),
	('working_days_between', 'out of range', $q$SELECT skpi.working_days_between('2019-04-01', '2099-04-01')$q$),
	('working_days_between', 'out of range', $q$SELECT skpi.working_days_between('2019-04-05', '2019-04-01')$q$),
	('working_days_between', 'infinity', $q$SELECT skpi.working_days_between('2019-04-01', 'infinity')$q$),
	('add_working_days', 'NULL', $q$SELECT skpi.add_working_days('2019-04-01', NULL)$q$),
	('add_working_days', 'out of range', $q$SELECT skpi.add_working_days('2019-04-01', 100000)$q$),
	('add_working_days', 'out of range', $q$SELECT skpi.add_working_days('2019-04-01', -2147483648)$q$),
	('add_working_days', 'infinity', $q$SELECT skpi.add_working_days('infinity', 1)$q$),
	('bank_holiday_rules', 'NULL', $q$SELECT count(*) FROM skpi.bank_holiday_rules(NULL, 2020)$q$),
	('bank_holiday_rules', 'out of range', $q$SELECT count(*) FROM skpi.bank_holiday_rules(1066, 1067)$q$),
	('bank_holiday_rules', 'out of range', $q$SELECT count(*) FROM skpi.bank_holiday_rules(2021, 2020)$q$),
	('rate_per_10k', 'NULL', $q$SELECT skpi.rate_per_10k(NULL, 1000)$q$),
	('rate_per_10k', 'out of range', $q$SELECT skpi.rate_per_10k(5, 0)$q$),
	('rate_per_10k', 'out of range', $q$SELECT skpi.rate_per_10k(5, -1)$q$),
	('rate_per_10k', 'out of range', $q$SELECT skpi.rate_per_10k(-1, 1000)$q$),
	('rate_per_10k', 'out of range', $q$SELECT skpi.rate_per_10k(2000, 1000)$q$),
	('rate_ci', 'NULL', $q$SELECT skpi.rate_ci(NULL, 1000)$q$),
	('rate_ci', 'NULL', $q$SELECT skpi.rate_ci(5, 1000, NULL)$q$),
	('rate_ci', 'out of range', $q$SELECT skpi.rate_ci(5, 0)$q$),
	('rate_ci', 'out of range', $q$SELECT skpi.rate_ci(-1, 1000)$q$),
	('rate_ci', 'out of range', $q$SELECT skpi.rate_ci(5, 1000, 1.5)$q$),
	('rate_ci', 'out of range', $q$SELECT skpi.rate_ci(5, 1000, 0)$q$),
	('rate_ci', 'malformed', $q$SELECT skpi.rate_ci(5, 1000, 'NaN')$q$),
	('proportion_ci', 'NULL', $q$SELECT skpi.proportion_ci(NULL, 10)$q$),
	('proportion_ci', 'out of range', $q$SELECT skpi.proportion_ci(11, 10)$q$),
	('proportion_ci', 'out of range', $q$SELECT skpi.proportion_ci(-1, 10)$q$),
	('proportion_ci', 'out of range', $q$SELECT skpi.proportion_ci(0, 0)$q$),
	('proportion_ci', 'out of range', $q$SELECT skpi.proportion_ci(5, 10, 1)$q$),
	('proportion_ci', 'malformed', $q$SELECT skpi.proportion_ci(5, 10, 'NaN')$q$),
	('share', 'NULL', $q$SELECT skpi.share(f) FROM (VALUES (NULL::boolean), (NULL)) v(f)$q$),
	('share', 'empty', $q$SELECT skpi.share(f) FROM (SELECT true WHERE false) v(f)$q$),
	('suppress', 'NULL', $q$SELECT skpi.suppress(NULL)$q$),
	('suppress', 'NULL', $q$SELECT skpi.suppress(3, NULL)$q$),
	('suppress', 'out of range', $q$SELECT skpi.suppress(-3)$q$),
	('suppress', 'out of range', $q$SELECT skpi.suppress(3, -1)$q$),
	('chi_square_quantile', 'NULL', $q$SELECT skpi.chi_square_quantile(NULL, 1)$q$),
	('chi_square_quantile', 'out of range', $q$SELECT skpi.chi_square_quantile(1.5, 1)$q$),
	('chi_square_quantile', 'out of range', $q$SELECT skpi.chi_square_quantile(0.5, 0)$q$),
	('chi_square_quantile', 'malformed', $q$SELECT skpi.chi_square_quantile('NaN', 1)$q$),
	('open_on', 'NULL', $q$SELECT skpi.open_on(NULL, NULL, '2019-04-01')$q$),
	('open_on', 'NULL', $q$SELECT skpi.open_on('2019-01-01', NULL, NULL)$q$),
	('open_on', 'out of range', $q$SELECT skpi.open_on('2019-02-01', '2019-01-01', '2019-04-01')$q$),
	('open_on', 'infinity', $q$SELECT skpi.open_on('-infinity', 'infinity', '2019-04-01')$q$),
	('open_on', 'infinity', $q$SELECT skpi.open_on('2019-01-01', NULL, 'infinity')$q$),
	('open_counts', 'NULL', $q$SELECT skpi.open_counts(s, e, NULL) FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'NULL', $q$SELECT skpi.open_counts(s, e, '{2019-03-31,NULL}') FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'NULL', $q$SELECT skpi.open_counts(s, e, '{2019-03-31}') FROM (VALUES (NULL::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'empty', $q$SELECT skpi.open_counts(s, e, '{}') FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'empty', $q$SELECT skpi.open_counts(s, e, '{2019-03-31}') FROM (SELECT '2019-01-01'::date, NULL::date WHERE false) v(s, e)$q$),
	('open_counts', 'malformed', $q$SELECT skpi.open_counts(s, e, '{2019-06-30,2019-03-31}') FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'malformed', $q$SELECT skpi.open_counts(s, e, '{2019-03-31,2019-03-31}') FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'malformed', $q$SELECT skpi.open_counts(s, e, '{{2019-03-31},{2019-06-30}}') FROM (VALUES ('2019-01-01'::date, NULL::date)) v(s, e)$q$),
	('open_counts', 'malformed', $q$SELECT skpi.open_counts(s, e, a) FROM (VALUES ('2019-01-01'::date, NULL::date, '{2019-03-31}'::date[]), ('2019-01-01', NULL, '{2019-06-30}')) v(s, e, a)$q$),
	('open_counts', 'out of range', $q$SELECT skpi.open_counts(s, e, '{2019-03-31}') FROM (VALUES ('2019-02-01'::date, '2019-01-01'::date)) v(s, e)$q$),
	('open_counts', 'infinity', $q$SELECT skpi.open_counts(s, e, '{-infinity,2019-03-31,infinity}') FROM (VALUES ('2019-01-01'::date, NULL::date), ('-infinity', 'infinity')) v(s, e)$q$),
	('repeat_within', 'NULL', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '2 years') OVER (ORDER BY o) r FROM (VALUES (1, NULL::date, NULL::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'NULL', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, NULL) OVER (ORDER BY o) r FROM (VALUES (1, '2018-01-01'::date, '2018-02-01'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'out of range', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '-1 day') OVER (ORDER BY o) r FROM (VALUES (1, '2018-01-01'::date, '2018-02-01'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'out of range', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '2 years') OVER (ORDER BY o) r FROM (VALUES (1, '2018-03-01'::date, '2018-02-01'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'infinity', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '2 years') OVER (ORDER BY o) r FROM (VALUES (1, '-infinity'::date, 'infinity'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'out of order', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '2 years') OVER (ORDER BY o) r FROM (VALUES (1, '2019-01-01'::date, '2019-02-01'::date), (2, '2018-01-01', '2018-02-01')) v(o, s, e)) w$q$),
	('repeat_within', 'out of order', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.repeat_within(s, e, '2 years') OVER () r FROM (VALUES (1, '2019-01-01'::date, '2019-02-01'::date), (2, '2018-01-01', '2018-02-01')) v(o, s, e)) w$q$),
	('previous_end', 'NULL', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.previous_end(s, e) OVER (ORDER BY o) r FROM (VALUES (1, NULL::date, NULL::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('previous_end', 'out of range', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.previous_end(s, e) OVER (ORDER BY o) r FROM (VALUES (1, '2018-03-01'::date, '2018-02-01'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('previous_end', 'infinity', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.previous_end(s, e) OVER (ORDER BY o) r FROM (VALUES (1, '-infinity'::date, 'infinity'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('previous_end', 'out of order', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.previous_end(s, e) OVER (ORDER BY o) r FROM (VALUES (1, '2019-01-01'::date, '2019-02-01'::date), (2, '2018-01-01', '2018-02-01')) v(o, s, e)) w$q$),
	('spell_number', 'NULL', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e) OVER (ORDER BY o) r FROM (VALUES (1, NULL::date, NULL::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('spell_number', 'NULL', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e, NULL, NULL) OVER (ORDER BY o) r FROM (VALUES (1, '2018-01-01'::date, '2018-02-01'::date), (2, '2018-02-01', '2018-03-01')) v(o, s, e)) w$q$),
	('spell_number', 'out of range', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e, -1) OVER (ORDER BY o) r FROM (VALUES (1, '2018-01-01'::date, '2018-02-01'::date), (2, '2018-02-01', '2018-03-01')) v(o, s, e)) w$q$),
	('spell_number', 'out of range', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e) OVER (ORDER BY o) r FROM (VALUES (1, '2018-03-01'::date, '2018-02-01'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('spell_number', 'infinity', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e, 2147483647) OVER (ORDER BY o) r FROM (VALUES (1, '-infinity'::date, 'infinity'::date), (2, '2019-01-01', '2019-02-01')) v(o, s, e)) w$q$),
	('spell_number', 'out of order', $q$SELECT array_agg(r ORDER BY o) FROM (SELECT o, skpi.spell_number(s, e) OVER (ORDER BY o) r FROM (VALUES (1, '2019-01-01'::date, '2019-02-01'::date), (2, '2018-01-01', '2018-02-01')) v(o, s, e)) w$q$),
	('grid_distance_miles', 'NULL', $q$SELECT skpi.grid_distance_miles(NULL, 0, 0, 0)$q$),
	('grid_distance_miles', 'out of range', $q$SELECT skpi.grid_distance_miles(-1, 0, 0, 0)$q$),
	('grid_distance_miles', 'out of range', $q$SELECT skpi.grid_distance_miles(0, 0, 1e300, 1e300)$q$),
	('grid_distance_miles', 'malformed', $q$SELECT skpi.grid_distance_miles('NaN', 0, 0, 0)$q$),
	('grid_distance_miles', 'infinity', $q$SELECT skpi.grid_distance_miles('Infinity', 0, 0, 0)$q$),
	('factor_code', 'NULL', $q$SELECT skpi.factor_code(NULL)$q$),
	('factor_code', 'empty', $q$SELECT skpi.factor_code('')$q$),
	('factor_code', 'empty', $q$SELECT skpi.factor_code('   ')$q$),
	('factor_code', 'malformed', $q$SELECT skpi.factor_code('99Z')$q$),
	('factor_code', 'malformed', $q$SELECT skpi.factor_code('"1B"')$q$),
	('factor_code', 'out of range', $q$SELECT skpi.factor_code(repeat('1', 100))$q$),
	('factor_codes', 'NULL', $q$SELECT skpi.factor_codes(NULL)$q$),
	('factor_codes', 'NULL', $q$SELECT skpi.factor_codes('["1B", null]')$q$),
	('factor_codes', 'empty', $q$SELECT skpi.factor_codes('')$q$),
	('factor_codes', 'empty', $q$SELECT skpi.factor_codes('[]')$q$),
	('factor_codes', 'empty', $q$SELECT skpi.factor_codes('[""]')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('["1B",')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('["1B" "3A"]')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('1B, 3A')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('{"a": "1B"}')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('["1B"] x')$q$),
	('factor_codes', 'malformed', $q$SELECT skpi.factor_codes('["99Z"]')$q$),
	('toxic_trio(text)', 'NULL', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES (NULL::text)) v(c)$q$),
	('toxic_trio(text)', 'empty', $q$SELECT skpi.toxic_trio(c)::text FROM (SELECT 'x'::text WHERE false) v(c)$q$),
	('toxic_trio(text)', 'empty', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('')) v(c)$q$),
	('toxic_trio(text)', 'malformed', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('3B'), ('99Z')) v(c)$q$),
	('toxic_trio(text[])', 'NULL', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('{3B,NULL}'::text[]), (NULL)) v(c)$q$),
	('toxic_trio(text[])', 'empty', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('{}'::text[])) v(c)$q$),
	('toxic_trio(text[])', 'malformed', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('{3B,99Z}'::text[])) v(c)$q$),
	('toxic_trio(text[])', 'malformed', $q$SELECT skpi.toxic_trio(c)::text FROM (VALUES ('{{3B,4B},{1B,2B}}'::text[])) v(c)$q$),
	('trio_any', 'NULL', $q$SELECT skpi.trio_any(NULL)$q$),
	('trio_count', 'NULL', $q$SELECT skpi.trio_count(NULL)$q$),
	('trio_all', 'NULL', $q$SELECT skpi.trio_all(NULL::skpi.trio)$q$),
	('trio_all', 'NULL', $q$SELECT skpi.trio_all('{}'::skpi.trio, NULL)$q$),
	('trio_all', 'malformed', $q$SELECT skpi.trio_all('{}'::skpi.trio, 'grandparent')$q$),
	('trio_all', 'empty', $q$SELECT skpi.trio_all('{}'::skpi.trio, '')$q$),
	('skpi.trio input', 'empty', $q$SELECT ''::skpi.trio::text$q$),
	('skpi.trio input', 'malformed', $q$SELECT '{domestic_abuse}'::skpi.trio::text$q$),
	('skpi.trio input', 'malformed', $q$SELECT '{domestic_abuse:uncle}'::skpi.trio::text$q$),
	('skpi.trio input', 'malformed', $q$SELECT '{mental_health:child,domestic_abuse:child}'::skpi.trio::text$q$),
	('skpi.trio input', 'malformed', $q$SELECT '{domestic_abuse:child,domestic_abuse:child}'::skpi.trio::text$q$),
	('trio_of', 'NULL', $q$SELECT skpi.trio_of(NULL)::text$q$),
	('trio_of', 'malformed', $q$SELECT skpi.trio_of('{3B,99Z}')::text$q$),
	('rank_table', 'NULL', $q$SELECT skpi.rank_table(i, u)::text FROM (VALUES (NULL::text, 'a'), ('3B', NULL)) v(i, u)$q$),
	('rank_table', 'empty', $q$SELECT skpi.rank_table(i, u)::text FROM (SELECT 'x'::text, 'y'::text WHERE false) v(i, u)$q$),
	('rank_table', 'empty', $q$SELECT skpi.rank_table(i, u)::text FROM (VALUES ('', '')) v(i, u)$q$),
	('ranks', 'NULL', $q$SELECT count(*) FROM skpi.ranks(NULL)$q$),
	('ranks', 'NULL', $q$SELECT count(*) FROM skpi.ranks('{"3B":["a"]}', NULL)$q$),
	('ranks', 'out of range', $q$SELECT count(*) FROM skpi.ranks('{"3B":["a"]}', 0)$q$),
	('ranks', 'out of range', $q$SELECT count(*) FROM skpi.ranks('{"3B":["a"]}', -1)$q$),
	('ranks', 'empty', $q$SELECT count(*) FROM skpi.ranks('{}')$q$),
	('skpi.ranking input', 'empty', $q$SELECT ''::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"3B":"a"}'::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"3B":["a"],}'::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"3B":[]}'::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"3B":["a","a"]}'::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"3B":["a"],"3B":["b"]}'::skpi.ranking::text$q$),
	('skpi.ranking input', 'malformed', $q$SELECT '{"4B":["a"],"3B":["b"]}'::skpi.ranking::text$q$),
	('generate_ssd', 'NULL', $q$SELECT skpi.generate_ssd(NULL)$q$),
	('generate_ssd', 'NULL', $q$SELECT skpi.generate_ssd('bad_input_ssd', NULL)$q$),
	('generate_ssd', 'NULL', $q$SELECT skpi.generate_ssd('bad_input_ssd', 1, 1, NULL)$q$),
	('generate_ssd', 'empty', $q$SELECT skpi.generate_ssd('')$q$),
	('generate_ssd', 'malformed', $q$SELECT skpi.generate_ssd('Bad Name; DROP TABLE x')$q$),
	('generate_ssd', 'malformed', $q$SELECT skpi.generate_ssd('public')$q$),
	('generate_ssd', 'malformed', $q$SELECT skpi.generate_ssd('skpi')$q$),
	('generate_ssd', 'out of range', $q$SELECT skpi.generate_ssd('bad_input_ssd', 0)$q$),
	('generate_ssd', 'out of range', $q$SELECT skpi.generate_ssd('bad_input_ssd', 1001)$q$),
	('generate_ssd', 'out of range', $q$SELECT skpi.generate_ssd('bad_input_ssd', 1, 0)$q$),
	('generate_ssd', 'out of range', $q$SELECT skpi.generate_ssd('bad_input_ssd', 1, 21)$q$),
	('generator_uniform', 'NULL', $q$SELECT skpi.generator_uniform(NULL, 1)$q$),
	('generator_uniform', 'out of range', $q$SELECT skpi.generator_uniform(-9223372036854775808, 9223372036854775807) BETWEEN 0 AND 1$q$),
	('rag', 'NULL', $q$SELECT skpi.rag(NULL, 1, 0, 'higher')$q$),
	('rag', 'NULL', $q$SELECT skpi.rag(1, 1, 0, NULL)$q$),
	('rag', 'empty', $q$SELECT skpi.rag(1, 1, 0, '')$q$),
	('rag', 'malformed', $q$SELECT skpi.rag(1, 1, 0, 'sideways')$q$),
	('rag', 'malformed', $q$SELECT skpi.rag('NaN', 1, 0, 'higher')$q$),
	('rag', 'out of range', $q$SELECT skpi.rag(1, 1, -1, 'higher')$q$),
	('rag', 'infinity', $q$SELECT skpi.rag('Infinity', 1, 0, 'lower')$q$),
	('build_reports', 'NULL', $q$SELECT skpi.build_reports(NULL, 'bad_input_kpi')$q$),
	('build_reports', 'NULL', $q$SELECT skpi.build_reports('bad_input', 'bad_input_kpi', NULL, NULL)$q$),
	('build_reports', 'empty', $q$SELECT skpi.build_reports('', 'bad_input_kpi')$q$),
	('build_reports', 'malformed', $q$SELECT skpi.build_reports('no such schema', 'bad_input_kpi')$q$),
	('build_reports', 'malformed', $q$SELECT skpi.build_reports('bad_input', 'bad_input_kpi')$q$),
	('build_reports', 'out of range', $q$SELECT skpi.build_reports('bad_input', 'bad_input_kpi', 0, NULL)$q$),
	('refresh_reports', 'NULL', $q$SELECT count(*) FROM skpi.refresh_reports(NULL)$q$),
	('refresh_reports', 'empty', $q$SELECT count(*) FROM skpi.refresh_reports('')$q$),
	('refresh_reports', 'malformed', $q$SELECT count(*) FROM skpi.refresh_reports('no such schema')$q$),
	('refresh_reports', 'malformed', $q$SELECT count(*) FROM skpi.refresh_reports('bad_input')$q$),
	('schedule_refresh', 'NULL', $q$SELECT skpi.schedule_refresh(NULL, 'bad_input_kpi')$q$),
	('schedule_refresh', 'malformed', $q$SELECT skpi.schedule_refresh('not a cron', 'bad_input_kpi')$q$),
	('unschedule_refresh', 'NULL', $q$SELECT skpi.unschedule_refresh(NULL)$q$),
	('unschedule_refresh', 'malformed', $q$SELECT skpi.unschedule_refresh('no such schema')$q$),
	('report_setting', 'NULL', $q$SELECT skpi.report_setting(NULL)$q$),
	('report_setting', 'empty', $q$SELECT skpi.report_setting('')$q$),
	('report_setting', 'malformed', $q$SELECT skpi.report_setting('no such setting')$q$),
	('population_at', 'NULL', $q$SELECT skpi.population_at(NULL, '2019-04-01')$q$),
	('population_at', 'empty', $q$SELECT skpi.population_at('', '2019-04-01')$q$),
	('population_at', 'malformed', $q$SELECT skpi.population_at('no such area', '2019-04-01')$q$),
	('population_at', 'infinity', $q$SELECT skpi.population_at('local', 'infinity')$q$),
	('scorecard_html', 'NULL', $q$SELECT skpi.scorecard_html(NULL, '2019/20 Q1')$q$),
	('scorecard_html', 'empty', $q$SELECT skpi.scorecard_html('', '2019/20 Q1')$q$),
	('scorecard_html', 'malformed', $q$SELECT skpi.scorecard_html('no such schema', '2019/20 Q1')$q$),
	('scorecard_html', 'malformed', $q$SELECT skpi.scorecard_html('bad_input', '2019/20 Q1')$q$),
	('scorecard_html', 'malformed', $q$SELECT skpi.scorecard_html('bad_input', 'Q5')$q$);

-- Every function of the schema that users call is in the catalogue (support functions of
-- aggregates and types, trigger functions and the reference-table machinery aside).
SELECT p.oid::regprocedure AS function_missing_from_catalogue
FROM pg_proc p
WHERE p.pronamespace = 'skpi'::regnamespace AND p.proname !~ '^_'
  AND p.prorettype <> 'trigger'::regtype
  AND p.proname NOT IN ('library_version', 'trio_in', 'trio_out', 'trio_recv', 'trio_send',
                        'trio_eq', 'trio_ne', 'trio_hash', 'ranking_in', 'ranking_out',
                        'ranking_recv', 'ranking_send')
  AND NOT EXISTS (SELECT 1 FROM bad_input.cases c
                  WHERE c.q LIKE '%skpi.' || p.proname || '(%')
ORDER BY 1;

CREATE TABLE bad_input.results AS
SELECT c.n, c.fn, c.class, t.outcome, t.state, t.message, NULLIF(t.hint, '') AS hint
FROM bad_input.cases c, bad_input.try(c.q) t;

-- Every case: outcome (the value as text, or ERROR), SQLSTATE, message and hint.
SELECT c.fn, c.class, substr(regexp_replace(c.q, '^SELECT ', ''), 1, 70) AS call,
	   r.outcome, r.state AS sqlstate, r.message, r.hint
FROM bad_input.cases c JOIN bad_input.results r USING (n)
ORDER BY c.n;

-- The README's table: per function and class, the SQLSTATEs raised, or NULL / value when the
-- call returned (several cases of one class are joined with a comma).
SELECT fn,
	   string_agg(DISTINCT CASE WHEN class = 'NULL' THEN o END, ', ') AS "NULL",
	   string_agg(DISTINCT CASE WHEN class = 'empty' THEN o END, ', ') AS empty,
	   string_agg(DISTINCT CASE WHEN class = 'out of range' THEN o END, ', ') AS out_of_range,
	   string_agg(DISTINCT CASE WHEN class = 'malformed' THEN o END, ', ') AS malformed,
	   string_agg(DISTINCT CASE WHEN class = 'infinity' THEN o END, ', ') AS infinity,
	   string_agg(DISTINCT CASE WHEN class = 'out of order' THEN o END, ', ') AS out_of_order
FROM (SELECT n, fn, class,
			 CASE WHEN state <> '00000' THEN state WHEN outcome = 'NULL' THEN 'NULL' ELSE 'value' END AS o
	  FROM bad_input.results) r
GROUP BY fn
ORDER BY min(n);

SET client_min_messages = warning;
DROP SCHEMA bad_input CASCADE;
DROP SCHEMA IF EXISTS bad_input_ssd, bad_input_kpi CASCADE;
RESET client_min_messages;
