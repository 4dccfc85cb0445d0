/*
 * input.c - CSV and JSON-lines readers.
 *
 * Both readers append field bytes to one buffer and record offsets, and
 * only turn offsets into pointers at the end, when the buffer no longer
 * moves: two allocations for the whole file instead of one per field.
 */
#include "pipeline/input.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "text/text.h"

#define INPUT_NFIELDS 6
#define NO_FIELD SIZE_MAX
#define INPUT_MAX_BYTES ((size_t)2 << 30)

static const char *const field_names[INPUT_NFIELDS] = {
	"id", "text", "question", "group", "organisation", "workshop",
};
enum { F_ID, F_TEXT, F_QUESTION, F_GROUP, F_ORGANISATION, F_WORKSHOP };

struct reader {
	struct buf arena;
	size_t *off;           /* n * INPUT_NFIELDS offsets into arena, NO_FIELD when absent */
	size_t n, cap;
	char *err;
	size_t errlen;
};

static int fail_at(struct reader *rd, int code, size_t line, const char *what)
{
	snprintf(rd->err, rd->errlen, "line %zu: %s", line, what);
	return code;
}

static int new_answer(struct reader *rd, size_t line)
{
	size_t i;

	if (rd->n >= ANALYSIS_MAX_ANSWERS)
		return fail_at(rd, AN_ETOOBIG, line, "more than 1000000 answers");
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? rd->cap * 2 : 256;
		size_t *p = realloc(rd->off, cap * INPUT_NFIELDS * sizeof(*p));

		if (!p)
			return AN_ENOMEM;
		rd->off = p;
		rd->cap = cap;
	}
	for (i = 0; i < INPUT_NFIELDS; i++)
		rd->off[rd->n * INPUT_NFIELDS + i] = NO_FIELD;
	rd->n++;
	return AN_OK;
}

/* Store s[0..len) as field `f` of the current answer. */
static int put_field(struct reader *rd, int f, const char *s, size_t len, size_t line)
{
	size_t off = rd->arena.len;

	if (len > ANALYSIS_MAX_FIELD) {
		char msg[96];

		snprintf(msg, sizeof(msg), "the %s field is longer than %u bytes", field_names[f], ANALYSIS_MAX_FIELD);
		return fail_at(rd, AN_ETOOBIG, line, msg);
	}
	if (!text_valid(s, len))
		return fail_at(rd, AN_EUTF8, line, "not valid UTF-8 (or contains a NUL byte)");
	if (buf_add(&rd->arena, s, len) || buf_addc(&rd->arena, '\0'))
		return fail_at(rd, AN_ETOOBIG, line, "input too large");
	rd->off[(rd->n - 1) * INPUT_NFIELDS + (size_t)f] = off;
	return AN_OK;
}

static int finish(struct reader *rd, struct input *in)
{
	size_t i, f;

	in->v = calloc(rd->n ? rd->n : 1, sizeof(*in->v));
	if (!in->v)
		return AN_ENOMEM;
	in->arena = buf_detach(&rd->arena, NULL);
	if (!in->arena) {
		free(in->v);
		in->v = NULL;
		return AN_ENOMEM;
	}
	for (i = 0; i < rd->n; i++) {
		const char *fields[INPUT_NFIELDS];

		for (f = 0; f < INPUT_NFIELDS; f++) {
			size_t off = rd->off[i * INPUT_NFIELDS + f];

			fields[f] = off == NO_FIELD ? NULL : in->arena + off;
		}
		in->v[i].id = fields[F_ID];
		in->v[i].text = fields[F_TEXT];
		in->v[i].question = fields[F_QUESTION];
		in->v[i].group = fields[F_GROUP];
		in->v[i].organisation = fields[F_ORGANISATION];
		in->v[i].workshop = fields[F_WORKSHOP];
	}
	in->n = rd->n;
	return AN_OK;
}

enum input_format input_detect(const char *path, const char *data, size_t len)
{
	size_t i, plen = path ? strlen(path) : 0;

