/*
 * csv.c - the report as CSV: one row per answer of the scope.
 *
 * RFC 4180 with a UTF-8 byte order mark and CRLF line ends, because the
 * file is opened in Excel more than anywhere else.  Every text cell goes
 * through esc_csv (core/escape.h): quoted when it holds a comma, a
 * semicolon, a quote, CR or LF, and a cell (or a ';'-separated piece of
 * one) that would start a formula gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it (answer text is
 * written by anyone with the join code).
 */
#include "report/text.h"

#include "core/escape.h"

enum srv_err report_render_csv(const struct report_index *ix, struct buf *out)
{
	json_t *labels = json_object();
	const json_t *t, *a;
	enum buf_err e;
	size_t i;
	int err = SRV_OK;

	if (!labels)
		return SRV_ENOMEM;
	json_array_foreach(json_object_get(ix->model, "themes"), i, t)
		if (json_object_set(labels, report_s(t, "id"), json_object_get(t, "label"))) {
			err = SRV_ENOMEM;
			goto out;
		}
	e = buf_adds(out, "\xEF\xBB\xBF" "id,workshop,question,group,organisation,text,themes,theme_ids,hidden\r\n");
	json_array_foreach(json_object_get(ix->model, "answers"), i, a) {
		const json_t *q = report_question(ix, json_integer_value(json_object_get(a, "question_id")));
		const json_t *w = report_workshop(ix, json_string_value(json_object_get(a, "workshop_id")));
		struct buf names, ids;
		size_t f;

		if (e)
			break;
		buf_init(&names, out->max);
		buf_init(&ids, out->max);
		e = report_answer_themes(labels, a, &names, &ids);
		{
			const char *const fields[] = { report_s(w, "title"), report_s(q, "text"), report_s(a, "group"),
						       report_s(a, "organisation"), report_s(a, "text"),
						       names.data ? names.data : "", ids.data ? ids.data : "" };

			if (!e)
				e = buf_printf(out, "%lld", (long long)json_integer_value(json_object_get(a, "id")));
			for (f = 0; !e && f < sizeof fields / sizeof fields[0]; f++) {
				e = buf_addc(out, ',');
				if (!e)
					e = esc_csv(out, fields[f]);
			}
		}
		if (!e)
			e = buf_adds(out, json_is_true(json_object_get(a, "hidden")) ? ",true\r\n" : ",false\r\n");
		buf_free(&names);
		buf_free(&ids);
	}
	err = report_buf_err(e);
out:
	json_decref(labels);
	return err;
}
