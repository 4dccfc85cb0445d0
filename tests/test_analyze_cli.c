/*
 * test_analyze_cli.c - `inspel analyze` options, exit codes and files.
 * Run from the project root so tests/fixtures/ is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_csv.h"
#include "analyze/analyze_cli.h"

#define FIXTURE "tests/fixtures/dialog_sv.csv"

static int run(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5, const char *a6,
	       const char *a7, const char *a8)
{
	const char *v[] = { "analyze", a1, a2, a3, a4, a5, a6, a7, a8, NULL };
	int argc = 1;

	while (v[argc])
		argc++;
	return analyze_main(argc, (char **)v);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(f);
	assert_non_null(p);
	n = fread(p, 1, (1 << 20) - 1, f);
	p[n] = '\0';
	fclose(f);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(run(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--bogus", "1", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--k", "0", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--k", "12x", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--seed", "-1", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--format", "xml", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", FIXTURE, "--lang", "fi", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run("--input", NULL, NULL, NULL, NULL, NULL, NULL, NULL), 2);
}

static void test_input_errors(void **state)
{
	char bad[] = "/tmp/inspel-cli-XXXXXX";
	int fd = mkstemp(bad);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(run("--input", "/nonexistent/answers.csv", NULL, NULL, NULL, NULL, NULL, NULL), 1);
	write_file(bad, "id,svar\n1,hej\n");
	assert_int_equal(run("--input", bad, NULL, NULL, NULL, NULL, NULL, NULL), 1);
	write_file(bad, "a | A | x\nnot a theme line\n");
	assert_int_equal(run("--input", FIXTURE, "--themes", bad, NULL, NULL, NULL, NULL), 1);
	unlink(bad);
}

static void test_outputs(void **state)
{
	char out[] = "/tmp/inspel-cli-XXXXXX";
	int fd = mkstemp(out);
	char *a, *b;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(run("--input", FIXTURE, "--seed", "3", "--out", out, NULL, NULL), 0);
	a = read_all(out);
	assert_non_null(strstr(a, "\"answers\": 22"));
	assert_int_equal(run("--input", FIXTURE, "--seed", "3", "--out", out, "--k", "auto"), 0);
	b = read_all(out);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(run("--input", FIXTURE, "--format", "md", "--out", out, "--themes", "none"), 0);
	a = read_all(out);
	assert_non_null(strstr(a, "*upptäckt tema*"));
	assert_null(strstr(a, "*givet tema*"));
	free(a);
	assert_int_equal(run("--input", FIXTURE, "--format", "csv", "--out", out, "--lang", "en"), 0);
	a = read_all(out);
	assert_true(strncmp(a, "id,theme,label,themes,score,terms,text\r\n", 40) == 0);
	free(a);
	unlink(out);
}

/*
 * --format csv: answer text cannot run as a spreadsheet formula, neither as
 * a whole cell nor as a ';'-separated piece of one (Swedish Excel splits
 * on ';'), and a bare line feed stays inside its quoted cell.
 */
static void test_csv_formula_guard(void **state)
{
	char in[] = "/tmp/inspel-cli-in-XXXXXX", out[] = "/tmp/inspel-cli-out-XXXXXX";
	int fd1 = mkstemp(in), fd2 = mkstemp(out);
	char *fixture, *text, *csv;
	size_t len;

	(void)state;
	assert_true(fd1 >= 0 && fd2 >= 0);
	close(fd1);
	close(fd2);
	fixture = read_all(FIXTURE);
	len = strlen(fixture);
	text = calloc(1, len + 256);
	assert_non_null(text);
	memcpy(text, fixture, len);
	snprintf(text + len, 256, "%s",
		 "900,Q1,Bord 1,Region,\"=HYPERLINK(\"\"x\"\")\"\n"
		 "901,Q1,Bord 1,Region,Bra;=1+1;\n"
		 "902,Q1,Bord 1,Region,\"rad ett\nrad två\"\n");
	write_file(in, text);
	assert_int_equal(run("--input", in, "--format", "csv", "--out", out, NULL, NULL), 0);
	csv = read_all(out);
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\")\"\r\n"));
	assert_non_null(strstr(csv, ",\"Bra;'=1+1;\"\r\n"));
	assert_non_null(strstr(csv, ",\"rad ett\nrad två\"\r\n"));
	assert_null(strstr(csv, ",=HYPERLINK"));
	assert_null(strstr(csv, ";=1+1"));
	free(csv);
	free(text);
	free(fixture);
	unlink(in);
	unlink(out);
}

/* --decisions: applied to the analysis; a list that does not parse or apply, or is missing, exits 1. */
static void test_decisions(void **state)
{
	char dec[] = "/tmp/inspel-cli-XXXXXX", out[] = "/tmp/inspel-cli-out-XXXXXX";
	int fd1 = mkstemp(dec), fd2 = mkstemp(out);
	char *a;

	(void)state;
	assert_true(fd1 >= 0 && fd2 >= 0);
	close(fd1);
	close(fd2);
	write_file(dec, "[{\"kind\": \"rename\", \"theme\": \"kontinuitet\", \"label\": \"Fast kontakt\"}]");
	assert_int_equal(run("--input", FIXTURE, "--decisions", dec, "--out", out, NULL, NULL), 0);
	a = read_all(out);
	assert_non_null(strstr(a, "\"label\":\"Fast kontakt\",\"seeded\":true,\"origin\":\"given\",\"renamed\":true"));
	free(a);
	write_file(dec, "[{\"kind\": \"rename\", \"theme\": \"kontinuitet\"}]");
	assert_int_equal(run("--input", FIXTURE, "--decisions", dec, "--out", out, NULL, NULL), 1);
	write_file(dec, "[{\"kind\": \"themes\", \"text\": \"bad\"}]");
	assert_int_equal(run("--input", FIXTURE, "--decisions", dec, "--out", out, NULL, NULL), 1);
	assert_int_equal(run("--input", FIXTURE, "--decisions", "/nonexistent/decisions.json", "--out", out, NULL, NULL),
			 1);
	unlink(dec);
	unlink(out);
}

/* --format csv: an answer with a bare line break (no comma, no quote) stays one quoted field. */
static void test_csv_line_break(void **state)
{
	char in[] = "/tmp/inspel-cli-XXXXXX", out[] = "/tmp/inspel-cli-out-XXXXXX";
	int fd1 = mkstemp(in), fd2 = mkstemp(out);
	char *a;

	(void)state;
	assert_true(fd1 >= 0 && fd2 >= 0);
	close(fd1);
	close(fd2);
	write_file(in, "id,question,group,organisation,text\n"
		       "1,Q1,Bord 1,Region,\"Kontinuitet\nfast läkare\"\n"
		       "2,Q1,Bord 1,Kommun,Hemmonitorering\n"
		       "3,Q1,Bord 2,Skola,\"Samverkan\nmed skolan\"\n");
	assert_int_equal(run("--input", in, "--format", "csv", "--out", out, NULL, NULL), 0);
	a = read_all(out);
	assert_non_null(strstr(a, ",\"Kontinuitet\nfast läkare\"\r\n2,"));
	assert_non_null(strstr(a, ",\"Samverkan\nmed skolan\"\r\n"));
	assert_int_equal(csv_records(a), 1 + 3);
	free(a);
	/* The checker itself refuses a bare line feed outside quotes. */
	assert_int_equal(csv_records("id,text\r\n1,Kontinuitet\nfast läkare\r\n"), -1);
	unlink(in);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_csv_formula_guard),
		cmocka_unit_test(test_csv_line_break),
		cmocka_unit_test(test_decisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
