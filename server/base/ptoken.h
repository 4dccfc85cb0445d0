/*
 * ptoken.h - participant tokens: one voter of one workshop, signed by the server.
 *
 * GET /api/join/CODE hands a phone a token "VOTER.MAC": VOTER is 80 random
 * bits (the ballot's voter id, one ballot per vote each) and MAC the first
 * 128 bits of HMAC-SHA256(server secret, workshop id and VOTER).  Nothing
 * is stored when a token is issued; a ballot is counted only with a token
 * whose MAC checks for the ballot's workshop, so the number of voters a
 * client can be is the number of tokens it was given (the per-address
 * issuance budget of the join route), not the number of ids it can invent.
 * The secret is the store's (store_secret), so it survives restarts and
 * travels with backups.
 */
#ifndef INSPEL_PTOKEN_H
#define INSPEL_PTOKEN_H

#include "base/srv_err.h"

#define PTOKEN_SECRET_LEN 32       /* bytes of the server secret */
#define PTOKEN_VOTER_LEN 16        /* base32 characters of the voter id (80 bits) */
#define PTOKEN_MAC_LEN 32          /* hex characters of the truncated MAC (128 bits) */
#define PTOKEN_LEN (PTOKEN_VOTER_LEN + 1 + PTOKEN_MAC_LEN)

/*
 * A new token for workshop `workshop_id` into `out` (PTOKEN_LEN + 1).
 * SRV_OK, or SRV_ESYS when there is no randomness or HMAC failed.
 */
enum srv_err ptoken_issue(const unsigned char secret[PTOKEN_SECRET_LEN], const char *workshop_id,
			  char out[PTOKEN_LEN + 1]);

/*
 * Check `token` (untrusted text, any length) against workshop
 * `workshop_id`; on SRV_OK its voter id is copied to `voter`
 * (PTOKEN_VOTER_LEN + 1).  SRV_EAUTH when the token is malformed or not
 * the server's for this workshop (compared in constant time); SRV_ESYS
 * when HMAC failed.
 */
enum srv_err ptoken_check(const unsigned char secret[PTOKEN_SECRET_LEN], const char *workshop_id, const char *token,
			  char voter[PTOKEN_VOTER_LEN + 1]);

#endif
