/*
 * test_input.c - the CSV and JSON-lines readers, good and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "pipeline/input.h"

static char err[256];

static int parse(struct input *in, enum input_format fmt, const char *s)
{
	err[0] = '\0';
	return input_parse(in, fmt, s, strlen(s), err, sizeof(err));
}

static void test_csv_basic(void **state)
{
	struct input in;
	const char *csv = "\xEF\xBB\xBFid,Text,group,extra\r\n"
			  "a1,\"Kontinuitet, och \"\"SIP\"\"\",Bord 1,x\r\n"
			  "\n"
			  "a2,\"två\nrader\",,y\n"
			  "a3,sista,Bord 2,z";

	(void)state;
	assert_int_equal(parse(&in, INPUT_CSV, csv), AN_OK);
	assert_int_equal(in.n, 3);
	assert_string_equal(in.v[0].id, "a1");
	assert_string_equal(in.v[0].text, "Kontinuitet, och \"SIP\"");
	assert_string_equal(in.v[0].group, "Bord 1");
	assert_null(in.v[0].question);
	assert_string_equal(in.v[1].text, "två\nrader");
	assert_string_equal(in.v[1].group, "");
	assert_string_equal(in.v[2].text, "sista");
	input_free(&in);
}

static void test_csv_errors(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(parse(&in, INPUT_CSV, "id,svar\n1,hej\n"), AN_EINVAL);
	assert_string_equal(err, "line 1: the header has no 'text' column");
	assert_int_equal(parse(&in, INPUT_CSV, "text,group\nhej,1\nhopp\n"), AN_EINVAL);
	assert_string_equal(err, "line 3: expected 2 fields like the header, found 1");
	assert_int_equal(parse(&in, INPUT_CSV, "text\nok\n\"öppen\nfortsätter"), AN_EINVAL);
	assert_string_equal(err, "line 3: a quoted field is never closed");
	assert_int_equal(parse(&in, INPUT_CSV, "text\nett \"citat\" här\n"), AN_EINVAL);
	assert_string_equal(err, "line 2: a quote inside an unquoted field");
	/* Line numbers count the line breaks inside quoted fields. */
	assert_int_equal(parse(&in, INPUT_CSV, "text\n\"a\nb\"\nbra\n\xC3\x28\n"), AN_EUTF8);
	assert_string_equal(err, "line 5: not valid UTF-8 (or contains a NUL byte)");
	assert_int_equal(parse(&in, INPUT_CSV, ""), AN_EINVAL);
	assert_int_equal(parse(&in, INPUT_CSV, "text,text\na,b\n"), AN_EINVAL);
	assert_null(in.v);
}

static void test_csv_field_limit(void **state)
{
	struct input in;
	size_t n = ANALYSIS_MAX_FIELD + 10;
	char *big = malloc(n + 16);

	(void)state;
	assert_non_null(big);
	memcpy(big, "text\n", 5);
	memset(big + 5, 'a', n);
	big[5 + n] = '\0';
	assert_int_equal(parse(&in, INPUT_CSV, big), AN_ETOOBIG);
	assert_string_equal(err, "line 2: a field is longer than 65536 bytes");
	free(big);
}

static void test_answer_limit(void **state)
{
	struct input in;
	size_t n = ANALYSIS_MAX_ANSWERS + 1, i;
	char *csv = malloc(5 + 2 * n + 1);

	(void)state;
	assert_non_null(csv);
	memcpy(csv, "text\n", 5);
	for (i = 0; i < n; i++)
		memcpy(csv + 5 + 2 * i, "a\n", 2);
	csv[5 + 2 * n] = '\0';
	assert_int_equal(parse(&in, INPUT_CSV, csv), AN_ETOOBIG);
	assert_string_equal(err, "line 1000002: more than 1000000 answers");
	/* One fewer is fine. */
	csv[5 + 2 * (n - 1)] = '\0';
	assert_int_equal(parse(&in, INPUT_CSV, csv), AN_OK);
	assert_int_equal(in.n, ANALYSIS_MAX_ANSWERS);
	input_free(&in);
	free(csv);
}

static void test_jsonl(void **state)
{
	struct input in;
	const char *jl = "{\"id\": 7, \"text\": \"Hemmonitorering\", \"organisation\": \"Kommun\"}\n"
			 "\n"
			 "{\"text\": \"Teamsamverkan\", \"question\": \"Q4\", \"other\": [1]}\n";

	(void)state;
	assert_int_equal(parse(&in, INPUT_JSONL, jl), AN_OK);
	assert_int_equal(in.n, 2);
	assert_string_equal(in.v[0].id, "7");
	assert_string_equal(in.v[0].organisation, "Kommun");
	assert_null(in.v[1].id);
	assert_string_equal(in.v[1].question, "Q4");
	input_free(&in);
}

static void test_jsonl_errors(void **state)
{
	struct input in;

	(void)state;
	assert_int_equal(parse(&in, INPUT_JSONL, "{\"text\":\"a\"}\n{\"text\": 3}\n"), AN_EINVAL);
	assert_string_equal(err, "line 2: no \"text\" string");
	assert_int_equal(parse(&in, INPUT_JSONL, "{\"text\":\"a\"}\n\n{\"text\":\"b\"\n"), AN_EINVAL);
	assert_true(strncmp(err, "line 3: not valid JSON", 22) == 0);
	assert_int_equal(parse(&in, INPUT_JSONL, "[1,2]\n"), AN_EINVAL);
	assert_string_equal(err, "line 1: expected a JSON object");
	assert_int_equal(parse(&in, INPUT_JSONL, "{\"text\":\"a\",\"group\":1.5}\n"), AN_EINVAL);
	assert_string_equal(err, "line 1: \"group\" must be a string or an integer");
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(input_detect("x.jsonl", "text\n", 5), INPUT_JSONL);
	assert_int_equal(input_detect("x.NDJSON", "text\n", 5), INPUT_JSONL);
	assert_int_equal(input_detect("x.txt", "  \n{\"text\":1}", 13), INPUT_JSONL);
	assert_int_equal(input_detect("x.csv", "text\n", 5), INPUT_CSV);
	assert_int_equal(input_detect(NULL, "", 0), INPUT_CSV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_field_limit),
		cmocka_unit_test(test_answer_limit),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_jsonl_errors),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
