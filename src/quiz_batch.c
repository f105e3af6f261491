/* Grading quiz answers headless (quiz_batch.h). */
#include "quiz_batch.h"

#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "debugger/quiz.h"
#include "debugger/session.h"

/* The next answer line, without its newline; false at the end. */
static bool next_answer(FILE *f, char *buf, size_t n)
{
	while (fgets(buf, (int)n, f)) {
		buf[strcspn(buf, "\r\n")] = 0;
		const char *p = buf + strspn(buf, " \t");
		if (*p && *p != '#')
			return true;
	}
	return false;
}

static void pose(const struct quiz_question *q, int n)
{
	printf("question %d (line %d): %s\n", n, q->line, q->question);
	for (int i = 0; i < q->nchoices; i++)
		printf("  %d) %s\n", i + 1, q->choices[i]);
}

int quiz_batch_run(const char *file, const char *answers, int every, const struct scenario_opts *so)
{
	FILE *af = fopen(answers, "r");
	if (!af) {
		fprintf(stderr, "memstep: cannot read the answers file %s\n", answers);
		return EXIT_BAD_SCENARIO;
	}
	char why[300];
	struct session *s = session_new(so, NULL, NULL, why, sizeof why);
	struct strbuf out = {0};
	if (!s || !file || session_load(s, file, &out) != 0) {
		fprintf(stderr, "memstep: %s\n", !s ? why : !file ? "--quiz=ANSWERS needs a scenario file" : out.s);
		strbuf_free(&out);
		if (s)
			session_free(s);
		fclose(af);
		return EXIT_BAD_SCENARIO;
	}
	strbuf_free(&out);
	struct quiz_opts o = {every};
	int asked = 0, right = 0, rc = EXIT_HELD;
	for (;;) {
		uint32_t at = session_cursor(s);
		struct quiz_question q;
		bool due = quiz_due(s, &o, at), built = due && quiz_build(s, at, &q, why, sizeof why);
		if (due && !built && strncmp(why, "ask", 3) == 0) {
			fprintf(stderr, "memstep: %s: %s\n", file, why); /* the scenario's question is wrong */
			rc = EXIT_BAD_SCENARIO;
		}
		if (built) {
			char line[256];
			pose(&q, ++asked);
			bool have = next_answer(af, line, sizeof line);
			int pick = have ? quiz_choice(&q, line) : -1;
			if (pick == q.answer) {
				right++;
				printf("  answer %s: right\n", line);
			} else {
				printf("  answer %s: wrong, it is %d) %s\n", have ? line : "(none)", q.answer + 1,
				       q.choices[q.answer]);
			}
			printf("  why: %s\n", q.explain);
		}
		enum stop_reason r = session_next(s, 1);
		if (r == STOP_ERROR) {
			fprintf(stderr, "memstep: %s\n", s->stop_msg);
			rc = EXIT_BAD_SCENARIO;
			break;
		}
		if (session_cursor(s) == at)
			break; /* the end */
	}
	printf("quiz: %d of %d right\n", right, asked);
	if (rc == EXIT_HELD && right < asked)
		rc = EXIT_EXPECT_FAILED;
	session_free(s);
	fclose(af);
	return rc;
}
