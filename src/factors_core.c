/*
 * factors_core.c
 *	  Factor codes, the factor-list scanner and the trio bit set (no PostgreSQL types).
 */
#include "factors_core.h"

#include <string.h>

const char *const fc_relates_names[FC_NRELATES] = {"child", "parent/carer", "other"};
const char *const fc_element_names[FC_NELEMENTS] = {"domestic_abuse", "mental_health", "substance_misuse"};

/* ASCII white space, as trimmed around codes. */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* JSON white space. */
static inline bool
is_json_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline unsigned char
to_upper(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char) (c - 'a' + 'A') : c;
}

/* Compares s[0..len) with the NUL-terminated name, ignoring ASCII case. */
static bool
name_equal(const char *s, size_t len, const char *name)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		if (name[i] == '\0' || to_upper((unsigned char) s[i]) != to_upper((unsigned char) name[i]))
			return false;
	}
	return name[len] == '\0';
}

/* Index of a relates_to name, or -1. */
int
fc_relates_from_name(const char *s, size_t len)
{
	int			i;

	for (i = 0; i < FC_NRELATES; i++)
		if (name_equal(s, len, fc_relates_names[i]))
			return i;
	return -1;
}

/* Index of a trio element name, or -1. */
int
fc_element_from_name(const char *s, size_t len)
{
	int			i;

	for (i = 0; i < FC_NELEMENTS; i++)
		if (name_equal(s, len, fc_element_names[i]))
			return i;
	return -1;
}

/* Packs a trimmed, upper-cased code into a key; 0 if it cannot be a code. */
uint64_t
fc_code_key(const char *s, size_t len)
{
	size_t		b = 0,
				e = len,
				i;
	uint64_t	key = 0;

	while (b < e && is_space((unsigned char) s[b]))
		b++;
	while (e > b && is_space((unsigned char) s[e - 1]))
		e--;
	if (e == b || e - b > FC_CODE_MAX)
		return 0;
	for (i = b; i < e; i++)
	{
		unsigned char c = to_upper((unsigned char) s[i]);

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
			return 0;
		key = (key << 8) | c;
	}
	return key;
}

