/*
 * Block type ids of the capture format (scap-format.md section 3) and small
 * predicates over them, shared by the reader and the writer.
 */
#ifndef HR_SCAP_BLOCKS_H
#define HR_SCAP_BLOCKS_H

#include <stdbool.h>
#include <stdint.h>

enum {
	HR_BLK_SHB = 0x0A0D0D0A,
	HR_BLK_MI = 0x201,
	HR_BLK_MI_INT = 0x8002ABCD,
	HR_BLK_PL_V1 = 0x202,
	HR_BLK_PL_V1_INT = 0x8000ABCD,
	HR_BLK_PL_V2 = 0x207,
	HR_BLK_PL_V2_INT = 0x8013ABCD,
	HR_BLK_PL_V3 = 0x209,
	HR_BLK_PL_V3_INT = 0x8014ABCD,
	HR_BLK_PL_V4 = 0x210,
	HR_BLK_PL_V5 = 0x211,
	HR_BLK_PL_V6 = 0x212,
	HR_BLK_PL_V7 = 0x213,
	HR_BLK_PL_V8 = 0x214,
	HR_BLK_PL_V9 = 0x215,
	HR_BLK_FDL = 0x203,
	HR_BLK_FDL_INT = 0x8001ABCD,
	HR_BLK_FDL_V2 = 0x218,
	HR_BLK_IL = 0x205,
	HR_BLK_IL_INT = 0x8011ABCD,
	HR_BLK_IL_V2 = 0x219,
	HR_BLK_UL = 0x206,
	HR_BLK_UL_INT = 0x8012ABCD,
	HR_BLK_UL_V2 = 0x220,
	HR_BLK_EV = 0x204,
	HR_BLK_EV_INT = 0x8010ABCD,
	HR_BLK_EVF = 0x208,
	HR_BLK_EV_V2 = 0x216,
	HR_BLK_EVF_V2 = 0x217,
	HR_BLK_EV_V2_LARGE = 0x221,
	HR_BLK_EVF_V2_LARGE = 0x222,
};

static inline bool hr_blk_is_event(uint32_t t)
{
	return t == HR_BLK_EV || t == HR_BLK_EV_INT || t == HR_BLK_EVF || t == HR_BLK_EV_V2 ||
	       t == HR_BLK_EVF_V2 || t == HR_BLK_EV_V2_LARGE || t == HR_BLK_EVF_V2_LARGE;
}
static inline bool hr_blk_event_is_v1(uint32_t t)
{
	return t == HR_BLK_EV || t == HR_BLK_EV_INT || t == HR_BLK_EVF;
}
static inline bool hr_blk_event_has_flags(uint32_t t)
{
	return t == HR_BLK_EVF || t == HR_BLK_EVF_V2 || t == HR_BLK_EVF_V2_LARGE;
}
static inline bool hr_blk_event_is_large(uint32_t t)
{
	return t == HR_BLK_EV_V2_LARGE || t == HR_BLK_EVF_V2_LARGE;
}
static inline bool hr_blk_is_fdlist(uint32_t t)
{
	return t == HR_BLK_FDL || t == HR_BLK_FDL_INT || t == HR_BLK_FDL_V2;
}
static inline bool hr_blk_is_iflist(uint32_t t)
{
	return t == HR_BLK_IL || t == HR_BLK_IL_INT || t == HR_BLK_IL_V2;
}
static inline bool hr_blk_is_userlist(uint32_t t)
{
	return t == HR_BLK_UL || t == HR_BLK_UL_INT || t == HR_BLK_UL_V2;
}
static inline bool hr_blk_is_proclist(uint32_t t)
{
	return t == HR_BLK_PL_V1 || t == HR_BLK_PL_V1_INT || t == HR_BLK_PL_V2 || t == HR_BLK_PL_V2_INT ||
	       t == HR_BLK_PL_V3 || t == HR_BLK_PL_V3_INT || (t >= HR_BLK_PL_V4 && t <= HR_BLK_PL_V9);
}
static inline bool hr_blk_is_list(uint32_t t)
{
	return hr_blk_is_proclist(t) || hr_blk_is_fdlist(t) || hr_blk_is_iflist(t) || hr_blk_is_userlist(t);
}

const char *hr_blk_name(uint32_t type);

#endif
