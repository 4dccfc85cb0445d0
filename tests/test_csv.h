/*
 * test_csv.h - the C tests' strict reading of the CSV the writers make:
 * RFC 4180 records separated by CRLF, a line break only inside a quoted
 * field.  Header-only (static inline), like test_db.h.
 */
#ifndef INSPEL_TEST_CSV_H
#define INSPEL_TEST_CSV_H

/*
 * Records of CSV text `s` (each ended by CRLF), or -1 when a CR or LF
 * stands on its own outside quotes (a spreadsheet would start a new row
 * there) or a quote is left open.
 */
static inline int csv_records(const char *s)
{
	int records = 0, quoted = 0;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;       /* a doubled quote toggles twice */
		else if (!quoted && s[0] == '\r' && s[1] == '\n')
			records++, s++;
		else if (!quoted && (*s == '\r' || *s == '\n'))
			return -1;
	}
	return quoted ? -1 : records;
}

#endif
