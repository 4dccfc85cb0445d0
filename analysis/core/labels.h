/*
 * labels.h - the words inspel prints around people's text, in Swedish and English.
 *
 * One table for the analysis CLI's Markdown and every format of the
 * report, so a word both print ("Nyckelord", "Per fråga") is written once
 * and the two never drift apart.  Sentences with numbers in them stay with
 * the code that fills them in.
 */
#ifndef INSPEL_LABELS_H
#define INSPEL_LABELS_H

enum label {
	/* shared by the analysis Markdown and the report */
	LABEL_N_ANSWERS, LABEL_N_THEMES, LABEL_TERMS, LABEL_MERGED, LABEL_BY_QUESTION, LABEL_BY_WORKSHOP,
	LABEL_BY_ORGANISATION,
	/* the analysis Markdown */
	LABEL_ANALYSIS_TITLE, LABEL_THEME_GIVEN, LABEL_THEME_DISCOVERED, LABEL_THEME_CURATED, LABEL_FIT_NO_THEME,
	LABEL_GIVEN_UNUSED, LABEL_OF, LABEL_AND, LABEL_MORE, LABEL_RENAMED_SHORT, LABEL_N_BY_HAND,
	LABEL_PLACED_BY_HAND, LABEL_BY_GROUP,
	/* the report */
	LABEL_TITLE, LABEL_WORKSHOP, LABEL_SERIES, LABEL_CODE, LABEL_GENERATED, LABEL_ANALYSED, LABEL_CONTENTS,
	LABEL_SUMMARY, LABEL_THEMES, LABEL_THEME, LABEL_ANSWERS, LABEL_PRIMARY, LABEL_QUOTES, LABEL_BY_TABLE,
	LABEL_VOTES, LABEL_VOTE, LABEL_DOTS, LABEL_VOTERS, LABEL_BALLOTS, LABEL_OPEN, LABEL_CLOSED, LABEL_NO_VOTES,
	LABEL_UNASSIGNED, LABEL_UNASSIGNED_INTRO, LABEL_NONE_UNASSIGNED, LABEL_METHOD, LABEL_APPENDIX,
	LABEL_APPENDIX_INTRO, LABEL_ID, LABEL_QUESTION, LABEL_TABLE, LABEL_ORGANISATION, LABEL_TEXT,
	LABEL_NOT_GIVEN, LABEL_ORIGIN_GIVEN, LABEL_ORIGIN_DISCOVERED, LABEL_ORIGIN_CURATED, LABEL_RENAMED,
	LABEL_THEME_BY_WORKSHOP, LABEL_THEME_BY_ORGANISATION, LABEL_TOTAL, LABEL_EMPTY_THEMES, LABEL_SEE_APPENDIX,
	LABEL_DECISIONS, LABEL_NO_DECISIONS, LABEL_UNDONE, LABEL_BY, LABEL_NO_THEMES, LABEL_SHARE_NOTE,
	LABEL_N_ANALYSED, LABEL_N_UNASSIGNED, LABEL_N_HIDDEN, LABEL_ANALYSED_ROW, LABEL_PER_PHONE, LABEL_SOMEONE,
	LABEL_N_DOTS, LABEL_N_VOTERS, LABEL_VOTED_AS,
	/* the report's workbook (xlsx) and Word tables */
	LABEL_THEME_BY_QUESTION, LABEL_THEME_BY_TABLE, LABEL_ORIGIN, LABEL_THEME_ID, LABEL_THEME_IDS, LABEL_STATUS,
	LABEL_DOTS_PER_PHONE, LABEL_BALLOTS_COL,
	LABEL_COUNT
};

/* Label `id` in English when `lang` is "en", else in Swedish; a static string. */
const char *label_text(enum label id, const char *lang);

/*
 * The word after a count: label `id` in the singular when `n` is 1 and the
 * label has a singular ("1 svar analyserat", "1 dot"), else label_text's
 * plural ("2 svar analyserade", "0 dots").  A static string.
 */
const char *label_count(enum label id, long long n, const char *lang);

#endif