	if (plen >= 6 && !strcasecmp(path + plen - 6, ".jsonl"))
		return INPUT_JSONL;
	if (plen >= 7 && !strcasecmp(path + plen - 7, ".ndjson"))
		return INPUT_JSONL;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		data += 3, len -= 3;
	for (i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return data[i] == '{' ? INPUT_JSONL : INPUT_CSV;
	return INPUT_CSV;
}

/* ---- CSV ---- */

struct csv {
	const char *p, *end;
	size_t line;           /* current line, 1-based */
	struct buf field;      /* unquoted bytes of the current field */
};

/*
 * Read one field into c->field.  Returns 1 when a record ended after it
 * (line break or end of input), 0 when a comma follows, negative on error.
 */
static int csv_field(struct reader *rd, struct csv *c)
{
	buf_reset(&c->field);
	if (c->p < c->end && *c->p == '"') {
		size_t start_line = c->line;

		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return fail_at(rd, AN_EINVAL, start_line, "a quoted field is never closed");
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					if (buf_addc(&c->field, '"'))
						return fail_at(rd, AN_ETOOBIG, c->line, "field too long");
					c->p += 2;
					continue;
				}
				c->p++;
				break;
			}
			{
				/* Copy up to the next quote in one go, counting line breaks. */
				const char *q = memchr(c->p, '"', (size_t)(c->end - c->p)), *nl = c->p;

				if (!q)
					q = c->end;
				while ((nl = memchr(nl, '\n', (size_t)(q - nl))) != NULL) {
					c->line++;
					nl++;
				}
				if (buf_add(&c->field, c->p, (size_t)(q - c->p)))
					return fail_at(rd, AN_ETOOBIG, start_line, "a field is longer than 65536 bytes");
				c->p = q;
			}
		}
		if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
			return fail_at(rd, AN_EINVAL, c->line, "text after a closing quote (write \"\" for a quote)");
	} else {
		const char *s = c->p;

		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
			if (*c->p == '"')
				return fail_at(rd, AN_EINVAL, c->line, "a quote inside an unquoted field");
			c->p++;
		}
		if (buf_add(&c->field, s, (size_t)(c->p - s)))
			return fail_at(rd, AN_ETOOBIG, c->line, "a field is longer than 65536 bytes");
	}
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		return 0;
	}
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->line++;
	return 1;
}

