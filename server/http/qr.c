/*
 * qr.c - render a libqrencode symbol as SVG.
 *
 * One path of run-length rectangles keeps the file small (a join URL is
 * about 2 KB) and scales crisply on any projector; shape-rendering
 * crispEdges stops anti-aliasing seams between adjacent runs.
 */
#include "http/qr.h"
#include "core/buf.h"
#include "base/srv_err.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>

#define QR_SVG_MAX (256 * 1024)

enum srv_err qr_svg(const char *text, char **svg, size_t *len)
{
	QRcode *qr;
	struct buf b;
	int x, y, run, size, err = SRV_ENOMEM;

	*svg = NULL;
	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return errno == ENOMEM ? SRV_ENOMEM : SRV_EINVAL;
	buf_init(&b, QR_SVG_MAX);
	size = qr->width + 2 * QR_QUIET_ZONE;
	if (buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			   "shape-rendering=\"crispEdges\">\n"
			   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
		       size, size, size, size))
		goto fail;
	for (y = 0; y < qr->width; y++) {
		for (x = 0; x < qr->width; x += run > 0 ? run : 1) {
			run = 0;
			/* Bit 0 of each module byte is "dark". */
			while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run > 0 && buf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run))
				goto fail;
		}
	}
	if (buf_adds(&b, "\"/>\n</svg>\n"))
		goto fail;
	QRcode_free(qr);
	*svg = buf_detach(&b, len);
	return *svg ? SRV_OK : SRV_ENOMEM;
fail:
	QRcode_free(qr);
	buf_free(&b);
	return err;
}
