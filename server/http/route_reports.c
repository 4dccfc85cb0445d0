/*
 * route_reports.c - a scope's report as a file download, in any format of
 * report/ (docs/REPORT.md).
 *
 * The report is built from the same cached synthesis the themes view
 * shows, so a download never recomputes what the facilitator just saw;
 * report/ does the rest and knows nothing of HTTP.
 */
#include "http/routes.h"
#include "report/report.h"
#include "base/srv_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /api/workshops/ID/report, /api/series/SID/report ?format=F&lang=L */
enum MHD_Result route_report(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	const char *fmt = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "format");
	const char *lang = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
	const char *redact = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "redact");
	struct synth_scope scope;
	struct synth_result *res = NULL;
	struct MHD_Response *resp;
	enum report_format f = REPORT_HTML;
	enum MHD_Result ret;
	char msg[ROUTE_SYNTH_ERR], name[160], disposition[200];
	json_t *model = NULL;
	struct buf out;
	size_t len;
	char *body;
	int err;

	if (!route_scope(p, &scope))
		return route_no_scope(r, p);
	if (fmt && !report_format_parse(fmt, &f))
		return http_error(r->conn, 400, "format must be html, md, csv, json, docx or xlsx");
	if (!lang)
		lang = "sv";
	if (!report_lang_ok(lang))
		return http_error(r->conn, 400, "lang must be sv or en");
	/* Reports leave the building: personal data is replaced unless asked for. */
	if (redact && strcmp(redact, "0") != 0 && strcmp(redact, "1") != 0)
		return http_error(r->conn, 400, "redact must be 0 or 1");
	/* Recorded when asked for: who took the answers away matters even if making the file failed. */
	route_audit(r, key_id, STORE_AUDIT_REPORT, p->workshop, p->series,
		    json_pack("{s:s,s:s}", "format", report_extension(f), "lang", lang));
	err = route_synth_get(r, &scope, &res, msg);
	if (err)
		return route_synth_error(r, err, &scope, msg);
	buf_init(&out, REPORT_MAX);
	err = report_model(r->app->store, res, lang, NULL, r->app->tz, !redact || strcmp(redact, "0") != 0, &model);
	if (!err)
		err = report_render(model, f, &out);
	if (err) {
		buf_free(&out);
		json_decref(model);
		synth_put(res);
		/* SRV_EFULL is report/'s "over REPORT_MAX", not a full queue: nothing to retry. */
		if (err == SRV_EFULL)
			return http_error(r->conn, 500, "the report is too large");
		return route_synth_error(r, err, &scope, err == SRV_EINVAL ? "the report could not be made" : "");
	}
	report_filename(model, f, name, sizeof name);
	json_decref(model);
	synth_put(res);
	body = buf_detach(&out, &len);
	if (!body)
		return http_error(r->conn, 500, "out of memory");
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
	http_security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", report_content_type(f));
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}
