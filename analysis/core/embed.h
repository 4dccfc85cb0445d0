/*
 * embed.h - put a file's bytes into the binary at build time.
 *
 * The assembler's .incbin reads the file when the object is built, so the
 * binary alone is a deployment (web pages, stop-word lists, theme files) and
 * no generator tool or xxd is needed.  The Makefile must list the embedded
 * files as prerequisites of the object, since -MMD cannot see them.
 */
#ifndef INSPEL_EMBED_H
#define INSPEL_EMBED_H

#include <stddef.h>

/*
 * EMBED_FILE(sym, "path") defines `sym` (first byte) and `sym##_end` (one past
 * the last byte; a NUL follows it so text files can be used as C strings).
 * `path` is relative to the directory make runs in (the project root).
 */
#define EMBED_FILE(sym, path)                                              \
	__asm__(".pushsection .rodata\n"                                   \
		".balign 16\n"                                             \
		".global " #sym "\n" #sym ":\n"                            \
		".incbin \"" path "\"\n"                                   \
		".global " #sym "_end\n" #sym "_end:\n"                    \
		".byte 0\n"                                                \
		".popsection\n");                                          \
	extern const unsigned char sym[];                                  \
	extern const unsigned char sym##_end[]

#define EMBED_SIZE(sym) ((size_t)(sym##_end - sym))

#endif
