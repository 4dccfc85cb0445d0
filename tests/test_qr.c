/*
 * test_qr.c - the SVG is well-formed and paints exactly the symbol's dark
 * modules, with the quiet zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/qr.h"
#include "base/srv_err.h"

#define URL "http://192.168.1.20:8080/j/H7K2QX"

/* Paint the path's "Mx yhNv1h-Nz" runs onto a size*size grid; fail on any other syntax. */
static unsigned char *paint(const char *d, int size)
{
	unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
	int x, y, w, w2, used, i;

	assert_non_null(grid);
	while (*d && *d != '"') {
		assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2, &used), 4);
		assert_int_equal(w, w2);
		assert_true(w > 0 && x >= 0 && y >= 0 && x + w <= size && y < size);
		for (i = 0; i < w; i++) {
			assert_int_equal(grid[y * size + x + i], 0);   /* runs never overlap */
			grid[y * size + x + i] = 1;
		}
		d += used;
	}
	assert_int_equal(*d, '"');
	return grid;
}

static void test_svg_matches_symbol(void **state)
{
	QRcode *qr = QRcode_encodeString(URL, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char *svg = NULL, view[64];
	const char *d;
	unsigned char *grid;
	size_t len = 0;
	int size, x, y;

	assert_non_null(qr);
	assert_int_equal(qr_svg(URL, &svg, &len), SRV_OK);
	assert_int_equal(strlen(svg), len);
	assert_non_null(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "</svg>"));
	size = qr->width + 2 * QR_QUIET_ZONE;
	snprintf(view, sizeof view, "viewBox=\"0 0 %d %d\"", size, size);
	assert_non_null(strstr(svg, view));
	/* Exactly one path. */
	d = strstr(svg, "<path");
	assert_non_null(d);
	assert_null(strstr(d + 1, "<path"));
	d = strstr(d, " d=\"");
	assert_non_null(d);
	grid = paint(d + 4, size);
	for (y = 0; y < size; y++)
		for (x = 0; x < size; x++) {
			int inside = x >= QR_QUIET_ZONE && y >= QR_QUIET_ZONE &&
				     x < size - QR_QUIET_ZONE && y < size - QR_QUIET_ZONE;
			int dark = inside ? qr->data[(y - QR_QUIET_ZONE) * qr->width + x - QR_QUIET_ZONE] & 1 : 0;
			assert_int_equal(grid[y * size + x], dark);
		}
	free(grid);
	free(svg);
	QRcode_free(qr);
}

static void test_too_long(void **state)
{
	char *big = malloc(8000), *svg = (char *)1;
	size_t len;

	assert_non_null(big);
	memset(big, 'x', 7999);
	big[7999] = '\0';
	assert_int_equal(qr_svg(big, &svg, &len), SRV_EINVAL);
	assert_null(svg);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg_matches_symbol),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
