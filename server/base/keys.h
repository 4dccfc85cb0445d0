/*
 * keys.h - facilitator keys: making them, hashing them, comparing them.
 *
 * A key is 32 random bytes shown as 52 characters of lower-case base32.
 * Only its SHA-256 is stored, so a copied database does not hand out keys.
 */
#ifndef INSPEL_KEYS_H
#define INSPEL_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include "base/srv_err.h"

#define KEYS_BYTES 32
#define KEYS_TEXT_LEN 52      /* ceil(32 * 8 / 5) base32 characters */
#define KEYS_HASH_LEN 32      /* SHA-256 */

/* Make a new key into `text` (KEYS_TEXT_LEN + 1 bytes).  SRV_OK or SRV_ESYS. */
enum srv_err keys_generate(char text[KEYS_TEXT_LEN + 1]);

/* SHA-256 of the key text.  SRV_OK, or SRV_ESYS when gnutls fails. */
enum srv_err keys_hash(const char *text, size_t len, unsigned char hash[KEYS_HASH_LEN]);

/* Compare two hashes in time independent of where they differ. */
bool keys_equal(const unsigned char a[KEYS_HASH_LEN], const unsigned char b[KEYS_HASH_LEN]);

#endif
