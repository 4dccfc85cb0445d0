/*
 * srv_err.c - descriptions of the server layer's error codes.
 */
#include "base/srv_err.h"

const char *srv_strerror(enum srv_err err)
{
	switch ((enum srv_err)err) {
	case SRV_OK: return "success";
	case SRV_ENOMEM: return "out of memory";
	case SRV_EDB: return "database error";
	case SRV_ENOTFOUND: return "not found";
	case SRV_ECONFLICT: return "answer_id already used for a different question or text";
	case SRV_ECLOSED: return "the question is closed";
	case SRV_EUTF8: return "text is not valid UTF-8";
	case SRV_EEMPTY: return "text is empty";
	case SRV_ETOOLONG: return "text is too long";
	case SRV_EINVAL: return "invalid value";
	case SRV_EFULL: return "queue is full";
	case SRV_ESTOPPED: return "shutting down";
	case SRV_ERATE: return "too many answers, try again later";
	case SRV_EAUTH: return "missing, wrong or revoked key";
	case SRV_ESYS: return "system call failed";
	case SRV_EGONE: return "the workshop is closed";
	case SRV_ELIMIT: return "the workshop has reached its answer limit";
	}
	return "unknown error";
}
