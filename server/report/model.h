/*
 * model.h - the report model: everything a report says, as one JSON document.
 *
 * report_model reads the synthesis and, for the scope's workshops,
 * questions, votes and decisions, the store; nothing else of the report
 * touches either, so the renderers (report.h) can be built, tested and
 * fuzzed over a model alone.  The document's shape is docs/REPORT.md.
 */
#ifndef INSPEL_REPORT_MODEL_H
#define INSPEL_REPORT_MODEL_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"
#include "synth/synth.h"
#include "base/srv_err.h"

/*
 * The report document of synthesis `r` in language `lang` ("sv", "en"),
 * reading the scope's metadata and votes from `st`.  `now` is the report's
 * date (ISO 8601 UTC; NULL = now); `tz` the zone its times are shown in
 * (base/tz.h; NULL = TZ_DEFAULT).  With `redact` every personal number,
 * phone number and e-mail address in answer texts is replaced by its kind
 * ("[personnummer]", ...: analysis/text/pii.h), and the model says
 * "redacted": true; every format shows the model's texts, so all follow.
 * SRV_OK with *model (caller decrefs),
 * SRV_EINVAL (a bad language or zone, or no result), SRV_EDB, SRV_ENOMEM,
 * SRV_ENOTFOUND.
 */
enum srv_err report_model(struct store *st, const struct synth_result *r, const char *lang, const char *now,
			  const char *tz, bool redact, json_t **model);

#endif
