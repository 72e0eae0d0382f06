-- Property checks of the report measures on generated data: each measure equals an independent
-- plain-SQL computation of the same definition over the normalised views (no skpi function in
-- the independent side: working days are counted day by day against skpi.bank_holidays, periods
-- of care and carer spells are islands found with plain window functions).
BEGIN;
SELECT plan(17);
SET LOCAL client_min_messages = warning;
SELECT to_regprocedure('skpi.build_reports(text,text)') IS NULL
	   OR to_regprocedure('skpi.generate_ssd(text,integer,integer,integer)') IS NULL AS no_report_layer \gset
\if :no_report_layer
SELECT skip('skpi.build_reports or skpi.generate_ssd is not installed', 17);
SELECT * FROM finish();
ROLLBACK;
\quit
\endif

SELECT skpi.generate_ssd('pt_ssd', 1, 2, 11) > 0 AS generated \gset
SELECT skpi.build_reports('pt_ssd', 'pt_kpi') AS theme_views \gset

SELECT is(:theme_views, 8, 'build_reports made the eight theme views');

-- Working days counted day by day: n is the number of working days (Monday-Friday, not a bank
-- holiday) up to and including d, so the working days after a up to b are n(b) - n(a).
CREATE TEMP TABLE cal AS
SELECT g.d::date AS d,
	   count(*) FILTER (WHERE extract(isodow FROM g.d) < 6 AND NOT EXISTS (
			SELECT 1 FROM skpi.bank_holidays h WHERE h.holiday = g.d::date))
			OVER (ORDER BY g.d) AS n
FROM generate_series(date '1995-01-01', date '2025-12-31', interval '1 day') AS g(d);
CREATE UNIQUE INDEX ON cal (d);
CREATE FUNCTION pg_temp.wd(a date, b date) RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT (SELECT n FROM cal WHERE d = b) - (SELECT n FROM cal WHERE d = a)
$$;

-- 1. Children subject to a CP plan per 10,000 at every month end.
CREATE TEMP TABLE cp_rate AS
SELECT p.area_code, p.period_end,
	   (SELECT count(*) FROM pt_kpi.n_cp_plans c
		WHERE c.area_code = p.area_code AND c.start_date <= p.period_end
		  AND (c.end_date IS NULL OR c.end_date > p.period_end)) AS n,
	   (SELECT sum(x.population) FROM skpi.population x
		WHERE x.area_code = p.area_code
		  AND x.mid_year = coalesce((SELECT max(y.mid_year) FROM skpi.population y
									 WHERE y.area_code = p.area_code AND make_date(y.mid_year, 6, 30) <= p.period_end),
									(SELECT min(y.mid_year) FROM skpi.population y WHERE y.area_code = p.area_code))) AS pop
FROM pt_kpi.report_periods p WHERE p.period_type = 'month';
SELECT cmp_ok((SELECT count(*) FROM cp_rate WHERE n > 0), '>', 12::bigint, 'months with children on CP plans to compare');
SELECT is_empty($$
	SELECT i.area_code, i.period_end, i.n, i.pop, m.numerator, m.denominator, m.value
	FROM cp_rate i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'cp_rate_per_10k' AND period_type = 'month') m
		ON m.area_code = i.area_code AND m.period_end = i.period_end
	WHERE m.numerator IS DISTINCT FROM i.n::numeric OR m.denominator IS DISTINCT FROM i.pop
	   OR abs(m.value - i.n * 10000.0 / i.pop) > 1e-9 OR m.value IS NULL
$$, 'cp_rate_per_10k at every month end = plans open at the end of that day per 10,000 children');

