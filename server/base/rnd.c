/*
 * rnd.c - random bytes and tokens.
 *
 * getrandom() blocks only until the kernel pool is first initialised and
 * never fails on short reads of <= 256 bytes, but we still loop on EINTR and
 * partial reads instead of trusting that.
 */
#include "base/rnd.h"
#include "base/srv_err.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

enum srv_err rnd_bytes(void *out, size_t n)
{
	unsigned char *p = out;
	ssize_t got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return SRV_ESYS;
		}
		p += got;
		n -= (size_t)got;
	}
	return SRV_OK;
}

enum srv_err rnd_text(char *out, size_t n, const char *alphabet)
{
	size_t len = strlen(alphabet), i = 0, j;
	unsigned char pool[64];
	unsigned limit;
	int err;

	assert(len > 0 && len <= 256);
	/* Bytes at or above `limit` would favour the first characters. */
	limit = 256 - 256 % (unsigned)len;
	while (i < n) {
		err = rnd_bytes(pool, sizeof pool);
		if (err)
			return err;
		for (j = 0; j < sizeof pool && i < n; j++)
			if (pool[j] < limit)
				out[i++] = alphabet[pool[j] % len];
	}
	out[n] = '\0';
	return SRV_OK;
}
