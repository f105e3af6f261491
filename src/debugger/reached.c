/* The farthest position the cursor has reached (reached.h). */
#include "reached.h"

void reach_update(struct reach *r, const struct session *s)
{
	uint32_t cur = session_cursor(s);
	if (r->sc != s->sc) {
		r->sc = s->sc;
		r->farthest = cur;
	}
	uint32_t known = session_known(s);
	if (r->farthest > known)
		r->farthest = known;
	if (cur > r->farthest)
		r->farthest = cur;
}

uint32_t reach_farthest(const struct reach *r, const struct session *s)
{
	uint32_t known = session_known(s);
	if (r->sc != s->sc)
		return session_cursor(s);
	return r->farthest < known ? r->farthest : known;
}

bool reach_seen(const struct reach *r, const struct session *s, uint32_t step)
{
	return step >= 1 && step <= reach_farthest(r, s);
}

const struct note *reach_note(const struct reach *r, const struct session *s, enum note_kind kind)
{
	uint32_t cur = session_cursor(s);
	/* Standing at a pause no further than ever: what follows the pause
	 * note at this position has not happened for the audience. */
	bool at_edge = reach_farthest(r, s) <= cur;
	uint32_t i = s->nnotes;
	if (at_edge) {
		for (uint32_t k = s->nnotes; k-- > 0 && s->notes[k].at >= cur;)
			if (s->notes[k].at == cur && s->notes[k].kind == NOTE_PAUSE) {
				i = k;
				break;
			}
	}
	while (i-- > 0)
		if (s->notes[i].kind == kind && s->notes[i].at <= cur)
			return &s->notes[i];
	return NULL;
}
