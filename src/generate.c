/*
 * generate.c
 *	  Pseudo-random draws for the synthetic data generator (skpi.generate_ssd).
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "skpi.h"

PG_FUNCTION_INFO_V1(skpi_generator_uniform);

/*
 * Returns a uniform draw in [0, 1) for an entity number and a salt: the low 53 bits of
 * hashint8extended(key, salt) divided by 2^53, so the same arguments give the same value on
 * every platform.
 */
Datum
skpi_generator_uniform(PG_FUNCTION_ARGS)
{
	int64		key = PG_GETARG_INT64(0);
	uint64		salt = (uint64) PG_GETARG_INT64(1);
	uint32		lohalf = (uint32) key;
	uint32		hihalf = (uint32) (key >> 32);
	uint64		h;

	/* the same folding of 64 bits into 32 as hashint8extended() */
	lohalf ^= (key >= 0) ? hihalf : ~hihalf;
	h = hash_bytes_uint32_extended(lohalf, salt);
	PG_RETURN_FLOAT8((double) (h & UINT64CONST(0x1FFFFFFFFFFFFF)) / 9007199254740992.0);
}

/* A uniform draw for an entity number under the council's salt and a draw number. */
static inline double
draw(int64 key, int64 salt, int tag)
{
	uint32		lohalf = (uint32) key;
	uint32		hihalf = (uint32) (key >> 32);
	uint64		h;

	lohalf ^= (key >= 0) ? hihalf : ~hihalf;
	h = hash_bytes_uint32_extended(lohalf, (uint64) (salt ^ (int64) tag));
	return (double) (h & UINT64CONST(0x1FFFFFFFFFFFFF)) / 9007199254740992.0;
}

/* Element i of the low-discrepancy sequence frac(i * a + draw(key, tag)). */
static inline double
sequence(int i, double a, int64 key, int64 salt, int tag)
{
	double		x = (double) i * a + draw(key, salt, tag);

	return x - floor(x);
}

/* Day offset of the n-th weekday after day offset d (d first moved to a weekday); wk0 is the
 * weekday (0 = Monday) of day offset 0. */
static inline int
weekdays_after(int d, int n, int wk0)
{
	int			x = ((wk0 + d) % 7 + 7) % 7;

	if (x >= 5)
	{
		d += 7 - x;
		x = 0;
	}
	return d + n + 2 * ((x + n) / 5);
}

PG_FUNCTION_INFO_V1(skpi_generator_link);

/*
 * The dates of one referral episode of a family (a link of its chain) and the start of the next
 * one, as day offsets from the window start: the generator's model of an episode, by type
 * (A assessment then closed, N child in need plan, D long-term child in need, P child
 * protection, L looked after). Arguments: chain, link number j, type, referral day, the chain's
 * low-discrepancy draw (used by first links only), the council's salt, the weekday of day 0, the
 * day the last financial year starts, and the council's base timeliness of assessments and ICPCs.
 */
