/*
 * labels.c - the words inspel prints around people's text, in Swedish and English.
 *
 * A designated-initialiser table indexed by enum label; label_text
 * asserts that an entry is filled in both languages, and
 * tests/test_report.c asks for every one.  The words that follow a count
 * have a second table with their singular, for a count of one: "1 dots"
 * and "1 answers were hidden" read as mistakes to a plan writer.
 */
#include "core/labels.h"

#include <assert.h>
#include <string.h>

static const char *const labels[LABEL_COUNT][2] = {
	[LABEL_N_ANSWERS] = { "svar", "answers" },
	[LABEL_N_THEMES] = { "teman", "themes" },
	[LABEL_TERMS] = { "Nyckelord", "Key terms" },
	[LABEL_MERGED] = { "sammanslaget med", "merged with" },
	[LABEL_BY_QUESTION] = { "Per fråga", "By question" },
	[LABEL_BY_WORKSHOP] = { "Per workshop", "By workshop" },
	[LABEL_BY_ORGANISATION] = { "Per organisation", "By organisation" },

	[LABEL_ANALYSIS_TITLE] = { "Tema-analys", "Theme analysis" },
	[LABEL_THEME_GIVEN] = { "givet tema", "given theme" },
	[LABEL_THEME_DISCOVERED] = { "upptäckt tema", "discovered theme" },
	[LABEL_THEME_CURATED] = { "eget tema", "curated theme" },
	[LABEL_FIT_NO_THEME] = { "Svar som inte passar något tema", "Answers that fit no theme" },
	[LABEL_GIVEN_UNUSED] = { "Givna teman utan svar", "Given themes without answers" },
	[LABEL_OF] = { "av", "of" },
	[LABEL_AND] = { "och", "and" },
	[LABEL_MORE] = { "till", "more" },
	[LABEL_RENAMED_SHORT] = { "nytt namn", "renamed" },
	[LABEL_N_BY_HAND] = { "svar placerade för hand", "answers placed by hand" },
	[LABEL_PLACED_BY_HAND] = { "placerat här för hand", "placed here by hand" },
	[LABEL_BY_GROUP] = { "Per grupp", "By group" },

	[LABEL_TITLE] = { "Inspel från dialog", "Input from dialogue" },
	[LABEL_WORKSHOP] = { "Workshop", "Workshop" },
	[LABEL_SERIES] = { "Serie", "Series" },
	[LABEL_CODE] = { "Kod", "Code" },
	[LABEL_GENERATED] = { "Rapporten skapad", "Report created" },
	[LABEL_ANALYSED] = { "Analyserad", "Analysed" },
	[LABEL_CONTENTS] = { "Innehåll", "Contents" },
	[LABEL_SUMMARY] = { "Sammanfattning", "Summary" },
	[LABEL_THEMES] = { "Teman", "Themes" },
	[LABEL_THEME] = { "Tema", "Theme" },
	[LABEL_ANSWERS] = { "Svar", "Answers" },
	[LABEL_PRIMARY] = { "som huvudtema", "as main theme" },
	[LABEL_QUOTES] = { "Citat", "Quotes" },
	[LABEL_BY_TABLE] = { "Per bord", "By table" },
	[LABEL_VOTES] = { "Röstning", "Voting" },
	[LABEL_VOTE] = { "Omröstning", "Vote" },
	[LABEL_DOTS] = { "Prickar", "Dots" },
	[LABEL_VOTERS] = { "Röstande", "Voters" },
	[LABEL_BALLOTS] = { "röstsedlar", "ballots" },
	[LABEL_OPEN] = { "pågår", "open" },
	[LABEL_CLOSED] = { "avslutad", "closed" },
	[LABEL_NO_VOTES] = { "Ingen röstning har hållits.", "No vote was held." },
	[LABEL_UNASSIGNED] = { "Svar utan tema", "Answers that fit no theme" },
	[LABEL_UNASSIGNED_INTRO] = { "Dessa svar passar inte in i något tema. De bör läsas för sig.",
				     "These answers fit no theme. They should be read on their own." },
	[LABEL_NONE_UNASSIGNED] = { "Alla svar hör till minst ett tema.", "Every answer belongs to at least one theme." },
	[LABEL_METHOD] = { "Om metoden", "About the method" },
	[LABEL_APPENDIX] = { "Bilaga: alla svar per tema", "Appendix: every answer by theme" },
	[LABEL_APPENDIX_INTRO] = { "Varje svar som ligger bakom ett tal i rapporten. Ett svar kan höra till flera teman.",
				   "Every answer behind a number in the report. An answer can belong to several themes." },
	[LABEL_ID] = { "Id", "Id" },
	[LABEL_QUESTION] = { "Fråga", "Question" },
	[LABEL_TABLE] = { "Bord", "Table" },
	[LABEL_ORGANISATION] = { "Organisation", "Organisation" },
	[LABEL_TEXT] = { "Svar", "Answer" },
	[LABEL_NOT_GIVEN] = { "(ej angivet)", "(not given)" },
	[LABEL_ORIGIN_GIVEN] = { "från temalistan", "from the themes list" },
	[LABEL_ORIGIN_DISCOVERED] = { "upptäckt i svaren", "discovered in the answers" },
	[LABEL_ORIGIN_CURATED] = { "skapat av en person", "made by a person" },
	[LABEL_RENAMED] = { "rubriken ändrad för hand", "label changed by hand" },
	[LABEL_THEME_BY_WORKSHOP] = { "Tema per workshop", "Theme by workshop" },
	[LABEL_THEME_BY_ORGANISATION] = { "Tema per organisation", "Theme by organisation" },
	[LABEL_TOTAL] = { "Totalt", "Total" },
	[LABEL_EMPTY_THEMES] = { "Teman i temalistan som inget svar tog upp", "Themes in the list no answer touched" },
	[LABEL_SEE_APPENDIX] = { "alla svar i bilagan", "every answer in the appendix" },
	[LABEL_DECISIONS] = { "Beslut som personer har fattat", "Decisions people made" },
	[LABEL_NO_DECISIONS] = { "Inga beslut; temana är som analysen gav dem.",
				 "No decisions; the themes are as the analysis made them." },
	[LABEL_UNDONE] = { "ångrat", "undone" },
	[LABEL_BY] = { "av", "by" },
	[LABEL_NO_THEMES] = { "Inga teman.", "No themes." },
	[LABEL_SHARE_NOTE] = { "Ett svar kan höra till flera teman, så summan kan bli större än antalet svar.",
			       "An answer can belong to several themes, so the sum can exceed the number of answers." },
	[LABEL_N_ANALYSED] = { "svar analyserade", "answers analysed" },
	[LABEL_N_UNASSIGNED] = { "utan tema", "fit no theme" },
	[LABEL_N_HIDDEN] = { "dolda svar utelämnade", "hidden answers left out" },
	[LABEL_ANALYSED_ROW] = { "Analyserade svar", "Answers analysed" },
	[LABEL_PER_PHONE] = { "per mobil", "per phone" },
	[LABEL_SOMEONE] = { "en processledare", "a facilitator" },
	[LABEL_N_DOTS] = { "prickar", "dots" },
	[LABEL_N_VOTERS] = { "röstande", "voters" },
	[LABEL_VOTED_AS] = { "som", "as" },

	[LABEL_THEME_BY_QUESTION] = { "Tema per fråga", "Theme by question" },
	[LABEL_THEME_BY_TABLE] = { "Tema per bord", "Theme by table" },
	[LABEL_ORIGIN] = { "Ursprung", "Origin" },
	[LABEL_THEME_ID] = { "Tema-id", "Theme id" },
	[LABEL_THEME_IDS] = { "Tema-id", "Theme ids" },
	[LABEL_STATUS] = { "Status", "Status" },
	[LABEL_DOTS_PER_PHONE] = { "Prickar per mobil", "Dots per phone" },
	[LABEL_BALLOTS_COL] = { "Röstsedlar", "Ballots" },
};

