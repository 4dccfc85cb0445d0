/*
 * template.h - built-in workshop templates.
 */
#ifndef INSPEL_TEMPLATE_H
#define INSPEL_TEMPLATE_H

#include <jansson.h>
#include "base/srv_err.h"

#define TEMPLATE_DEFAULT "primarvard"

/*
 * The questions of template `name` as a new JSON array of {"section",
 * "text"}.  SRV_OK, SRV_ENOTFOUND (no such template), SRV_ENOMEM.  The
 * caller decrefs *out.
 */
enum srv_err template_questions(const char *name, json_t **out);

/* The default organisation list as a new JSON array (NULL when out of memory). */
json_t *template_organisations(void);

#endif
