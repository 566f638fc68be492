/* Names of capture block types, for messages. */
#include "capture/scap_blocks.h"

const char *hr_blk_name(uint32_t t)
{
	switch (t) {
	case HR_BLK_SHB: return "section header";
	case HR_BLK_MI: case HR_BLK_MI_INT: return "machine info";
	case HR_BLK_PL_V1: case HR_BLK_PL_V1_INT: return "process list v1";
	case HR_BLK_PL_V2: case HR_BLK_PL_V2_INT: return "process list v2";
	case HR_BLK_PL_V3: case HR_BLK_PL_V3_INT: return "process list v3";
	case HR_BLK_PL_V4: return "process list v4";
	case HR_BLK_PL_V5: return "process list v5";
	case HR_BLK_PL_V6: return "process list v6";
	case HR_BLK_PL_V7: return "process list v7";
	case HR_BLK_PL_V8: return "process list v8";
	case HR_BLK_PL_V9: return "process list v9";
	case HR_BLK_FDL: case HR_BLK_FDL_INT: return "fd list";
	case HR_BLK_FDL_V2: return "fd list v2";
	case HR_BLK_IL: case HR_BLK_IL_INT: return "interface list";
	case HR_BLK_IL_V2: return "interface list v2";
	case HR_BLK_UL: case HR_BLK_UL_INT: return "user list";
	case HR_BLK_UL_V2: return "user list v2";
	case HR_BLK_EV: case HR_BLK_EV_INT: return "event v1";
	case HR_BLK_EVF: return "event with flags v1";
	case HR_BLK_EV_V2: return "event v2";
	case HR_BLK_EVF_V2: return "event with flags v2";
	case HR_BLK_EV_V2_LARGE: return "large event v2";
	case HR_BLK_EVF_V2_LARGE: return "large event with flags v2";
	default: return "unknown block";
	}
}
