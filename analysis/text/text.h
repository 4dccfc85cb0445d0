/*
 * text.h - UTF-8 checking, NFC normalisation, case folding and tokenising.
 *
 * Tokens are found in the NFC text before folding, because whether a word
 * was written in capitals (SIP, KOL, AI) is what marks an acronym, and
 * acronyms are kept even when they are short or look like stop words.
 */
#ifndef INSPEL_TEXT_H
#define INSPEL_TEXT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/an_err.h"

#define TEXT_MAX_LEN (64u * 1024u)   /* bytes per text; longer input is rejected */

enum text_token_flag {
	TEXT_ACRONYM = 1,   /* 2..6 letters, all capitals, in text that is not shouted */
	TEXT_NUMBER = 2,    /* digits only (joiners aside) */
	TEXT_ACRONYM_HEAD = 4,  /* before its first '-', 2..6 letters all capitals ("IT-stöd", "KOL-patienter") */
};

struct text_token {
	size_t off, len;    /* byte range in the text that was tokenised */
	unsigned flags;     /* enum text_token_flag bits */
};

struct text_tokens {
	struct text_token *v;
	size_t len, cap;
};

/* Release a token array filled by text_tokenize; it may be reused afterwards. */
void text_tokens_free(struct text_tokens *t);

/* 1 when s[0..len) is valid UTF-8 without NUL bytes, else 0. */
int text_valid(const char *s, size_t len);

/*
 * Replace `out`'s contents with the NFC form of s[0..len).  Returns AN_OK,
 * AN_EUTF8 (invalid UTF-8 or a NUL byte), AN_ETOOBIG (len > TEXT_MAX_LEN or
 * `out` is full) or AN_ENOMEM.
 */
enum an_err text_nfc(const char *s, size_t len, struct buf *out);

/*
 * Replace `out`'s contents with the case-folded NFC form of the valid UTF-8
 * s[0..len) (lower case; "ß" becomes "ss").  Returns AN_OK, AN_EUTF8,
 * AN_ETOOBIG or AN_ENOMEM.
 */
enum an_err text_fold(const char *s, size_t len, struct buf *out);

/*
 * Replace `out`'s contents with the key two spellings of one name share
 * ("bord 3 ", "Bord  3" and "BORD 3" are one table): text_fold's
 * case-folded NFC with white space trimmed and every inner run of it made
 * one space.  Returns what text_fold returns.
 */
enum an_err text_key(const char *s, size_t len, struct buf *out);

/*
 * Split the NFC UTF-8 text s[0..len) into word tokens: runs of letters,
 * digits and combining marks, joined across a single inner '-', '\'' or
 * U+2019 ("e-hälsa", "covid-19").  Single letters are dropped unless they are
 * digits.  The text is not checked again (text_nfc did that); invalid bytes
 * act as separators.  Replaces out's contents.  Returns AN_OK or AN_ENOMEM.
 */
enum an_err text_tokenize(const char *s, size_t len, struct text_tokens *out);

#endif
