/*
 * rnd.h - unpredictable bytes and tokens from the kernel (getrandom).
 */
#ifndef INSPEL_RND_H
#define INSPEL_RND_H

#include <stddef.h>
#include "base/srv_err.h"

/* Alphabet of join codes: letters and digits without look-alikes (0/O, 1/I/L). */
#define RND_CODE_ALPHABET "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
/* Lower-case RFC 4648 base32 alphabet, used for keys and workshop ids. */
#define RND_BASE32_ALPHABET "abcdefghijklmnopqrstuvwxyz234567"

/* Fill `out` with `n` random bytes.  Returns SRV_OK or SRV_ESYS. */
enum srv_err rnd_bytes(void *out, size_t n);

/*
 * Write `n` random characters of `alphabet` and a NUL into `out` (which has
 * room for n + 1).  Rejection sampling keeps every character equally likely.
 * Returns SRV_OK or SRV_ESYS.
 */
enum srv_err rnd_text(char *out, size_t n, const char *alphabet);

#endif
