-- ============================================================================================
-- scorecard: the quarterly report as one self-contained HTML page (tables like the seed report,
-- inline SVG trend charts of the monthly series), read from <target>.published so that
-- suppressed cells stay suppressed.
-- ============================================================================================

-- Text escaped for HTML (also valid XML).
CREATE FUNCTION @extschema@._html(s text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT replace(replace(replace(replace(replace(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')
$$;

-- A value formatted for the scorecard: counts whole, percentages and rates to 1 decimal place.
CREATE FUNCTION @extschema@._sc_number(v numeric, unit text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN v IS NULL THEN NULL
		WHEN unit = 'count' THEN to_char(round(v), 'FM999,999,999,990')
		WHEN unit = 'percent' THEN to_char(round(v, 1), 'FM999,990.0') || '%'
		ELSE to_char(round(v, 1), 'FM999,999,990.0')
	END
$$;

-- One table cell of a measure value: 'c' when suppressed, a dash when there is no value.
CREATE FUNCTION @extschema@._sc_cell(v numeric, unit text, suppressed boolean, unavailable boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN coalesce(suppressed, false) THEN '<td class="num suppressed"><abbr title="suppressed: small number">c</abbr></td>'
		WHEN coalesce(unavailable, false) THEN '<td class="num unavailable">n/a</td>'
		WHEN v IS NULL THEN '<td class="num none">&#8211;</td>'
		ELSE '<td class="num">' || @extschema@._sc_number(v, unit) || '</td>'
	END
$$;

-- A small SVG line chart of a monthly series (labels and values in order; NULL values are gaps).
CREATE FUNCTION @extschema@._sc_svg(chart_id text, title text, labels text[], vals numeric[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	w constant int := 480;
	h constant int := 150;
	l constant int := 56;	-- left margin (axis labels)
	r constant int := 12;
	t constant int := 12;
	b constant int := 28;	-- bottom margin (month labels)
	n int := coalesce(cardinality(vals), 0);
	lo numeric;
	hi numeric;
	x numeric;
	y numeric;
	pts text := '';
	dots text := '';
	svg text;
	i int;
BEGIN
	SELECT min(v), max(v) INTO lo, hi FROM unnest(vals) v;
	IF lo IS NULL THEN
		lo := 0; hi := 1;
	END IF;
	lo := least(lo, 0);
	IF hi <= lo THEN
		hi := lo + 1;
	END IF;
	FOR i IN 1 .. n LOOP
		CONTINUE WHEN vals[i] IS NULL;
		x := l + CASE WHEN n = 1 THEN (w - l - r) / 2.0 ELSE (w - l - r) * (i - 1) / (n - 1)::numeric END;
		y := t + (h - t - b) * (hi - vals[i]) / (hi - lo);
		pts := pts || round(x, 1) || ',' || round(y, 1) || ' ';
		dots := dots || format('<circle cx="%s" cy="%s" r="2.5" fill="#1d70b8"><title>%s: %s</title></circle>',
							   round(x, 1), round(y, 1), @extschema@._html(labels[i]), round(vals[i], 1));
	END LOOP;
	svg := format('<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="trend" width="%s" height="%s" viewBox="0 0 %s %s" role="img">',
				  @extschema@._html(chart_id), w, h, w, h)
		|| '<title>' || @extschema@._html(title) || '</title>'
		|| format('<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis" stroke="#505a5f"/>', l, h - b, w - r, h - b)
		|| format('<line x1="%s" y1="%s" x2="%s" y2="%s" class="axis" stroke="#505a5f"/>', l, t, l, h - b)
		|| format('<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#505a5f">%s</text>', l - 4, t + 4, round(hi, 1))
		|| format('<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#505a5f">%s</text>', l - 4, h - b, round(lo, 1));
	IF n > 0 THEN
		svg := svg
			|| format('<text x="%s" y="%s" text-anchor="start" font-size="10" fill="#505a5f">%s</text>', l, h - 8, @extschema@._html(labels[1]))
			|| format('<text x="%s" y="%s" text-anchor="end" font-size="10" fill="#505a5f">%s</text>', w - r, h - 8, @extschema@._html(labels[n]));
	END IF;
	IF pts <> '' THEN
		svg := svg || format('<polyline class="line" fill="none" stroke="#1d70b8" stroke-width="2" points="%s"/>', rtrim(pts)) || dots;
	END IF;
	RETURN svg || '</svg>';
END
$$;

-- The scorecard of one period as a self-contained HTML page.
CREATE FUNCTION @extschema@.scorecard_html(target_schema text, period_label text) RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	src text := format('%I.published', target_schema);
	per record;
	prev_label text;
	area text;
	sec record;
	body text;
	html text;
	chart record;
	labels text[];
	vals numeric[];
BEGIN
	IF to_regclass(src) IS NULL THEN
		RAISE EXCEPTION 'no report views in schema "%"', target_schema
			USING ERRCODE = 'undefined_table',
				  HINT = 'Create them with skpi.build_reports(source_schema, target_schema).';
	END IF;
	EXECUTE format('SELECT period_type, min(period_start) AS period_start, min(period_end) AS period_end
					FROM %s WHERE period_label = $1 GROUP BY period_type', src)
		INTO per USING period_label;
	IF per IS NULL THEN
		RAISE EXCEPTION 'no report period labelled "%" in schema "%"', period_label, target_schema
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('The periods are the period_label values of %I.published (labels such as ''Apr 2019'', ''2019/20 Q1'', ''2019/20'').', target_schema);
	END IF;
	EXECUTE format('SELECT min(period_label) FROM %s WHERE period_type = $1 AND period_start = $2', src)
		INTO prev_label USING per.period_type, (per.period_start - interval '1 year')::date;
	prev_label := coalesce(prev_label, 'a year earlier');

	html := '<!DOCTYPE html>' || E'\n'
		|| '<html lang="en"><head><meta charset="utf-8"/>'
		|| '<title>Children''s services performance: ' || @extschema@._html(period_label) || '</title>'
		|| '<style>'
		|| 'body{font-family:Arial,Helvetica,sans-serif;margin:1.5em;color:#0b0c0c}'
		|| 'h1{font-size:1.6em}h2{font-size:1.35em;border-bottom:2px solid #1d70b8}h3{font-size:1.15em;margin-top:1.6em;color:#1d70b8}'
		|| 'table{border-collapse:collapse;margin:0.5em 0 1em 0}th,td{border:1px solid #b1b4b6;padding:3px 7px;font-size:0.9em}'
		|| 'th{background:#f3f2f1;text-align:left}td.num{text-align:right}td.suppressed,td.unavailable,td.none{color:#505a5f}'
		|| 'td.rag-green{background:#cce2d8}td.rag-amber{background:#fff7bf}td.rag-red{background:#f6d7d2}'
		|| 'div.chart{display:inline-block;margin:0 1em 1em 0}div.chart p{margin:0;font-size:0.85em}'
		|| 'svg.trend line.axis,svg.trend line{stroke:#505a5f;stroke-width:1}svg.trend polyline{fill:none;stroke:#1d70b8;stroke-width:2}'
		|| 'svg.trend circle{fill:#1d70b8}svg.trend text{font-size:10px;fill:#505a5f}'
		|| '</style></head><body>' || E'\n'
		|| '<h1>Children''s services performance report: ' || @extschema@._html(period_label) || '</h1>' || E'\n'
		|| format('<p class="period">%s to %s, compared with %s. England and statistical-neighbour figures as loaded in skpi.comparators, targets from skpi.targets; <abbr title="suppressed: small number">c</abbr> marks a suppressed small number, n/a a measure whose input is not supplied.</p>',
				  to_char(per.period_start, 'FMDD FMMonth YYYY'), to_char(per.period_end, 'FMDD FMMonth YYYY'),
				  @extschema@._html(prev_label)) || E'\n';

	FOR area IN EXECUTE format('SELECT DISTINCT area_code FROM %s WHERE period_label = $1 ORDER BY 1', src)
		USING period_label
	LOOP
		html := html || format('<div class="area" id="area-%s"><h2>Area %s</h2>', @extschema@._html(area), @extschema@._html(area)) || E'\n';
		FOR sec IN SELECT * FROM (VALUES
				(1, 'front_door', 'Front door'),
				(2, 'assessments', 'Assessments and risk factors'),
				(3, 'child_protection', 'Child protection'),
				(4, 'children_in_need', 'Children in need'),
				(5, 'looked_after', 'Looked after'),
				(6, 'care_leavers', 'Care leavers'),
				(7, 'missing', 'Missing'),
				(8, 'workforce', 'Workforce')) AS s(n, theme, title)
			ORDER BY n
		LOOP
			EXECUTE format($q$
				SELECT string_agg(
					'<tr><td>' || @extschema@._html(c.label) || '</td><td>'
					|| @extschema@._html(cur.breakdown) || '</td>'
					|| @extschema@._sc_cell(cur.value, cur.unit, cur.suppressed, cur.breakdown LIKE 'unavailable:%%')
					|| @extschema@._sc_cell(prev.value, prev.unit, prev.suppressed, prev.breakdown LIKE 'unavailable:%%')
					|| '<td class="num">' || coalesce(@extschema@._sc_number(cur.england::numeric, cur.unit), '') || '</td>'
					|| '<td class="num">' || coalesce(@extschema@._sc_number(cur.stat_neighbours::numeric, cur.unit), '') || '</td>'
					|| '<td class="num">' || coalesce(@extschema@._sc_number(cur.target::numeric, cur.unit), '') || '</td>'
					|| '<td class="rag rag-' || coalesce(cur.rag, 'none') || '">' || coalesce(cur.rag, '') || '</td></tr>',
					E'\n' ORDER BY c.position, cur.breakdown <> '', cur.breakdown LIKE 'average%%' DESC, cur.breakdown)
				FROM %1$s cur
				JOIN @extschema@.measure_catalogue c ON c.measure = cur.measure
				LEFT JOIN %1$s prev ON prev.area_code = cur.area_code AND prev.period_type = cur.period_type
					AND prev.period_start = (cur.period_start - interval '1 year')::date
					AND prev.measure = cur.measure AND prev.breakdown = cur.breakdown
				WHERE cur.area_code = $1 AND cur.period_label = $2 AND c.theme = $3
				  AND cur.measure NOT IN ('risk_factor_pct', 'trio_any', 'trio_all', 'trio_all_parent', 'assessments_with_factors')
				$q$, src)
				INTO body USING area, period_label, sec.theme;
			html := html || format('<div class="section" id="%s-%s"><h3>%s</h3>', @extschema@._html(area), sec.theme, @extschema@._html(sec.title)) || E'\n'
				|| '<table class="measures"><thead><tr><th>Measure</th><th>Breakdown</th><th>' || @extschema@._html(period_label)
				|| '</th><th>' || @extschema@._html(prev_label) || '</th><th>England</th><th>Statistical neighbours</th><th>Target</th><th>RAG</th></tr></thead><tbody>'
				|| E'\n' || coalesce(body, '<tr><td colspan="8">no measures for this period</td></tr>') || E'\n</tbody></table>\n';

			IF sec.theme = 'assessments' THEN
				-- The toxic-trio table and the risk-factor rank table, laid out like the seed's.
				EXECUTE format($q$
					SELECT string_agg('<tr><td>' || x.label || '</td>'
						|| CASE WHEN m.suppressed THEN '<td class="num suppressed"><abbr title="suppressed: small number">c</abbr></td>'
								ELSE '<td class="num">' || coalesce(@extschema@._sc_number(m.numerator, 'count'), '&#8211;') || '</td>' END
						|| @extschema@._sc_cell(CASE WHEN x.measure <> 'assessments_with_factors' THEN m.value WHEN m.value > 0 THEN 100 END,
												'percent', m.suppressed, false)
						|| '</tr>', E'\n' ORDER BY x.n)
					FROM (VALUES (1, 'trio_any', 'Assessments where any of the toxic trio risk factors are identified for any of child, parent/carer, other'),
								 (2, 'trio_all', 'Assessments where all three toxic trio risk factors are identified for any of child, parent/carer, other'),
								 (3, 'trio_all_parent', 'Assessments where all three toxic trio risk factors are identified for the parent/carer'),
								 (4, 'assessments_with_factors', 'Total assessments with substantive risk factors identified')) AS x(n, measure, label)
					LEFT JOIN %1$s m ON m.measure = x.measure AND m.area_code = $1 AND m.period_label = $2 AND m.breakdown = ''
					$q$, src)
					INTO body USING area, period_label;
				html := html || '<table class="trio"><thead><tr><th>Toxic trio: substance misuse, domestic abuse, mental health</th><th>Number, '
					|| @extschema@._html(period_label) || '</th><th>Percent</th></tr></thead><tbody>'
					|| E'\n' || body || E'\n</tbody></table>\n';
				EXECUTE format($q$
					SELECT string_agg('<tr><td>' || @extschema@._html(initcap(split_part(k.breakdown, ': ', 1))) || '</td><td>'
						|| @extschema@._html(substr(k.breakdown, length(split_part(k.breakdown, ': ', 1)) + 3)) || '</td><td class="num">'
						|| k.rank || '</td>' || @extschema@._sc_cell(k.value, 'percent', k.suppressed, false) || '</tr>',
						E'\n' ORDER BY k.rank, k.breakdown)
					FROM (SELECT m.*, rank() OVER (ORDER BY m.value DESC NULLS LAST) AS rank
						  FROM %1$s m WHERE m.measure = 'risk_factor_pct' AND m.area_code = $1 AND m.period_label = $2) k
					WHERE k.rank <= 10
					$q$, src)
					INTO body USING area, period_label;
				html := html || '<table class="ranks"><thead><tr><th>Relates to</th><th>Risk factor</th><th>Rank, '
					|| @extschema@._html(period_label) || '</th><th>% of assessments with factors</th></tr></thead><tbody>'
					|| E'\n' || coalesce(body, '<tr><td colspan="4">no risk factors recorded</td></tr>') || E'\n</tbody></table>\n';
			END IF;

			-- Trend charts of the monthly series, up to the end of the period (24 months at most).
			FOR chart IN SELECT * FROM (VALUES
					('front_door', 'contacts', 'Contacts per month'),
					('child_protection', 'cp_rate_per_10k', 'Children subject to a CP plan per 10,000, at month end'),
					('looked_after', 'cla_open', 'Children looked after, at month end')) AS c(theme, measure, title)
				WHERE c.theme = sec.theme
			LOOP
				EXECUTE format($q$
					SELECT array_agg(s.period_label ORDER BY s.period_start), array_agg(s.value ORDER BY s.period_start)
					FROM (SELECT m.period_label, m.period_start, CASE WHEN m.suppressed THEN NULL ELSE m.value END AS value
						  FROM %1$s m
						  WHERE m.area_code = $1 AND m.period_type = 'month' AND m.measure = $2
							AND m.breakdown = ''
							AND m.period_end <= $3
						  ORDER BY m.period_start DESC LIMIT 24) s
					$q$, src)
					INTO labels, vals USING area, chart.measure, per.period_end;
				html := html || '<div class="chart">'
					|| @extschema@._sc_svg(format('chart-%s-%s', area, chart.measure), chart.title, labels, vals)
					|| '<p>' || @extschema@._html(chart.title) || '</p></div>' || E'\n';
			END LOOP;
			html := html || '</div>' || E'\n';
		END LOOP;
		html := html || '</div>' || E'\n';
	END LOOP;
	RETURN html || '</body></html>' || E'\n';
END
$$;
COMMENT ON FUNCTION @extschema@.scorecard_html(text, text) IS
	'the scorecard of one period (label as in the report views, e.g. ''2019/20 Q4'') for every area of target_schema as a self-contained HTML page: sections like the seed report (value, same period a year earlier, England, statistical neighbours, target, RAG), the toxic-trio and risk-factor rank tables, inline SVG trend charts of contacts, CP plans per 10,000 and children looked after; read from the published (suppressed) view';
