/* x86 segmentation (src/mm/segment.c): Linux's flat descriptors encoded as
 * the kernel's GDT holds them, limits with and without granularity,
 * expand-down segments, the privilege and type checks with their vectors
 * and error codes, bad descriptors refused with nothing changed, and undo
 * and redo of descriptor writes. */
#include <string.h>

#include "helpers.h"
#include "mm/segment.h"

static struct machine *boot_x86(void)
{
	struct mm_config c = config_mem(16 * MiB);
	c.arch = arch_by_name("x86");
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

static struct seg_result tr(struct machine *m, enum seg_reg reg, uint16_t sel, uint32_t off, enum pt_access acc,
			    unsigned cpl)
{
	struct seg_result r;
	assert_int_equal(x86_seg_translate(m, reg, sel, off, 1, acc, cpl, &r), MM_OK);
	return r;
}

static void test_linux_flat_gdt(void **state)
{
	(void)state;
	struct machine *m = boot_x86();
	const struct seg_root *r = seg_root(m);
	/* GDT_ENTRY_INIT(DESC_CODE32 / DESC_DATA32 [| DESC_USER], 0, 0xfffff) */
	assert_int_equal(r->gdt[12], 0x00cf9a000000ffffull);
	assert_int_equal(r->gdt[13], 0x00cf92000000ffffull);
	assert_int_equal(r->gdt[14], 0x00cffa000000ffffull);
	assert_int_equal(r->gdt[15], 0x00cff2000000ffffull);
	assert_int_equal(USER_CS_SEL, 0x73);
	assert_int_equal(USER_DS_SEL, 0x7b);
	struct seg_desc d = seg_decode(r->gdt[15]);
	assert_int_equal(d.base, 0);
	assert_int_equal(seg_eff_limit(&d), 0xffffffffu);
	assert_int_equal(d.dpl, 3);
	/* flat: logical = linear, at any offset */
	struct seg_result t = tr(m, SR_DS, USER_DS_SEL, 0xbfffeffc, ACC_WRITE, 3);
	assert_int_equal(t.fault, SEGF_NONE);
	assert_int_equal(t.linear, 0xbfffeffc);
	t = tr(m, SR_CS, USER_CS_SEL, 0x08048000, ACC_EXEC, 3);
	assert_int_equal(t.linear, 0x08048000);
	/* a user selector for the kernel's data: DPL 0 < CPL 3 */
	t = tr(m, SR_DS, KERNEL_DS_SEL, 0, ACC_READ, 3);
	assert_int_equal(t.fault, SEGF_PRIV);
	assert_int_equal(t.vector, SV_GP);
	assert_int_equal(t.error_code, 0x68);
	/* the kernel's CS from ring 0 is fine, a user CS from ring 0 is not */
	assert_int_equal(tr(m, SR_CS, KERNEL_CS_SEL, 0xc1000000, ACC_EXEC, 0).fault, SEGF_NONE);
	assert_int_equal(tr(m, SR_CS, USER_CS_SEL, 0, ACC_EXEC, 0).fault, SEGF_PRIV);
	machine_free(m);
}

static void set(struct machine *m, bool ldt, unsigned i, struct seg_desc d)
{
	assert_int_equal(x86_set_descriptor(m, ldt, i, &d), MM_OK);
}

/* limit 0xfff: with G=0 the last byte is 0xfff; with G=1 it is
 * (0xfff << 12) | 0xfff = 0xffffff. */
static void test_limits_and_granularity(void **state)
{
	(void)state;
	struct machine *m = boot_x86();
	set(m, false, 20, (struct seg_desc){.base = 0x10000, .limit = 0xfff, .type = 2, .dpl = 3, .s = true, .p = true});
	set(m, false, 21, (struct seg_desc){.base = 0x10000, .limit = 0xfff, .type = 2, .dpl = 3, .s = true, .p = true,
					    .g = true});
	struct seg_result t = tr(m, SR_DS, 20 * 8 + 3, 0xfff, ACC_READ, 3);
	assert_int_equal(t.fault, SEGF_NONE);
	assert_int_equal(t.linear, 0x10fff);
	t = tr(m, SR_DS, 20 * 8 + 3, 0x1000, ACC_READ, 3);
	assert_int_equal(t.fault, SEGF_LIMIT);
	assert_int_equal(t.vector, SV_GP);
	assert_int_equal(t.error_code, 0);
	assert_int_equal(tr(m, SR_DS, 21 * 8 + 3, 0xffffff, ACC_READ, 3).fault, SEGF_NONE);
	assert_int_equal(tr(m, SR_DS, 21 * 8 + 3, 0x1000000, ACC_READ, 3).fault, SEGF_LIMIT);
	/* through SS the same overrun is #SS(0) */
	t = tr(m, SR_SS, 20 * 8 + 3, 0x1000, ACC_READ, 3);
	assert_int_equal(t.vector, SV_SS);
	/* an access of 4 bytes at 0xffd crosses the limit */
	assert_int_equal(x86_seg_translate(m, SR_DS, 20 * 8 + 3, 0xffd, 4, ACC_READ, 3, &t), MM_OK);
	assert_int_equal(t.fault, SEGF_LIMIT);
	/* expand-down, D/B set: valid offsets are 0x1000..0xffffffff */
	set(m, false, 22, (struct seg_desc){.limit = 0xfff, .type = 6, .dpl = 3, .s = true, .p = true, .db = true});
	assert_int_equal(tr(m, SR_SS, 22 * 8 + 3, 0xfff, ACC_WRITE, 3).fault, SEGF_LIMIT);
	assert_int_equal(tr(m, SR_SS, 22 * 8 + 3, 0x1000, ACC_WRITE, 3).fault, SEGF_NONE);
	assert_int_equal(tr(m, SR_SS, 22 * 8 + 3, 0xffffffff, ACC_WRITE, 3).fault, SEGF_NONE);
	machine_free(m);
}

static void test_types_and_presence(void **state)
{
	(void)state;
	struct machine *m = boot_x86();
	/* read-only data: a write is #GP(0) */
	set(m, false, 20, (struct seg_desc){.limit = 0xfffff, .g = true, .type = 0, .dpl = 3, .s = true, .p = true});
	assert_int_equal(tr(m, SR_DS, 20 * 8 + 3, 0, ACC_WRITE, 3).fault, SEGF_WRITE);
	/* execute-only code: not in DS, wrong type #GP(sel) */
	set(m, false, 21, (struct seg_desc){.limit = 0xfffff, .g = true, .type = 8, .dpl = 3, .s = true, .p = true});
	struct seg_result t = tr(m, SR_DS, 21 * 8 + 3, 0, ACC_READ, 3);
	assert_int_equal(t.fault, SEGF_TYPE);
	assert_int_equal(t.error_code, 21 * 8);
	/* conforming code at DPL 0 runs from ring 3 */
	set(m, false, 22, (struct seg_desc){.limit = 0xfffff, .g = true, .type = 0xe, .dpl = 0, .s = true, .p = true});
	assert_int_equal(tr(m, SR_CS, 22 * 8 + 3, 0x100, ACC_EXEC, 3).fault, SEGF_NONE);
	/* not present: #NP(sel), #SS(sel) through SS */
	set(m, true, 2, (struct seg_desc){.limit = 0xffff, .type = 2, .dpl = 3, .s = true});
	t = tr(m, SR_DS, 2 * 8 + 4 + 3, 0, ACC_READ, 3);
	assert_int_equal(t.vector, SV_NP);
	assert_int_equal(t.error_code, 2 * 8 + 4);
	assert_int_equal(tr(m, SR_SS, 2 * 8 + 4 + 3, 0, ACC_READ, 3).vector, SV_SS);
	/* the LDT grew to 3 entries: index 3 is beyond its limit */
	assert_int_equal(seg_root(m)->ldt_entries, 3);
	assert_int_equal(tr(m, SR_DS, 3 * 8 + 4 + 3, 0, ACC_READ, 3).fault, SEGF_TABLE_LIMIT);
	/* the null selector; a selector beyond the GDT */
	t = tr(m, SR_SS, 0, 0, ACC_READ, 0);
	assert_int_equal(t.fault, SEGF_NULL);
	assert_int_equal(t.error_code, 0);
	t = tr(m, SR_DS, 32 * 8 + 3, 0, ACC_READ, 3);
	assert_int_equal(t.fault, SEGF_TABLE_LIMIT);
	assert_int_equal(t.error_code, 0x100);
	assert_machine_ok(m);
	machine_free(m);
}

static void test_bad_descriptors_change_nothing(void **state)
{
	(void)state;
	struct machine *m = boot_x86();
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	struct seg_desc d = {.limit = 0xfffff, .type = 2, .dpl = 3, .s = true, .p = true};
	assert_int_equal(x86_set_descriptor(m, false, 32, &d), MM_EINVAL);
	assert_int_equal(x86_set_descriptor(m, false, 0, &d), MM_EINVAL);
	assert_int_equal(x86_set_descriptor(m, true, LDT_MAX_ENTRIES, &d), MM_EINVAL);
	d.limit = 0x100000;
	assert_int_equal(x86_set_descriptor(m, false, 20, &d), MM_EINVAL);
	d.limit = 0xfffff;
	d.dpl = 4;
	assert_int_equal(x86_set_descriptor(m, false, 20, &d), MM_EINVAL);
	d.dpl = 3;
	d.s = false;
	d.type = 13; /* reserved system type */
	assert_int_equal(x86_set_descriptor(m, false, 20, &d), MM_EINVAL);
	assert_string_equal(m->error, "set_descriptor: type 13 is reserved for system descriptors");
	struct seg_result t;
	assert_int_equal(x86_seg_translate(m, SR_DS, USER_DS_SEL, 0, 1, ACC_EXEC, 3, &t), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	machine_free(m);
}

static void test_undo_redo(void **state)
{
	(void)state;
	struct machine *m = boot_x86();
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t start = m->nsteps;
	uint64_t seed = 42;
	for (int i = 0; i < 200; i++) {
		uint64_t v = xorshift64(&seed);
		struct seg_desc d = {.base = (uint32_t)(v >> 32), .limit = (uint32_t)(v & 0xfffff), .type = (v >> 20) & 0xf,
				     .dpl = (v >> 24) & 3, .s = true, .p = (v >> 26) & 1, .g = (v >> 27) & 1};
		bool ldt = (v >> 28) & 1;
		x86_set_descriptor(m, ldt, 1 + (v >> 29) % 20, &d);
		struct seg_result t;
		x86_seg_translate(m, SR_DS, (uint16_t)(((1 + (v >> 29) % 20) << 3) | (ldt << 2) | 3),
				  (uint32_t)(v >> 40), 1, ACC_READ, 3, &t);
	}
	uint32_t end = m->nsteps;
	assert_undo_redo(m, &r, start, end);
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_flat_gdt),
		cmocka_unit_test(test_limits_and_granularity),
		cmocka_unit_test(test_types_and_presence),
		cmocka_unit_test(test_bad_descriptors_change_nothing),
		cmocka_unit_test(test_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
