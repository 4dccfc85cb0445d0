/*
 * report.c - the report's formats: parse a name, dispatch a model to its renderer.
 *
 * Rendering is model in, bytes out: report_render checks and indexes the
 * model (render.c), caps the output at REPORT_MAX and hands it to one
 * renderer per format (html.c, md.c, csv.c, docx.c, xlsx.c); JSON is the model
 * itself, dumped by jansson.  The model is made by model.c, the only part
 * of the report that reads the store or the synthesis.
 */
#include "report/report.h"
#include "core/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "base/srv_err.h"
#include "base/tz.h"
#include "report/render.h"

bool report_format_parse(const char *s, enum report_format *f)
{
	static const char *const names[] = { "html", "md", "csv", "json", "docx", "xlsx" };
	size_t i;

	for (i = 0; s && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum report_format)i;
			return true;
		}
	}
	return false;
}

const char *report_content_type(enum report_format f)
{
	switch (f) {
	case REPORT_HTML: return "text/html; charset=utf-8";
	case REPORT_MD: return "text/markdown; charset=utf-8";
	case REPORT_CSV: return "text/csv; charset=utf-8";
	case REPORT_JSON: return "application/json";
	case REPORT_DOCX: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	case REPORT_XLSX: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	return "application/octet-stream";
}

const char *report_extension(enum report_format f)
{
	switch (f) {
	case REPORT_HTML: return "html";
	case REPORT_MD: return "md";
	case REPORT_CSV: return "csv";
	case REPORT_JSON: return "json";
	case REPORT_DOCX: return "docx";
	case REPORT_XLSX: return "xlsx";
	}
	return "bin";
}

bool report_lang_ok(const char *lang)
{
	return lang && (strcmp(lang, "sv") == 0 || strcmp(lang, "en") == 0);
}

enum srv_err report_render(const json_t *model, enum report_format f, struct buf *out)
{
	struct report_index ix;
	size_t max = out->max;
	int err;

	if ((err = report_index_build(model, &ix)))
		return err;
	if (out->max > REPORT_MAX)
		out->max = REPORT_MAX;
	switch (f) {
	case REPORT_HTML: err = report_render_html(&ix, out); break;
	case REPORT_MD: err = report_render_md(&ix, out); break;
	case REPORT_CSV: err = report_render_csv(&ix, out); break;
	case REPORT_DOCX: err = report_render_docx(&ix, out); break;
	case REPORT_XLSX: err = report_render_xlsx(&ix, out); break;
	case REPORT_JSON:
		err = report_buf_err(esc_json_value(out, model, JSON_INDENT(1) | JSON_PRESERVE_ORDER));
		if (!err)
			err = report_buf_err(buf_addc(out, '\n'));
		break;
	default: err = SRV_EINVAL;
	}
	out->max = max;
	report_index_free(&ix);
	return err;
}

void report_filename(const json_t *model, enum report_format f, char *out, size_t size)
{
	const char *title = report_s(json_object_get(model, "scope"), "title");
	const char *date = report_s(model, "generated"), *tz = json_string_value(json_object_get(model, "tz"));
	char local[16];
	struct tm tm;
	time_t t;
	const uint8_t *p, *end;
	uint8_t *nfd;
	size_t len = 0, i, n = 0;
	bool dash = true;
	char slug[64];

	/* Decomposed, "Vårdcentral Öst" is V a (ring) r d ...: letters keep their base, marks drop out. */
	nfd = u8_normalize(UNINORM_NFD, (const uint8_t *)title, strlen(title), NULL, &len);
	for (p = nfd, end = nfd ? nfd + len : NULL; p && p < end && n < sizeof slug - 1;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		p += k > 0 ? k : 1;
		if (uc >= 'A' && uc <= 'Z')
			uc = uc - 'A' + 'a';
		if ((uc >= 'a' && uc <= 'z') || (uc >= '0' && uc <= '9')) {
			slug[n++] = (char)uc;
			dash = false;
		} else if (uc_combining_class(uc) == 0 && !dash) {
			slug[n++] = '-';
			dash = true;
		}
	}
	free(nfd);
	/* The day the report was made where the workshop is, as its times say. */
	if (tz && tz_valid(tz) && tz_parse_utc(date, &t) && tz_local(tz, t, &tm) &&
	    strftime(local, sizeof local, "%Y-%m-%d", &tm))
		date = local;
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	snprintf(out, size, "inspel-%s%s%.10s.%s", slug, n ? "-" : "", strlen(date) >= 10 ? date : "rapport",
		 report_extension(f));
	for (i = 0; out[i]; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= '0' && out[i] <= '9') || out[i] == '-' || out[i] == '.'))
			out[i] = '-';
}
