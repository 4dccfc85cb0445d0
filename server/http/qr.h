/*
 * qr.h - QR codes as SVG for the projector.
 */
#ifndef INSPEL_QR_H
#define INSPEL_QR_H

#include <stddef.h>
#include "base/srv_err.h"

#define QR_QUIET_ZONE 4   /* modules of white border the standard asks for */

/*
 * Encode `text` (error correction level M) and render it as an SVG document
 * whose one <path> draws each horizontal run of dark modules as a
 * rectangle, with a quiet zone of QR_QUIET_ZONE modules; the viewBox is in
 * modules.  On SRV_OK *svg is a NUL-terminated string the caller frees and
 * *len its length.  Errors: SRV_EINVAL (text too long to encode),
 * SRV_ENOMEM.
 */
enum srv_err qr_svg(const char *text, char **svg, size_t *len);

#endif