static int csv_blank_line(const struct csv *c)
{
	return c->p < c->end && (*c->p == '\n' || (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n'));
}

static void csv_skip_line(struct csv *c)
{
	if (*c->p == '\r')
		c->p++;
	c->p++;
	c->line++;
}

#define CSV_MAX_COLUMNS 256

static int parse_csv(struct reader *rd, const char *data, size_t len)
{
	struct csv c;
	int col_field[CSV_MAX_COLUMNS];
	size_t ncols = 0, i;
	int rc, have_text = 0, err = AN_OK;

	c.p = data;
	c.end = data + len;
	c.line = 1;
	buf_init(&c.field, ANALYSIS_MAX_FIELD);
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		c.p += 3;
	while (csv_blank_line(&c))
		csv_skip_line(&c);
	if (c.p >= c.end) {
		err = fail_at(rd, AN_EINVAL, c.line, "empty file: expected a header line with a 'text' column");
		goto out;
	}
	do {
		const char *s, *e;

		if ((rc = csv_field(rd, &c)) < 0) {
			err = rc;
			goto out;
		}
		if (ncols == CSV_MAX_COLUMNS) {
			err = fail_at(rd, AN_EINVAL, c.line - (size_t)rc, "more than 256 columns");
			goto out;
		}
		s = c.field.data ? c.field.data : "";
		e = s + c.field.len;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		col_field[ncols] = -1;
		for (i = 0; i < INPUT_NFIELDS; i++)
			if (strlen(field_names[i]) == (size_t)(e - s) && !strncasecmp(s, field_names[i], (size_t)(e - s))) {
				for (size_t j = 0; j < ncols; j++)
					if (col_field[j] == (int)i) {
						err = fail_at(rd, AN_EINVAL, 1, "a column name appears twice in the header");
						goto out;
					}
				col_field[ncols] = (int)i;
				have_text |= i == F_TEXT;
			}
		ncols++;
	} while (rc == 0);
	if (!have_text) {
		err = fail_at(rd, AN_EINVAL, c.line - 1, "the header has no 'text' column");
		goto out;
	}
	while (c.p < c.end) {
		size_t col = 0, line;

		if (csv_blank_line(&c)) {
			csv_skip_line(&c);
			continue;
		}
		line = c.line;
		if ((err = new_answer(rd, line)))
			goto out;
		do {
			if ((rc = csv_field(rd, &c)) < 0) {
				err = rc;
				goto out;
			}
			if (col < ncols && col_field[col] >= 0 &&
			    (err = put_field(rd, col_field[col], c.field.data ? c.field.data : "", c.field.len, line)))
				goto out;
			col++;
		} while (rc == 0);
		if (col != ncols) {
			char msg[96];

			snprintf(msg, sizeof(msg), "expected %zu fields like the header, found %zu", ncols, col);
			err = fail_at(rd, AN_EINVAL, line, msg);
			goto out;
		}
	}
out:
	buf_free(&c.field);
	return err;
}

/* ---- JSON lines ---- */

static int parse_jsonl(struct reader *rd, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	size_t line = 0;

	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;
		json_error_t jerr;
		json_t *o;
		size_t f;
		int err;

		if (!eol)
			eol = end;
		e = eol;
		p = eol < end ? eol + 1 : end;
		line++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e)
			continue;
		if (!text_valid(s, (size_t)(e - s)))
			return fail_at(rd, AN_EUTF8, line, "not valid UTF-8 (or contains a NUL byte)");
		o = json_loadb(s, (size_t)(e - s), JSON_REJECT_DUPLICATES, &jerr);
		if (!o) {
			char msg[200];

			snprintf(msg, sizeof(msg), "not valid JSON: %s", jerr.text);
			return fail_at(rd, AN_EINVAL, line, msg);
		}
		if (!json_is_object(o)) {
			json_decref(o);
			return fail_at(rd, AN_EINVAL, line, "expected a JSON object");
		}
		if (!json_is_string(json_object_get(o, "text"))) {
			json_decref(o);
			return fail_at(rd, AN_EINVAL, line, "no \"text\" string");
		}
		if ((err = new_answer(rd, line))) {
			json_decref(o);
			return err;
		}
		for (f = 0; f < INPUT_NFIELDS; f++) {
			json_t *v = json_object_get(o, field_names[f]);
			char num[32];

			if (!v || json_is_null(v))
				continue;
			if (json_is_string(v)) {
				err = put_field(rd, (int)f, json_string_value(v), json_string_length(v), line);
			} else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
				err = put_field(rd, (int)f, num, strlen(num), line);
			} else {
				char msg[96];

				snprintf(msg, sizeof(msg), "\"%s\" must be a string or an integer", field_names[f]);
				err = fail_at(rd, AN_EINVAL, line, msg);
			}
			if (err) {
				json_decref(o);
				return err;
			}
		}
		json_decref(o);
	}
	return AN_OK;
}

enum an_err input_parse(struct input *in, enum input_format fmt, const char *data, size_t len, char *err, size_t errlen)
{
	struct reader rd;
	int rc;

	memset(in, 0, sizeof(*in));
	memset(&rd, 0, sizeof(rd));
	buf_init(&rd.arena, INPUT_MAX_BYTES);
	rd.err = err;
	rd.errlen = errlen;
	rc = fmt == INPUT_JSONL ? parse_jsonl(&rd, data, len) : parse_csv(&rd, data, len);
	if (!rc)
		rc = finish(&rd, in);
	if (rc == AN_ENOMEM)
		snprintf(err, errlen, "out of memory");
	buf_free(&rd.arena);
	free(rd.off);
	return rc;
}

void input_free(struct input *in)
{
	free(in->v);
	free(in->arena);
	memset(in, 0, sizeof(*in));
}
