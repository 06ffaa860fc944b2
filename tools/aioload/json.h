/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aioload: a small JSON writer, for the JSON report.
 *
 * It places the commas, line breaks and indentation.  A container opened
 * with json_object() or json_array() has one member a line, indented two
 * spaces a level; one opened with json_object_inline() or
 * json_array_inline() stays on one line ({"a": 1, "b": [2, 3]}), and so
 * does everything in it.  json_end() closes the innermost container; the
 * outermost ends with a newline.
 *
 * In an object every member has a key; in an array @key is NULL.  Strings
 * (keys too) are escaped; a number that is not finite is written as null.
 */
#ifndef AIOLOAD_JSON_H
#define AIOLOAD_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

struct json_writer {
	FILE *out;
	int depth; /* containers open */
	struct json_level {
		char close; /* '}' or ']' */
		bool oneline; /* members on the container's line */
		bool empty; /* no member yet */
	} level[JSON_MAX_DEPTH];
};

void json_init(struct json_writer *w, FILE *out);

void json_object(struct json_writer *w, const char *key);
void json_object_inline(struct json_writer *w, const char *key);
void json_array(struct json_writer *w, const char *key);
void json_array_inline(struct json_writer *w, const char *key);
void json_end(struct json_writer *w);

void json_string(struct json_writer *w, const char *key, const char *s);
void json_u64(struct json_writer *w, const char *key, uint64_t v);
void json_int(struct json_writer *w, const char *key, int v);
void json_double(struct json_writer *w, const char *key, double v);
void json_bool(struct json_writer *w, const char *key, bool v);
void json_null(struct json_writer *w, const char *key);

#endif
