// SPDX-License-Identifier: GPL-2.0
/*
 * aioload's JSON writer (tools/aioload/json.c): what each call writes, to
 * the byte: the commas, line breaks and indentation it places, the inline
 * containers, the escaping of strings and keys, and the numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../../tools/aioload/json.c"

/* A writer into memory; done() closes it and returns what it wrote. */
struct buf {
	struct json_writer w;
	FILE *f;
	char *text;
	size_t len;
};

static struct json_writer *start(struct buf *b)
{
	b->text = NULL;
	b->f = open_memstream(&b->text, &b->len);
	if (!b->f)
		abort();
	json_init(&b->w, b->f);
	return &b->w;
}

static const char *done(struct buf *b)
{
	fclose(b->f);
	return b->text;
}

TEST(nested_one_member_a_line)
{
	struct buf b;
	struct json_writer *w = start(&b);

	json_object(w, NULL);
	json_int(w, "schema", 1);
	json_array(w, "jobs");
	json_object(w, NULL);
	json_string(w, "name", "a");
	json_u64(w, "bs", 4096);
	json_end(w);
	json_object(w, NULL);
	json_string(w, "name", "b");
	json_end(w);
	json_end(w);
	json_bool(w, "final", true);
	json_end(w);
	EXPECT_STREQ("{\n"
		     "  \"schema\": 1,\n"
		     "  \"jobs\": [\n"
		     "    {\n"
		     "      \"name\": \"a\",\n"
		     "      \"bs\": 4096\n"
		     "    },\n"
		     "    {\n"
		     "      \"name\": \"b\"\n"
		     "    }\n"
		     "  ],\n"
		     "  \"final\": true\n"
		     "}\n",
		     done(&b));
	free(b.text);
}

TEST(empty_containers)
{
	struct buf b;
	struct json_writer *w = start(&b);

	json_object(w, NULL);
	json_array(w, "a");
	json_end(w);
	json_object(w, "o");
	json_end(w);
	json_array_inline(w, "ai");
	json_end(w);
	json_object_inline(w, "oi");
	json_end(w);
	json_end(w);
	EXPECT_STREQ("{\n"
		     "  \"a\": [],\n"
		     "  \"o\": {},\n"
		     "  \"ai\": [],\n"
		     "  \"oi\": {}\n"
		     "}\n",
		     done(&b));
	free(b.text);

	w = start(&b);
	json_array(w, NULL);
	json_end(w);
	EXPECT_STREQ("[]\n", done(&b));
	free(b.text);
}

/* Inside an inline container everything stays on its line. */
TEST(inline_containers)
{
	struct buf b;
	struct json_writer *w = start(&b);

	json_object(w, NULL);
	json_object_inline(w, "l");
	json_u64(w, "n", 1);
	json_array(w, "p");
	json_int(w, NULL, 2);
	json_int(w, NULL, 3);
	json_end(w);
	json_object(w, "o");
	json_null(w, "x");
	json_end(w);
	json_end(w);
	json_array_inline(w, "series");
	json_array_inline(w, NULL);
	json_int(w, NULL, 4);
	json_int(w, NULL, 5);
	json_end(w);
	json_array_inline(w, NULL);
	json_end(w);
	json_end(w);
	json_end(w);
	EXPECT_STREQ(
		"{\n"
		"  \"l\": {\"n\": 1, \"p\": [2, 3], \"o\": {\"x\": null}},\n"
		"  \"series\": [[4, 5], []]\n"
		"}\n",
		done(&b));
	free(b.text);
}

TEST(strings_escaped)
{
	struct buf b;
	struct json_writer *w = start(&b);

	json_object(w, NULL);
	json_string(w, "q", "a\"b\\c");
	json_string(w, "nl", "x\ny");
	json_string(w, "ctl", "\t\r\x01\x1f");
	json_string(w, "utf8", "caf\xc3\xa9 \x7f");
	json_string(w, "k\"\\\n", "");
	json_string(w, "none", NULL);
	json_end(w);
	EXPECT_STREQ("{\n"
		     "  \"q\": \"a\\\"b\\\\c\",\n"
		     "  \"nl\": \"x\\ny\",\n"
		     "  \"ctl\": \"\\u0009\\u000d\\u0001\\u001f\",\n"
		     "  \"utf8\": \"caf\xc3\xa9 \x7f\",\n"
		     "  \"k\\\"\\\\\\n\": \"\",\n"
		     "  \"none\": null\n"
		     "}\n",
		     done(&b));
	free(b.text);
}

TEST(numbers)
{
	struct buf b;
	struct json_writer *w = start(&b);

	json_array(w, NULL);
	json_u64(w, NULL, 0);
	json_u64(w, NULL, UINT64_MAX);
	json_int(w, NULL, -7);
	json_int(w, NULL, INT32_MIN);
	json_double(w, NULL, 3.0);
	json_double(w, NULL, -2.0);
	json_double(w, NULL, 123456789012345.0);
	json_double(w, NULL, 1e15); /* from 1e15 on, 6 digits */
	json_double(w, NULL, 0.5);
	json_double(w, NULL, 1.0 / 3);
	json_double(w, NULL, 1e-7);
	json_double(w, NULL, NAN);
	json_double(w, NULL, INFINITY);
	json_double(w, NULL, -INFINITY);
	json_bool(w, NULL, false);
	json_bool(w, NULL, true);
	json_null(w, NULL);
	json_end(w);
	EXPECT_STREQ("[\n"
		     "  0,\n"
		     "  18446744073709551615,\n"
		     "  -7,\n"
		     "  -2147483648,\n"
		     "  3,\n"
		     "  -2,\n"
		     "  123456789012345,\n"
		     "  1e+15,\n"
		     "  0.5,\n"
		     "  0.333333,\n"
		     "  1e-07,\n"
		     "  null,\n"
		     "  null,\n"
		     "  null,\n"
		     "  false,\n"
		     "  true,\n"
		     "  null\n"
		     "]\n",
		     done(&b));
	free(b.text);
}

TEST_HARNESS_MAIN
