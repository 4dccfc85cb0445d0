/*
 * ptoken.c - participant tokens: issue and check, HMAC-SHA256 by gnutls.
 *
 * The MAC covers a fixed label, the workshop id and the voter id, each
 * ended by a newline (neither id can hold one), so a token of one
 * workshop is worth nothing in another and no two inputs share bytes.
 */
#include "base/ptoken.h"
#include "base/rnd.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PTOKEN_LABEL "inspel-ballot-token\n"
#define PTOKEN_INPUT_MAX 256

/* The MAC of (workshop, voter) as PTOKEN_MAC_LEN hex characters into `hex`. */
static enum srv_err ptoken_mac(const unsigned char secret[PTOKEN_SECRET_LEN], const char *workshop_id,
			       const char *voter, char hex[PTOKEN_MAC_LEN + 1])
{
	unsigned char mac[32];
	char input[PTOKEN_INPUT_MAX];
	int n, i;

	n = snprintf(input, sizeof input, PTOKEN_LABEL "%s\n%s\n", workshop_id, voter);
	if (n < 0 || (size_t)n >= sizeof input)
		return SRV_ESYS;
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret, PTOKEN_SECRET_LEN, input, (size_t)n, mac) != 0)
		return SRV_ESYS;
	for (i = 0; i < PTOKEN_MAC_LEN / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", mac[i]);
	return SRV_OK;
}

enum srv_err ptoken_issue(const unsigned char secret[PTOKEN_SECRET_LEN], const char *workshop_id,
			  char out[PTOKEN_LEN + 1])
{
	char voter[PTOKEN_VOTER_LEN + 1], hex[PTOKEN_MAC_LEN + 1];
	enum srv_err err;

	err = rnd_text(voter, PTOKEN_VOTER_LEN, RND_BASE32_ALPHABET);
	if (!err)
		err = ptoken_mac(secret, workshop_id, voter, hex);
	if (!err)
		snprintf(out, PTOKEN_LEN + 1, "%s.%s", voter, hex);
	return err;
}

enum srv_err ptoken_check(const unsigned char secret[PTOKEN_SECRET_LEN], const char *workshop_id, const char *token,
			  char voter[PTOKEN_VOTER_LEN + 1])
{
	char mine[PTOKEN_VOTER_LEN + 1], hex[PTOKEN_MAC_LEN + 1];
	unsigned char diff = 0;
	enum srv_err err;
	size_t i;

	if (!token || strnlen(token, PTOKEN_LEN + 1) != PTOKEN_LEN || token[PTOKEN_VOTER_LEN] != '.')
		return SRV_EAUTH;
	for (i = 0; i < PTOKEN_VOTER_LEN; i++)
		if (!strchr(RND_BASE32_ALPHABET, token[i]))
			return SRV_EAUTH;
	memcpy(mine, token, PTOKEN_VOTER_LEN);
	mine[PTOKEN_VOTER_LEN] = '\0';
	err = ptoken_mac(secret, workshop_id, mine, hex);
	if (err)
		return err;
	for (i = 0; i < PTOKEN_MAC_LEN; i++)
		diff |= (unsigned char)(hex[i] ^ token[PTOKEN_VOTER_LEN + 1 + i]);
	if (diff)
		return SRV_EAUTH;
	memcpy(voter, mine, sizeof mine);
	return SRV_OK;
}
