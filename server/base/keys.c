/*
 * keys.c - facilitator keys: making, hashing and comparing them.
 *
 * The key text itself is hashed (not its decoded bytes) so verification
 * never has to parse attacker input; comparison is constant-time so the
 * response time does not leak how many leading bytes were right.
 */
#include "base/keys.h"
#include "base/rnd.h"
#include "base/srv_err.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

enum srv_err keys_generate(char text[KEYS_TEXT_LEN + 1])
{
	static const char alphabet[] = RND_BASE32_ALPHABET;
	unsigned char raw[KEYS_BYTES];
	unsigned acc = 0;
	int bits = 0, err;
	size_t i, n = 0;

	err = rnd_bytes(raw, sizeof raw);
	if (err)
		return err;
	for (i = 0; i < sizeof raw; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			text[n++] = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		text[n++] = alphabet[(acc << (5 - bits)) & 31];
	text[n] = '\0';
	return n == KEYS_TEXT_LEN ? SRV_OK : SRV_ESYS;
}

enum srv_err keys_hash(const char *text, size_t len, unsigned char hash[KEYS_HASH_LEN])
{
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, text, len, hash) == 0 ? SRV_OK : SRV_ESYS;
}

bool keys_equal(const unsigned char a[KEYS_HASH_LEN], const unsigned char b[KEYS_HASH_LEN])
{
	unsigned char diff = 0;
	size_t i;

	for (i = 0; i < KEYS_HASH_LEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}
