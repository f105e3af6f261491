/*
 * Which lines are commands and which are Lua, and what a mistyped command
 * is.  The rule (docs/scenario-language.md, "The prompt"):
 *   - `lua CODE` and `=EXPR` are Lua, always;
 *   - a line whose first word is a command or an alias is that command,
 *     unless an operator follows the word (`s = alloc_pages(0)` is Lua);
 *   - a line that looks like a command — a word followed by words, or a
 *     lone word — but is not Lua (`brek split` does not parse) or names
 *     nothing (`stpe` is no global) is an unknown command, with the nearest
 *     command suggested;
 *   - anything else is Lua.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* Optimal string alignment distance: edits, with a swap of two neighbours
 * counted as one (stpe -> step). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 31 || lb > 31)
		return 32;
	size_t d[32][32];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const struct command *command_suggest(const char *word)
{
	const struct command *best = NULL;
	/* one edit in a short word, two in a longer one: `foo` is not `goto` */
	size_t best_d = strlen(word) <= 4 ? 2 : 3;
	for (const struct command *c = commands; c->name; c++) {
		size_t d = edit_distance(word, c->name);
		if (c->alias && strlen(c->alias) > 1 && edit_distance(word, c->alias) < d)
			d = edit_distance(word, c->alias);
		if (d < best_d) {
			best = c;
			best_d = d;
		}
	}
	return best;
}

/* The first word's length when it is command-shaped: letters, digits, _ and
 * inner hyphens (reverse-step); 0 otherwise. */
static size_t command_word(const char *p)
{
	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	size_t n = 1;
	while (isalnum((unsigned char)p[n]) || p[n] == '_' || (p[n] == '-' && isalpha((unsigned char)p[n + 1])))
		n++;
	return isspace((unsigned char)p[n]) || !p[n] ? n : 0;
}

bool command_incomplete(const struct session *s, const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '=')
		line++;
	else if (strncmp(line, "lua", 3) == 0 && isspace((unsigned char)line[3]))
		line += 4;
	else if (command_find(line))
		return false;
	return session_lua_syntax(s, line) == LUA_SYNTAX_INCOMPLETE;
}

/* Functions that only read the machine: a line calling nothing else
 * cannot make an operation, so it needs no question. */
static bool reads_only(const char *name, size_t len)
{
	static const char *const readers[] = {
		"frame", "zone", "zones", "proc", "print", "tostring", "tonumber", "type", "pairs", "ipairs", "select",
		"ptdump", "pgformat", "tlb", "vmas", "page", "kmem_cache", "swap_map", "rawlen", "rawequal", "rawget", "next",
		NULL};
	static const char *const libs[] = {"string.", "math.", "table.", "utf8.", NULL};
	for (const char *const *l = libs; *l; l++)
		if (len > strlen(*l) && strncmp(name, *l, strlen(*l)) == 0)
			return true;
	for (const char *const *r = readers; *r; r++)
		if (strlen(*r) == len && strncmp(name, *r, len) == 0)
			return true;
	return false;
}

/* Does every call in the line (a name before '(', '{' or a string) only
 * read?  Method calls (a:b()) and calls of expressions may operate. */
static bool calls_only_readers(const char *line)
{
	for (const char *p = line; *p; p++) {
		if (*p == '"' || *p == '\'') { /* skip strings: their text is no call */
			char q = *p;
			while (p[1] && p[1] != q)
				p += p[1] == '\\' && p[2] ? 2 : 1;
			if (p[1])
				p++;
			continue;
		}
		if (*p != '(' && *p != '{')
			continue;
		const char *end = p;
		while (end > line && end[-1] == ' ')
			end--;
		const char *start = end;
		while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_' || start[-1] == '.'))
			start--;
		if (start == end)
			continue; /* a parenthesised expression or a table constructor */
		if (start > line && start[-1] == ':')
			return false;
		if (!reads_only(start, (size_t)(end - start)))
			return false;
	}
	return true;
}

bool command_confirm(const struct session *s, const char *line, char *question, size_t n)
{
	uint32_t cur = session_cursor(s), known = session_known(s);
	while (isspace((unsigned char)*line))
		line++;
	if (known <= cur || *line == '=' || !*line)
		return false; /* no future to lose; =EXPR is an expression */
	if (strncmp(line, "lua", 3) == 0 && isspace((unsigned char)line[3]))
		line += 4;
	else if (command_find(line))
		return false;
	/* an expression only (`a.pfn`) does not operate, nor a statement
	 * without a call (`x = 42`); a call may */
	if (!session_lua_statement(s, line) || !strpbrk(line, "({\"'") || calls_only_readers(line))
		return false;
	snprintf(question, n,
		 "You are at step %u, in the past: an operation here drops steps %u-%u%s%s (`undo` brings them back).\n"
		 "Run it? [y/N] ",
		 cur, cur + 1, known, session_running(s) ? "+" : "",
		 session_running(s) ? " and the rest of the scenario" : "");
	return true;
}

bool command_unknown(const struct session *s, const char *line, struct strbuf *out)
{
	while (isspace((unsigned char)*line))
		line++;
	size_t n = command_word(line);
	if (!n || n > 31)
		return false;
	char word[32];
	memcpy(word, line, n);
	word[n] = 0;
	const char *rest = line + n;
	while (isspace((unsigned char)*rest))
		rest++;
	bool unknown;
	if (*rest)
		/* words after a word: a command's shape, unless it is Lua
		 * (`x = 1` has an operator; `if a then` is Lua cut short) */
		unknown = !strchr("=.[:(\"'{+-*/%^<>,&|~#", *rest) && session_lua_syntax(s, line) == LUA_SYNTAX_ERROR;
	else
		/* a lone word: a global's value is Lua's (`a` shows the
		 * handle), a hyphenated word or a name of nothing is not */
		unknown = strchr(word, '-') || (!session_global_defined(s, word) && session_lua_syntax(s, word) == LUA_SYNTAX_OK);
	if (!unknown)
		return false;
	const struct command *c = command_suggest(word);
	if (c)
		strbuf_printf(out, "unknown command \"%s\" (did you mean %s?)\n", word, c->name);
	else
		strbuf_printf(out, "unknown command \"%s\" (`help` lists the commands; `lua CODE` or `=EXPR` runs Lua)\n",
			      word);
	return true;
}
