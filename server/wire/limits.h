/*
 * limits.h - the sizes and bounds a client meets, in one place.
 *
 * They are part of the contract of docs/API.md: the parsers in this folder
 * refuse what breaks them and the store relies on them, so the store includes
 * this header rather than the other way round.
 */
#ifndef INSPEL_LIMITS_H
#define INSPEL_LIMITS_H

#define LIMIT_WORKSHOP_ID_LEN 16   /* base32 characters: 80 random bits */
#define LIMIT_CODE_LEN 6           /* join code characters */
#define LIMIT_VOTE_DOTS_MAX 10     /* dots a vote may give each phone */
#define LIMIT_VOTE_THEMES_MAX 30   /* themes one vote offers */
#define LIMIT_ID_TEXT 24           /* a 64-bit row id as decimal text, with its NUL */

#endif
