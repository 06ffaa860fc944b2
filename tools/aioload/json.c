// SPDX-License-Identifier: GPL-2.0
/*
 * aioload: a small JSON writer (see json.h).
 */
#include <math.h>
#include <stdlib.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* What goes before a member: the comma, the line break, the key. */
static void member(struct json_writer *w, const char *key)
{
	struct json_level *l;

	if (!w->depth)
		return;
	l = &w->level[w->depth - 1];
	if (!l->empty)
		fputc(',', w->out);
	if (!l->oneline)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	else if (!l->empty)
		fputc(' ', w->out);
	l->empty = false;
	if (key) {
		put_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void open_container(struct json_writer *w, const char *key, char c,
			   bool oneline)
{
	struct json_level *l;

	if (w->depth == JSON_MAX_DEPTH)
		abort(); /* a report nested deeper than it was written for */
	member(w, key);
	fputc(c, w->out);
	l = &w->level[w->depth];
	l->close = c == '{' ? '}' : ']';
	l->oneline = oneline || (w->depth && w->level[w->depth - 1].oneline);
	l->empty = true;
	w->depth++;
}

void json_object(struct json_writer *w, const char *key)
{
	open_container(w, key, '{', false);
}

void json_object_inline(struct json_writer *w, const char *key)
{
	open_container(w, key, '{', true);
}

void json_array(struct json_writer *w, const char *key)
{
	open_container(w, key, '[', false);
}

void json_array_inline(struct json_writer *w, const char *key)
{
	open_container(w, key, '[', true);
}

void json_end(struct json_writer *w)
{
	struct json_level *l = &w->level[--w->depth];

	if (!l->oneline && !l->empty)
		fprintf(w->out, "\n%*s", 2 * w->depth, "");
	fputc(l->close, w->out);
	if (!w->depth)
		fputc('\n', w->out);
}

void json_string(struct json_writer *w, const char *key, const char *s)
{
	if (!s) {
		json_null(w, key);
		return;
	}
	member(w, key);
	put_string(w->out, s);
}

void json_u64(struct json_writer *w, const char *key, uint64_t v)
{
	member(w, key);
	fprintf(w->out, "%llu", (unsigned long long)v);
}

void json_int(struct json_writer *w, const char *key, int v)
{
	member(w, key);
	fprintf(w->out, "%d", v);
}

/* Integral values without a fraction, others with 6 significant digits. */
void json_double(struct json_writer *w, const char *key, double v)
{
	member(w, key);
	if (!isfinite(v))
		fputs("null", w->out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(w->out, "%.0f", v);
	else
		fprintf(w->out, "%.6g", v);
}

void json_bool(struct json_writer *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->out);
}

void json_null(struct json_writer *w, const char *key)
{
	member(w, key);
	fputs("null", w->out);
}