/* Unpacks a key into its code. */
int
fc_key_text(uint64_t key, char *buf)
{
	char		tmp[FC_CODE_MAX];
	int			n = 0,
				i;

	while (key != 0 && n < FC_CODE_MAX)
	{
		tmp[n++] = (char) (key & 0xFF);
		key >>= 8;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

/* Slot count for n codes: a power of 2, at least twice n and at least 16. */
static uint32_t
set_slots(uint32_t n)
{
	uint32_t	slots = 16;

	while (slots < 2 * (uint64_t) n)
		slots <<= 1;
	return slots;
}

/* Bytes of slot memory for n codes. */
size_t
fc_set_mem_size(uint32_t n)
{
	return (size_t) set_slots(n) * sizeof(FcEntry);
}

/* Initialises an empty set in mem. */
void
fc_set_init(FcSet *set, void *mem, uint32_t n)
{
	uint32_t	slots = set_slots(n);

	memset(mem, 0, (size_t) slots * sizeof(FcEntry));
	set->slots = (FcEntry *) mem;
	set->mask = slots - 1;
	set->n = 0;
}

/* Adds a code; false if already present or if the set is full. */
bool
fc_set_add(FcSet *set, uint64_t key, int relates, int element)
{
	uint32_t	i;

	if (key == 0 || (uint64_t) (set->n + 1) * 2 > (uint64_t) set->mask + 1)
		return false;
	i = (uint32_t) ((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & set->mask;
	while (set->slots[i].key != 0)
	{
		if (set->slots[i].key == key)
			return false;
		i = (i + 1) & set->mask;
	}
	set->slots[i].key = key;
	set->slots[i].relates = (int8_t) relates;
	set->slots[i].element = (int8_t) element;
	set->n++;
	return true;
}

/* Sets the trio element of a code already in the set. */
bool
fc_set_element(FcSet *set, uint64_t key, int element)
{
	FcEntry    *e = (FcEntry *) fc_set_find(set, key);

	if (e == NULL)
		return false;
	e->element = (int8_t) element;
	return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Factor-list scanner																		*/
/* ---------------------------------------------------------------------------------------- */

enum
{
	ST_START,					/* before '[' */
	ST_FIRST,					/* after '[': a value or ']' */
	ST_AFTER,					/* after a value: ',' or ']' */
	ST_VALUE,					/* after ',': a value */
	ST_DONE,					/* after ']' and trailing white space */
	ST_ERROR
};

/* Initialises the scanner over s[0..len). */
void
fc_list_init(FcListIter *it, const char *s, size_t len)
{
	it->s = s;
	it->len = len;
	it->pos = 0;
	it->state = ST_START;
	it->errpos = 0;
	it->errmsg = NULL;
}

static int
list_error(FcListIter *it, size_t pos, const char *msg)
{
	it->state = ST_ERROR;
	it->errpos = pos;
	it->errmsg = msg;
	return -1;
}

static void
skip_json_space(FcListIter *it)
{
	while (it->pos < it->len && is_json_space((unsigned char) it->s[it->pos]))
		it->pos++;
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Code accumulator: collects the decoded characters of one element, dropping leading and
 * trailing white space, and remembers when the element cannot be a code.
 */
typedef struct CodeAcc
{
	uint64_t	key;
	int			n;				/* characters in key */
	int			pending;		/* white space seen after the last character */
	bool		bad;
} CodeAcc;

static inline void
acc_char(CodeAcc *acc, unsigned char c)
{
	if (acc->bad)
		return;
	if (is_space(c))
	{
		if (acc->n > 0)
			acc->pending++;
		return;
	}
	if (acc->pending > 0)
	{
		acc->bad = true;		/* white space inside a code */
		return;
	}
	c = to_upper(c);
	if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) || acc->n >= FC_CODE_MAX)
	{
		acc->bad = true;
		return;
	}
	acc->key = (acc->key << 8) | c;
	acc->n++;
}

/* Scans a JSON string starting at the opening quote. */
static int
scan_string(FcListIter *it, FcListItem *item)
{
	const char *s = it->s;
	size_t		p = it->pos + 1;
	CodeAcc		acc = {0, 0, 0, false};

	for (;;)
	{
		unsigned char c;

		if (p >= it->len)
			return list_error(it, it->len, "unterminated string");
		c = (unsigned char) s[p];
		if (c == '"')
			break;
		if (c < 0x20)
			return list_error(it, p, "control character in string");
		if (c == '\\')
		{
			unsigned char e;

			if (p + 1 >= it->len)
				return list_error(it, it->len, "unterminated string");
			e = (unsigned char) s[p + 1];
			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					acc_char(&acc, e);
					p += 2;
					break;
				case 'b':
				case 'f':
				case 'n':
				case 'r':
				case 't':
					acc_char(&acc, e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\t');
					p += 2;
					break;
				case 'u':
					{
						unsigned	cp = 0;
						int			k;

						for (k = 0; k < 4; k++)
						{
							int			h;

							if (p + 2 + k >= it->len)
								return list_error(it, it->len, "unterminated string");
							h = hex_value((unsigned char) s[p + 2 + k]);
							if (h < 0)
								return list_error(it, p, "invalid \\u escape");
							cp = (cp << 4) | (unsigned) h;
						}
						if (cp >= 0x80 || cp == 0)
							acc.bad = true; /* no code has such a character */
						else
							acc_char(&acc, (unsigned char) cp);
						p += 6;
					}
					break;
				default:
					return list_error(it, p, "invalid escape sequence");
			}
			continue;
		}
		acc_char(&acc, c);
		p++;
	}
	item->start = it->pos;
	item->end = p + 1;
	item->key = (acc.bad || acc.n == 0) ? 0 : acc.key;
	it->pos = p + 1;
	return 1;
}

/* Scans a JSON number; its literal text is taken as the code. */
static int
scan_number(FcListIter *it, FcListItem *item)
{
	const char *s = it->s;
	size_t		p = it->pos;

#define DIGIT(q) ((q) < it->len && s[q] >= '0' && s[q] <= '9')
	if (p < it->len && s[p] == '-')
		p++;
	if (!DIGIT(p))
		return list_error(it, p, "invalid number");
	if (s[p] == '0')
		p++;
	else
		while (DIGIT(p))
			p++;
	if (p < it->len && s[p] == '.')
	{
		p++;
		if (!DIGIT(p))
			return list_error(it, p, "invalid number");
		while (DIGIT(p))
			p++;
	}
	if (p < it->len && (s[p] == 'e' || s[p] == 'E'))
	{
		p++;
		if (p < it->len && (s[p] == '+' || s[p] == '-'))
			p++;
		if (!DIGIT(p))
			return list_error(it, p, "invalid number");
		while (DIGIT(p))
			p++;
	}
#undef DIGIT
	item->start = it->pos;
	item->end = p;
	item->key = fc_code_key(s + it->pos, p - it->pos);
	it->pos = p;
	return 1;
}

/* Scans one element (a string or a number). */
static int
scan_value(FcListIter *it, FcListItem *item)
{
	unsigned char c;

	if (it->pos >= it->len)
		return list_error(it, it->len, "unexpected end of input, expected a factor code");
	c = (unsigned char) it->s[it->pos];
	if (c == '"')
		return scan_string(it, item);
	if (c == '-' || (c >= '0' && c <= '9'))
		return scan_number(it, item);
	return list_error(it, it->pos, "expected a factor code in double quotes");
}

/* Returns the next element: 1, 0 at the end, -1 on malformed text. */
int
fc_list_next(FcListIter *it, FcListItem *item)
{
	for (;;)
	{
		switch (it->state)
		{
			case ST_START:
				skip_json_space(it);
				if (it->pos >= it->len || it->s[it->pos] != '[')
					return list_error(it, it->pos, "expected \"[\" at the start of the list");
				it->pos++;
				it->state = ST_FIRST;
				break;
			case ST_FIRST:
				skip_json_space(it);
				if (it->pos < it->len && it->s[it->pos] == ']')
				{
					it->pos++;
					it->state = ST_DONE;
					break;
				}
				if (scan_value(it, item) < 0)
					return -1;
				it->state = ST_AFTER;
				return 1;
			case ST_AFTER:
				skip_json_space(it);
				if (it->pos >= it->len)
					return list_error(it, it->len, "unexpected end of input, expected \",\" or \"]\"");
				if (it->s[it->pos] == ']')
				{
					it->pos++;
					it->state = ST_DONE;
					break;
				}
				if (it->s[it->pos] != ',')
					return list_error(it, it->pos, "expected \",\" or \"]\"");
				it->pos++;
				it->state = ST_VALUE;
				break;
			case ST_VALUE:
				skip_json_space(it);
				if (scan_value(it, item) < 0)
					return -1;
				it->state = ST_AFTER;
				return 1;
			case ST_DONE:
				skip_json_space(it);
				if (it->pos < it->len)
					return list_error(it, it->pos, "unexpected text after \"]\"");
				return 0;
			default:
				return -1;
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Trio bit set																				*/
/* ---------------------------------------------------------------------------------------- */

/* Number of elements present for anyone. */
int
fc_trio_count(FcTrio t)
{
	int			e,
				n = 0;

	for (e = 0; e < FC_NELEMENTS; e++)
		if ((t >> (e * FC_NRELATES)) & 0x7)
			n++;
	return n;
}

/* True when all three elements are present for person type relates. */
bool
fc_trio_all_for(FcTrio t, int relates)
{
	int			e;

	for (e = 0; e < FC_NELEMENTS; e++)
		if (!(t & fc_trio_bit(e, relates)))
			return false;
	return true;
}

/* Writes '{element:relates_to,...}'. */
size_t
fc_trio_format(FcTrio t, char *buf)
{
	size_t		n = 0;
	int			e,
				r;
	bool		first = true;

	buf[n++] = '{';
	for (e = 0; e < FC_NELEMENTS; e++)
	{
		for (r = 0; r < FC_NRELATES; r++)
		{
			size_t		l;

			if (!(t & fc_trio_bit(e, r)))
				continue;
			if (!first)
				buf[n++] = ',';
			first = false;
			l = strlen(fc_element_names[e]);
			memcpy(buf + n, fc_element_names[e], l);
			n += l;
			buf[n++] = ':';
			l = strlen(fc_relates_names[r]);
			memcpy(buf + n, fc_relates_names[r], l);
			n += l;
		}
	}
	buf[n++] = '}';
	buf[n] = '\0';
	return n;
}

/* Parses '{element:relates_to,...}' (white space between tokens, any order, repeats allowed). */
int
fc_trio_parse(const char *s, size_t len, FcTrio *out, size_t *errpos)
{
	size_t		p = 0;
	FcTrio		t = 0;

#define SKIP() while (p < len && is_space((unsigned char) s[p])) p++
#define FAIL(q) do { *errpos = (q); return -1; } while (0)
	SKIP();
	if (p >= len || s[p] != '{')
		FAIL(p);
	p++;
	SKIP();
	if (p < len && s[p] == '}')
		p++;
	else
	{
		for (;;)
		{
			size_t		b;
			int			e,
						r;

			SKIP();
			b = p;
			while (p < len && ((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z') || s[p] == '_'))
				p++;
			e = fc_element_from_name(s + b, p - b);
			if (e < 0)
				FAIL(b);
			SKIP();
			if (p >= len || s[p] != ':')
				FAIL(p);
			p++;
			SKIP();
			b = p;
			while (p < len && ((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z') || s[p] == '/'))
				p++;
			r = fc_relates_from_name(s + b, p - b);
			if (r < 0)
				FAIL(b);
			t |= fc_trio_bit(e, r);
			SKIP();
			if (p < len && s[p] == ',')
			{
				p++;
				continue;
			}
			if (p < len && s[p] == '}')
			{
				p++;
				break;
			}
			FAIL(p);
		}
	}
	SKIP();
	if (p != len)
		FAIL(p);
#undef SKIP
#undef FAIL
	*out = t;
	return 0;
}
