/*
 * srv_err.h - the server layer's error codes.
 *
 * One small enum for everything under server/: functions return SRV_OK (0)
 * or a negative code, and the HTTP layer maps each code to one status, so a
 * module never needs to know about HTTP.
 */
#ifndef INSPEL_SRV_ERR_H
#define INSPEL_SRV_ERR_H

enum srv_err {
	SRV_OK = 0,
	SRV_ENOMEM = -1,    /* allocation failed */
	SRV_EDB = -2,       /* the database failed (I/O, corruption, busy) */
	SRV_ENOTFOUND = -3, /* no such workshop, code, question, answer or key */
	SRV_ECONFLICT = -4, /* answer_id reused for another question or text */
	SRV_ECLOSED = -5,   /* the question is closed */
	SRV_EUTF8 = -6,     /* text is not valid UTF-8 */
	SRV_EEMPTY = -7,    /* text is empty after trimming */
	SRV_ETOOLONG = -8,  /* text has too many code points */
	SRV_EINVAL = -9,    /* a value breaks a rule (answer_id, organisation) */
	SRV_EFULL = -10,    /* a bounded queue is full */
	SRV_ESTOPPED = -11, /* the component is shutting down */
	SRV_ERATE = -12,    /* the rate limit is exhausted */
	SRV_EAUTH = -13,    /* wrong or revoked key */
	SRV_ESYS = -14,     /* a system call failed (see errno) */
	SRV_EGONE = -15,    /* the workshop is closed: its join code no longer takes anything */
	SRV_ELIMIT = -16,   /* a workshop's answer cap is reached */
};

/* A static English description of `err`; never NULL. */
const char *srv_strerror(enum srv_err err);

#endif
