/*
 * fuzz_curate.c - libFuzzer target for people's decisions: curate_parse on
 * arbitrary bytes and, when they parse, the whole analysis of a tiny fixed
 * answer set with those decisions applied, then every writer.  A refusal
 * must come back with a message, never a crash; the answers and themes are
 * few so that each iteration stays fast.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct analysis_answer answers[] = {
	{ "1", "Kontinuitet och fast läkarkontakt", "Q1", "Bord 1", NULL, NULL },
	{ "2", "Teamsamverkan och digitala vårdmöten", "Q1", "Bord 2", NULL, NULL },
	{ "3", "Svårt att nå vårdcentralen på telefon", "Q2", "Bord 1", NULL, NULL },
	{ "4", "Mindre administration och färre måsten", "Q2", NULL, NULL, NULL },
	{ "5", "Se över administration och dokumentation", NULL, NULL, NULL, NULL },
	{ "6", "Hemmonitorering för äldre", NULL, NULL, NULL, NULL },
};

static const char themes[] =
	"kontinuitet | Kontinuitet | kontinuitet, fast läkarkontakt\n"
	"samverkan | Samverkan | samverkan, team\n"
	"digital | Digitalisering | digital, hemmonitorering, telefon\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analysis_input in = { answers, sizeof(answers) / sizeof(answers[0]) };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c;
	struct buf b;
	char err[256] = "";
	int rc;

	rc = curate_parse(&c, (const char *)data, size, err, sizeof(err));
	if (rc) {
		if (rc != AN_ENOMEM && strncmp(err, "decision", 8))
			abort();
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.themes_text = themes;
	o.k = 2;
	o.curation = &c;
	o.err = err;
	o.errlen = sizeof(err);
	err[0] = '\0';
	rc = analysis_run(&in, &o, &r);
	curate_free(&c);
	if (rc) {
		/* Only a bad "themes" text or too many themes/terms may refuse, and with a message. */
		if ((rc != AN_EINVAL && rc != AN_ETOOBIG && rc != AN_ENOMEM) || (rc != AN_ENOMEM && !err[0]))
			abort();
		return 0;
	}
	buf_init(&b, 1 << 24);
	if (analysis_write_json(r, &b) || analysis_write_md(r, &b) || analysis_write_csv(r, &b))
		abort();
	buf_free(&b);
	analysis_result_free(r);
	return 0;
}
