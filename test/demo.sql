-- The demo: one synthetic council, its report views and its quarterly scorecard.
--   bash test/run.sh demo        (database skpi_demo on a throwaway cluster)
-- psql variables (optional): years of synthetic data (default 6), html_dir where the HTML
-- scorecard is written (default /tmp).
\set ON_ERROR_STOP 1
\if :{?years}
\else
\set years 6
\endif
\if :{?html_dir}
\else
\set html_dir /tmp
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS safeguarding_kpi;
\pset pager off
\pset footer off
\pset null ''

\echo
\echo 'safeguarding_kpi: English children''s social care performance indicators'
SELECT skpi.library_version() AS version;

\echo
\echo '== A synthetic council: Standard Safeguarding Dataset tables in schema ssd (to 31 March 2020)'
SELECT skpi.generate_ssd('ssd', 1, :years) AS ssd_rows_written;
SELECT area_code, count(*) AS population_rows, min(mid_year) AS first_mid_year, max(mid_year) AS last_mid_year
FROM skpi.population GROUP BY area_code ORDER BY 1;

\echo
\echo '== Sample comparators (England per 10,000 children at 31 March, DfE) and the local schools target'
-- England's published rates (definitions.md section 3) are stocks at 31 March: they belong to the
-- year, to its fourth quarter and to March.
INSERT INTO skpi.comparators (indicator, period_label, comparator, value)
SELECT m.indicator, l.label, 'england', CASE WHEN l.year = '2018/19' THEN m.v1819 ELSE m.v1920 END
FROM (VALUES ('cin_rate_per_10k', 334.2, 323.7), ('cp_rate_per_10k', 43.7, 42.8),
			 ('cla_rate_per_10k', 65, 67)) AS m(indicator, v1819, v1920)
CROSS JOIN (VALUES ('2018/19', '2018/19'), ('2018/19', '2018/19 Q4'), ('2018/19', 'Mar 2019'),
				   ('2019/20', '2019/20'), ('2019/20', '2019/20 Q4'), ('2019/20', 'Mar 2020')) AS l(year, label)
ON CONFLICT (indicator, period_label, comparator) DO UPDATE SET value = EXCLUDED.value;
-- The seed report's target: 85% of contacts reaching the social care threshold (amber within 5).
INSERT INTO skpi.targets (indicator, period_label, target, amber_margin)
VALUES ('contacts_threshold_met_pct', '*', 85, 5)
ON CONFLICT (indicator, period_label) DO UPDATE SET target = EXCLUDED.target, amber_margin = EXCLUDED.amber_margin;
SELECT indicator, comparator, string_agg(period_label || ' ' || value, ', ' ORDER BY period_label) AS values
FROM skpi.comparators GROUP BY 1, 2 ORDER BY 1, 2;
SELECT indicator, period_label, target, amber_margin FROM skpi.targets ORDER BY 1;

\echo
\echo '== Report views in schema kpi: build, then refresh'
SELECT skpi.build_reports('ssd', 'kpi') AS theme_views;
SELECT view_name, rows, round(seconds::numeric, 2) AS seconds FROM skpi.refresh_reports('kpi') ORDER BY view_name;
SELECT rule, count(*) AS rows_left_out FROM kpi.data_quality GROUP BY rule ORDER BY 2 DESC, 1;

-- The latest complete financial quarter in the data and the same quarter a year earlier.
SELECT period_label AS quarter, period_start AS quarter_start, period_end AS quarter_end,
	   skpi.fiscal_period((period_start - interval '1 year')::date) AS year_earlier
FROM kpi.report_periods WHERE period_type = 'quarter'
ORDER BY period_end DESC LIMIT 1 \gset