Datum
skpi_generator_link(PG_FUNCTION_ARGS)
{
	int32		chain = PG_GETARG_INT32(0);
	int32		j = PG_GETARG_INT32(1);
	text	   *tytext = PG_GETARG_TEXT_PP(2);
	int32		r = PG_GETARG_INT32(3);
	double		q = PG_GETARG_FLOAT8(4);
	int64		salt = PG_GETARG_INT64(5);
	int32		wk0 = PG_GETARG_INT32(6);
	int32		fy = PG_GETARG_INT32(7);
	double		p_a = PG_GETARG_FLOAT8(8);
	double		p_icpc = PG_GETARG_FLOAT8(9);
	char		ty = VARSIZE_ANY_EXHDR(tytext) == 1 ? *VARDATA_ANY(tytext) : '?';
	int64		k = (int64) chain * 8 + j;
	int32		seq_i = chain % 200000;
	int64		seq_key = (int64) (chain / 200000) * 8 + j;
	TupleDesc	tupdesc;
	Datum		values[24];
	bool		nulls[24];
	int			a_s0, a_wd, s_s0, s_wd, i_wd, cin_len, cin_delay, sd_len, lag, d_len;
	bool		nfa, stepdown, pre_cp, s47, icpc, icpc_cp, has_next;
	double		u_s47, u_icpc, u_cp, u_cs, u_e, u_x, u_next, u_gap1, u_gap2, u_nt, u_cat,
				u_need, u_src, lim;
	int			a_start, s47_start, cp_len, a_auth, s47_end, icpc_date, close, next_r;
	int			cla_start = 0, cla_len = 0, cp_end = 0, cin_start = 0, cin_end = 0;
	bool		has_cp_end = false, has_cin = false;
	const char *cla_exit = NULL, *cat, *need, *next_ty;
	int			i;

	/* the result's descriptor, looked up once per query */
	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;
	if (tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	if (ty != 'A' && ty != 'N' && ty != 'D' && ty != 'P' && ty != 'L')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown episode type \"%s\"", text_to_cstring(tytext)),
				 errhint("The types are A, N, D, P and L.")));

	/* the draws (the numbers are the generator's draw numbers) */
	a_s0 = r + (int) floor(draw(k, salt, 202) * 6);
	a_wd = draw(k, salt, 203) < p_a + (r >= fy ? 0.06 : 0)
		? 8 + (int) floor(draw(k, salt, 204) * 38) : 46 + (int) floor(draw(k, salt, 204) * 45);
	s_s0 = r + (int) floor(draw(k, salt, 210) * 4);
	s_wd = 5 + (int) floor(draw(k, salt, 211) * 10);
	i_wd = draw(k, salt, 212) < p_icpc + (r >= fy ? 0.09 : 0)
		? 6 + (int) floor(draw(k, salt, 213) * 10) : 16 + (int) floor(draw(k, salt, 213) * 20);
	nfa = ty == 'A' && draw(k, salt, 201) < 0.12;
	u_s47 = draw(k, salt, 214);
	u_icpc = draw(k, salt, 215);
	u_cp = j == 1 ? q : sequence(seq_i, 0.6180339887498949, seq_key, salt, 220);
	cin_len = 30 + (int) Min(900.0, floor(-log(1 - draw(k, salt, 230)) * 100));
	cin_delay = (int) floor(draw(k, salt, 233) * 10);
	stepdown = draw(k, salt, 231) < 0.55;
	sd_len = 60 + (int) floor(draw(k, salt, 232) * 150);
	lag = (int) floor(draw(k, salt, 240) * 21);
	d_len = 365 + (int) floor(draw(k, salt, 241) * 1825);
	pre_cp = draw(k, salt, 250) < 0.35;
	u_cs = draw(k, salt, 251);
	u_e = j == 1 ? q : sequence(seq_i, 0.6180339887498949, seq_key, salt, 252);
	u_x = draw(k, salt, 254);
	/* the draws that move the stocks come from low-discrepancy sequences over the families */
	u_next = sequence(seq_i, 0.4142135623730950, seq_key, salt, 107);
	u_gap1 = sequence(seq_i, 0.7320508075688772, seq_key, salt, 108);
	u_gap2 = sequence(seq_i, 0.1622776601683793, seq_key, salt, 110);
	u_nt = sequence(seq_i, 0.6457513110645906, seq_key, salt, 109);
	u_cat = draw(k, salt, 270);
	u_need = draw(k, salt, 271);
	u_src = draw(k, salt, 280);

	/* assessment, strategy discussion, conference */
	a_start = weekdays_after(a_s0, 0, wk0);
	s47_start = weekdays_after(s_s0, 0, wk0);
	if (u_cp < 0.25)
		cp_len = (int) floor(90 + u_cp / 0.25 * 90);
	else if (u_cp < 0.60)
		cp_len = (int) floor(180 + (u_cp - 0.25) / 0.35 * 185);
	else if (u_cp < 0.85)
		cp_len = (int) floor(365 + (u_cp - 0.60) / 0.25 * 180);
	else if (u_cp < 0.96)
		cp_len = (int) floor(545 + (u_cp - 0.85) / 0.11 * 185);
	else
		cp_len = (int) floor(730 + (u_cp - 0.96) / 0.04 * 300);
	a_auth = weekdays_after(a_start, a_wd, wk0);
	s47_end = weekdays_after(s47_start, s_wd, wk0);
	icpc_date = weekdays_after(s47_start, i_wd, wk0);

	switch (ty)
	{
		case 'A':
			s47 = !nfa && u_s47 < 0.15;
			icpc = !nfa && u_s47 < 0.15 && u_icpc < 0.08;
			break;
		case 'N':
			s47 = u_s47 < 0.40;
			icpc = u_s47 < 0.40 && u_icpc < 0.12;
			break;
		case 'P':
			s47 = icpc = true;
			break;
		case 'L':
			s47 = pre_cp || u_s47 < 0.40;
			icpc = pre_cp;
			break;
		default:
			s47 = icpc = false;
	}
	icpc_cp = ty == 'P' || (ty == 'L' && pre_cp);

	if (ty == 'L')
	{
		cla_start = pre_cp ? icpc_date + 30 + (int) floor(u_cs * 300) : r + (int) floor(u_cs * 30);
		if (u_e < 0.25)
			cla_len = 7 + (int) floor(u_e / 0.25 * 173);
		else if (u_e < 0.45)
			cla_len = 180 + (int) floor((u_e - 0.25) / 0.20 * 550);
		else
			cla_len = 730 + (int) floor(pow((u_e - 0.45) / 0.55, 2) * 5000);
		if (u_e < 0.25)
			cla_exit = "home";
		else if (u_e < 0.45)
			cla_exit = u_x < 0.55 ? "home" : u_x < 0.80 ? "sgo" : u_x < 0.90 ? "cao" : "adopt";
		else
			cla_exit = u_x < 0.40 ? "adopt" : u_x < 0.65 ? "sgo" : u_x < 0.80 ? "home" :
				u_x < 0.90 ? "cao" : "other";
	}
	cat = u_cat < 0.48 ? "NEG" : u_cat < 0.83 ? "EMO" : u_cat < 0.91 ? "PHY" :
		u_cat < 0.95 ? "SAB" : "MUL";
	if (ty == 'D')
		need = "N2";
	else if (ty == 'P' || (ty == 'L' && u_need < 0.6))
		need = "N1";
	else
		need = u_need < 0.30 ? "N1" : u_need < 0.50 ? "N4" : u_need < 0.70 ? "N5" :
			u_need < 0.80 ? "N6" : u_need < 0.88 ? "N3" : u_need < 0.93 ? "N8" :
			u_need < 0.96 ? "N7" : "N9";

	/* plans */
	if (ty == 'P')
	{
		cp_end = icpc_date + cp_len;
		has_cp_end = true;
	}
	else if (icpc_cp)
	{
		cp_end = cla_start;
		has_cp_end = true;
	}
	if (ty == 'N')
	{
		cin_start = a_auth + cin_delay;
		cin_end = a_auth + cin_delay + cin_len;
		has_cin = true;
	}
	else if (ty == 'P' && stepdown)
	{
		cin_start = icpc_date + cp_len;
		cin_end = icpc_date + cp_len + sd_len;
		has_cin = true;
	}

	/* the episode closes, and the next one may follow */
	switch (ty)
	{
		case 'A':
			close = nfa ? r + lag % 3 : a_auth + lag;
			break;
		case 'N':
			close = cin_end + lag;
			break;
		case 'D':
			close = r + d_len;
			break;
		case 'P':
			close = (has_cin ? cin_end : cp_end) + lag;
			break;
		default:
			close = cla_start + cla_len + lag;
	}
	switch (ty)
	{
		case 'A':
			lim = 0.55;
			next_ty = u_nt < 0.70 ? "A" : u_nt < 0.965 ? "N" : u_nt < 0.97 ? "P" : u_nt < 0.98 ? "L" : "D";
			break;
		case 'N':
			lim = 0.35;
			next_ty = u_nt < 0.53 ? "A" : u_nt < 0.92 ? "N" : u_nt < 0.93 ? "P" : u_nt < 0.97 ? "L" : "D";
			break;
		case 'P':
			lim = 0.60;
			next_ty = u_nt < 0.25 ? "A" : u_nt < 0.45 ? "N" : u_nt < 0.90 ? "P" : "L";
			break;
		case 'D':
			lim = 0.05;
			next_ty = "A";
			break;
		default:
			lim = strcmp(cla_exit, "home") == 0 ? 0.40 : 0;
			next_ty = u_nt < 0.45 ? "A" : u_nt < 0.75 ? "N" : u_nt < 0.80 ? "P" : "L";
	}
	has_next = j < 5 && u_next < lim;
	next_r = close + (u_gap1 < 0.55 ? 10 + (int) floor(u_gap2 * 300) : 300 + (int) floor(u_gap2 * 1400));

	for (i = 0; i < 24; i++)
		nulls[i] = false;
	values[0] = BoolGetDatum(nfa);
	values[1] = BoolGetDatum(!nfa);
	values[2] = Int32GetDatum(a_start);
	nulls[2] = nfa;
	values[3] = Int32GetDatum(a_auth);
	nulls[3] = nfa;
	values[4] = BoolGetDatum(s47);
	values[5] = Int32GetDatum(s47_start);
	nulls[5] = !s47;
	values[6] = Int32GetDatum(icpc ? Min(s47_end, icpc_date) : s47_end);
	nulls[6] = !s47;
	values[7] = BoolGetDatum(icpc);
	values[8] = Int32GetDatum(icpc_date);
	nulls[8] = !icpc;
	values[9] = Int32GetDatum(icpc_date);
	nulls[9] = !icpc_cp;
	values[10] = Int32GetDatum(cp_end);
	nulls[10] = !has_cp_end;
	values[11] = Int32GetDatum(cin_start);
	nulls[11] = !has_cin;
	values[12] = Int32GetDatum(cin_end);
	nulls[12] = !has_cin;
	values[13] = Int32GetDatum(cla_start);
	nulls[13] = ty != 'L';
	values[14] = Int32GetDatum(cla_len);
	nulls[14] = ty != 'L';
	values[15] = cla_exit ? CStringGetTextDatum(cla_exit) : (Datum) 0;
	nulls[15] = cla_exit == NULL;
	values[16] = Int32GetDatum(lag);
	values[17] = Int32GetDatum(close);
	values[18] = BoolGetDatum(has_next);
	values[19] = CStringGetTextDatum(next_ty);
	values[20] = Int32GetDatum(next_r);
	values[21] = CStringGetTextDatum(cat);
	values[22] = CStringGetTextDatum(need);
	values[23] = Float8GetDatum(u_src);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

