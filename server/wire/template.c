/*
 * template.c - the primary-care dialogue questions from the Värmland
 * workshop (see /work/shared/domain), word for word, because facilitators
 * recognise them and plan writers compare answers across workshops.
 */
#include "wire/template.h"
#include "base/srv_err.h"

#include <string.h>

struct template_question {
	const char *section;
	const char *text;
};

static const struct template_question primarvard[] = {
	{ "Dialog 1", "Vilka mönster/trender ser ni i hälsan hos invånarna (som påverkar skola/elevhälsa, "
		      "hälso- och sjukvård, stöd och omsorg?)" },
	{ "Dialog 1", "Utifrån svaret på fråga 1, vad är viktigt att beakta i utvecklingen av hälso- och "
		      "sjukvården i Värmland?" },
	{ "Dialog 2", "Vilken vård, hälsa, stöd och omsorg gör ni idag som ni tror ni INTE kommer göra i framtiden?" },
	{ "Dialog 2", "Vilken vård, hälsa, stöd och omsorg gör ni inte idag som ni BORDE/HAR VISIONER att göra "
		      "i framtiden?" },
};

static const char *const default_organisations[] = {
	"Region", "Kommun", "Skola", "Privat vårdgivare", "Annan",
};

enum srv_err template_questions(const char *name, json_t **out)
{
	json_t *arr;
	size_t i;

	*out = NULL;
	if (strcmp(name, TEMPLATE_DEFAULT) != 0)
		return SRV_ENOTFOUND;
	arr = json_array();
	if (!arr)
		return SRV_ENOMEM;
	for (i = 0; i < sizeof primarvard / sizeof primarvard[0]; i++)
		if (json_array_append_new(arr, json_pack("{s:s,s:s}", "section", primarvard[i].section,
							 "text", primarvard[i].text))) {
			json_decref(arr);
			return SRV_ENOMEM;
		}
	*out = arr;
	return SRV_OK;
}

json_t *template_organisations(void)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr && i < sizeof default_organisations / sizeof default_organisations[0]; i++)
		if (json_array_append_new(arr, json_string(default_organisations[i]))) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}