-- The scorecard rows of that quarter beside the same quarter a year earlier.
CREATE FUNCTION pg_temp.fmt(v numeric, unit text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN NULL
				WHEN unit = 'count' THEN to_char(round(v), 'FM999,999,990')
				WHEN unit = 'percent' THEN to_char(round(v, 1), 'FM990.0') || '%'
				ELSE to_char(round(v, 1), 'FM999,990.0') END
$$;
CREATE TEMP VIEW scorecard AS
SELECT c.theme, c.position, c.label AS measure, m.breakdown,
	   coalesce(pg_temp.fmt(m.value, m.unit), CASE WHEN m.breakdown LIKE 'unavailable:%' THEN 'n/a' ELSE '-' END) AS value,
	   pg_temp.fmt(y.value, m.unit) AS year_earlier,
	   pg_temp.fmt(m.england::numeric, m.unit) AS england,
	   pg_temp.fmt(m.stat_neighbours::numeric, m.unit) AS stat_neighbours,
	   pg_temp.fmt(m.target::numeric, m.unit) AS target, m.rag
FROM kpi.measures m
JOIN skpi.measure_catalogue c ON c.measure = m.measure
LEFT JOIN kpi.measures y ON y.area_code = m.area_code AND y.period_label = :'year_earlier'
	AND y.measure = m.measure AND y.breakdown = m.breakdown
WHERE m.period_label = :'quarter'
  AND m.measure NOT IN ('risk_factor_pct', 'trio_any', 'trio_all', 'trio_all_parent', 'assessments_with_factors');

\echo
\echo '======================================================================================'
\echo ' Quarterly performance report, children''s services:' :quarter '(' :quarter_start 'to' :quarter_end ')'
\echo ' compared with' :year_earlier '; England figures and targets as loaded; RAG against the target'
\echo '======================================================================================'
\echo
\echo '--- Front door'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'front_door' ORDER BY position, breakdown <> '', breakdown <> 'average per month', breakdown;
\echo '--- Assessments and risk factors'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'assessments' ORDER BY position, breakdown;
\echo 'Toxic trio: substance misuse, domestic abuse, mental health'
SELECT x.label AS " ", pg_temp.fmt(m.numerator, 'count') AS "Number",
	   CASE WHEN x.measure = 'assessments_with_factors' THEN '100%' ELSE pg_temp.fmt(m.value, 'percent') END AS "Percent"
FROM (VALUES (1, 'trio_any', 'Assessments where any of the toxic trio risk factors are identified for any of child, parent/carer, other'),
			 (2, 'trio_all', 'Assessments where all three toxic trio risk factors are identified for any of child, parent/carer, other'),
			 (3, 'trio_all_parent', 'Assessments where all three toxic trio risk factors are identified for parent/carer'),
			 (4, 'assessments_with_factors', 'Total assessments with substantive risk factors identified')) AS x(n, measure, label)
LEFT JOIN kpi.measures m ON m.measure = x.measure AND m.period_label = :'quarter' AND m.breakdown = ''
ORDER BY m.area_code, x.n;
\echo 'Risk factors (top 10)'
SELECT initcap(split_part(k.breakdown, ': ', 1)) AS "Relates to",
	   substr(k.breakdown, length(split_part(k.breakdown, ': ', 1)) + 3) AS "Risk factor",
	   k.rank AS "Rank", pg_temp.fmt(k.value, 'percent') AS "%"
FROM (SELECT m.*, rank() OVER (PARTITION BY m.area_code ORDER BY m.value DESC) AS rank
	  FROM kpi.measures m WHERE m.measure = 'risk_factor_pct' AND m.period_label = :'quarter') k
WHERE k.rank <= 10
ORDER BY k.area_code, k.rank, k.breakdown;
\echo '--- Child protection'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'child_protection' ORDER BY position, breakdown;
\echo '--- Children in need'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'children_in_need' ORDER BY position, breakdown;
\echo '--- Looked after'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'looked_after' ORDER BY position, breakdown;
\echo '--- Care leavers'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'care_leavers' ORDER BY position, breakdown;
\echo '--- Missing'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'missing' ORDER BY position, breakdown;
\echo '--- Workforce'
SELECT measure, breakdown, value, year_earlier AS :"year_earlier", england, stat_neighbours, target, rag
FROM scorecard WHERE theme = 'workforce' ORDER BY position, breakdown;

\echo
\echo '== The same scorecard as an HTML page (from kpi.published: small numbers suppressed)'
SELECT :'html_dir' || '/skpi_scorecard_' || replace(replace(:'quarter', '/', '-'), ' ', '_') || '.html' AS html_file \gset
\pset format unaligned
\pset tuples_only on
\o :html_file
SELECT skpi.scorecard_html('kpi', :'quarter');
\o
\pset format aligned
\pset tuples_only off
\echo 'HTML scorecard written to' :html_file