-- 2. Repeat CP plans within 2 years, per quarter: an earlier plan of the child ended no more than
-- two years before the start, or is still open.
CREATE TEMP TABLE cp_rep AS
SELECT p.area_code, p.period_label, count(c.plan_id) AS den,
	   count(c.plan_id) FILTER (WHERE EXISTS (
			SELECT 1 FROM pt_kpi.n_cp_plans e
			WHERE e.area_code = c.area_code AND e.person_id = c.person_id AND e.start_date < c.start_date
			  AND (e.end_date IS NULL OR e.end_date >= c.start_date - interval '2 years'))) AS num
FROM pt_kpi.report_periods p
LEFT JOIN pt_kpi.n_cp_plans c ON c.area_code = p.area_code AND c.start_date BETWEEN p.period_start AND p.period_end
WHERE p.period_type = 'quarter'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(num) FROM cp_rep), '>', 0::numeric, 'repeat CP plans to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM cp_rep i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'cp_repeat_2y_pct' AND period_type = 'quarter') m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
	   OR m.value IS DISTINCT FROM CASE WHEN i.den > 0 THEN 100.0 * i.num / i.den END
		  AND abs(m.value - 100.0 * i.num / i.den) > 1e-9
$$, 'cp_repeat_2y_pct per quarter = plans with an earlier plan ending within 2 years of the start (or open)');

-- 3. Re-referrals within 12 months, per quarter. Referrals of one child on one day are ordered
-- among themselves: all but the first of the day are re-referrals, and the first is one when an
-- earlier referral lies within 12 months.
CREATE TEMP TABLE reref AS
WITH days AS (
	SELECT r.area_code, r.person_id, r.referral_date, count(*) AS k
	FROM pt_kpi.n_referrals r GROUP BY 1, 2, 3
), earlier AS (
	SELECT d.area_code, d.person_id, d.referral_date, d.k, count(e.referral_date) > 0 AS earlier
	FROM days d
	LEFT JOIN days e ON e.area_code = d.area_code AND e.person_id = d.person_id
		AND e.referral_date < d.referral_date AND e.referral_date >= d.referral_date - interval '12 months'
	GROUP BY 1, 2, 3, 4
)
SELECT p.area_code, p.period_label, coalesce(sum(d.k), 0) AS den,
	   coalesce(sum(CASE WHEN d.earlier THEN d.k ELSE d.k - 1 END), 0) AS num
FROM pt_kpi.report_periods p
LEFT JOIN earlier d ON d.area_code = p.area_code AND d.referral_date BETWEEN p.period_start AND p.period_end
WHERE p.period_type = 'quarter'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(num) FROM reref), '>', 0::numeric, 're-referrals to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM reref i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'rereferrals_12m_pct' AND period_type = 'quarter') m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num OR m.denominator IS DISTINCT FROM i.den
$$, 'rereferrals_12m_pct per quarter = referrals within 12 months of the child''s previous one');

-- 4. Assessments authorised within 45 working days of their start, per month.
CREATE TEMP TABLE asm45 AS
SELECT p.area_code, p.period_label, count(a.assessment_id) AS n,
	   count(a.assessment_id) FILTER (WHERE a.start_date IS NOT NULL) AS den,
	   count(a.assessment_id) FILTER (WHERE pg_temp.wd(a.start_date, a.auth_date) <= 45) AS num
FROM pt_kpi.report_periods p
LEFT JOIN pt_kpi.n_assessments a ON a.area_code = p.area_code AND a.auth_date BETWEEN p.period_start AND p.period_end
WHERE p.period_type = 'month'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(den - num) FROM asm45), '>', 0::numeric, 'late assessments to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM asm45 i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'assessments_45wd_pct' AND period_type = 'month') m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
$$, 'assessments_45wd_pct per month = authorised within 45 working days counted day by day');

-- 5. ICPCs within 15 working days of the strategy discussion, per quarter (transfers-in left out).
CREATE TEMP TABLE icpc15 AS
SELECT p.area_code, p.period_label,
	   count(i.icpc_id) FILTER (WHERE s.start_date IS NOT NULL) AS den,
	   count(i.icpc_id) FILTER (WHERE pg_temp.wd(s.start_date, i.icpc_date) <= 15) AS num
