/*
 * test_db.h - the C tests' temporary database: a store opened in a fresh
 * directory under /tmp, the template workshop in it, and removal of the
 * database with its WAL files afterwards.  Header-only (static inline),
 * since every test is one translation unit; include it after cmocka.h,
 * whose assertions it uses.
 */
#ifndef INSPEL_TEST_DB_H
#define INSPEL_TEST_DB_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/srv_err.h"
#include "store/store.h"
#include "wire/template.h"

struct test_db {
	char dir[64];
	char path[96];
	struct store *st;              /* NULL while a test has it closed */
};

/* Open a store in a new directory /tmp/inspel-NAME-XXXXXX: 0, or -1 (nothing left behind but *db). */
static inline int test_db_open(struct test_db *db, const char *name)
{
	snprintf(db->dir, sizeof db->dir, "/tmp/inspel-%s-XXXXXX", name);
	if (!mkdtemp(db->dir))
		return -1;
	snprintf(db->path, sizeof db->path, "%s/test.db", db->dir);
	if (store_open(&db->st, db->path) != SRV_OK) {
		rmdir(db->dir);
		return -1;
	}
	return 0;
}

/* Close the store (when open) and delete the database, its -wal and -shm files and the directory. */
static inline void test_db_remove(struct test_db *db)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char p[sizeof db->path + 8];
	size_t i;

	store_close(db->st);
	db->st = NULL;
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db->path, suffixes[i]);
		unlink(p);
	}
	rmdir(db->dir);
}

/* A cmocka setup: a fresh database named `name` as the test's state; -1 when it cannot be made. */
static inline int test_db_setup(void **state, const char *name)
{
	struct test_db *f = calloc(1, sizeof *f);

	if (!f || test_db_open(f, name)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* The cmocka teardown of test_db_setup: the database removed, the state freed. */
static inline int test_db_teardown(void **state)
{
	test_db_remove(*state);
	free(*state);
	return 0;
}

/* Create the template workshop `title` with `orgs` (stolen; NULL: the default list); the caller decrefs it. */
static inline json_t *test_db_workshop(struct store *st, const char *title, json_t *orgs)
{
	json_t *qs = NULL, *w = NULL;

	assert_int_equal(template_questions(TEMPLATE_DEFAULT, &qs), SRV_OK);
	if (!orgs)
		orgs = template_organisations();
	assert_int_equal(store_workshop_create(st, 0, title, orgs, qs, &w), SRV_OK);
	json_decref(qs);
	json_decref(orgs);
	return w;
}

/* The id of question i (from 0) of workshop w. */
static inline int64_t test_db_question_id(json_t *w, size_t i)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(w, "questions"), i), "id"));
}

/* Open question qid for answers. */
static inline void test_db_open_question(struct store *st, int64_t qid)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	json_t *q = NULL;

	assert_int_equal(store_question_set_open(st, qid, true, &q, ws), SRV_OK);
	assert_true(json_is_true(json_object_get(q, "open")));
	json_decref(q);
}

#endif
