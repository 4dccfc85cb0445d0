/*
 * report.h - the plan writers' report of a scope in six formats.
 *
 * Two steps: report_model (model.h) gathers everything a report says into
 * one JSON document (the synthesis, the scope's workshops and questions,
 * votes, decisions, hidden answers), and report_render turns that document
 * into HTML, Markdown, CSV, DOCX, XLSX, or JSON (the document itself).
 * Renderers see only the model, so every number they print is one the
 * JSON format also carries with the answer ids behind it (docs/REPORT.md).
 */
#ifndef INSPEL_REPORT_H
#define INSPEL_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "report/model.h"   /* report_model: one header for the whole report */
#include "base/srv_err.h"

#define REPORT_MAX (256u * 1024u * 1024u)   /* bytes of one rendered report */

enum report_format { REPORT_HTML, REPORT_MD, REPORT_CSV, REPORT_JSON, REPORT_DOCX, REPORT_XLSX };

/* "html", "md", "csv", "json", "docx", "xlsx" into *f.  False for anything else. */
bool report_format_parse(const char *s, enum report_format *f);

/* The MIME type and file extension ("html") of a format; static strings. */
const char *report_content_type(enum report_format f);
const char *report_extension(enum report_format f);

/* Is `lang` a report language ("sv", "en")? */
bool report_lang_ok(const char *lang);

/*
 * Append the model rendered as `f` to `out`.  SRV_OK, SRV_ENOMEM, SRV_EFULL
 * (over REPORT_MAX or the buffer's maximum), SRV_EINVAL (the model is not
 * one report_model made), SRV_ESYS (XLSX: its temporary file failed).  On
 * error `out` may hold a partial report.  Thread-safe.
 */
enum srv_err report_render(const json_t *model, enum report_format f, struct buf *out);

/*
 * A file name for the report: "inspel-<title slug>-<YYYY-MM-DD>.<ext>", only
 * [a-z0-9-.] characters, into out[0..size).
 */
void report_filename(const json_t *model, enum report_format f, char *out, size_t size);

/* `inspel report --db PATH (--workshop CODE | --series ID) --format F [--lang L] --out FILE`; exit status. */
int report_main(int argc, char **argv);

#endif