FROM pt_kpi.report_periods p
LEFT JOIN pt_kpi.n_icpc i ON i.area_code = p.area_code AND i.icpc_date BETWEEN p.period_start AND p.period_end
	AND i.transfer_in IS NOT TRUE
LEFT JOIN pt_kpi.n_s47 s ON s.area_code = i.area_code AND s.s47_id = i.s47_id
WHERE p.period_type = 'quarter'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(den) FROM icpc15), '>', 0::numeric, 'ICPCs to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM icpc15 i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'icpc_15wd_pct' AND period_type = 'quarter') m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
$$, 'icpc_15wd_pct per quarter = ICPCs within 15 working days of the section 47 start');

-- Looked-after episodes (short breaks left out) with their period of care and carer spell as
-- islands: a new period of care when an episode starts after every earlier one ended; a new
-- carer when, in addition, the reason for the new episode is not L, T or U.
CREATE TEMP TABLE ep AS
WITH e AS (
	SELECT x.*, max(coalesce(x.end_date, 'infinity')) OVER (PARTITION BY x.area_code, x.person_id ORDER BY x.start_date
						ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
	FROM pt_kpi.n_cla_episodes x
	WHERE x.legal_status IS DISTINCT FROM 'V3' AND x.legal_status IS DISTINCT FROM 'V4'
), f AS (
	SELECT e.*, (e.prev_end IS NULL OR e.start_date > e.prev_end) AS new_poc,
		   (e.prev_end IS NULL OR e.start_date > e.prev_end OR e.rne IS NULL OR e.rne NOT IN ('L', 'T', 'U')) AS new_carer
	FROM e
), g AS (
	SELECT f.*, count(*) FILTER (WHERE f.new_poc) OVER w AS poc, count(*) FILTER (WHERE f.new_carer) OVER w AS carer
	FROM f WINDOW w AS (PARTITION BY f.area_code, f.person_id ORDER BY f.start_date)
)
SELECT g.*, min(g.start_date) OVER (PARTITION BY g.area_code, g.person_id, g.poc) AS poc_start,
	   min(g.start_date) OVER (PARTITION BY g.area_code, g.person_id, g.carer) AS carer_start
FROM g;
CREATE INDEX ON ep (area_code, person_id);
ANALYZE ep;

-- 6. Short-term stability at each 31 March: CLA with 3+ placements in the financial year.
CREATE TEMP TABLE stab AS
SELECT p.area_code, p.period_label, count(*) AS den,
	   count(*) FILTER (WHERE (
			SELECT count(*) FROM ep x
			WHERE x.area_code = c.area_code AND x.person_id = c.person_id
			  AND (x.placement_type IS NULL OR x.placement_type NOT IN ('T0', 'T1', 'T2', 'T3', 'T4'))
			  AND ((x.start_date BETWEEN p.period_start AND p.period_end AND x.rne IN ('S', 'P', 'B'))
				   OR (x.start_date < p.period_start AND (x.end_date IS NULL OR x.end_date >= p.period_start)))) >= 3) AS num
FROM pt_kpi.report_periods p
JOIN ep c ON c.area_code = p.area_code AND c.start_date <= p.period_end AND (c.end_date IS NULL OR c.end_date > p.period_end)
WHERE p.period_type = 'year'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(num) FROM stab), '>', 0::numeric, 'children with 3 or more placements to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM stab i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'cla_3plus_placements_pct' AND period_type = 'year'
			   AND denominator > 0) m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
$$, 'cla_3plus_placements_pct per year = CLA at 31 March with 3+ placements counted episode by episode');

