/*
 * pcode.c - participant codes: derive one from a phone's id, read a typed one.
 *
 * SHA-256 by gnutls, like the key hashes; 40 bits make 8 symbols of 5 bits,
 * and a workshop of a few hundred phones has a chance of about 1 in 10^7
 * that two of them share a code.
 */
#include "base/pcode.h"

#include <ctype.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdint.h>
#include <string.h>

#define PCODE_LABEL "inspel-participant-code\n"
#define PCODE_INPUT_MAX 128

enum srv_err pcode_of_client(const char *client_id, char out[PCODE_LEN + 1])
{
	unsigned char hash[32];
	char input[PCODE_INPUT_MAX];
	size_t label = strlen(PCODE_LABEL), n = strlen(client_id);
	uint64_t bits = 0;
	int i;

	if (label + n > sizeof input)
		return SRV_ESYS;
	memcpy(input, PCODE_LABEL, label);
	memcpy(input + label, client_id, n);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, input, label + n, hash) != 0)
		return SRV_ESYS;
	for (i = 0; i < 5; i++)
		bits = bits << 8 | hash[i];
	for (i = PCODE_LEN - 1; i >= 0; i--) {
		out[i] = PCODE_ALPHABET[bits & 31];
		bits >>= 5;
	}
	out[PCODE_LEN] = '\0';
	return SRV_OK;
}

bool pcode_normalise(const char *typed, char out[PCODE_LEN + 1])
{
	size_t n = 0;
	const char *p;

	for (p = typed; *p; p++) {
		int c = toupper((unsigned char)*p);
		if (c == ' ' || c == '-')
			continue;
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (n == PCODE_LEN || !c || !strchr(PCODE_ALPHABET, c))
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == PCODE_LEN;
}
