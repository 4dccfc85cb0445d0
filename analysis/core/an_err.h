/*
 * an_err.h - the analysis library's error codes.
 *
 * One small enum for the whole analysis layer: every fallible function in
 * analysis/ returns AN_OK (0) or one of the negative codes below, so callers
 * can test `if (err)` and print an_strerror(err).
 */
#ifndef INSPEL_AN_ERR_H
#define INSPEL_AN_ERR_H

enum an_err {
	AN_OK = 0,
	AN_ENOMEM = -1,   /* allocation failed */
	AN_EINVAL = -2,   /* bad argument or malformed input */
	AN_EIO = -3,      /* a file could not be read or written */
	AN_EUTF8 = -4,    /* input is not valid UTF-8 */
	AN_ETOOBIG = -5,  /* input exceeds a hard limit */
	AN_ELANG = -6,    /* unknown or unsupported language */
};

/* A static English description of `err`; never NULL. */
const char *an_strerror(enum an_err err);

#endif