-- 7. Long-term stability at each 31 March: under 16, in care 2.5 years, same carer 2 years (a
-- placement for adoption counts with the carer before it).
CREATE TEMP TABLE lts AS
SELECT p.area_code, p.period_label, count(*) AS den,
	   count(*) FILTER (WHERE coalesce(CASE WHEN c.placement_type IN ('A3', 'A4', 'A5', 'A6') THEN
			(SELECT min(x.start_date) FROM ep x WHERE x.area_code = c.area_code AND x.person_id = c.person_id
				AND x.poc = c.poc AND x.carer = c.carer - 1) END, c.carer_start)
			<= p.period_end - interval '2 years') AS num
FROM pt_kpi.report_periods p
JOIN ep c ON c.area_code = p.area_code AND c.start_date <= p.period_end AND (c.end_date IS NULL OR c.end_date > p.period_end)
JOIN pt_kpi.n_person pe ON pe.area_code = c.area_code AND pe.person_id = c.person_id
WHERE p.period_type = 'year' AND pe.dob <= p.period_end AND date_part('year', age(p.period_end, pe.dob)) < 16
  AND c.poc_start <= p.period_end - interval '30 months'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(den) FROM lts), '>', 0::numeric, 'children in long-term care to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM lts i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'cla_long_term_stability_pct' AND period_type = 'year'
			   AND denominator > 0) m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
$$, 'cla_long_term_stability_pct per year = same carer 2 years among under-16s in care 2.5 years');

-- 8. Care leavers aged 19-21 in touch at each month end (local method): the status of a young
-- person at a date is their latest status dated on or before it, else an undated one, else not
-- known; those whose status then is DIED are left out.
CREATE TEMP TABLE cls AS SELECT * FROM pt_kpi.n_care_leavers;
CREATE INDEX ON cls (area_code, person_id);
ANALYZE cls;
CREATE TEMP TABLE touch AS
WITH st AS (
	SELECT p.area_code, p.period_label, p.period_end, pe.person_id, pe.dob, pe.death_date,
		   (SELECT x.in_touch FROM cls x
			WHERE x.area_code = pe.area_code AND x.person_id = pe.person_id
			  AND (x.latest_contact <= p.period_end OR x.latest_contact IS NULL)
			ORDER BY x.latest_contact DESC NULLS LAST, x.in_touch, x.accommodation, x.activity LIMIT 1) AS status,
		   EXISTS (SELECT 1 FROM cls x
				   WHERE x.area_code = pe.area_code AND x.person_id = pe.person_id
					 AND (x.latest_contact <= p.period_end OR x.latest_contact IS NULL)) AS known
	FROM pt_kpi.report_periods p
	JOIN (SELECT DISTINCT c.area_code, c.person_id FROM cls c) c ON c.area_code = p.area_code
	JOIN pt_kpi.n_person pe ON pe.area_code = c.area_code AND pe.person_id = c.person_id
	WHERE p.period_type = 'month' AND pe.dob <= p.period_end
	  AND date_part('year', age(p.period_end, pe.dob)) BETWEEN 19 AND 21
	  AND (pe.death_date IS NULL OR pe.death_date > p.period_end)
)
SELECT st.area_code, st.period_label, count(*) AS den, count(*) FILTER (WHERE st.known AND st.status = 'YES') AS num
FROM st WHERE st.status IS DISTINCT FROM 'DIED'
GROUP BY 1, 2;
SELECT cmp_ok((SELECT sum(num) FROM touch), '>', 0::numeric, 'care leavers in touch to compare');
SELECT is_empty($$
	SELECT i.*, m.numerator, m.denominator
	FROM touch i
	FULL JOIN (SELECT * FROM pt_kpi.measures WHERE measure = 'care_leavers_in_touch_pct' AND breakdown = 'local'
			   AND period_type = 'month' AND denominator > 0) m
		USING (area_code, period_label)
	WHERE m.numerator IS DISTINCT FROM i.num::numeric OR m.denominator IS DISTINCT FROM i.den::numeric
$$, 'care_leavers_in_touch_pct (local) per month = 19-21 year olds in touch by the status that held at the month end');

SELECT * FROM finish();
ROLLBACK;
