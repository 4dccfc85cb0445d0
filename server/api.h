/*
 * api.h - the JSON API of docs/API.md and the event stream.
 */
#ifndef INSPEL_API_H
#define INSPEL_API_H

#include <microhttpd.h>

#include "http.h"

/*
 * Handle a request whose URL starts with "/api/" once its body is read
 * (or, in state HTTP_REQ_WRITTEN, once the writer finished its job).
 * Always queues a response or suspends; returns MHD_NO only when the
 * connection must be dropped.
 */
enum MHD_Result api_handle(struct http_req *r, const char *url, const char *method);

#endif