PG_FUNCTION_INFO_V1(skpi_generator_factors);

/*
 * The assessment factors of one generated assessment, as the inside of an SSD factor list
 * ("1B","3B","16A"; empty when none): the toxic trio elements (domestic abuse, mental health,
 * substance misuse) drawn together so that any / all three / all three for the parent come out
 * near the seed report's 66% / 7% / 5%, the other factors independently at their rates, and now
 * and then an unknown code. Arguments: the assessment's number, the council's salt, and whether
 * 24A (child criminal exploitation, recorded from 2019/20 here) can appear.
 */
Datum
skpi_generator_factors(PG_FUNCTION_ARGS)
{
	int64		cl = PG_GETARG_INT64(0);
	int64		salt = PG_GETARG_INT64(1);
	bool		with_24a = PG_GETARG_BOOL(2);
	static const struct
	{
		const char *code;
		double		rate;
	}			others[] = {
		{"5A", 0.035}, {"5B", 0.045}, {"6A", 0.035}, {"6B", 0.045}, {"7A", 0.020}, {"8E", 0.004},
		{"9A", 0.008}, {"10A", 0.035}, {"11A", 0.030}, {"12A", 0.004}, {"13A", 0.020},
		{"14A", 0.050}, {"15A", 0.045}, {"16A", 0.160}, {"17A", 0.220}, {"18A", 0.095},
		{"19A", 0.025}, {"20", 0.120}, {"22A", 0.003}, {"23A", 0.004}, {"24A", 0.020}
	};
	double		u = draw(cl, salt, 440);
	double		w = draw(cl, salt, 441);
	int			m = u < 0.42 ? 0 : u < 0.77 ? 1 : u < 0.938 ? 2 : 3;
	bool		da = m == 3 || (m == 1 && w < 0.42) || (m == 2 && w < 0.70);
	bool		mh = m == 3 || (m == 1 && w >= 0.42 && w < 0.75) || (m == 2 && (w < 0.40 || w >= 0.70));
	bool		sm = m == 3 || (m == 1 && w >= 0.75) || (m == 2 && w >= 0.40);
	bool		b3b = da && draw(cl, salt, 442) < (m == 3 ? 0.95 : 0.80);
	bool		b4b = mh && draw(cl, salt, 446) < (m == 3 ? 0.90 : 0.76);
	bool		par = sm && draw(cl, salt, 450) < (m == 3 ? 0.92 : 0.80);
	bool		a3a = da && (draw(cl, salt, 443) < 0.25 || (!b3b && draw(cl, salt, 444) < 0.55));
	bool		a4a = mh && (draw(cl, salt, 447) < 0.12 || (!b4b && draw(cl, salt, 448) < 0.60));
	bool		b2b = par && draw(cl, salt, 451) < 0.62;
	double		uc = draw(cl, salt, 453);
	bool		a2a = sm && !par && uc < 0.35;
	bool		a1a = sm && !par && uc >= 0.35 && uc < 0.60;
	bool		c2c = sm && !par && uc >= 0.60 && uc < 0.80;
	bool		c1c = sm && !par && uc >= 0.80;
	bool		c3c = da && ((!b3b && !a3a) || draw(cl, salt, 445) < 0.20);
	bool		c4c = mh && ((!b4b && !a4a) || draw(cl, salt, 449) < 0.04);
	bool		b1b = par && (!b2b || draw(cl, salt, 452) < 0.30);
	bool		trio[12] = {a1a, b1b, c1c, a2a, b2b, c2c, a3a, b3b, c3c, a4a, b4b, c4c};
	static const char *const trio_codes[12] = {"1A", "1B", "1C", "2A", "2B", "2C",
		"3A", "3B", "3C", "4A", "4B", "4C"};
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < 12; i++)
		if (trio[i])
			appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? "," : "", trio_codes[i]);
	for (i = 0; i < (int) lengthof(others); i++)
	{
		if (i == (int) lengthof(others) - 1 && !with_24a)
			break;
		if (draw(cl * 32 + i + 1, salt, 460) < others[i].rate)
			appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? "," : "", others[i].code);
	}
	if (draw(cl, salt, 465) < 0.005)
	{
		double		v = draw(cl, salt, 464);

		appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? "," : "",
						 v < 0.4 ? "25A" : v < 0.7 ? "3D" : "99");
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
