/*
 * pcode.h - participant codes: the short code a phone shows so that its
 * participant can have their answers and ballots erased.
 *
 * A phone sends, as client_id, an id it derives for each workshop (web/js/
 * phoneid.js: HMAC-SHA256 of its own random secret and the workshop id), so
 * its ids in two workshops cannot be linked.  The code is the first 40 bits
 * of SHA-256("inspel-participant-code\n" + client_id) in Crockford base32:
 * 8 symbols, shown as "ABCD-EFGH".  The phone computes it from the id it
 * sends; the server computes it from the ids it stored, so nothing new is
 * stored and the code tells nothing about the id.
 */
#ifndef INSPEL_PCODE_H
#define INSPEL_PCODE_H

#include <stdbool.h>
#include "base/srv_err.h"

#define PCODE_LEN 8
#define PCODE_ALPHABET "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   /* Crockford base32 */

/* The participant code of `client_id` into `out` (PCODE_LEN + 1).  SRV_OK, or SRV_ESYS when hashing failed. */
enum srv_err pcode_of_client(const char *client_id, char out[PCODE_LEN + 1]);

/*
 * A code as a person typed it into its canonical form in `out`
 * (PCODE_LEN + 1): spaces and hyphens dropped, upper case, and Crockford's
 * look-alikes read as meant (O as 0, I and L as 1).  False when what is
 * left is not PCODE_LEN symbols of PCODE_ALPHABET.
 */
bool pcode_normalise(const char *typed, char out[PCODE_LEN + 1]);

#endif