/* The singular of the labels that follow a count; NULL: the plural serves for one too. */
static const char *const singular[LABEL_COUNT][2] = {
	[LABEL_N_ANSWERS] = { "svar", "answer" },
	[LABEL_N_THEMES] = { "tema", "theme" },
	[LABEL_N_BY_HAND] = { "svar placerat för hand", "answer placed by hand" },
	[LABEL_N_ANALYSED] = { "svar analyserat", "answer analysed" },
	[LABEL_N_UNASSIGNED] = { "utan tema", "fits no theme" },
	[LABEL_N_HIDDEN] = { "dolt svar utelämnat", "hidden answer left out" },
	[LABEL_BALLOTS] = { "röstsedel", "ballot" },
	[LABEL_N_DOTS] = { "prick", "dot" },
	[LABEL_N_VOTERS] = { "röstande", "voter" },
};

const char *label_text(enum label id, const char *lang)
{
	assert(id < LABEL_COUNT && labels[id][0] && labels[id][1]);
	return labels[id][lang && strcmp(lang, "en") == 0];
}

const char *label_count(enum label id, long long n, const char *lang)
{
	const char *one;

	assert(id < LABEL_COUNT);
	one = singular[id][lang && strcmp(lang, "en") == 0];
	return n == 1 && one ? one : label_text(id, lang);
}
