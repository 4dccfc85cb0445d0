/*
 * an_err.c - descriptions for the analysis error codes.
 *
 * Static English strings, so a caller can print any code without freeing.
 */
#include "core/an_err.h"

const char *an_strerror(enum an_err err)
{
	switch (err) {
	case AN_OK: return "no error";
	case AN_ENOMEM: return "out of memory";
	case AN_EINVAL: return "invalid input";
	case AN_EIO: return "input/output error";
	case AN_EUTF8: return "invalid UTF-8";
	case AN_ETOOBIG: return "input too large";
	case AN_ELANG: return "unsupported language";
	}
	return "unknown error";
}
